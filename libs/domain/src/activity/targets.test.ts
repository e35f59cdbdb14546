import { describe, expect, it } from "vitest";
import { RULE_SET_2018_TRIAL, ruleSetProblems, type RuleSet } from "./rule-set.js";
import { evaluateSchool, isActiveSpace, meetsTeacherTarget } from "./targets.js";

describe("targets (2018 trial)", () => {
  it("a teacher needs 30 a month and 300 a year", () => {
    expect(meetsTeacherTarget(29, "month")).toBe(false);
    expect(meetsTeacherTarget(30, "month")).toBe(true);
    expect(meetsTeacherTarget(299, "year")).toBe(false);
    expect(meetsTeacherTarget(300, "year")).toBe(true);
  });

  it("a space is active with at least 1 point", () => {
    expect(isActiveSpace(0)).toBe(false);
    expect(isActiveSpace(1)).toBe(true);
    expect(isActiveSpace(-3)).toBe(false);
  });

  it("a school needs a mean of 300 over its unlocked teachers and 15% active spaces", () => {
    // 20 teachers, 3 active (exactly 15%) with 2000 points each: mean 300.
    const points = [2000, 2000, 2000, ...Array(17).fill(0)];
    expect(evaluateSchool(points)).toEqual({
      teachers: 20,
      meanPoints: 300,
      activeTeachers: 3,
      activeShare: 0.15,
      meetsMean: true,
      meetsActiveShare: true,
      meetsTarget: true,
    });
    const fewer = evaluateSchool([3000, 3000, ...Array(18).fill(0)]);
    expect(fewer.meetsMean).toBe(true);
    expect(fewer.meetsActiveShare).toBe(false);
    expect(fewer.meetsTarget).toBe(false);
    expect(evaluateSchool([299, 301, 299]).meetsMean).toBe(false);
  });

  it("a school without unlocked teachers meets nothing", () => {
    expect(evaluateSchool([])).toMatchObject({ teachers: 0, meanPoints: 0, activeShare: 0, meetsTarget: false });
  });

  it("reads the targets from the rule set", () => {
    const rs: RuleSet = { ...RULE_SET_2018_TRIAL, version: "2019", targets: { ...RULE_SET_2018_TRIAL.targets, teacherMonthly: 40 } };
    expect(meetsTeacherTarget(30, "month", rs)).toBe(false);
  });
});

describe("rule sets", () => {
  it("the 2018 trial version is well formed and frozen", () => {
    expect(ruleSetProblems(RULE_SET_2018_TRIAL)).toEqual([]);
    expect(Object.isFrozen(RULE_SET_2018_TRIAL.submission.levels[0])).toBe(true);
    expect(RULE_SET_2018_TRIAL.version).toBe("2018-trial");
  });

  it("reports malformed rule sets", () => {
    const bad: RuleSet = {
      ...RULE_SET_2018_TRIAL,
      version: "",
      profile: { ...RULE_SET_2018_TRIAL.profile, requiredItems: 5 },
      interaction: { tiers: [{ counterparts: 10, total: 5 }, { counterparts: 5, total: 3 }] },
    };
    expect(ruleSetProblems(bad)).toEqual([
      "version must be a non-empty string",
      "profile.requiredItems exceeds the number of items",
      "interaction.tiers must be ascending in counterparts and non-decreasing in total",
    ]);
  });
});
