import { describe, expect, it } from "vitest";
import { RULE_NAMES, RULE_SET_2018_TRIAL, type RuleSet } from "../activity/rule-set.js";
import { demoCampaign2023 } from "../campaign/demo-2023.js";
import type { CriterionDef } from "./criteria.js";
import {
  activityChecklist, creditedLessons, isComputableCheck, provinceApprovedResources, teacherIndicatorsFromActivity, unitIndicatorsFromActivity,
  yearlyTargetItem, type SubmissionEntry, type TeacherActivityFacts, type YearTotal,
} from "./indicators-from-activity.js";

const criteriaOf = (code: string) => demoCampaign2023().categories.find((c) => c.code === code)!.criteria;

/** A yearly total with points on the named rules. */
function total(year: number, rules: Partial<Record<(typeof RULE_NAMES)[number], number>>): YearTotal {
  const rulePoints = RULE_NAMES.map((r) => rules[r] ?? 0);
  return { year, points: rulePoints.reduce((a, b) => a + b, 0), rulePoints };
}

const approval = (day: string, resourceId: string, level = "province", points = 10): SubmissionEntry => ({ day, points, level, resourceId });
const deletion = (day: string, resourceId: string, points = -20): SubmissionEntry => ({ day, points, level: null, resourceId });

describe("creditedLessons", () => {
  it.each<[number[], { lessons: number; cappedDays: number }]>([
    [[], { lessons: 0, cappedDays: 0 }],
    [[5, 5, 5], { lessons: 3, cappedDays: 0 }],
    [[10, 5], { lessons: 3, cappedDays: 1 }],
    [[10, 10, 0], { lessons: 4, cappedDays: 2 }],
  ])("%j → %j", (days, expected) => expect(creditedLessons(days)).toEqual(expected));

  it("counts a lesson cut by a cap the lesson points do not divide", () => {
    const rs: RuleSet = { ...RULE_SET_2018_TRIAL, lesson: { points: 5, dailyCap: 12 } };
    expect(creditedLessons([12, 7], rs)).toEqual({ lessons: 5, cappedDays: 1 });
  });

  it("cannot read lessons back from a rule set that pays nothing for them", () => {
    expect(creditedLessons([0], { ...RULE_SET_2018_TRIAL, lesson: { points: 0, dailyCap: 10 } })).toBeNull();
  });
});

describe("provinceApprovedResources", () => {
  const entries = [
    approval("2023-03-01", "r1"),
    approval("2023-03-01", "r1", "county", 3),
    approval("2023-04-01", "r2", "city", 7),
    approval("2023-05-01", "r3"),
    deletion("2023-06-01", "r3"),
    approval("2023-07-01", "r4"),
    deletion("2024-02-01", "r4"),
    approval("2022-11-01", "r5"),
  ];

  it("counts distinct province approvals of the year, without resources deleted by its end", () => {
    expect(provinceApprovedResources(entries, "2023-01-01", "2023-12-31")).toBe(2); // r1, r4
  });

  it("counts every earlier year too when asked from the beginning", () => {
    expect(provinceApprovedResources(entries, "0000-01-01", "2023-12-31")).toBe(3); // r1, r4, r5
  });
});

describe("yearlyTargetItem", () => {
  it.each<[number | null, string, string]>([
    [300, "MET", "2023年度空间活跃度 300（目标不少于300）"],
    [299, "NOT_MET", "2023年度空间活跃度 299（目标不少于300）"],
    [null, "NO_DATA", "2023年度空间活跃度：暂无数据"],
  ])("%s points → %s", (points, status, detail) => {
    expect(yearlyTargetItem(2023, points)).toMatchObject({ id: "ACTIVITY_YEAR_TARGET", status, detail });
  });
});

