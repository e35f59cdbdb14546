import type { Rubric } from "./types.js";

/**
 * The 100-point featured-space rubric (特色空间评价标准, Annex 2 of the county notice, SPEC §6).
 * Computed items are filled from platform data by computeFeaturedSpaceItems.
 */
export const FEATURED_SPACE_RUBRIC: Rubric = {
  id: "FEATURED_SPACE",
  name: "特色空间评价标准",
  total: 100,
  groups: [
    { id: "BUILDING", name: "空间建设", max: 30 },
    { id: "TEACHING", name: "教学应用", max: 50 },
    { id: "RESULTS", name: "成果实效", max: 20 },
  ],
  items: [
    {
      id: "MICRO_COURSE", group: "BUILDING", name: "精品资源", max: 10, source: "COMPUTED", expertConfirms: true,
      description: "原创微课视频不少于5个并在展示空间以资源模块或视频模块呈现得5分；每个传播数达100及以上的微课再得1分；第三方链接播放的不计分。专家确认。",
    },
    {
      id: "RESOURCE_SHARING", group: "BUILDING", name: "资源共享", max: 10, source: "GATED_EXPERT",
      description: "网盘资源成体系公开共享：200条以下不得分；200条及以上由专家评分。",
    },
    {
      id: "SUBMITTED_RESOURCES", group: "BUILDING", name: "资源报送", max: 10, source: "COMPUTED",
      description: "报送原创优秀资源经省级审核通过，每个1分，上限10分。",
    },
    {
      id: "CLASSROOM", group: "TEACHING", name: "课堂教学", max: 20, source: "COMPUTED",
      description: "移动端授课有效天数（1天内移动端授课使用10分钟以上为1个有效天数），每天0.5分，上限20分。",
    },
    {
      id: "AFTER_CLASS", group: "TEACHING", name: "课后辅导", max: 10, source: "COMPUTED",
      description: "布置、批改作业，每次0.5分，上限10分。",
    },
    {
      id: "INTERACTION", group: "TEACHING", name: "师生互动", max: 5, source: "COMPUTED",
      description: "班级圈、消息收发中有效的师生或家校互动，每次0.5分，上限5分。",
    },
    {
      id: "ACTIVITIES", group: "TEACHING", name: "活动开展", max: 10, source: "COMPUTED",
      description: "开展教学活动，每个活动学生参与人数不少于10人，每个1分，上限10分。",
    },
    {
      id: "MOBILE_SHARE", group: "TEACHING", name: "移动占比", max: 5, source: "COMPUTED",
      description: "年度移动端经验值占年度经验值的比例，每满10%得1分，上限5分。",
    },
    {
      id: "YEARLY_POINTS", group: "RESULTS", name: "年度经验值", max: 10, source: "COMPUTED",
      description: "个人年度经验值按排名给分：第一名10分，末名0分，其间线性；并列者同分。",
    },
    {
      id: "CASE", group: "RESULTS", name: "应用典型案例", max: 5, source: "EXPERT",
      description: "空间移动端应用典型案例（不少于800字），专家评分。",
    },
    {
      id: "DIGITAL_STORY", group: "RESULTS", name: "应用数字故事", max: 5, source: "EXPERT",
      description: "根据典型案例在展示空间以数字故事模块呈现，专家评分。",
    },
  ],
};

/** Expert rubric for 优秀讲师空间, derived from its criteria (all items scored by experts). */
export const LECTURER_SPACE_RUBRIC: Rubric = {
  id: "LECTURER_SPACE",
  name: "优秀讲师空间评分表",
  total: 100,
  groups: [
    { id: "SPACE", name: "空间建设", max: 30 },
    { id: "OUTREACH", name: "宣讲指导", max: 40 },
    { id: "COURSE", name: "课程开发", max: 15 },
    { id: "CASE", name: "应用案例", max: 15 },
  ],
  items: [
    { id: "PROFILE", group: "SPACE", name: "个人简介与档案", max: 10, source: "EXPERT", description: "在空间发布个人简介，体现较高信息素养和教学能力。" },
    { id: "PROMO_VIDEO", group: "SPACE", name: "宣讲短视频", max: 10, source: "EXPERT", description: "在空间发布宣讲短视频，内容清晰、有感染力。" },
    { id: "TRAINING_TOPICS", group: "SPACE", name: "培训主题", max: 10, source: "EXPERT", description: "在空间发布培训主题，主题明确、体系完整。" },
    { id: "LECTURES", group: "OUTREACH", name: "建设应用讲座", max: 20, source: "EXPERT", description: "年度开展之江汇建设应用讲座不少于5次，覆盖面与效果。" },
    { id: "GUIDANCE", group: "OUTREACH", name: "指导教师", max: 20, source: "EXPERT", description: "指导不少于5位教师参加之江汇省级资源建设应用活动及成效。" },
    { id: "REGIONAL_COURSE", group: "COURSE", name: "区域培训课程", max: 15, source: "EXPERT", description: "参与区域特色培训课程设计开发，主讲不少于1课时。" },
    { id: "CASE", group: "CASE", name: "空间应用案例", max: 15, source: "EXPERT", description: "案例结构完整、做法可复制可推广。" },
  ],
};

