import { badInput, DomainError } from "../errors.js";
import type { ReviewLevel, StageCode } from "../campaign/types.js";
import { REVIEW_LEVEL_LABELS } from "../campaign/types.js";
import { ROLE_LABELS, type Role } from "../org/roles.js";
import { nextLevel, previousLevel, type ApplicationOrigin } from "./levels.js";

export type ApplicationState =
  | "DRAFT"
  | "SUBMITTED"
  | "PENDING"
  | "AT_PROVINCE"
  | "EXPERT_REVIEW"
  | "RETURNED"
  | "REJECTED"
  | "FINALIZED"
  | "NOT_SELECTED"
  | "DISQUALIFIED"
  | "WITHDRAWN";

export const APPLICATION_STATE_LABELS: Record<ApplicationState, string> = {
  DRAFT: "草稿",
  SUBMITTED: "已提交，待审核",
  PENDING: "审核中",
  AT_PROVINCE: "已报送省级",
  EXPERT_REVIEW: "专家评审中",
  RETURNED: "已退回修改",
  REJECTED: "未通过审核",
  FINALIZED: "已入选",
  NOT_SELECTED: "未入选",
  DISQUALIFIED: "已取消资格",
  WITHDRAWN: "已撤回",
};

/** States in which the application waits for a reviewer at `currentLevel`. */
export const WAITING_STATES: readonly ApplicationState[] = ["SUBMITTED", "PENDING", "AT_PROVINCE"];

/** States no action except disqualification leaves. */
export const FINAL_STATES: readonly ApplicationState[] = ["REJECTED", "FINALIZED", "NOT_SELECTED", "DISQUALIFIED", "WITHDRAWN"];

export type PipelineAction =
  | { type: "submit" }
  | { type: "recommend"; comment?: string | null }
  | { type: "return"; comment: string }
  | { type: "reject"; reason: string }
  | { type: "withdrawRecommendation"; comment?: string | null }
  | { type: "resubmit" }
  | { type: "withdraw"; comment?: string | null }
  | { type: "startExpertReview" }
  | { type: "disqualify"; reason: string }
  | { type: "finalize"; grade: string }
  | { type: "notSelect"; comment?: string | null }
  /** Ends the review of an application left below the province when its category closes. */
  | { type: "close"; comment?: string | null };

export type PipelineActionType = PipelineAction["type"];

export const PIPELINE_ACTION_LABELS: Record<PipelineActionType, string> = {
  submit: "提交",
  recommend: "推荐",
  return: "退回修改",
  reject: "不予推荐",
  withdrawRecommendation: "撤回推荐",
  resubmit: "重新提交",
  withdraw: "撤回申报",
  startExpertReview: "启动专家评审",
  disqualify: "取消资格",
  finalize: "确定等次",
  notSelect: "不予入选",
  close: "终止评审",
};

const ACTION_TYPES = Object.keys(PIPELINE_ACTION_LABELS) as PipelineActionType[];

export interface PipelineApplication {
  state: ApplicationState;
  /** The level the application waits at; null when it waits at none. */
  currentLevel: ReviewLevel | null;
  /** Revision of the application's content: 1 for the first, +1 per resubmission. */
  revision: number;
  /** The application's path (levelsFor at creation). */
  levels: readonly ReviewLevel[];
  /** The user who owns the application (the teacher for teacher applications). */
  applicantUserId: string;
  origin: ApplicationOrigin;
  /**
   * Users who may not review the application (conflict of interest): the applicant and everyone
   * listed on it. The applicant counts even when omitted here.
   */
  listedUserIds?: readonly string[];
  /**
   * Levels whose unit has reviewers but all of them are listed on the application: there the
   * reviewer of the level above decides in their place.
   */
  escalatedLevels?: readonly ReviewLevel[];
  /**
   * Why the application's category takes nothing new: its province result is final, or the
   * campaign's results are published. Null or absent while it is open.
   */
  closed?: ClosedReason | null;
}

export type ClosedReason = "CATEGORY_FINALIZED" | "RESULTS_PUBLISHED";

