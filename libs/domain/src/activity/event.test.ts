import { describe, expect, it } from "vitest";
import { parseEventLine, validateEvent } from "./event.js";
import { RULE_SET_2018_TRIAL, type RuleSet } from "./rule-set.js";
import { ActivityScoringSession } from "./session.js";

const AT = "2018-03-01T08:00:00+08:00";

/** The spec's example line of each type, with a real timestamp. */
const VALID: Record<string, Record<string, unknown>> = {
  login: { id: "e1", type: "login", userId: "t1", at: AT, client: "mobile" },
  profile_item: { id: "e2", type: "profile_item", userId: "t1", item: "avatar", at: AT },
  mobile_op: { id: "e3", type: "mobile_op", userId: "t1", op: "message", at: AT },
  resource_spread: { id: "e4", type: "resource_spread", userId: "s9", ownerId: "t1", resourceId: "r1", action: "download", at: AT },
  resource_review: { id: "e5", type: "resource_review", ownerId: "t1", resourceId: "r1", level: "county", outcome: "approved", at: AT },
  resource_deleted: { id: "e6", type: "resource_deleted", ownerId: "t1", resourceId: "r1", at: AT },
  lesson: { id: "e7", type: "lesson", userId: "t1", minutes: 40, at: AT, client: "pc" },
  task_published: { id: "e8", type: "task_published", userId: "t1", taskId: "k1", at: AT },
  task_engaged: { id: "e9", type: "task_engaged", taskId: "k1", studentId: "s1", at: AT },
  interaction: { id: "e10", type: "interaction", userId: "t1", counterpartId: "p1", at: AT },
  app_use: { id: "e11", type: "app_use", userId: "t1", app: "网络教研", at: AT },
};
const OPTIONAL = new Set(["client", "op", "action", "minutes"]);

function problem(value: unknown): string | null {
  return validateEvent(value);
}

/** The error message of one line through the streaming session (fast path and JSON.parse path). */
function sessionMessage(text: string, lineNo = 1): string | undefined {
  const s = new ActivityScoringSession();
  for (let i = 1; i < lineNo; i++) s.pushLine("");
  s.pushLine(text);
  return s.report().errors[0]?.message;
}

describe("valid events", () => {
  it.each(Object.entries(VALID))("accepts the spec's %s example", (_type, e) => {
    const r = parseEventLine(JSON.stringify(e), 3);
    expect(r).toEqual({ ok: true, event: e });
  });

  it.each(Object.entries(VALID))("%s: every optional field may be left out", (_type, e) => {
    const stripped = Object.fromEntries(Object.entries(e).filter(([k]) => !OPTIONAL.has(k)));
    expect(problem(stripped)).toBeNull();
  });

  it("keeps only the type's fields and the optional ones", () => {
    const r = parseEventLine(JSON.stringify({ ...VALID.login, ownerId: "x", extra: { a: 1 } }), 1);
    expect(r).toEqual({ ok: true, event: VALID.login });
  });

  it("does not check op, action and minutes (no rule reads them)", () => {
    expect(problem({ ...VALID.mobile_op, op: 5 })).toBeNull();
    expect(problem({ ...VALID.resource_spread, action: null })).toBeNull();
    expect(problem({ ...VALID.lesson, minutes: "forty" })).toBeNull();
  });

  it("accepts any outcome string (only approved earns)", () => {
    expect(problem({ ...VALID.resource_review, outcome: "rejected" })).toBeNull();
  });

  it("accepts any app name", () => {
    expect(problem({ ...VALID.app_use, app: "某县自建应用" })).toBeNull();
  });

  it("returns null for blank lines", () => {
    expect(parseEventLine("", 1)).toBeNull();
    expect(parseEventLine("  \t ", 1)).toBeNull();
  });
});