/** Expert rubric for 空间应用优秀学校, derived from its criteria. */
export const SCHOOL_RUBRIC: Rubric = {
  id: "SCHOOL",
  name: "空间应用优秀学校评分表",
  total: 100,
  groups: [
    { id: "ORGANIZATION", name: "组织保障", max: 15 },
    { id: "ADOPTION", name: "空间普及", max: 25 },
    { id: "PRACTICE", name: "特色应用", max: 40 },
    { id: "CASE", name: "典型案例", max: 20 },
  ],
  items: [
    { id: "MANAGER", group: "ORGANIZATION", name: "专人管理", max: 5, source: "EXPERT", description: "有专人负责空间管理。" },
    { id: "CLASSES", group: "ORGANIZATION", name: "班级建构", max: 5, source: "EXPERT", description: "班级建构完备。" },
    { id: "GUIDANCE", group: "ORGANIZATION", name: "组织指导", max: 5, source: "EXPERT", description: "组织和指导师生开展空间建设、参与空间教学活动。" },
    { id: "TEACHER_ACTIVE", group: "ADOPTION", name: "教师活跃空间比率", max: 10, source: "EXPERT", description: "教师活跃空间比率不低于70%。" },
    { id: "STUDENT_ACTIVE", group: "ADOPTION", name: "学生活跃空间比率", max: 10, source: "EXPERT", description: "学生活跃空间比率不低于70%。" },
    { id: "PLATFORM", group: "ADOPTION", name: "平台与特色应用", max: 5, source: "EXPERT", description: "推进智慧教育平台、之江汇特色应用的实践探索。" },
    { id: "INFLUENCE", group: "PRACTICE", name: "区域影响力", max: 20, source: "EXPERT", description: "在线课程（不少于200位网络学员）或社团研究性学习活动（单项不少于100名校外参与者）的区域影响力。" },
    { id: "DEPTH", group: "PRACTICE", name: "应用深度", max: 20, source: "EXPERT", description: "网络同步课程学生参与、讲师团教师、教学端备授课教师比例，或社团空间活动的持续性与成效。" },
    { id: "CASE", group: "CASE", name: "典型案例", max: 20, source: "EXPERT", description: "案例提炼典型做法和创新点，可复制可推广。" },
  ],
};

/** Expert rubric for 空间应用优秀区域, derived from its criteria. */
export const REGION_RUBRIC: Rubric = {
  id: "REGION",
  name: "空间应用优秀区域评分表",
  total: 100,
  groups: [
    { id: "ADOPTION", name: "空间普及应用", max: 30 },
    { id: "ONLINE", name: "在线教学服务", max: 25 },
    { id: "LECTURERS", name: "区域讲师团社团建设", max: 25 },
    { id: "CASE", name: "典型案例", max: 20 },
  ],
  items: [
    { id: "ACTIVE_RATIO", group: "ADOPTION", name: "师生活跃空间比率", max: 15, source: "EXPERT", description: "教师、学生活跃空间比率不低于60%。" },
    { id: "TEACHING_CLIENT", group: "ADOPTION", name: "教学端常态化应用", max: 15, source: "EXPERT", description: "区域内50%教师利用教学端常态化开展备授课教学活动。" },
    { id: "ONLINE_SERVICE", group: "ONLINE", name: "在线教学服务", max: 25, source: "EXPERT", description: "开展在线教学服务的教师空间占区域教师总数0.4%，或报名学生数占区域学生总数5%。" },
    { id: "LECTURER_TEAM", group: "LECTURERS", name: "讲师团与社团空间", max: 10, source: "EXPERT", description: "组建区域讲师团，打造区域讲师团社团空间。" },
    { id: "TRAINING_COURSE", group: "LECTURERS", name: "培训课程", max: 15, source: "EXPERT", description: "围绕数字素养提升、之江汇建设应用等主题设计开发一门培训课程。" },
    { id: "CASE", group: "CASE", name: "典型案例", max: 20, source: "EXPERT", description: "区域网络学习空间融合创新应用典型案例。" },
  ],
};

/** Consistency problems of a rubric (empty when sound): group and item maxima must add up. */
export function rubricProblems(rubric: Rubric): string[] {
  const problems: string[] = [];
  const groupSum = rubric.groups.reduce((s, g) => s + g.max, 0);
  if (groupSum !== rubric.total) problems.push(`分组满分合计${groupSum}，与总分${rubric.total}不符`);
  const ids = new Set<string>();
  for (const item of rubric.items) {
    if (ids.has(item.id)) problems.push(`评分项编号「${item.id}」重复`);
    ids.add(item.id);
    if (!(item.max > 0)) problems.push(`评分项「${item.name}」满分须大于0`);
    if (!rubric.groups.some((g) => g.id === item.group)) problems.push(`评分项「${item.name}」所属分组「${item.group}」不存在`);
    if (item.expertConfirms && item.source !== "COMPUTED") problems.push(`评分项「${item.name}」只有计算项可以由专家确认`);
  }
  for (const g of rubric.groups) {
    const sum = rubric.items.filter((i) => i.group === g.id).reduce((s, i) => s + i.max, 0);
    if (sum !== g.max) problems.push(`分组「${g.name}」各项满分合计${sum}，与分组满分${g.max}不符`);
  }
  return problems;
}