describe("teacher indicators", () => {
  const facts = (over: Partial<TeacherActivityFacts> = {}): TeacherActivityFacts => ({
    year: 2023,
    yearTotals: [total(2022, { profile: 5, login: 40 }), total(2023, { login: 120, lesson: 60, submission: 30 })],
    lessonPointsByDay: [5, 5, 10, 5, 5, 10, 10, 5, 5],
    submissions: [approval("2022-11-01", "r0"), approval("2023-03-01", "r1"), approval("2023-04-01", "r2"), approval("2023-05-01", "r3")],
    ...over,
  });

  it("derives what the feed decides and nothing else", () => {
    const d = teacherIndicatorsFromActivity(facts());
    expect(d.indicators).toEqual({
      profileComplete: true,
      provinceSelectedResourcesShown: 4,
      provinceLibraryResourcesThisYear: 3,
      teachingClientActivities: 12,
    });
    expect(d.lowerBounds.teachingClientActivities).toBe("按活跃度积分记录计为至少12次：有3天授课达到每日计分上限，超出上限的授课未计入");
    expect(d.references[0]).toMatchObject({ status: "NOT_MET", detail: "2023年度空间活跃度 210（目标不少于300）" });
  });

  it("knows a profile is incomplete only when the account has activity data", () => {
    expect(teacherIndicatorsFromActivity(facts({ yearTotals: [total(2023, { login: 10 })] })).indicators.profileComplete).toBe(false);
    expect(teacherIndicatorsFromActivity(facts({ yearTotals: [], lessonPointsByDay: [], submissions: [] })).indicators).toEqual({});
  });

  it("leaves the year's counts out for a teacher without data in the year, and ignores later years", () => {
    const d = teacherIndicatorsFromActivity(facts({ yearTotals: [total(2022, { profile: 5 }), total(2024, { lesson: 500 })] }));
    expect(d.indicators).toEqual({ profileComplete: true, provinceSelectedResourcesShown: 4 });
    expect(d.references[0]!.status).toBe("NO_DATA");
  });

  it("gives exact lesson counts when no day reached the cap", () => {
    expect(teacherIndicatorsFromActivity(facts({ lessonPointsByDay: [5, 5] })).lowerBounds).toEqual({});
  });
});

describe("unit indicators", () => {
  it("passes the roster counts", () => {
    expect(unitIndicatorsFromActivity({ year: 2023, teachers: 10, teachersWithData: 8, activeTeachers: 7, teachingClientTeachers: 6 }).indicators).toEqual({
      teacherCount: 10, activeTeacherSpaces: 7, teachingClientTeachers: 6,
    });
  });

  it("claims nothing about activity when none of the teachers has data for the year", () => {
    expect(unitIndicatorsFromActivity({ year: 2023, teachers: 10, teachersWithData: 0, activeTeachers: 0, teachingClientTeachers: 0 }).indicators).toEqual({ teacherCount: 10 });
  });
});