describe("refused lines", () => {
  const cases: [string, string, string][] = [
    ["not JSON", "{\"id\":\"e1\",", "第7行：不是有效的 JSON"],
    ["a JSON array", "[1,2]", "第7行：事件必须是 JSON 对象"],
    ["a JSON string", "\"login\"", "第7行：事件必须是 JSON 对象"],
    ["JSON null", "null", "第7行：事件必须是 JSON 对象"],
    ["a number", "42", "第7行：事件必须是 JSON 对象"],
    ["an empty object", "{}", "第7行：缺少字段 id"],
    ["id missing", JSON.stringify({ ...VALID.login, id: undefined }), "第7行：缺少字段 id"],
    ["id empty", JSON.stringify({ ...VALID.login, id: "" }), "第7行：字段 id 必须是非空字符串"],
    ["id a number", JSON.stringify({ ...VALID.login, id: 1 }), "第7行：字段 id 必须是非空字符串"],
    ["id null", JSON.stringify({ ...VALID.login, id: null }), "第7行：字段 id 必须是非空字符串"],
    ["type missing", JSON.stringify({ ...VALID.login, type: undefined }), "第7行：缺少字段 type"],
    ["type unknown", JSON.stringify({ ...VALID.login, type: "logout" }), "第7行：字段 type 不是已知的事件类型"],
    ["type not a string", JSON.stringify({ ...VALID.login, type: 3 }), "第7行：字段 type 不是已知的事件类型"],
    ["userId missing", JSON.stringify({ ...VALID.lesson, userId: undefined }), "第7行：缺少字段 userId"],
    ["userId empty", JSON.stringify({ ...VALID.lesson, userId: "" }), "第7行：字段 userId 必须是非空字符串"],
    ["userId an object", JSON.stringify({ ...VALID.lesson, userId: { id: "t1" } }), "第7行：字段 userId 必须是非空字符串"],
    ["ownerId missing", JSON.stringify({ ...VALID.resource_spread, ownerId: undefined }), "第7行：缺少字段 ownerId"],
    ["resourceId missing", JSON.stringify({ ...VALID.resource_deleted, resourceId: undefined }), "第7行：缺少字段 resourceId"],
    ["taskId missing", JSON.stringify({ ...VALID.task_engaged, taskId: undefined }), "第7行：缺少字段 taskId"],
    ["studentId empty", JSON.stringify({ ...VALID.task_engaged, studentId: "" }), "第7行：字段 studentId 必须是非空字符串"],
    ["counterpartId missing", JSON.stringify({ ...VALID.interaction, counterpartId: undefined }), "第7行：缺少字段 counterpartId"],
    ["app missing", JSON.stringify({ ...VALID.app_use, app: undefined }), "第7行：缺少字段 app"],
    ["app empty", JSON.stringify({ ...VALID.app_use, app: "" }), "第7行：字段 app 必须是非空字符串"],
    ["outcome missing", JSON.stringify({ ...VALID.resource_review, outcome: undefined }), "第7行：缺少字段 outcome"],
    ["outcome not a string", JSON.stringify({ ...VALID.resource_review, outcome: true }), "第7行：字段 outcome 必须是非空字符串"],
    ["item missing", JSON.stringify({ ...VALID.profile_item, item: undefined }), "第7行：缺少字段 item"],
    ["item unknown", JSON.stringify({ ...VALID.profile_item, item: "nickname" }), "第7行：字段 item 只能是 avatar、contact、affiliation、subject 之一"],
    ["item in another case", JSON.stringify({ ...VALID.profile_item, item: "Avatar" }), "第7行：字段 item 只能是 avatar、contact、affiliation、subject 之一"],
    ["level missing", JSON.stringify({ ...VALID.resource_review, level: undefined }), "第7行：缺少字段 level"],
    ["level unknown", JSON.stringify({ ...VALID.resource_review, level: "school" }), "第7行：字段 level 只能是 county、city、province 之一"],
    ["at missing", JSON.stringify({ ...VALID.login, at: undefined }), "第7行：缺少字段 at"],
    ["at a number", JSON.stringify({ ...VALID.login, at: 1519862400000 }), "第7行：字段 at 必须是字符串"],
    ["at without offset", JSON.stringify({ ...VALID.login, at: "2018-03-01T08:00:00" }), "第7行：字段 at 缺少时区偏移"],
    ["at without offset, with fraction", JSON.stringify({ ...VALID.login, at: "2018-03-01T08:00:00.123" }), "第7行：字段 at 缺少时区偏移"],
    ["at a date only", JSON.stringify({ ...VALID.login, at: "2018-03-01" }), "第7行：字段 at 不是 ISO 8601 时间（应为 YYYY-MM-DDThh:mm:ss 加 Z 或 ±hh:mm）"],
    ["at in words", JSON.stringify({ ...VALID.login, at: "yesterday" }), "第7行：字段 at 不是 ISO 8601 时间（应为 YYYY-MM-DDThh:mm:ss 加 Z 或 ±hh:mm）"],
    ["at with a space separator", JSON.stringify({ ...VALID.login, at: "2018-03-01 08:00:00Z" }), "第7行：字段 at 不是 ISO 8601 时间（应为 YYYY-MM-DDThh:mm:ss 加 Z 或 ±hh:mm）"],
    ["at on 30 February", JSON.stringify({ ...VALID.login, at: "2018-02-30T08:00:00Z" }), "第7行：字段 at 的日期或时间不存在"],
    ["at on 29 February of a common year", JSON.stringify({ ...VALID.login, at: "2018-02-29T08:00:00Z" }), "第7行：字段 at 的日期或时间不存在"],
    ["at in month 13", JSON.stringify({ ...VALID.login, at: "2018-13-01T08:00:00Z" }), "第7行：字段 at 的日期或时间不存在"],
    ["at at hour 24", JSON.stringify({ ...VALID.login, at: "2018-03-01T24:00:00Z" }), "第7行：字段 at 的日期或时间不存在"],
    ["at with a leap second", JSON.stringify({ ...VALID.login, at: "2016-12-31T23:59:60Z" }), "第7行：字段 at 的日期或时间不存在"],
    ["at with offset +24:00", JSON.stringify({ ...VALID.login, at: "2018-03-01T08:00:00+24:00" }), "第7行：字段 at 的日期或时间不存在"],
    ["client tablet", JSON.stringify({ ...VALID.login, client: "tablet" }), "第7行：字段 client 只能是 mobile 或 pc"],
    ["client upper case", JSON.stringify({ ...VALID.login, client: "Mobile" }), "第7行：字段 client 只能是 mobile 或 pc"],
    ["client null", JSON.stringify({ ...VALID.login, client: null }), "第7行：字段 client 只能是 mobile 或 pc"],
  ];

  it.each(cases)("%s", (_name, line, message) => {
    expect(parseEventLine(line, 7)).toEqual({ ok: false, error: { line: 7, message } });
    // The streaming session (with its fast path) reports the same.
    expect(sessionMessage(line, 7)).toBe(message);
  });

  it("reports the first problem in a fixed order: id, type, fields, at, client", () => {
    expect(problem({ type: "nope", at: "x" })).toBe("缺少字段 id");
    expect(problem({ id: "1", type: "nope", at: "x" })).toBe("字段 type 不是已知的事件类型");
    expect(problem({ id: "1", type: "resource_spread", at: "x", client: "tv" })).toBe("缺少字段 userId");
    expect(problem({ id: "1", type: "resource_spread", userId: "a", ownerId: "", at: "x" })).toBe("字段 ownerId 必须是非空字符串");
    expect(problem({ id: "1", type: "login", userId: "a", at: "x", client: "tv" })).toBe(
      "字段 at 不是 ISO 8601 时间（应为 YYYY-MM-DDThh:mm:ss 加 Z 或 ±hh:mm）",
    );
  });

  it("validates item and level against the rule set in use", () => {
    const rs: RuleSet = { ...RULE_SET_2018_TRIAL, profile: { ...RULE_SET_2018_TRIAL.profile, items: ["avatar", "motto"], requiredItems: 2 } };
    expect(parseEventLine(JSON.stringify({ ...VALID.profile_item, item: "motto" }), 1, rs)?.ok).toBe(true);
    expect(parseEventLine(JSON.stringify({ ...VALID.profile_item, item: "subject" }), 1, rs)).toEqual({
      ok: false,
      error: { line: 1, message: "第1行：字段 item 只能是 avatar、motto 之一" },
    });
  });
});

