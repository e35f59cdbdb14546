import { describe, expect, it } from "vitest";
import { accountSums } from "./account-sums.js";
import { RULE_NAMES } from "./rule-set.js";
import { type LedgerEntry } from "./report.js";

const [A, B] = [RULE_NAMES[0], RULE_NAMES[1]];
const entry = (userId: string, day: string, rule: (typeof RULE_NAMES)[number], points: number, mobile = false): LedgerEntry => ({
  userId, day, rule, points, mobile, eventId: `${userId}-${day}-${points}`,
});

describe("accountSums", () => {
  const entries = [
    entry("t1", "2022-12-30", A, 5, true),
    entry("t1", "2023-01-05", A, 2),
    entry("t2", "2023-02-01", A, 7),
    entry("t1", "2023-02-10", B, 3, true),
    entry("t1", "2023-02-10", B, -1, true),
    entry("t1", "2023-02-10", A, 4),
  ];

  it("sums days from the first entry on the day on, of the account only", () => {
    const s = accountSums(entries, "t1", "2023-02-01");
    expect(s.first).toBe(2);
    expect([...s.days]).toEqual([
      [`2023-02-10|${B}`, { points: 2, mobile: 3 }],
      [`2023-02-10|${A}`, { points: 4, mobile: 0 }],
    ]);
  });

  it("sums months from the day's month and years from its year, a year with its earlier months", () => {
    const s = accountSums(entries, "t1", "2023-02-01");
    expect([...s.periods.keys()]).toEqual(["2023", "2023-02"]);
    const year = s.periods.get("2023")!;
    expect(year.points).toBe(8);
    expect(year.mobile).toBe(3);
    expect(year.rules[0]).toBe(6);
    expect(year.rules[1]).toBe(2);
    expect(year.rules).toHaveLength(RULE_NAMES.length);
    expect(s.periods.get("2023-02")).toMatchObject({ points: 6, mobile: 3 });
  });

  it("is empty past the last entry", () => {
    const s = accountSums(entries, "t1", "2024-01-01");
    expect(s.first).toBe(entries.length);
    expect(s.days.size).toBe(0);
    expect(s.periods.size).toBe(0);
  });
});
