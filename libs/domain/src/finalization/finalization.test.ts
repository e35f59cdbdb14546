import { describe, expect, it } from "vitest";
import { planAssignments, type Assignment } from "./assignment-planner.js";
import { assertNoConflict, assignmentConflict, type ApplicationRef, type ConflictReason, type ExpertRef } from "./conflicts.js";
import { assignGrades, validateGradingScheme, type GradingScheme } from "./grading.js";
import { competitionRanks, rankByScore, type RankedEntry } from "./ranking.js";
import { aggregateScores } from "./scores.js";

const expert = (id: string, cityCode: string | null, schoolKey: string | null = null): ExpertRef => ({ id, userId: `u-${id}`, cityCode, schoolKey });
const application = (id: string, cityCode: string, schoolKey: string | null = null, applicantUserIds: string[] = [`applicant-${id}`]): ApplicationRef => ({
  id,
  cityCode,
  schoolKey,
  applicantUserIds,
});

describe("assignmentConflict", () => {
  const a = application("a1", "330300", "school-9", ["u-x", "u-y"]);
  it.each<[string, ExpertRef, ConflictReason | null]>([
    ["the applicant themself", { id: "x", userId: "u-x", cityCode: "330100", schoolKey: null }, "SELF"],
    ["a team member (before same school)", { id: "y", userId: "u-y", cityCode: "330300", schoolKey: "school-9" }, "SELF"],
    ["a colleague of the same school", expert("e1", "330300", "school-9"), "SAME_SCHOOL"],
    ["an expert of the same city", expert("e2", "330300"), "SAME_CITY"],
    ["an expert of another city", expert("e3", "330100"), null],
    ["a province-level expert", expert("e4", null), null],
  ])("%s → %s", (_n, e, reason) => {
    expect(assignmentConflict(e, a)).toBe(reason);
  });

  it("refuses a conflicting assignment with a Chinese reason", () => {
    expect(() => assertNoConflict(expert("e2", "330300"), a)).toThrow(
      expect.objectContaining({ code: "EXPERT_CONFLICT", message: "评审专家不能评审本设区市的申报", details: expect.objectContaining({ reason: "SAME_CITY" }) }),
    );
    expect(() => assertNoConflict(expert("e3", "330100"), a)).not.toThrow();
  });
});

