import { ActivityScoringSession } from "@zjh/domain/activity/index";
import { describe, expect, it } from "vitest";
import { LineSplitter } from "../line-splitter.util.js";
import { parsePeriod } from "../period.util.js";

function split(parts: (string | Buffer)[]): [number, string][] {
  const out: [number, string][] = [];
  const s = new LineSplitter();
  const on = (text: string, n: number) => void out.push([n, text]);
  for (const p of parts) s.push(typeof p === "string" ? Buffer.from(p) : p, on);
  s.end(on);
  return out;
}

describe("LineSplitter", () => {
  it("ends lines at \\n, \\r\\n and a lone \\r, numbering from 1", () => {
    expect(split(["a\nb\r\nc\rd"])).toEqual([[1, "a"], [2, "b"], [3, "c"], [4, "d"]]);
    expect(split(["a\n\nb\n"])).toEqual([[1, "a"], [2, ""], [3, "b"]]);
  });

  it("joins a \\r\\n and a UTF-8 character split across chunks", () => {
    const bytes = Buffer.from("中\r\n文");
    expect(split([bytes.subarray(0, 2), bytes.subarray(2, 4), bytes.subarray(4)])).toEqual([[1, "中"], [2, "文"]]);
    expect(split(["a\r", "\nb"])).toEqual([[1, "a"], [2, "b"]]);
    expect(split(["a\r", "b"])).toEqual([[1, "a"], [2, "b"]]);
    expect(split(["a\r"])).toEqual([[1, "a"]]);
  });

  it("drops a byte order mark at the start only", () => {
    expect(split(["\ufeffa\n\ufeffb"])).toEqual([[1, "a"], [2, "\ufeffb"]]);
  });

  it("numbers lines exactly as the scoring engine does", () => {
    const text = '\ufeff{"x":1}\r\n\r\nnot json\r{"id":"e1"}\n\n  \nlast';
    const session = new ActivityScoringSession();
    session.pushChunk(text);
    session.end();
    const ours = split([text.slice(0, 7), text.slice(7, 13), text.slice(13)]);
    expect(ours.length).toBe(session.lineCount);
    expect(ours.find(([, t]) => t === "not json")![0]).toBe(session.errors.find((e) => e.message.includes("JSON"))!.line);
  });
});

describe("parsePeriod", () => {
  it("reads a year or a month as Shanghai days", () => {
    expect(parsePeriod("2023")).toEqual({ key: "2023", kind: "year", year: 2023, month: null, from: "2023-01-01", until: "2024-01-01" });
    expect(parsePeriod("2023-12")).toMatchObject({ key: "2023-12", kind: "month", month: 12, from: "2023-12-01", until: "2024-01-01" });
  });

  it("refuses anything else, naming the field and the rule", () => {
    for (const bad of ["2023-13", "2023-1", "23", "2023/03", "1999", ""]) {
      expect(() => parsePeriod(bad), bad).toThrowError(/^字段 period 须为/);
    }
  });
});
