import { describe, expect, it } from "vitest";
import { fieldStrings, newEventFields, readEvent, ruleSetLookups, type EventFields } from "./event.js";
import { FIELD_NAMES, newFieldRanges, readScannedEvent, scanFlatEvent } from "./line-scanner.js";
import { DEFAULT_RULE_SET } from "./rule-set.js";

const lookups = ruleSetLookups(DEFAULT_RULE_SET);

/** A seeded generator of integers in [0, n). */
function mulberry(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** The scanned fields as strings (undefined when absent). */
function scanned(line: string, start = 0, end = line.length): Record<string, string | undefined> | null {
  const r = newFieldRanges();
  if (!scanFlatEvent(line, r, start, end)) return null;
  const out: Record<string, string | undefined> = {};
  FIELD_NAMES.forEach((k, i) => (out[k] = r[2 * i]! < 0 ? undefined : line.slice(r[2 * i]!, r[2 * i + 1]!)));
  return out;
}

/**
 * The scanner's promise: when it accepts a line, JSON.parse accepts it too and gives the same
 * string (or absence) for every field the rules read, none of which holds a non-string.
 */
function checkAgainstJsonParse(line: string): boolean {
  const raw = scanned(line);
  // With no backslash and no control character the scanner may search string ends natively: same result.
  if (!/[\x00-\x1f\\]/.test(line)) {
    const r = newFieldRanges();
    const clean = scanFlatEvent(line, r, 0, line.length, true);
    expect(clean, line).toBe(raw !== null);
  }
  if (raw === null) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    expect.fail(`the scanner accepted a line JSON.parse refuses: ${line}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) expect.fail(`not an object: ${line}`);
  const obj = parsed as Record<string, unknown>;
  for (const k of FIELD_NAMES) {
    const v = Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined;
    // Compared by hand: a million expect() calls would make this test slow.
    if ((v !== undefined && typeof v !== "string") || raw[k] !== v) {
      expect({ line, key: k, scanned: raw[k] }).toEqual({ line, key: k, scanned: v });
    }
  }
  return true;
}

describe("scanFlatEvent", () => {
  it.each([
    '{"id":"e1","type":"login","userId":"t1","at":"2018-03-01T08:00:00+08:00","client":"mobile"}',
    '  { "id" : "e1" , "type":"lesson","minutes":40,"at":"x"}  ',
    '\t{"id":"e1","n":-0.5e-3,"b":true,"f":false,"z":null,"s":"é网络"}',
    "{}",
    '{"__proto__":"x","id":"1"}',
  ])("accepts the common shape: %s", (line) => {
    expect(checkAgainstJsonParse(line)).toBe(true);
  });

  it.each([
    ['an escape', '{"id":"e\\u0031"}'],
    ['an escaped key', '{"i\\u0064":"e1"}'],
    ['a nested object', '{"id":"e1","x":{"a":1}}'],
    ['an array value', '{"id":"e1","x":[1]}'],
    ['a non-string id', '{"id":1}'],
    ['a null client', '{"id":"1","client":null}'],
    ['a repeated field the rules read', '{"id":"1","id":"2"}'],
    ['a tab inside a string', '{"id":"a\tb"}'],
    ['a leading zero', '{"id":"1","n":01}'],
    ['a bare dot', '{"id":"1","n":1.}'],
    ['a bare exponent', '{"id":"1","n":1e}'],
    ['a plus sign', '{"id":"1","n":+1}'],
    ['a trailing comma', '{"id":"1",}'],
    ['a missing comma', '{"id":"1" "type":"x"}'],
    ['an unterminated string', '{"id":"1}'],
    ['text after the object', '{"id":"1"} x'],
    ['two objects', '{"id":"1"}{"id":"2"}'],
    ['an array', '[{"id":"1"}]'],
    ['a single-quoted key', "{'id':'1'}"],
    ['a misspelled literal', '{"id":"1","b":ture}'],
    ['a no-break space before the object', '\u00a0{"id":"1"}'],
  ])("leaves %s to JSON.parse", (_name, line) => {
    expect(scanned(line)).toBeNull();
  });

  it("scans a range of a larger text", () => {
    const text = 'xx{"id":"e1","type":"login"}yy';
    expect(scanned(text, 2, text.length - 2)).toMatchObject({ id: "e1", type: "login", userId: undefined });
    expect(scanned(text, 2, text.length - 1)).toBeNull();
  });

  it("never disagrees with JSON.parse on random mutations of event lines", () => {
    const rand = mulberry(12345);
    const bases = [
      '{"id":"e1","type":"login","userId":"t1","at":"2018-03-01T08:00:00+08:00","client":"mobile"}',
      '{"id":"e4","type":"resource_spread","userId":"s9","ownerId":"t1","resourceId":"r1","action":"download","at":"2018-03-01T08:00:00Z"}',
      '{"id":"e7","type":"lesson","userId":"t1","minutes":40.5e1,"at":"2018-03-01T08:00:00Z","client":"pc","ok":true,"no":null}',
      '{"id":"e11","type":"app_use","userId":"t1","app":"网络教研","at":"2018-03-01T08:00:00+08:00"}',
    ];
    const alphabet = ['"', ":", ",", "{", "}", "[", "]", " ", "\t", "\\", "-", "0", "1", "e", "E", ".", "+", "t", "n", "f", "a", "\u0001", "网", "\ud800", "id", '"id"', "client", '"x"'];
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      let line = bases[rand(bases.length)]!;
      const edits = 1 + rand(3);
      for (let k = 0; k < edits; k++) {
        const pos = rand(line.length + 1);
        const what = rand(3);
        const piece = alphabet[rand(alphabet.length)]!;
        if (what === 0) line = line.slice(0, pos) + piece + line.slice(pos);
        else if (what === 1) line = line.slice(0, pos) + line.slice(pos + 1 + rand(3));
        else line = line.slice(0, pos) + piece + line.slice(pos + piece.length);
      }
      if (checkAgainstJsonParse(line)) accepted++;
    }
    // The mutations must leave a good share of lines on the fast path for the test to mean much.
    expect(accepted).toBeGreaterThan(2000);
  }, 60_000);
});

function summary(f: EventFields) {
  return {
    type: f.type,
    ...fieldStrings(f),
    index: f.index,
    approved: f.approved,
    mobile: f.mobile,
    epochMs: f.instant.epochMs,
    subMs: f.instant.subMs,
    subMsRest: f.instant.subMsRest,
    day: f.instant.day,
  };
}

describe("readScannedEvent", () => {
  const AT = "2018-03-01T08:00:00.1234+08:00";
  const bases: Record<string, unknown>[] = [
    { id: "e1", type: "login", userId: "t1", at: AT, client: "mobile" },
    { id: "e2", type: "profile_item", userId: "t1", item: "avatar", at: AT },
    { id: "e3", type: "mobile_op", userId: "t1", op: "message", at: AT, client: "pc" },
    { id: "e4", type: "resource_spread", userId: "s9", ownerId: "t1", resourceId: "r1", action: "download", at: AT },
    { id: "e5", type: "resource_review", ownerId: "t1", resourceId: "r1", level: "city", outcome: "approved", at: AT },
    { id: "e6", type: "resource_deleted", ownerId: "t1", resourceId: "r1", at: AT },
    { id: "e7", type: "lesson", userId: "t1", minutes: 40, at: AT, client: "pc" },
    { id: "e8", type: "task_published", userId: "t1", taskId: "k1", at: AT },
    { id: "e9", type: "task_engaged", taskId: "k1", studentId: "s1", at: AT },
    { id: "e10", type: "interaction", userId: "t1", counterpartId: "p1", at: AT },
    { id: "e11", type: "app_use", userId: "t1", app: "网络教研", at: AT },
  ];
  const fieldValues: unknown[] = [
    undefined, "", "x", "t1", 5, null, true, ["a"], { a: 1 },
    "login", "lesson", "app_use", "logout", "avatar", "subject", "Avatar", "county", "province", "school",
    "approved", "rejected", "mobile", "pc", "Mobile", "tablet",
    "2018-03-01T08:00:00Z", "2018-03-01T08:00:00", "2018-02-30T08:00:00Z", "2018-03-01T08:00:00.5-05:00", "2018-03-01",
  ];
  const fields = ["id", "type", "userId", "ownerId", "resourceId", "item", "level", "outcome", "taskId", "studentId", "counterpartId", "app", "at", "client"];

  it("accepts exactly the lines readEvent accepts, with the same fields", () => {
    const rand = mulberry(99);
    let fast = 0;
    let valid = 0;
    for (let i = 0; i < 60_000; i++) {
      const e: Record<string, unknown> = { ...bases[rand(bases.length)] };
      const own = Object.keys(e);
      const edits = rand(3);
      for (let k = 0; k < edits; k++) {
        // Mostly the event's own fields, so that single-field mistakes are well covered.
        const field = rand(10) < 7 ? own[rand(own.length)]! : fields[rand(fields.length)]!;
        e[field] = fieldValues[rand(fieldValues.length)];
      }
      const line = JSON.stringify(e);
      const expected = newEventFields();
      const problem = readEvent(JSON.parse(line), lookups, expected);
      const r = newFieldRanges();
      const got = newEventFields();
      const ok = scanFlatEvent(line, r) && readScannedEvent(line, r, lookups, got);
      if (problem === null) valid++;
      if (!ok) {
        // Every valid line of the common shape (no escapes, no nested values, the fields the
        // rules read all strings) must take the fast path.
        const common =
          !/[\\[{]/.test(line.slice(1)) &&
          Object.entries(JSON.parse(line) as Record<string, unknown>).every(
            ([k, v]) => !(FIELD_NAMES as readonly string[]).includes(k) || typeof v === "string",
          );
        if (problem === null && common) expect.fail(`valid line left the fast path: ${line}`);
        continue;
      }
      fast++;
      if (problem !== null) expect.fail(`the fast path accepted an invalid line (${problem}): ${line}`);
      const a = summary(got);
      const b = summary(expected);
      if (a.type !== 4) {
        a.approved = b.approved = false;
      }
      if (a.type !== 1 && a.type !== 4) a.index = b.index = 0;
      expect(a, line).toEqual(b);
    }
    expect(valid).toBeGreaterThan(5000);
    expect(fast).toBeGreaterThan(5000);
  }, 60_000);
});
