/**
 * Activity events (SPEC §5, "Event file format") and their validation.
 *
 * Every field shown in the spec is required for its type except `client`, `op`, `action` and
 * `minutes`. Ids are non-empty strings, `at` is an ISO 8601 timestamp with `Z` or an offset, `item`
 * and `level` take only the values of the rule set, and `client`, when present, is "mobile" or "pc".
 * `op`, `action` and `minutes` are carried but not checked: the spec gives them no rule and no rule
 * reads them. Fields a type does not use are ignored.
 */
import { DEFAULT_RULE_SET, type RuleSet } from "./rule-set.js";
import { newParsedInstant, parseInstant, TimestampStatus, type ParsedInstant } from "./timestamp.js";

export const EVENT_TYPES = [
  "login",
  "profile_item",
  "mobile_op",
  "resource_spread",
  "resource_review",
  "resource_deleted",
  "lesson",
  "task_published",
  "task_engaged",
  "interaction",
  "app_use",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type Client = "mobile" | "pc";

interface EventBase {
  /** Idempotency key: a repeated id is ignored (the first valid line with it counts). */
  id: string;
  /** ISO 8601 with `Z` or an offset. Days are Asia/Shanghai days whatever the offset. */
  at: string;
  client?: Client;
}

export interface LoginEvent extends EventBase {
  type: "login";
  userId: string;
}
export interface ProfileItemEvent extends EventBase {
  type: "profile_item";
  userId: string;
  /** One of the rule set's profile items (2018: avatar, contact, affiliation, subject). */
  item: string;
}
export interface MobileOpEvent extends EventBase {
  type: "mobile_op";
  userId: string;
  /** What was done (message, upload, …); informative only. */
  op?: unknown;
}
export interface ResourceSpreadEvent extends EventBase {
  type: "resource_spread";
  /** The actor who downloaded, favorited, shared, commented or viewed. */
  userId: string;
  ownerId: string;
  resourceId: string;
  action?: unknown;
}
export interface ResourceReviewEvent extends EventBase {
  type: "resource_review";
  ownerId: string;
  resourceId: string;
  /** One of the rule set's review levels (2018: county, city, province). */
  level: string;
  /** Only "approved" earns. */
  outcome: string;
}
export interface ResourceDeletedEvent extends EventBase {
  type: "resource_deleted";
  ownerId: string;
  resourceId: string;
}
export interface LessonEvent extends EventBase {
  type: "lesson";
  userId: string;
  minutes?: unknown;
}
export interface TaskPublishedEvent extends EventBase {
  type: "task_published";
  userId: string;
  taskId: string;
}
export interface TaskEngagedEvent extends EventBase {
  type: "task_engaged";
  taskId: string;
  studentId: string;
}
export interface InteractionEvent extends EventBase {
  type: "interaction";
  userId: string;
  counterpartId: string;
}
export interface AppUseEvent extends EventBase {
  type: "app_use";
  userId: string;
  app: string;
}

export type ActivityEvent =
  | LoginEvent
  | ProfileItemEvent
  | MobileOpEvent
  | ResourceSpreadEvent
  | ResourceReviewEvent
  | ResourceDeletedEvent
  | LessonEvent
  | TaskPublishedEvent
  | TaskEngagedEvent
  | InteractionEvent
  | AppUseEvent;

/** A refused line of an event file: 1-based line number and a Chinese message naming field and rule. */
export interface EventError {
  line: number;
  message: string;
}

export type ParsedLine = { ok: true; event: ActivityEvent } | { ok: false; error: EventError };

/** The rule-set lookups validation needs, computed once per rule set. */
export interface RuleSetLookups {
  readonly ruleSet: RuleSet;
  readonly items: readonly string[];
  readonly levels: readonly string[];
  readonly itemIndex: ReadonlyMap<string, number>;
  readonly levelIndex: ReadonlyMap<string, number>;
  readonly itemMessage: string;
  readonly levelMessage: string;
}

const lookupCache = new WeakMap<RuleSet, RuleSetLookups>();

export function ruleSetLookups(ruleSet: RuleSet): RuleSetLookups {
  let l = lookupCache.get(ruleSet);
  if (!l) {
    const items = ruleSet.profile.items;
    const levels = ruleSet.submission.levels.map((x) => x.level);
    l = {
      ruleSet,
      items,
      levels,
      itemIndex: new Map(items.map((v, i) => [v, i])),
      levelIndex: new Map(levels.map((v, i) => [v, i])),
      itemMessage: `字段 item 只能是 ${items.join("、")} 之一`,
      levelMessage: `字段 level 只能是 ${levels.join("、")} 之一`,
    };
    lookupCache.set(ruleSet, l);
  }
  return l;
}

/** Messages, without the line prefix. Stable: tests and users rely on them. */
export const EventMessages = {
  notJson: "不是有效的 JSON",
  notObject: "事件必须是 JSON 对象",
  missing: (field: string) => `缺少字段 ${field}`,
  notId: (field: string) => `字段 ${field} 必须是非空字符串`,
  unknownType: "字段 type 不是已知的事件类型",
  atNotString: "字段 at 必须是字符串",
  atBadFormat: "字段 at 不是 ISO 8601 时间（应为 YYYY-MM-DDThh:mm:ss 加 Z 或 ±hh:mm）",
  atNoOffset: "字段 at 缺少时区偏移",
  atImpossible: "字段 at 的日期或时间不存在",
  badClient: "字段 client 只能是 mobile 或 pc",
} as const;

/** The message for line `line`: `第7行：字段 at 缺少时区偏移`. */
export function lineMessage(line: number, problem: string): string {
  return `第${line}行：${problem}`;
}

function idProblem(value: unknown, field: string): string | null {
  if (typeof value === "string") return value.length > 0 ? null : EventMessages.notId(field);
  return value === undefined ? EventMessages.missing(field) : EventMessages.notId(field);
}

export const T_LOGIN = 0;
export const T_PROFILE = 1;
export const T_MOBILE_OP = 2;
export const T_SPREAD = 3;
export const T_REVIEW = 4;
export const T_DELETED = 5;
export const T_LESSON = 6;
export const T_TASK_PUBLISHED = 7;
export const T_TASK_ENGAGED = 8;
export const T_INTERACTION = 9;
export const T_APP = 10;

/**
 * The fields of a valid event, read once (this runs per line on millions of lines). Reused between
 * events. Each string field is `xText` from `xStart` to `xEnd`: either its own string (from
 * `readEvent`) or a range of the text of a whole chunk (from the line scanner's fast path), so the
 * fast path makes no substring at all.
 *  login, mobile_op, lesson: s1 userId
 *  profile_item:             s1 userId, index = item index
 *  resource_spread:          s1 userId (actor), s2 ownerId, s3 resourceId
 *  resource_review:          s1 ownerId, s2 resourceId, index = level index, approved
 *  resource_deleted:         s1 ownerId, s2 resourceId
 *  task_published:           s1 userId, s2 taskId
 *  task_engaged:             s1 taskId, s2 studentId
 *  interaction:              s1 userId, s2 counterpartId
 *  app_use:                  s1 userId, s2 app
 */
export interface EventFields {
  readonly instant: ParsedInstant;
  type: number;
  idText: string;
  idStart: number;
  idEnd: number;
  s1Text: string;
  s1Start: number;
  s1End: number;
  s2Text: string;
  s2Start: number;
  s2End: number;
  s3Text: string;
  s3Start: number;
  s3End: number;
  index: number;
  approved: boolean;
  mobile: boolean;
}

export function newEventFields(): EventFields {
  return {
    instant: newParsedInstant(),
    type: 0,
    idText: "",
    idStart: 0,
    idEnd: 0,
    s1Text: "",
    s1Start: 0,
    s1End: 0,
    s2Text: "",
    s2Start: 0,
    s2End: 0,
    s3Text: "",
    s3Start: 0,
    s3End: 0,
    index: 0,
    approved: false,
    mobile: false,
  };
}

/** The string fields of `f` as strings (for tests and diagnostics). */
export function fieldStrings(f: EventFields): { id: string; s1: string; s2: string; s3: string } {
  return {
    id: f.idText.slice(f.idStart, f.idEnd),
    s1: f.s1Text.slice(f.s1Start, f.s1End),
    s2: f.s2Text.slice(f.s2Start, f.s2End),
    s3: f.s3Text.slice(f.s3Start, f.s3End),
  };
}

/**
 * Checks one decoded JSON value against the event rules. Returns null when valid (and then `out`
 * holds its fields), else the problem without line prefix. Checks run in a fixed order (id, type,
 * the type's fields in the spec's order, at, client) and the first problem is reported.
 */
export function readEvent(value: unknown, lookups: RuleSetLookups, out: EventFields): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return EventMessages.notObject;
  const e = value as Record<string, unknown>;
  const id = e.id;
  let p = idProblem(id, "id");
  if (p !== null) return p;
  const type = e.type;
  if (type === undefined) return EventMessages.missing("type");
  let s1: unknown;
  let s2: unknown = "";
  let s3: unknown = "";
  let code: number;
  switch (type) {
    case "login":
    case "mobile_op":
    case "lesson":
      code = type === "login" ? T_LOGIN : type === "lesson" ? T_LESSON : T_MOBILE_OP;
      s1 = e.userId;
      p = idProblem(s1, "userId");
      break;
    case "profile_item": {
      code = T_PROFILE;
      s1 = e.userId;
      p = idProblem(s1, "userId");
      if (p === null) {
        const item = e.item;
        const index = typeof item === "string" ? lookups.itemIndex.get(item) : undefined;
        if (index !== undefined) out.index = index;
        else p = item === undefined ? EventMessages.missing("item") : lookups.itemMessage;
      }
      break;
    }
    case "resource_spread":
      code = T_SPREAD;
      s1 = e.userId;
      s2 = e.ownerId;
      s3 = e.resourceId;
      p = idProblem(s1, "userId") ?? idProblem(s2, "ownerId") ?? idProblem(s3, "resourceId");
      break;
    case "resource_review": {
      code = T_REVIEW;
      s1 = e.ownerId;
      s2 = e.resourceId;
      p = idProblem(s1, "ownerId") ?? idProblem(s2, "resourceId");
      if (p === null) {
        const level = e.level;
        const index = typeof level === "string" ? lookups.levelIndex.get(level) : undefined;
        if (index !== undefined) {
          out.index = index;
          const outcome = e.outcome;
          p = idProblem(outcome, "outcome");
          out.approved = outcome === "approved";
        } else {
          p = level === undefined ? EventMessages.missing("level") : lookups.levelMessage;
        }
      }
      break;
    }
    case "resource_deleted":
      code = T_DELETED;
      s1 = e.ownerId;
      s2 = e.resourceId;
      p = idProblem(s1, "ownerId") ?? idProblem(s2, "resourceId");
      break;
    case "task_published":
      code = T_TASK_PUBLISHED;
      s1 = e.userId;
      s2 = e.taskId;
      p = idProblem(s1, "userId") ?? idProblem(s2, "taskId");
      break;
    case "task_engaged":
      code = T_TASK_ENGAGED;
      s1 = e.taskId;
      s2 = e.studentId;
      p = idProblem(s1, "taskId") ?? idProblem(s2, "studentId");
      break;
    case "interaction":
      code = T_INTERACTION;
      s1 = e.userId;
      s2 = e.counterpartId;
      p = idProblem(s1, "userId") ?? idProblem(s2, "counterpartId");
      break;
    case "app_use":
      code = T_APP;
      s1 = e.userId;
      s2 = e.app;
      p = idProblem(s1, "userId") ?? idProblem(s2, "app");
      break;
    default:
      return EventMessages.unknownType;
  }
  if (p !== null) return p;
  const at = e.at;
  if (at === undefined) return EventMessages.missing("at");
  if (typeof at !== "string") return EventMessages.atNotString;
  const status = parseInstant(at, out.instant);
  if (status !== TimestampStatus.Ok) {
    return status === TimestampStatus.NoOffset
      ? EventMessages.atNoOffset
      : status === TimestampStatus.Impossible
        ? EventMessages.atImpossible
        : EventMessages.atBadFormat;
  }
  const client = e.client;
  if (client !== undefined && client !== "mobile" && client !== "pc") return EventMessages.badClient;
  out.type = code;
  const idString = id as string;
  out.idText = idString;
  out.idStart = 0;
  out.idEnd = idString.length;
  const v1 = s1 as string;
  out.s1Text = v1;
  out.s1Start = 0;
  out.s1End = v1.length;
  const v2 = s2 as string;
  out.s2Text = v2;
  out.s2Start = 0;
  out.s2End = v2.length;
  const v3 = s3 as string;
  out.s3Text = v3;
  out.s3Start = 0;
  out.s3End = v3.length;
  out.mobile = client === "mobile";
  return null;
}