/** Actions that move an application toward the province: refused once its category is closed. */
export const ACTIONS_INTO_PIPELINE: readonly PipelineActionType[] = ["submit", "resubmit", "recommend", "withdrawRecommendation", "startExpertReview"];

/** States a closed category's application can be left in below a result: `close` ends them. */
export const CLOSABLE_STATES: readonly ApplicationState[] = ["SUBMITTED", "PENDING", "RETURNED", "AT_PROVINCE", "EXPERT_REVIEW"];

/** The refusal of an action into a closed category. */
export function pipelineClosedError(reason: ClosedReason, type: PipelineActionType, categoryName?: string): DomainError {
  const what = categoryName ? `「${categoryName}」` : "该类别";
  const message =
    reason === "CATEGORY_FINALIZED"
      ? `${what}已确定等次，评审已结束，不能再${PIPELINE_ACTION_LABELS[type]}`
      : `本次活动的评审结果已发布，评审已结束，不能再${PIPELINE_ACTION_LABELS[type]}`;
  return new DomainError("PIPELINE_CLOSED", message, undefined, { reason, action: type });
}

/** The user acting, in the one role they chose, with that role's unit. */
export interface Actor {
  userId: string;
  role: Role;
  unitKey: string;
}

/** Everything the history row needs except who/when, which the server adds. */
export interface HistoryEntryFields {
  action: PipelineActionType;
  fromState: ApplicationState;
  fromLevel: ReviewLevel | null;
  toState: ApplicationState;
  toLevel: ReviewLevel | null;
  /** The level the actor acted for; null for the applicant's own actions. */
  level: ReviewLevel | null;
  /** The revision the action concerns (the new one for a resubmission). */
  revision: number;
  comment: string | null;
  grade: string | null;
  actorUserId: string;
  actorRole: Role;
  actorUnitKey: string;
}

export interface TransitionResult {
  state: ApplicationState;
  currentLevel: ReviewLevel | null;
  revision: number;
  /** Set by finalize only. */
  grade: string | null;
  entry: HistoryEntryFields;
}

/** The role that reviews at each level. */
export const LEVEL_ROLES: Record<ReviewLevel, Role> = {
  SCHOOL: "SCHOOL_ADMIN",
  COUNTY: "COUNTY_REVIEWER",
  CITY: "CITY_REVIEWER",
  PROVINCE: "PROVINCE_ADMIN",
};

export const COMMENT_MAX_LENGTH = 2000;

/** The state an application is in while it waits at `level`. */
export function waitingStateAt(levels: readonly ReviewLevel[], level: ReviewLevel): ApplicationState {
  if (level === "PROVINCE") return "AT_PROVINCE";
  return levels[0] === level ? "SUBMITTED" : "PENDING";
}

/** The unit whose reviewer acts at `level` for this origin; null at the province (any province admin). */
export function reviewingUnitKey(origin: ApplicationOrigin, level: ReviewLevel): string | null {
  switch (level) {
    case "SCHOOL":
      return origin.schoolKey;
    case "COUNTY":
      return origin.countyCode;
    case "CITY":
      return origin.cityCode;
    case "PROVINCE":
      return null;
  }
}

type Who = "APPLICANT" | "CURRENT_LEVEL" | "RECOMMENDER" | "PROVINCE";

interface Rule {
  from: readonly ApplicationState[];
  who: Who;
  /** An administrative step of the province, not a review: no conflict-of-interest check. */
  administrative?: boolean;
  /** Extra state condition, e.g. recommend never at the province. */
  when?: (app: PipelineApplication) => boolean;
}

