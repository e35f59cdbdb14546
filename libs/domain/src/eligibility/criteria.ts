/**
 * Award criteria as a reviewer checklist. The texts and thresholds are campaign configuration
 * (CriterionDef); this module only knows how to evaluate a check against measured indicators,
 * with three-valued results: a criterion without a check, or whose data is missing, is NO_DATA —
 * never guessed.
 */

/** Measured values the server can supply for an applicant (teacher, school or region). */
export type IndicatorKey =
  // teacher space
  | "profileComplete"
  | "provinceSelectedResourcesShown"
  | "yearlyVisits"
  | "provinceAverageYearlyVisits"
  | "resourceCount"
  | "resourcesOlderThan5Years"
  | "provinceLibraryResourcesThisYear"
  | "resourceReviewsDone"
  | "teachingClientActivities"
  // lecturer space
  | "hasIntro"
  | "hasPromoVideo"
  | "hasTrainingTopics"
  | "lecturesThisYear"
  | "guidedTeachers"
  | "designedRegionalCourse"
  | "lecturedClassHours"
  // school and region
  | "hasSpaceManager"
  | "classesComplete"
  | "teacherCount"
  | "activeTeacherSpaces"
  | "studentCount"
  | "activeStudentSpaces"
  | "onlineCourseMaxLearners"
  | "syncCourseStudents"
  | "lecturerTeamTeachers"
  | "teachingClientTeachers"
  | "hostsClubSpace"
  | "clubActivitiesWith100External"
  | "onlineTeachingTeacherSpaces"
  | "onlineEnrolledStudents"
  | "hasLecturerTeam"
  | "hasLecturerClubSpace"
  | "trainingCoursesDeveloped";

export type IndicatorType = "BOOLEAN" | "COUNT";

export const INDICATORS: Record<IndicatorKey, { label: string; type: IndicatorType }> = {
  profileComplete: { label: "空间档案信息完善", type: "BOOLEAN" },
  provinceSelectedResourcesShown: { label: "展示的省级及以上入选资源数", type: "COUNT" },
  yearlyVisits: { label: "年度空间访问量", type: "COUNT" },
  provinceAverageYearlyVisits: { label: "全省年度空间平均访问量", type: "COUNT" },
  resourceCount: { label: "空间资源总数", type: "COUNT" },
  resourcesOlderThan5Years: { label: "超过5年的空间资源数", type: "COUNT" },
  provinceLibraryResourcesThisYear: { label: "本年度入选省级资源库资源数", type: "COUNT" },
  resourceReviewsDone: { label: "参与学科资源审核的评审数", type: "COUNT" },
  teachingClientActivities: { label: "教学端备授课教学活动次数", type: "COUNT" },
  hasIntro: { label: "已发布个人简介", type: "BOOLEAN" },
  hasPromoVideo: { label: "已发布宣讲短视频", type: "BOOLEAN" },
  hasTrainingTopics: { label: "已发布培训主题", type: "BOOLEAN" },
  lecturesThisYear: { label: "年度建设应用讲座次数", type: "COUNT" },
  guidedTeachers: { label: "指导参加省级资源建设应用活动的教师数", type: "COUNT" },
  designedRegionalCourse: { label: "参与区域特色培训课程设计开发", type: "BOOLEAN" },
  lecturedClassHours: { label: "主讲课时数", type: "COUNT" },
  hasSpaceManager: { label: "有专人负责空间管理", type: "BOOLEAN" },
  classesComplete: { label: "班级建构完备", type: "BOOLEAN" },
  teacherCount: { label: "教师总数", type: "COUNT" },
  activeTeacherSpaces: { label: "活跃教师空间数", type: "COUNT" },
  studentCount: { label: "学生总数", type: "COUNT" },
  activeStudentSpaces: { label: "活跃学生空间数", type: "COUNT" },
  onlineCourseMaxLearners: { label: "在线课程最多网络学员数", type: "COUNT" },
  syncCourseStudents: { label: "参与网络同步课程学习的学生数", type: "COUNT" },
  lecturerTeamTeachers: { label: "加入县级及以上讲师团的教师数", type: "COUNT" },
  teachingClientTeachers: { label: "利用教学端备授课的教师数", type: "COUNT" },
  hostsClubSpace: { label: "承建或联合入驻社团空间", type: "BOOLEAN" },
  clubActivitiesWith100External: { label: "校外参与不少于100人的研究性学习活动数", type: "COUNT" },
  onlineTeachingTeacherSpaces: { label: "开展在线教学服务的教师空间数", type: "COUNT" },
  onlineEnrolledStudents: { label: "在线教学报名学生数", type: "COUNT" },
  hasLecturerTeam: { label: "已组建区域讲师团", type: "BOOLEAN" },
  hasLecturerClubSpace: { label: "已建区域讲师团社团空间", type: "BOOLEAN" },
  trainingCoursesDeveloped: { label: "设计开发的培训课程数", type: "COUNT" },
};