describe("planAssignments", () => {
  const cities = ["330100", "330200", "330300", "330400", "330500"];
  const experts = cities.flatMap((c, i) => [expert(`e${i}a`, c), expert(`e${i}b`, c)]);
  const apps = Array.from({ length: 40 }, (_, i) => application(`app${String(i).padStart(2, "0")}`, cities[i % 5]!));

  const checkPlan = (plan: ReturnType<typeof planAssignments>, appsIn: ApplicationRef[], expertsIn: ExpertRef[], k: number) => {
    const byApp = new Map<string, string[]>();
    for (const a of plan.assignments) byApp.set(a.applicationId, [...(byApp.get(a.applicationId) ?? []), a.expertId]);
    for (const a of appsIn) {
      const assigned = byApp.get(a.id) ?? [];
      expect(new Set(assigned).size).toBe(assigned.length);
      for (const id of assigned) expect(assignmentConflict(expertsIn.find((e) => e.id === id)!, a)).toBeNull();
      if (!plan.unfilled.some((u) => u.applicationId === a.id)) expect(assigned).toHaveLength(k);
    }
  };

  it("gives every application 3 experts from other cities with loads 12 each", () => {
    const plan = planAssignments({ applications: apps, experts, expertsPerApplication: 3 });
    checkPlan(plan, apps, experts, 3);
    expect(plan.unfilled).toEqual([]);
    expect(new Set(Object.values(plan.loads))).toEqual(new Set([12]));
  });

  it("keeps loads within one of each other when they cannot be equal", () => {
    const plan = planAssignments({ applications: apps.slice(0, 37), experts, expertsPerApplication: 3 });
    checkPlan(plan, apps.slice(0, 37), experts, 3);
    const loads = Object.values(plan.loads);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(111);
  });

  it("balances even when most experts come from the cities with most applications", () => {
    const skewedExperts = [expert("h1", "330100"), expert("h2", "330100"), expert("h3", "330100"), expert("w1", "330300"), expert("p1", null)];
    const skewedApps = [
      ...Array.from({ length: 6 }, (_, i) => application(`hz${i}`, "330100")),
      ...Array.from({ length: 6 }, (_, i) => application(`wz${i}`, "330300")),
    ];
    const plan = planAssignments({ applications: skewedApps, experts: skewedExperts, expertsPerApplication: 2 });
    checkPlan(plan, skewedApps, skewedExperts, 2);
    expect(plan.unfilled).toEqual([]);
    // 杭州 apps can only take w1 and p1; 温州 apps share h1–h3 and p1.
    expect(plan.loads).toEqual({ h1: 4, h2: 4, h3: 4, p1: 6, w1: 6 });
  });

  it("is deterministic whatever the input order", () => {
    const a = planAssignments({ applications: apps, experts, expertsPerApplication: 3 });
    const b = planAssignments({ applications: [...apps].reverse(), experts: [...experts].reverse(), expertsPerApplication: 3 });
    expect(b).toEqual(a);
  });

  it("reports applications that cannot get enough conflict-free experts", () => {
    const plan = planAssignments({
      applications: [application("wz", "330300"), application("hz", "330100")],
      experts: [expert("w1", "330300"), expert("w2", "330300"), expert("h1", "330100")],
      expertsPerApplication: 2,
    });
    expect(plan.unfilled).toEqual([{ applicationId: "wz", missing: 1 }]);
    expect(plan.assignments).toEqual([
      { applicationId: "hz", expertId: "w1" },
      { applicationId: "hz", expertId: "w2" },
      { applicationId: "wz", expertId: "h1" },
    ]);
  });

  it("keeps fixed assignments and plans around them", () => {
    const fixed: Assignment[] = [{ applicationId: "app00", expertId: "e1a" }];
    const plan = planAssignments({ applications: apps.slice(0, 5), experts, expertsPerApplication: 3, fixed });
    expect(plan.assignments).toContainEqual({ applicationId: "app00", expertId: "e1a" });
    checkPlan(plan, apps.slice(0, 5), experts, 3);
  });

  it("refuses a fixed assignment with a conflict", () => {
    expect(() =>
      planAssignments({ applications: [application("a", "330100")], experts: [expert("e", "330100")], expertsPerApplication: 1, fixed: [{ applicationId: "a", expertId: "e" }] }),
    ).toThrow(expect.objectContaining({ code: "EXPERT_CONFLICT" }));
  });

  it("respects a maximum load", () => {
    const plan = planAssignments({ applications: apps.slice(0, 10), experts: experts.slice(0, 4), expertsPerApplication: 1, maxLoad: 2 });
    expect(Math.max(...Object.values(plan.loads))).toBeLessThanOrEqual(2);
    expect(plan.unfilled.length).toBeGreaterThan(0);
  });

  it("refuses a non-positive expert count", () => {
    expect(() => planAssignments({ applications: [], experts: [], expertsPerApplication: 0 })).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
  });
});

describe("aggregateScores", () => {
  const opts = { spreadThreshold: 15 };
  it.each<[string, number[], number | null, number[], boolean]>([
    ["no scores", [], null, [], false],
    ["one score", [88], 88, [88], false],
    ["two scores: plain mean", [80, 91], 85.5, [80, 91], false],
    ["three scores: the middle one", [70, 95, 82], 82, [82], true],
    ["five scores: drop one highest and one lowest", [60, 80, 81, 82, 99], 81, [80, 81, 82], true],
    ["ties at the top: only one dropped", [90, 90, 70, 80], 85, [80, 90], true],
    ["rounded half up to 2 decimals", [80, 80.5, 81, 81, 100], 80.83, [80.5, 81, 81], true],
    ["decimals without float noise", [85.1, 85.2, 85.3], 85.2, [85.2], false],
  ])("%s", (_n, scores, score, used, flagged) => {
    const r = aggregateScores(scores, opts);
    expect([r.score, r.used, r.flagged]).toEqual([score, used, flagged]);
  });

  it("flags a spread above the threshold, not at it", () => {
    expect(aggregateScores([70, 85], opts)).toMatchObject({ spread: 15, flagged: false });
    expect(aggregateScores([70, 85.5], opts)).toMatchObject({ spread: 15.5, flagged: true });
    expect(aggregateScores([70, 85.5], { spreadThreshold: 20 }).flagged).toBe(false);
  });

  it("reports what was dropped", () => {
    expect(aggregateScores([60, 99, 80], opts).dropped).toEqual({ highest: 99, lowest: 60 });
    expect(aggregateScores([60, 99], opts).dropped).toBeNull();
  });

  it("refuses a negative score", () => {
    expect(() => aggregateScores([80, -1], opts)).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
  });
});