describe("accepted timestamp forms", () => {
  it.each([
    "2018-03-01T08:00:00Z",
    "2018-03-01T08:00:00+08:00",
    "2018-03-01T08:00:00-05:30",
    "2018-03-01T08:00:00+0800",
    "2018-03-01T08:00:00+08",
    "2018-03-01T08:00Z",
    "2018-03-01T08:00:00.1Z",
    "2018-03-01T08:00:00.123456789012345678901234Z",
    "2018-03-01T08:00:00,5+08:00",
    "2016-02-29T23:59:59.999-00:00",
    "2000-02-29T00:00:00Z",
  ])("%s", (at) => {
    expect(problem({ ...VALID.login, at })).toBeNull();
  });

  it.each([
    ["lower-case z", "2018-03-01T08:00:00z"],
    ["lower-case t", "2018-03-01t08:00:00Z"],
    ["a dot without digits", "2018-03-01T08:00:00.Z"],
    ["a two-digit year", "18-03-01T08:00:00Z"],
    ["single-digit month", "2018-3-01T08:00:00Z"],
    ["an offset with seconds", "2018-03-01T08:00:00+08:00:00"],
    ["trailing text", "2018-03-01T08:00:00Z "],
    ["1900 is not a leap year", "1900-02-29T08:00:00Z"],
  ])("refuses %s", (_name, at) => {
    expect(problem({ ...VALID.login, at })).not.toBeNull();
  });
});
