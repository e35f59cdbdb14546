import { describe, expect, it } from "vitest";
import { ActivityScoringSession, scoreEventFile } from "./session.js";

const L1 = '{"id":"a","type":"lesson","userId":"t1","at":"2018-03-01T10:00:00+08:00"}';
const L2 = '{"id":"b","type":"lesson","userId":"t2","at":"2018-03-01T10:00:00+08:00"}';
const BAD = '{"id":"c","type":"lesson","userId":"t3","at":"2018-03-01T10:00:00"}';

function feed(chunks: string[]) {
  const s = new ActivityScoringSession();
  for (const c of chunks) s.pushChunk(c);
  return s.report();
}

describe("ActivityScoringSession line splitting", { timeout: 60_000 }, () => {
  it.each([
    ["LF", `${L1}\n${BAD}\n${L2}\n`],
    ["CRLF", `${L1}\r\n${BAD}\r\n${L2}\r\n`],
    ["CR", `${L1}\r${BAD}\r${L2}\r`],
    ["no final line break", `${L1}\n${BAD}\n${L2}`],
    ["a byte-order mark", `\ufeff${L1}\n${BAD}\n${L2}\n`],
  ])("%s: every split into two or three chunks gives the same result", (_name, text) => {
    const expected = scoreEventFile(text);
    expect(expected.errors).toEqual([{ line: 2, message: "第2行：字段 at 缺少时区偏移" }]);
    expect(Object.keys(expected.users)).toEqual(["t1", "t2"]);
    for (let i = 0; i <= text.length; i++) {
      expect(feed([text.slice(0, i), text.slice(i)]), `split at ${i}`).toEqual(expected);
      const j = Math.min(text.length, i + 3);
      expect(feed([text.slice(0, i), text.slice(i, j), text.slice(j)]), `split at ${i}, ${j}`).toEqual(expected);
    }
  });

  it("counts blank lines, and a CR LF pair split across chunks as one break", () => {
    const r = feed([`${L1}\r`, `\n\r\n   \n${BAD}`]);
    expect(r.errors).toEqual([{ line: 4, message: "第4行：字段 at 缺少时区偏移" }]);
  });

  it("pushLine and pushChunk agree", () => {
    const s = new ActivityScoringSession();
    s.pushLine(L1);
    s.pushLine("");
    s.pushLine(BAD);
    expect(s.lineCount).toBe(3);
    expect(s.report()).toEqual(scoreEventFile(`${L1}\n\n${BAD}`));
  });

  it("gives the ledger in application order", () => {
    const s = new ActivityScoringSession();
    s.pushChunk(`${L2.replace("10:00", "11:00")}\n${L1}\n`);
    expect(s.ledger()).toEqual([
      { userId: "t1", day: "2018-03-01", rule: "lesson", points: 5, mobile: false, eventId: "a" },
      { userId: "t2", day: "2018-03-01", rule: "lesson", points: 5, mobile: false, eventId: "b" },
    ]);
  });
});