describe("activityChecklist", () => {
  const statuses = (items: { id: string; status: string }[]) => Object.fromEntries(items.map((r) => [r.id, r.status]));

  it("marks a teaching space from its activity, leaving the rest to reviewers, with the yearly target as a reference", () => {
    const items = activityChecklist(criteriaOf("TEACHING_SPACE"), teacherIndicatorsFromActivity({
      year: 2023,
      yearTotals: [total(2023, { profile: 5, login: 300, lesson: 20 })],
      lessonPointsByDay: [5, 5, 5, 5],
      submissions: [approval("2023-03-01", "r1")],
    }));
    expect(statuses(items)).toEqual({
      TS_PROFILE: "MET",
      TS_DISTINCT: "NO_DATA",
      TS_SELECTED_SHOWN: "MET",
      TS_VISITS: "NO_DATA",
      TS_OLD_RESOURCES: "NO_DATA",
      TS_LIBRARY: "NOT_MET",
      TS_REVIEWS: "NO_DATA",
      TS_TEACHING_CLIENT: "NOT_MET",
      ACTIVITY_YEAR_TARGET: "MET",
    });
    expect(items.find((r) => r.id === "TS_TEACHING_CLIENT")!.detail).toBe("教学端备授课教学活动次数 4（要求不少于5）");
    expect(items.find((r) => r.id === "TS_LIBRARY")!.detail).toBe("本年度入选省级资源库资源数 1（要求不少于5）");
    expect(items.map((r) => r.reference)).toEqual([false, false, false, false, false, false, false, false, true]);
  });

  it("does not fail a teacher whose lessons may have been cut by the daily cap", () => {
    const derived = teacherIndicatorsFromActivity({ year: 2023, yearTotals: [total(2023, { lesson: 20 })], lessonPointsByDay: [10, 10], submissions: [] });
    const r = activityChecklist(criteriaOf("TEACHING_SPACE"), derived).find((x) => x.id === "TS_TEACHING_CLIENT")!;
    expect(r.status).toBe("NO_DATA");
    expect(r.detail).toBe("教学端备授课教学活动次数 4（要求不少于5）；按活跃度积分记录计为至少4次：有2天授课达到每日计分上限，超出上限的授课未计入，需评审人员人工核查");
  });

  it("meets the criterion on a lower bound that already reaches it", () => {
    const derived = teacherIndicatorsFromActivity({ year: 2023, yearTotals: [total(2023, { lesson: 30 })], lessonPointsByDay: [10, 10, 10], submissions: [] });
    const r = activityChecklist(criteriaOf("TEACHING_SPACE"), derived).find((x) => x.id === "TS_TEACHING_CLIENT")!;
    expect(r.status).toBe("MET");
    expect(r.detail).toMatch(/^教学端备授课教学活动次数 6（要求不少于5）（按活跃度积分记录计为至少6次/);
  });

  it("carries undecided parts inside combined checks", () => {
    const criteria: CriterionDef[] = [{
      id: "X", text: "组合",
      check: { kind: "ALL", checks: [{ kind: "AT_LEAST", indicator: "teachingClientActivities", min: 5 }, { kind: "FLAG", indicator: "profileComplete" }] },
    }];
    const [r] = activityChecklist(criteria, { indicators: { teachingClientActivities: 4, profileComplete: true }, lowerBounds: { teachingClientActivities: "下限" }, references: [] });
    expect(r!.status).toBe("NO_DATA");
    expect(r!.parts!.map((p) => p.status)).toEqual(["NO_DATA", "MET"]);
  });

  it("computes a school's teacher ratios and leaves student and online-teaching data to reviewers", () => {
    const items = activityChecklist(criteriaOf("SCHOOL"), unitIndicatorsFromActivity({ year: 2023, teachers: 20, teachersWithData: 18, activeTeachers: 15, teachingClientTeachers: 11 }));
    expect(statuses(items)).toEqual({ SC_MANAGER: "NO_DATA", SC_CLASSES: "NO_DATA", SC_ACTIVE: "NO_DATA", SC_ADOPTION: "NO_DATA" });
    const active = items.find((r) => r.id === "SC_ACTIVE")!;
    expect(active.parts!.map((p) => [p.status, p.detail])).toEqual([
      ["MET", "教师活跃空间比率 75%（15/20，要求不低于70%）"],
      ["NO_DATA", "活跃学生空间数：暂无数据"],
    ]);
    const online = items.find((r) => r.id === "SC_ADOPTION")!.parts![0]!;
    expect(online.parts![3]).toMatchObject({ status: "NOT_MET", detail: "利用教学端备授课的教师比例 55%（11/20，要求不低于60%）" });
  });

  it("fails a school below 70% active teachers whatever its students do", () => {
    const items = activityChecklist(criteriaOf("SCHOOL"), unitIndicatorsFromActivity({ year: 2023, teachers: 20, teachersWithData: 20, activeTeachers: 13, teachingClientTeachers: 13 }));
    expect(statuses(items).SC_ACTIVE).toBe("NOT_MET");
  });

  it("decides a region's teaching-client criterion", () => {
    const items = activityChecklist(criteriaOf("REGION"), unitIndicatorsFromActivity({ year: 2023, teachers: 200, teachersWithData: 190, activeTeachers: 150, teachingClientTeachers: 100 }));
    expect(statuses(items)).toEqual({ RG_ACTIVE: "NO_DATA", RG_TEACHING_CLIENT: "MET", RG_ONLINE: "NO_DATA", RG_LECTURER_TEAM: "NO_DATA" });
    expect(items.find((r) => r.id === "RG_TEACHING_CLIENT")!.detail).toBe("利用教学端备授课的教师比例 50%（100/200，要求不低于50%）");
  });

  it("treats a check it cannot evaluate as a reviewer's criterion", () => {
    const criteria = [{ id: "BAD", text: "配置有误", check: { kind: "AT_LEAST", indicator: "unknownThing", min: 1 } }] as unknown as CriterionDef[];
    expect(activityChecklist(criteria, { indicators: {}, lowerBounds: {}, references: [] })).toEqual([
      { id: "BAD", text: "配置有误", status: "NO_DATA", detail: "评审条件配置无法自动计算，需评审人员人工核查", reference: false },
    ]);
  });
});

describe("isComputableCheck", () => {
  it.each<[unknown, boolean]>([
    [{ kind: "FLAG", indicator: "profileComplete" }, true],
    [{ kind: "AT_LEAST", indicator: "teachingClientActivities", min: 5 }, true],
    [{ kind: "AT_LEAST", indicator: "teachingClientActivities" }, false],
    [{ kind: "ANY", checks: [] }, false],
    [{ kind: "ANY", checks: [{ kind: "FLAG", indicator: "toString" }] }, false],
    [{ kind: "RATIO_BELOW", label: "x", numerator: "resourcesOlderThan5Years", denominator: "resourceCount", max: 0.2 }, true],
    [{ kind: "NEW_KIND" }, false],
    [null, false],
  ])("%j → %s", (check, ok) => expect(isComputableCheck(check)).toBe(ok));
});