/** Measured values; a missing key, null or a value of the wrong type means "no data". */
export type Indicators = Partial<Record<IndicatorKey, number | boolean | null>>;

/**
 * A computable check. Comparisons follow the wording of the notice: "不少于/不低于" is ≥,
 * "高于" is >, "低于" is <.
 */
export type CriterionCheck =
  | { kind: "FLAG"; indicator: IndicatorKey }
  | { kind: "AT_LEAST"; indicator: IndicatorKey; min: number }
  | { kind: "ABOVE"; indicator: IndicatorKey; reference: IndicatorKey }
  | { kind: "RATIO_AT_LEAST"; label: string; numerator: IndicatorKey; denominator: IndicatorKey; min: number }
  | { kind: "RATIO_BELOW"; label: string; numerator: IndicatorKey; denominator: IndicatorKey; max: number }
  | { kind: "ALL"; label?: string; checks: CriterionCheck[] }
  | { kind: "ANY"; label?: string; checks: CriterionCheck[] };

export interface CriterionDef {
  /** Stable id, e.g. "TS_VISITS". */
  id: string;
  /** The criterion as the notice words it (Chinese). */
  text: string;
  /** Absent: judged by reviewers only, always NO_DATA here. */
  check?: CriterionCheck;
}

export type CriterionStatus = "MET" | "NOT_MET" | "NO_DATA";

export interface CheckResult {
  status: CriterionStatus;
  /** Chinese explanation with the measured and the required values. */
  detail: string;
  /** The sub-results of ALL/ANY checks. */
  parts?: CheckResult[];
}

export interface CriterionResult extends CheckResult {
  id: string;
  text: string;
}

const RATIO_EPSILON = 1e-12;

function numberOf(ind: Indicators, key: IndicatorKey): number | null {
  const v = ind[key];
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null;
}

function flagOf(ind: Indicators, key: IndicatorKey): boolean | null {
  const v = ind[key];
  return typeof v === "boolean" ? v : null;
}

