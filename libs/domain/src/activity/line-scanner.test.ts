import { describe, expect, it } from "vitest";
import { newRawEventFields, scanFlatEvent, type RawEventFields } from "./line-scanner.js";

const KEYS: (keyof RawEventFields)[] = [
  "id", "type", "userId", "ownerId", "resourceId", "item", "level", "outcome",
  "taskId", "studentId", "counterpartId", "app", "at", "client",
];

/**
 * The scanner's promise: when it accepts a line, JSON.parse accepts it too and gives the same
 * string (or absence) for every field the rules read, none of which holds a non-string.
 */
function checkAgainstJsonParse(line: string): boolean {
  const raw = newRawEventFields();
  const accepted = scanFlatEvent(line, raw);
  if (!accepted) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    expect.fail(`the scanner accepted a line JSON.parse refuses: ${line}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) expect.fail(`not an object: ${line}`);
  const obj = parsed as Record<string, unknown>;
  for (const k of KEYS) {
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
    expect(scanFlatEvent(line, newRawEventFields())).toBe(false);
  });

  it("scans a range of a larger text", () => {
    const text = 'xx{"id":"e1","type":"login"}yy';
    const raw = newRawEventFields();
    expect(scanFlatEvent(text, raw, 2, text.length - 2)).toBe(true);
    expect(raw.id).toBe("e1");
    expect(raw.type).toBe("login");
    expect(scanFlatEvent(text, raw, 2, text.length - 1)).toBe(false);
  });

  it("never disagrees with JSON.parse on random mutations of event lines", () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
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
