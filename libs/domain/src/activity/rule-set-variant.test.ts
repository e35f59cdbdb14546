import { describe, expect, it } from "vitest";
import { RULE_SET_2018_TRIAL, type RuleSet } from "./rule-set.js";
import { scoreEventFile } from "./session.js";

/** A hypothetical later year: other numbers, same engine. */
const LATER: RuleSet = {
  ...RULE_SET_2018_TRIAL,
  version: "2020-test",
  login: { points: 2, streakPoints: 3, streakDays: 3 },
  lesson: { points: 4, dailyCap: 10 },
  interaction: { tiers: [{ counterparts: 2, total: 1 }, { counterparts: 3, total: 4 }] },
  submission: { levels: [{ level: "county", points: 1 }, { level: "city", points: 2 }, { level: "province", points: 4 }] },
};

const at = (d: string) => `2020-01-${d}T10:00:00+08:00`;

describe("another rule set", () => {
  it("uses its numbers everywhere", () => {
    const lines = [
      ...["01", "02", "03", "04"].map((d, i) => JSON.stringify({ id: `l${i}`, type: "login", userId: "t1", at: at(d) })),
      // 4 + 4 + 2 (the cap cuts the third lesson to what is left)
      ...[0, 1, 2].map((i) => JSON.stringify({ id: `s${i}`, type: "lesson", userId: "t1", at: at("01") })),
      ...["p1", "p2", "p3"].map((p, i) => JSON.stringify({ id: `i${i}`, type: "interaction", userId: "t1", counterpartId: p, at: at("01") })),
      JSON.stringify({ id: "r1", type: "resource_review", ownerId: "t1", resourceId: "x", level: "province", outcome: "approved", at: at("01") }),
    ];
    const r = scoreEventFile(lines, { ruleSet: LATER });
    expect(r.users.t1?.rules).toMatchObject({ login: 2 + 2 + 3 + 3, lesson: 10, interaction: 4, submission: 4 });
  });
});