const RULES: Record<PipelineActionType, Rule> = {
  submit: { from: ["DRAFT"], who: "APPLICANT" },
  recommend: { from: ["SUBMITTED", "PENDING"], who: "CURRENT_LEVEL" },
  return: { from: WAITING_STATES, who: "CURRENT_LEVEL" },
  reject: { from: WAITING_STATES, who: "CURRENT_LEVEL" },
  withdrawRecommendation: {
    from: ["PENDING", "AT_PROVINCE"],
    who: "RECOMMENDER",
    when: (app) => app.currentLevel !== null && previousLevel(app.levels, app.currentLevel) !== null,
  },
  resubmit: { from: ["RETURNED"], who: "APPLICANT" },
  withdraw: { from: ["DRAFT", "SUBMITTED", "RETURNED"], who: "APPLICANT" },
  startExpertReview: { from: ["AT_PROVINCE"], who: "PROVINCE" },
  disqualify: {
    from: ["SUBMITTED", "PENDING", "AT_PROVINCE", "EXPERT_REVIEW", "RETURNED", "REJECTED", "FINALIZED", "NOT_SELECTED"],
    who: "PROVINCE",
  },
  finalize: { from: ["EXPERT_REVIEW"], who: "PROVINCE" },
  notSelect: { from: ["EXPERT_REVIEW"], who: "PROVINCE" },
  close: { from: CLOSABLE_STATES, who: "PROVINCE", administrative: true, when: (app) => !!app.closed },
};

function invalid(app: PipelineApplication, type: PipelineActionType): DomainError {
  const where = app.currentLevel && WAITING_STATES.includes(app.state) ? `（${REVIEW_LEVEL_LABELS[app.currentLevel]}）` : "";
  return new DomainError(
    "INVALID_TRANSITION",
    `申报当前状态为「${APPLICATION_STATE_LABELS[app.state]}」${where}，不能${PIPELINE_ACTION_LABELS[type]}`,
    undefined,
    { state: app.state, currentLevel: app.currentLevel, action: type },
  );
}

function forbidden(message: string, type: PipelineActionType): DomainError {
  return new DomainError("FORBIDDEN", message, undefined, { action: type });
}

function isApplicant(app: PipelineApplication, actor: Actor): boolean {
  const o = app.origin;
  switch (o.applicantKind) {
    case "TEACHER":
      return actor.role === "TEACHER" && actor.userId === app.applicantUserId;
    case "SCHOOL":
      return actor.role === "SCHOOL_ADMIN" && actor.unitKey === o.schoolKey;
    case "REGION":
      return o.countyCode !== null
        ? actor.role === "COUNTY_REVIEWER" && actor.unitKey === o.countyCode
        : actor.role === "CITY_REVIEWER" && actor.unitKey === o.cityCode;
  }
}

/** Whether `actor` is the applicant or listed on the application (and so may not review it). */
export function hasConflictOfInterest(app: Pick<PipelineApplication, "applicantUserId" | "listedUserIds">, actor: Pick<Actor, "userId">): boolean {
  return actor.userId === app.applicantUserId || (app.listedUserIds ?? []).includes(actor.userId);
}

/** The refusal of a review action by someone the application concerns. */
export function conflictOfInterestError(type: PipelineActionType): DomainError {
  return new DomainError(
    "CONFLICT_OF_INTEREST",
    `您是该申报的申报人或申报材料所列人员，须回避，不能${PIPELINE_ACTION_LABELS[type]}此申报；请由本单位其他审核人员办理（本单位没有其他审核人员时由上一级办理）`,
    undefined,
    { action: type },
  );
}

/** Whether `actor` reviews at `level` for this application in the role and unit of that level. */
function isReviewerAt(app: PipelineApplication, actor: Actor, level: ReviewLevel): boolean {
  const unit = reviewingUnitKey(app.origin, level);
  return actor.role === LEVEL_ROLES[level] && (unit === null || actor.unitKey === unit);
}

/**
 * Throws FORBIDDEN unless `actor` reviews at `level` for this application — in the role and unit
 * of the level, or of the level above when every reviewer of the level is listed on the
 * application — and CONFLICT_OF_INTEREST when the actor is the applicant or listed on it.
 */