/** 0.725 → "72.5%", 0.004 → "0.4%". */
export function formatPercent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(2))}%`;
}

function noData(key: IndicatorKey): CheckResult {
  return { status: "NO_DATA", detail: `${INDICATORS[key].label}：暂无数据` };
}

function verdict(ok: boolean): CriterionStatus {
  return ok ? "MET" : "NOT_MET";
}

function ratioCheck(
  ind: Indicators,
  label: string,
  numerator: IndicatorKey,
  denominator: IndicatorKey,
  accept: (ratio: number) => boolean,
  requirement: string,
): CheckResult {
  const n = numberOf(ind, numerator);
  const d = numberOf(ind, denominator);
  if (n === null) return noData(numerator);
  if (d === null) return noData(denominator);
  if (d === 0) {
    return { status: "NO_DATA", detail: `${label}无法计算：${INDICATORS[denominator].label}为0` };
  }
  const ratio = n / d;
  return {
    status: verdict(accept(ratio)),
    detail: `${label} ${formatPercent(ratio)}（${n}/${d}，${requirement}）`,
  };
}

/** Kleene logic: ALL is NOT_MET if any part is, else NO_DATA if any part is, else MET. */
function combineAll(parts: CheckResult[]): CriterionStatus {
  if (parts.some((p) => p.status === "NOT_MET")) return "NOT_MET";
  if (parts.some((p) => p.status === "NO_DATA")) return "NO_DATA";
  return "MET";
}

/** Kleene logic: ANY is MET if any part is, else NO_DATA if any part is, else NOT_MET. */
function combineAny(parts: CheckResult[]): CriterionStatus {
  if (parts.some((p) => p.status === "MET")) return "MET";
  if (parts.some((p) => p.status === "NO_DATA")) return "NO_DATA";
  return "NOT_MET";
}

export function evaluateCheck(check: CriterionCheck, ind: Indicators): CheckResult {
  switch (check.kind) {
    case "FLAG": {
      const v = flagOf(ind, check.indicator);
      if (v === null) return noData(check.indicator);
      return { status: verdict(v), detail: `${INDICATORS[check.indicator].label}：${v ? "是" : "否"}` };
    }
    case "AT_LEAST": {
      const v = numberOf(ind, check.indicator);
      if (v === null) return noData(check.indicator);
      return {
        status: verdict(v >= check.min),
        detail: `${INDICATORS[check.indicator].label} ${v}（要求不少于${check.min}）`,
      };
    }
    case "ABOVE": {
      const v = numberOf(ind, check.indicator);
      const r = numberOf(ind, check.reference);
      if (v === null) return noData(check.indicator);
      if (r === null) return noData(check.reference);
      return {
        status: verdict(v > r),
        detail: `${INDICATORS[check.indicator].label} ${v}（要求高于${INDICATORS[check.reference].label} ${r}）`,
      };
    }
    case "RATIO_AT_LEAST":
      return ratioCheck(ind, check.label, check.numerator, check.denominator, (x) => x >= check.min - RATIO_EPSILON, `要求不低于${formatPercent(check.min)}`);
    case "RATIO_BELOW":
      return ratioCheck(ind, check.label, check.numerator, check.denominator, (x) => x < check.max - RATIO_EPSILON, `要求低于${formatPercent(check.max)}`);
    case "ALL": {
      const parts = check.checks.map((c) => evaluateCheck(c, ind));
      const head = check.label ? `${check.label}：` : "";
      return { status: combineAll(parts), detail: head + parts.map((p) => p.detail).join("；"), parts };
    }
    case "ANY": {
      const parts = check.checks.map((c) => evaluateCheck(c, ind));
      const head = check.label ? `${check.label}（满足其一）：` : "满足其一：";
      return { status: combineAny(parts), detail: head + parts.map((p) => p.detail).join("；"), parts };
    }
  }
}

/** The checklist for one applicant: every criterion with MET / NOT_MET / NO_DATA and a detail. */
export function evaluateCriteria(criteria: readonly CriterionDef[], indicators: Indicators): CriterionResult[] {
  return criteria.map((c) => {
    if (!c.check) {
      return { id: c.id, text: c.text, status: "NO_DATA", detail: "无可计算数据，需评审人员人工核查" };
    }
    return { id: c.id, text: c.text, ...evaluateCheck(c.check, indicators) };
  });
}

/** The indicator keys a criterion list reads, so the server computes only what is needed. */
export function indicatorsUsedBy(criteria: readonly CriterionDef[]): IndicatorKey[] {
  const keys = new Set<IndicatorKey>();
  const walk = (c: CriterionCheck): void => {
    switch (c.kind) {
      case "FLAG":
      case "AT_LEAST":
        keys.add(c.indicator);
        break;
      case "ABOVE":
        keys.add(c.indicator).add(c.reference);
        break;
      case "RATIO_AT_LEAST":
      case "RATIO_BELOW":
        keys.add(c.numerator).add(c.denominator);
        break;
      case "ALL":
      case "ANY":
        c.checks.forEach(walk);
        break;
    }
  };
  for (const c of criteria) if (c.check) walk(c.check);
  return [...keys];
}
