/**
 * Chinese names of the platform's enumerations, as screens, exports and messages show them. One
 * map per enumeration, here or beside the enumeration in its own area (ROLE_LABELS in
 * org/roles.ts, APPLICATION_STATE_LABELS and PIPELINE_ACTION_LABELS in pipeline/transition.ts,
 * REVIEW_LEVEL_LABELS in campaign/types.ts); the server and the web app import them, never copy.
 */
import type { EventType } from "./activity/event.js";
import type { RuleName } from "./activity/rule-set.js";

/** Platform event types (SPEC §5), as the points log shows them. */
export const EVENT_TYPE_LABELS: Record<EventType, string> = {
  login: "登录",
  profile_item: "完善资料",
  mobile_op: "移动端操作",
  resource_spread: "资源传播",
  resource_review: "资源审核",
  resource_deleted: "资源删除",
  lesson: "授课",
  task_published: "发布学习任务",
  task_engaged: "学生参与任务",
  interaction: "师生互动",
  app_use: "使用省级应用",
};

/** An event type's name; an unknown one as it is, none as "—". */
export function eventTypeLabel(t: string | null | undefined): string {
  return t ? (EVENT_TYPE_LABELS[t as EventType] ?? t) : "—";
}

/** The nine activity rules, as Annex 1 of the 2018 notice calls them. */
export const RULE_LABELS: Record<RuleName, string> = {
  login: "用户登录",
  profile: "数据完善",
  mobile_use: "空间使用（移动端）",
  spread: "资源传播",
  submission: "资源报送",
  lesson: "课堂教学",
  task: "教学指导（学习任务）",
  interaction: "师生互动",
  app: "省级应用",
};

/** A rule's name; an unknown one as it is. */
export function ruleLabel(rule: string): string {
  return RULE_LABELS[rule as RuleName] ?? rule;
}

export const CAMPAIGN_STATUSES = ["DRAFT", "OPEN", "CLOSED"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = { DRAFT: "草稿", OPEN: "进行中", CLOSED: "已结束" };

export const EXPERT_ASSIGNMENT_STATES = ["DRAFT", "RELEASED"] as const;
export type ExpertAssignmentState = (typeof EXPERT_ASSIGNMENT_STATES)[number];
export const EXPERT_ASSIGNMENT_STATE_LABELS: Record<ExpertAssignmentState, string> = { DRAFT: "草稿（未发布）", RELEASED: "已发布" };

export const EXPERT_SCORE_STATES = ["DRAFT", "SUBMITTED"] as const;
export type ExpertScoreState = (typeof EXPERT_SCORE_STATES)[number];
export const EXPERT_SCORE_STATE_LABELS: Record<ExpertScoreState, string> = { DRAFT: "草稿", SUBMITTED: "已提交" };

export const CONTACT_STATES = ["SUBMITTED", "APPROVED", "REJECTED"] as const;
export type ContactState = (typeof CONTACT_STATES)[number];
export const CONTACT_STATE_LABELS: Record<ContactState, string> = { SUBMITTED: "待审核", APPROVED: "已通过", REJECTED: "已退回" };