function assertReviewer(app: PipelineApplication, actor: Actor, level: ReviewLevel, type: PipelineActionType): void {
  if (!isReviewerAt(app, actor, level)) {
    const up = app.escalatedLevels?.includes(level) ? nextLevel(app.levels, level) : null;
    if (!up || !isReviewerAt(app, actor, up)) assertReviewerRole(app, actor, level, type);
  }
  if (RULES[type].administrative || isOwnUnitLevel(app, level)) return;
  if (hasConflictOfInterest(app, actor)) throw conflictOfInterestError(type);
}

/**
 * A city's own region application is put forward by the city itself at the city level: that is
 * its submission against its quota, not a review, so the people who filed it may take it.
 */
function isOwnUnitLevel(app: PipelineApplication, level: ReviewLevel): boolean {
  return app.origin.applicantKind === "REGION" && app.origin.countyCode === null && level === "CITY";
}

function assertReviewerRole(app: PipelineApplication, actor: Actor, level: ReviewLevel, type: PipelineActionType): void {
  const role = LEVEL_ROLES[level];
  const levelName = REVIEW_LEVEL_LABELS[level];
  if (actor.role !== role) {
    throw forbidden(
      `此操作需由${levelName}的「${ROLE_LABELS[role]}」进行，您当前的角色是「${ROLE_LABELS[actor.role]}」`,
      type,
    );
  }
  const unit = reviewingUnitKey(app.origin, level);
  if (unit !== null && actor.unitKey !== unit) {
    throw forbidden(`该申报不由您所在单位在${levelName}审核`, type);
  }
}

/** The level on whose behalf `type` is taken for this application, or null for applicant actions. */
function actingLevel(app: PipelineApplication, who: Who): ReviewLevel | null {
  switch (who) {
    case "APPLICANT":
      return null;
    case "CURRENT_LEVEL":
      return app.currentLevel;
    case "RECOMMENDER":
      return app.currentLevel && previousLevel(app.levels, app.currentLevel);
    case "PROVINCE":
      return "PROVINCE";
  }
}

/** Checks state and actor for an action; returns the acting level. */
function authorizeAction(app: PipelineApplication, type: PipelineActionType, actor: Actor): ReviewLevel | null {
  const rule = RULES[type];
  if (!rule.from.includes(app.state) || (rule.when && !rule.when(app))) throw invalid(app, type);
  const level = actingLevel(app, rule.who);
  if (rule.who === "APPLICANT") {
    if (!isApplicant(app, actor)) throw forbidden(`只有申报人本人可以${PIPELINE_ACTION_LABELS[type]}此申报`, type);
    return null;
  }
  if (level === null) throw invalid(app, type);
  assertReviewer(app, actor, level, type);
  return level;
}

/** Checks state, actor and a closed category for an action; returns the acting level. */
function permitAction(app: PipelineApplication, type: PipelineActionType, actor: Actor): ReviewLevel | null {
  const level = authorizeAction(app, type, actor);
  if (app.closed && ACTIONS_INTO_PIPELINE.includes(type)) throw pipelineClosedError(app.closed, type);
  return level;
}

function text(value: string | null | undefined, field: string, label: string, required: boolean): string | null {
  const t = typeof value === "string" ? value.trim() : "";
  if (t === "") {
    if (required) throw badInput([{ field, rule: "required", message: `请填写${label}` }]);
    return null;
  }
  if (t.length > COMMENT_MAX_LENGTH) {
    throw badInput([{ field, rule: "maxLength", message: `${label}不能超过${COMMENT_MAX_LENGTH}字，当前${t.length}字` }]);
  }
  return t;
}

/**
 * The next state of an application after `action` by `actor`, with the history entry fields.
 * Pure: the server persists the result (guarding on the expected state and version) and applies
 * the quota effects (quotaBucketsFor on recommend, placesFreedBy on return/withdrawRecommendation).
 *
 * @throws INVALID_TRANSITION when the action is not possible in the current state,
 *         FORBIDDEN when the actor may not take it, BAD_INPUT for a missing comment/reason/grade.
 */