/** `readEvent` for callers that only want to know whether a value is a valid event. */
export function eventProblem(value: unknown, lookups: RuleSetLookups): string | null {
  return readEvent(value, lookups, newEventFields());
}

const OPTIONAL_FIELDS = ["client", "op", "action", "minutes"] as const;
const TYPE_FIELDS: Record<EventType, readonly string[]> = {
  login: ["userId"],
  profile_item: ["userId", "item"],
  mobile_op: ["userId"],
  resource_spread: ["userId", "ownerId", "resourceId"],
  resource_review: ["ownerId", "resourceId", "level", "outcome"],
  resource_deleted: ["ownerId", "resourceId"],
  lesson: ["userId"],
  task_published: ["userId", "taskId"],
  task_engaged: ["taskId", "studentId"],
  interaction: ["userId", "counterpartId"],
  app_use: ["userId", "app"],
};

/** A clean copy of a validated event: its type's fields and the optional ones present, nothing else. */
export function toActivityEvent(valid: Record<string, unknown>): ActivityEvent {
  const type = valid.type as EventType;
  const out: Record<string, unknown> = { id: valid.id, type };
  for (const f of TYPE_FIELDS[type]) out[f] = valid[f];
  out.at = valid.at;
  for (const f of OPTIONAL_FIELDS) if (valid[f] !== undefined) out[f] = valid[f];
  return out as unknown as ActivityEvent;
}

/**
 * Validates any value as an event (e.g. one received by the server). Returns the problem in
 * Chinese (without line prefix), or null when it is a valid event.
 */
export function validateEvent(value: unknown, ruleSet: RuleSet = DEFAULT_RULE_SET): string | null {
  return eventProblem(value, ruleSetLookups(ruleSet));
}

/** True when a line is blank (empty or whitespace only): such lines are skipped silently. */
export function isBlankLine(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * Parses one line of an event file. Returns null for a blank line, else the event or the error
 * `{ line, message }` (message `第N行：…`).
 */
export function parseEventLine(text: string, lineNo: number, ruleSet: RuleSet = DEFAULT_RULE_SET): ParsedLine | null {
  if (isBlankLine(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: { line: lineNo, message: lineMessage(lineNo, EventMessages.notJson) } };
  }
  const problem = eventProblem(value, ruleSetLookups(ruleSet));
  if (problem !== null) return { ok: false, error: { line: lineNo, message: lineMessage(lineNo, problem) } };
  return { ok: true, event: toActivityEvent(value as Record<string, unknown>) };
}
