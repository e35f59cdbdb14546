import type { FieldViolation } from "../errors.js";
import { FormChecker, SCHOOL_STAGE_LABELS, TEXT_LIMITS, type FormMode, type SchoolStage } from "./rules.js";

export type ClubDirection = "REGIONAL_LECTURER_TEAM" | "AGRICULTURE" | "SCIENCE" | "OTHER";

export const CLUB_DIRECTION_LABELS: Record<ClubDirection, string> = {
  REGIONAL_LECTURER_TEAM: "区域讲师团社团",
  AGRICULTURE: "少年农学院（农业、生物、自然等方向）",
  SCIENCE: "少年科学院（信息技术、实验探究等方向）",
  OTHER: "其它方向",
};

export interface ClubMember {
  name?: string | null;
  unit?: string | null;
  /** 职务或职称. */
  title?: string | null;
  /** 建设分工. */
  task?: string | null;
}

export interface ClubLesson {
  /** 序号, a positive whole number unique in the form. */
  no?: number | null;
  /** 课时名称（活动节点）. */
  title?: string | null;
  lecturer?: string | null;
  unit?: string | null;
  mobile?: string | null;
}

/** 活动方案: when, for whom, what, the schedule and the measures. */
export interface ClubPlan {
  time?: string | null;
  audience?: string | null;
  content?: string | null;
  schedule?: string | null;
  measures?: string | null;
}

/** Annex 2: 社团空间建设登记表. */
export interface ClubRegistrationForm {
  /** 市、县（市、区）. */
  region?: string | null;
  /** 适合学段. */
  stage?: SchoolStage | null;
  unitName?: string | null;
  leaderName?: string | null;
  leaderPhone?: string | null;
  adminName?: string | null;
  adminPhone?: string | null;
  members?: ClubMember[] | null;
  direction?: ClubDirection | null;
  /** Required when direction is OTHER. */
  directionOther?: string | null;
  plan?: ClubPlan | null;
  /** 内容主题: a school's project-based learning theme, a region's training course theme. */
  theme?: string | null;
  /** 进度安排. */
  schedule?: string | null;
  lessons?: ClubLesson[] | null;
}

export const CLUB_FORM_LIMITS = { members: { min: 1, max: 50 }, lessons: { min: 1, max: 100 } } as const;

export function validateClubRegistrationForm(form: ClubRegistrationForm, mode: FormMode): FieldViolation[] {
  const c = new FormChecker(mode);
  c.text("region", "市、县（市、区）", form.region, { max: TEXT_LIMITS.region });
  c.choice("stage", "适合学段", form.stage, SCHOOL_STAGE_LABELS);
  c.text("unitName", "单位名称", form.unitName, { max: TEXT_LIMITS.unitName });
  c.text("leaderName", "负责人", form.leaderName, { max: TEXT_LIMITS.name });
  c.phone("leaderPhone", "负责人联系方式", form.leaderPhone);
  c.text("adminName", "管理员", form.adminName, { max: TEXT_LIMITS.name });
  c.phone("adminPhone", "管理员联系方式", form.adminPhone);

  const members = c.list<ClubMember>("members", "团队成员", form.members, CLUB_FORM_LIMITS.members);
  members.forEach((raw, i) => {
    const m = c.object(`members[${i}]`, `第${i + 1}位团队成员`, raw);
    const who = `第${i + 1}位团队成员的`;
    c.text(`members[${i}].name`, `${who}姓名`, m.name, { max: TEXT_LIMITS.name });
    c.text(`members[${i}].unit`, `${who}单位`, m.unit, { max: TEXT_LIMITS.unitName });
    c.text(`members[${i}].title`, `${who}职务或职称`, m.title, { max: TEXT_LIMITS.jobTitle });
    c.text(`members[${i}].task`, `${who}建设分工`, m.task, { max: TEXT_LIMITS.shortText });
  });

  const direction = c.choice<ClubDirection>("direction", "社团方向", form.direction, CLUB_DIRECTION_LABELS);
  c.text("directionOther", "其它方向说明", form.directionOther, { max: TEXT_LIMITS.shortText, required: direction === "OTHER" });

  const plan = c.object("plan", "活动方案", form.plan);
  c.text("plan.time", "活动方案·开设时间", plan.time, { max: TEXT_LIMITS.shortText });
  c.text("plan.audience", "活动方案·面向对象", plan.audience, { max: TEXT_LIMITS.shortText });
  c.text("plan.content", "活动方案·活动内容", plan.content, { max: TEXT_LIMITS.longText });
  c.text("plan.schedule", "活动方案·进度安排", plan.schedule, { max: TEXT_LIMITS.longText });
  c.text("plan.measures", "活动方案·具体措施", plan.measures, { max: TEXT_LIMITS.longText });
  c.text("theme", "内容主题", form.theme, { max: TEXT_LIMITS.shortText });
  c.text("schedule", "进度安排", form.schedule, { max: TEXT_LIMITS.longText });

  const lessons = c.list<ClubLesson>("lessons", "课程/活动内容", form.lessons, CLUB_FORM_LIMITS.lessons);
  const seen = new Set<number>();
  lessons.forEach((raw, i) => {
    const l = c.object(`lessons[${i}]`, `第${i + 1}个课时`, raw);
    const which = `第${i + 1}个课时的`;
    const no = l.no;
    if (no === undefined || no === null) {
      if (mode === "submit") c.add(`lessons[${i}].no`, "required", `请填写「${which}序号」`);
    } else if (typeof no !== "number" || !Number.isInteger(no) || no < 1) {
      c.add(`lessons[${i}].no`, "integer", `「${which}序号」须为正整数`);
    } else if (seen.has(no)) {
      c.add(`lessons[${i}].no`, "unique", `「${which}序号」${no}与前面的课时重复`);
    } else seen.add(no);
    c.text(`lessons[${i}].title`, `${which}课时名称`, l.title, { max: TEXT_LIMITS.shortText });
    c.text(`lessons[${i}].lecturer`, `${which}主讲教师`, l.lecturer, { max: TEXT_LIMITS.name });
    c.text(`lessons[${i}].unit`, `${which}单位`, l.unit, { max: TEXT_LIMITS.unitName });
    c.mobile(`lessons[${i}].mobile`, `${which}手机`, l.mobile);
  });
  return c.violations;
}