describe("ranking", () => {
  it("ranks highest first, ties sharing a rank, and skips after a tie", () => {
    expect(rankByScore([
      { id: "c", score: 80 },
      { id: "a", score: 92 },
      { id: "d", score: null },
      { id: "b", score: 92 },
      { id: "e", score: 75 },
    ])).toEqual([
      { id: "a", score: 92, rank: 1 },
      { id: "b", score: 92, rank: 1 },
      { id: "c", score: 80, rank: 3 },
      { id: "e", score: 75, rank: 4 },
    ]);
  });

  it("ranks plain values in place", () => {
    expect(competitionRanks([300, 500, 300, 100])).toEqual([2, 1, 2, 4]);
    expect(competitionRanks([])).toEqual([]);
  });
});

describe("grades", () => {
  const list = (scores: number[]): RankedEntry[] => rankByScore(scores.map((s, i) => ({ id: `a${String(i).padStart(3, "0")}`, score: s })));
  const distinct = (n: number) => list(Array.from({ length: n }, (_, i) => 100 - i * 0.5));
  const counts = (graded: { grade: string | null }[]) => {
    const c: Record<string, number> = {};
    for (const g of graded) c[g.grade ?? "none"] = (c[g.grade ?? "none"] ?? 0) + 1;
    return c;
  };
  const tenTwentyThirty: GradingScheme = {
    mode: "PROPORTIONS",
    bands: [{ grade: "一等", proportion: 0.1 }, { grade: "二等", proportion: 0.2 }, { grade: "三等", proportion: 0.3 }],
  };

  it.each<[number, Record<string, number>]>([
    [100, { 一等: 10, 二等: 20, 三等: 30, none: 40 }],
    [75, { 一等: 8, 二等: 15, 三等: 22, none: 30 }],
    [5, { 一等: 1, 二等: 1, 三等: 1, none: 2 }],
    [1, { 三等: 1 }],
  ])("10/20/30 percent of %d applications with cumulative half-up rounding → %j", (n, expected) => {
    expect(counts(assignGrades(distinct(n), tenTwentyThirty))).toEqual(expected);
  });

  it.each<["FLOOR" | "CEIL", Record<string, number>]>([
    ["FLOOR", { 一等: 7, 二等: 15, 三等: 23, none: 30 }],
    ["CEIL", { 一等: 8, 二等: 15, 三等: 22, none: 30 }],
  ])("rounds %s when configured", (rounding, expected) => {
    expect(counts(assignGrades(distinct(75), { ...tenTwentyThirty, rounding }))).toEqual(expected);
  });

  it("never splits a tie: tied entries at a boundary share the better grade", () => {
    const ranked = list([99, 95, 90, 90, 90, 80, 70, 60, 50, 40]);
    const graded = assignGrades(ranked, tenTwentyThirty);
    expect(graded.map((g) => g.grade)).toEqual(["一等", "二等", "二等", "二等", "二等", "三等", null, null, null, null]);
  });

  it("leaves a band empty when a tie above swallows it", () => {
    const graded = assignGrades(list([90, 90, 90, 90, 80, 70, 60, 50, 40, 30]), tenTwentyThirty);
    expect(counts(graded)).toEqual({ 一等: 4, 三等: 2, none: 4 });
  });

  it("grades by score thresholds", () => {
    const scheme: GradingScheme = { mode: "THRESHOLDS", bands: [{ grade: "一等", minScore: 90 }, { grade: "二等", minScore: 80 }, { grade: "三等", minScore: 70 }] };
    expect(assignGrades(list([95, 90, 89.99, 80, 70, 69.5]), scheme).map((g) => g.grade)).toEqual(["一等", "一等", "二等", "二等", "三等", null]);
  });

  it.each<[string, GradingScheme, string]>([
    ["no bands", { mode: "PROPORTIONS", bands: [] }, "required"],
    ["shares over 100%", { mode: "PROPORTIONS", bands: [{ grade: "一等", proportion: 0.5 }, { grade: "二等", proportion: 0.6 }] }, "sum"],
    ["a zero share", { mode: "PROPORTIONS", bands: [{ grade: "一等", proportion: 0 }] }, "range"],
    ["a repeated grade", { mode: "PROPORTIONS", bands: [{ grade: "一等", proportion: 0.1 }, { grade: "一等", proportion: 0.1 }] }, "unique"],
    ["a blank grade", { mode: "THRESHOLDS", bands: [{ grade: " ", minScore: 90 }] }, "required"],
    ["thresholds not descending", { mode: "THRESHOLDS", bands: [{ grade: "一等", minScore: 80 }, { grade: "二等", minScore: 85 }] }, "order"],
  ])("refuses a scheme with %s", (_n, scheme, rule) => {
    expect(validateGradingScheme(scheme).map((v) => v.rule)).toContain(rule);
  });

  it("accepts the demo scheme", () => {
    expect(validateGradingScheme(tenTwentyThirty)).toEqual([]);
  });
});
