import { describe, expect, it } from "vitest";
import { demoCampaign2023 } from "./demo-2023.js";
import { assertStageOpen, deadlineClosesAt, effectiveDeadline, isCalendarDate, type StageExtension } from "./deadline.js";
import { validateCampaign } from "./validate.js";
import type { StageCode } from "./types.js";

const at = (iso: string): Date => new Date(iso);

describe("demoCampaign2023", () => {
  const c = demoCampaign2023();

  it("is a sound configuration", () => {
    expect(validateCampaign(c)).toEqual([]);
  });

  it("carries the notice's identity", () => {
    expect(c).toMatchObject({ year: 2023, docNo: "浙教技中心〔2023〕27号", title: "之江汇教育广场2023年空间建设与应用活动" });
  });

  it.each([
    ["330100", 70, 10], // 杭州
    ["330200", 60, 10], // 宁波
    ["330300", 75, 10], // 温州
    ["330400", 40, 8], // 嘉兴
    ["330500", 35, 8], // 湖州
    ["330600", 55, 8], // 绍兴
    ["330700", 55, 8], // 金华
    ["330800", 25, 8], // 衢州
    ["330900", 15, 4], // 舟山
    ["331000", 55, 8], // 台州
    ["331100", 30, 8], // 丽水
  ])("gives city %s %i teaching-space places, %i school places and 3 region places", (city, teaching, school) => {
    const q = (code: string) => c.categories.find((x) => x.code === code)!.quota;
    expect(q("TEACHING_SPACE").perCity![city]).toBe(teaching);
    expect(q("SCHOOL").perCity![city]).toBe(school);
    expect(q("REGION").perCity![city]).toBe(3);
  });

  it("has 515 teaching-space places in the province and lets cities split them by county", () => {
    const q = c.categories.find((x) => x.code === "TEACHING_SPACE")!.quota;
    expect(Object.values(q.perCity!).reduce((a, b) => a + b, 0)).toBe(515);
    expect(q.countySubQuotas).toBe(true);
  });

  it("limits lecturer spaces to 2 per county and 2 direct per city, and practice-base schools to 3 per city", () => {
    expect(c.categories.find((x) => x.code === "LECTURER_SPACE")!.quota).toEqual({ perCounty: 2, perCityFromEachCounty: 2, perCityDirect: 2 });
    expect(c.categories.find((x) => x.code === "SCHOOL")!.quota.practiceBasePerCity).toBe(3);
  });

  it("has the four categories with their applicant kinds and criteria", () => {
    expect(c.categories.map((x) => [x.code, x.name, x.applicantKind, x.criteria.length])).toEqual([
      ["TEACHING_SPACE", "优秀教学空间", "TEACHER", 8],
      ["LECTURER_SPACE", "优秀讲师空间", "TEACHER", 5],
      ["SCHOOL", "空间应用优秀学校", "SCHOOL", 4],
      ["REGION", "空间应用优秀区域", "REGION", 4],
    ]);
  });

  it("has the notice's timeline", () => {
    const d = (s: StageCode) => c.stages.find((x) => x.stage === s)!.deadline;
    expect([d("CONTACTS"), d("CLUB_REGISTRATION"), d("CITY_REVIEW"), d("PROVINCE_REVIEW")]).toEqual(["2023-04-10", "2023-04-20", "2023-09-30", null]);
  });

  it("returns a fresh copy each time", () => {
    const a = demoCampaign2023();
    a.categories[0]!.quota.perCity!["330300"] = 1;
    a.categories[0]!.rubric.items[0]!.max = 99;
    expect(demoCampaign2023().categories[0]!.quota.perCity!["330300"]).toBe(75);
    expect(demoCampaign2023().categories[0]!.rubric.items[0]!.max).toBe(10);
  });
});

describe("validateCampaign", () => {
  it.each<[string, (c: ReturnType<typeof demoCampaign2023>) => void, string, string]>([
    ["a bad deadline", (c) => { c.stages[0]!.deadline = "2023-02-30"; }, "stages[0].deadline", "date"],
    ["a bad city schedule", (c) => { c.stages[2]!.unitDeadlines = { "330300": "6/30" }; }, "stages[2].unitDeadlines.330300", "date"],
    ["a stage twice", (c) => { c.stages.push({ ...c.stages[0]! }); }, "stages[8].stage", "unique"],
    ["levels not ending at the province", (c) => { c.pipeline.levels = ["COUNTY", "CITY"]; }, "pipeline.levels", "province"],
    ["levels out of order", (c) => { c.pipeline.levels = ["CITY", "COUNTY", "PROVINCE"]; }, "pipeline.levels", "order"],
    ["a duplicate category", (c) => { c.categories.push({ ...c.categories[0]! }); }, "categories[4].code", "unique"],
    ["a negative quota", (c) => { c.categories[0]!.quota.perCity!["330300"] = -1; }, "categories[0].quota.perCity.330300", "integer"],
    ["a fractional quota", (c) => { c.categories[1]!.quota.perCounty = 1.5; }, "categories[1].quota.perCounty", "integer"],
    ["a rubric that does not add up", (c) => { c.categories[0]!.rubric.items[0]!.max = 11; }, "categories[0].rubric", "rubric"],
    ["case bounds reversed", (c) => { c.forms.caseMinChars = 4000; }, "forms.caseMinChars", "range"],
    ["no experts", (c) => { c.finalization.expertsPerApplication = 0; }, "finalization.expertsPerApplication", "range"],
    ["grade shares over 100%", (c) => { c.finalization.grading = { mode: "PROPORTIONS", bands: [{ grade: "一等", proportion: 0.6 }, { grade: "二等", proportion: 0.6 }] }; }, "finalization.grading.bands", "sum"],
  ])("refuses %s", (_name, mutate, field, rule) => {
    const c = demoCampaign2023();
    mutate(c);
    expect(validateCampaign(c)).toContainEqual(expect.objectContaining({ field, rule }));
  });
});