export function transition(app: PipelineApplication, action: PipelineAction, actor: Actor): TransitionResult {
  if (!ACTION_TYPES.includes(action.type)) {
    throw badInput([{ field: "action", rule: "enum", message: `未知的操作「${String(action.type)}」` }]);
  }
  const level = permitAction(app, action.type, actor);
  let state: ApplicationState;
  let currentLevel: ReviewLevel | null = null;
  let revision = app.revision;
  let comment: string | null = null;
  let grade: string | null = null;

  switch (action.type) {
    case "submit":
    case "resubmit": {
      const first = app.levels[0];
      if (!first) throw invalid(app, action.type);
      state = waitingStateAt(app.levels, first);
      currentLevel = first;
      if (action.type === "resubmit") revision += 1;
      break;
    }
    case "recommend": {
      const next = nextLevel(app.levels, level!);
      if (!next) throw invalid(app, action.type);
      comment = text(action.comment, "comment", "推荐意见", false);
      state = waitingStateAt(app.levels, next);
      currentLevel = next;
      break;
    }
    case "return":
      comment = text(action.comment, "comment", "退回意见（请说明需修改的内容）", true);
      state = "RETURNED";
      break;
    case "reject":
      comment = text(action.reason, "reason", "不予推荐的理由", true);
      state = "REJECTED";
      break;
    case "withdrawRecommendation":
      comment = text(action.comment, "comment", "撤回说明", false);
      state = waitingStateAt(app.levels, level!);
      currentLevel = level;
      break;
    case "withdraw":
      comment = text(action.comment, "comment", "撤回说明", false);
      state = "WITHDRAWN";
      break;
    case "startExpertReview":
      state = "EXPERT_REVIEW";
      currentLevel = "PROVINCE";
      break;
    case "disqualify":
      comment = text(action.reason, "reason", "取消资格的理由", true);
      state = "DISQUALIFIED";
      break;
    case "finalize":
      grade = text(action.grade, "grade", "等次", true);
      state = "FINALIZED";
      break;
    case "notSelect":
      comment = text(action.comment, "comment", "说明", false);
      state = "NOT_SELECTED";
      break;
    case "close":
      comment = text(action.comment, "comment", "说明", false);
      state = "NOT_SELECTED";
      break;
  }

  return {
    state,
    currentLevel,
    revision,
    grade,
    entry: {
      action: action.type,
      fromState: app.state,
      fromLevel: app.currentLevel,
      toState: state,
      toLevel: currentLevel,
      level,
      revision,
      comment,
      grade,
      actorUserId: actor.userId,
      actorRole: actor.role,
      actorUnitKey: actor.unitKey,
    },
  };
}

/** The actions `actor` may take on the application now (for buttons; payloads are not checked). */
export function allowedActions(app: PipelineApplication, actor: Actor): PipelineActionType[] {
  return ACTION_TYPES.filter((type) => {
    try {
      permitAction(app, type, actor);
      return true;
    } catch {
      return false;
    }
  });
}

const REVIEW_STAGES: Record<ReviewLevel, StageCode> = {
  SCHOOL: "SCHOOL_REVIEW",
  COUNTY: "COUNTY_REVIEW",
  CITY: "CITY_REVIEW",
  PROVINCE: "PROVINCE_REVIEW",
};

/**
 * The timeline stage whose deadline governs a transition, from its history entry; null when no
 * deadline applies. A first submission belongs to APPLICATION; a resubmission after a return to
 * the review stage of the level it lands at (a return invites a revision even after the
 * application deadline, as long as that level still reviews); reviewer actions to the acting
 * level's review stage. Withdrawing one's own application and disqualification are never late.
 */
export function stageOfAction(entry: Pick<HistoryEntryFields, "action" | "level" | "toLevel">): StageCode | null {
  switch (entry.action) {
    case "submit":
      return "APPLICATION";
    case "resubmit":
      return entry.toLevel && REVIEW_STAGES[entry.toLevel];
    case "withdraw":
    case "disqualify":
    case "close":
      return null;
    default:
      return entry.level && REVIEW_STAGES[entry.level];
  }
}