describe("deadlines", () => {
  const c = demoCampaign2023();

  it.each([
    ["2023-04-10", "2023-04-10T16:00:00.000Z"],
    ["2023-09-30", "2023-09-30T16:00:00.000Z"],
  ])("a stage ending %s closes at 24:00 Beijing time (%s)", (date, iso) => {
    expect(deadlineClosesAt(date).toISOString()).toBe(iso);
  });

  it.each(["2023-02-29", "2023-13-01", "2023-4-1", "", "2024-02-30"])("rejects %j as a calendar date", (s) => {
    expect(isCalendarDate(s)).toBe(false);
  });
  it("accepts a leap day", () => expect(isCalendarDate("2024-02-29")).toBe(true));

  it.each<[string, StageCode, string, boolean]>([
    ["accepts contacts on the last day, late evening", "CONTACTS", "2023-04-10T23:59:59+08:00", true],
    ["refuses contacts at midnight after the last day", "CONTACTS", "2023-04-11T00:00:00+08:00", false],
    ["refuses contacts at the same instant written in UTC", "CONTACTS", "2023-04-10T16:00:00Z", false],
    ["accepts club registration on 04-20", "CLUB_REGISTRATION", "2023-04-20T12:00:00+08:00", true],
    ["refuses club registration on 04-21", "CLUB_REGISTRATION", "2023-04-21T08:00:00+08:00", false],
    ["refuses city review on 10-01", "CITY_REVIEW", "2023-10-01T09:00:00+08:00", false],
    ["never closes province review", "PROVINCE_REVIEW", "2030-01-01T00:00:00Z", true],
  ])("%s", (_n, stage, now, open) => {
    const run = () => assertStageOpen(c, stage, at(now));
    if (open) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code: "DEADLINE_PASSED" }));
  });

  it("names the stage and its last day in Chinese", () => {
    expect(() => assertStageOpen(c, "CITY_REVIEW", at("2023-10-08T09:00:00+08:00"))).toThrow(
      "「设区市评审推荐与在线上报」阶段已于2023年9月30日24时（北京时间）截止",
    );
  });

  it("treats a stage the campaign does not configure as open", () => {
    const noSchool = demoCampaign2023();
    noSchool.stages = noSchool.stages.filter((s) => s.stage !== "SCHOOL_REVIEW");
    expect(() => assertStageOpen(noSchool, "SCHOOL_REVIEW", at("2031-01-01T00:00:00Z"))).not.toThrow();
  });

  describe("city schedules and extensions", () => {
    const withSchedule = demoCampaign2023();
    withSchedule.stages.find((s) => s.stage === "APPLICATION")!.unitDeadlines = { "330300": "2023-06-30", "330381": "2023-06-15" };
    const wenzhou = ["330000", "330300"];
    const ruian = ["330000", "330300", "330381"];
    const hangzhou = ["330000", "330100"];
    const ext = (unitKey: string | null, until: string, stage: StageCode = "APPLICATION"): StageExtension => ({ stage, unitKey, until, reason: "系统故障" });

    it.each<[string, readonly StageExtension[], string[], string | null]>([
      ["the default for a city without its own schedule", [], hangzhou, "2023-09-30"],
      ["the city's own schedule", [], wenzhou, "2023-06-30"],
      ["the deepest unit's schedule", [], ruian, "2023-06-15"],
      ["a unit extension for the county", [ext("330381", "2023-07-05")], ruian, "2023-07-05"],
      ["a city extension reaching its counties", [ext("330300", "2023-07-10")], ruian, "2023-07-10"],
      ["a stage-wide extension", [ext(null, "2023-10-15")], ruian, "2023-10-15"],
      ["the latest of several extensions", [ext(null, "2023-07-01"), ext("330300", "2023-07-20"), ext("330381", "2023-07-10")], ruian, "2023-07-20"],
      ["no earlier date from an extension", [ext("330381", "2023-06-01")], ruian, "2023-06-15"],
      ["nothing from another unit's extension", [ext("330100", "2023-12-31")], ruian, "2023-06-15"],
      ["nothing from another stage's extension", [ext(null, "2023-12-31", "CITY_REVIEW")], ruian, "2023-06-15"],
    ])("uses %s", (_n, extensions, path, expected) => {
      expect(effectiveDeadline(withSchedule, "APPLICATION", extensions, path)).toBe(expected);
    });

    it("refuses a 瑞安 application after its county schedule though 温州 is still open", () => {
      const now = at("2023-06-20T10:00:00+08:00");
      expect(() => assertStageOpen(withSchedule, "APPLICATION", now, [], ruian)).toThrow(expect.objectContaining({ code: "DEADLINE_PASSED", details: { stage: "APPLICATION", deadline: "2023-06-15" } }));
      expect(() => assertStageOpen(withSchedule, "APPLICATION", now, [], ["330000", "330300", "330302"])).not.toThrow();
    });

    it("accepts it again once the province extends 瑞安", () => {
      expect(() => assertStageOpen(withSchedule, "APPLICATION", at("2023-06-20T10:00:00+08:00"), [ext("330381", "2023-06-25")], ruian)).not.toThrow();
    });
  });
});
