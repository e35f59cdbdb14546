import { describe, expect, it } from "vitest";
import { computeFeaturedSpaceItems, countValidTeachingDays, rankScore, type FeaturedSpaceInputs, type MicroVideo } from "./featured-space.js";
import { FEATURED_SPACE_RUBRIC, LECTURER_SPACE_RUBRIC, REGION_RUBRIC, rubricProblems, SCHOOL_RUBRIC } from "./rubrics.js";
import { buildScoreSheet, scoreEntryViolation, sumPoints } from "./score-sheet.js";

const item = (input: FeaturedSpaceInputs, id: string) => computeFeaturedSpaceItems(input).find((i) => i.itemId === id)!;
const value = (input: FeaturedSpaceInputs, id: string) => item(input, id).value;
const videos = (spreads: number[], thirdParty = 0): MicroVideo[] => [
  ...spreads.map((s) => ({ spreads: s, thirdPartyLink: false })),
  ...Array.from({ length: thirdParty }, () => ({ spreads: 500, thirdPartyLink: true })),
];

describe("rubrics", () => {
  it.each([FEATURED_SPACE_RUBRIC, LECTURER_SPACE_RUBRIC, SCHOOL_RUBRIC, REGION_RUBRIC])("$name adds up to 100", (r) => {
    expect(r.total).toBe(100);
    expect(rubricProblems(r)).toEqual([]);
  });

  it("the featured-space rubric has the Annex 2 groups 30/50/20", () => {
    expect(FEATURED_SPACE_RUBRIC.groups.map((g) => [g.name, g.max])).toEqual([["空间建设", 30], ["教学应用", 50], ["成果实效", 20]]);
  });

  it("finds a rubric whose items do not add up", () => {
    const broken = structuredClone(SCHOOL_RUBRIC);
    broken.items[0]!.max = 6;
    broken.items.push({ ...broken.items[1]! });
    expect(rubricProblems(broken)).toEqual(
      expect.arrayContaining(["分组「组织保障」各项满分合计21，与分组满分15不符", "评分项编号「CLASSES」重复"]),
    );
  });
});

describe("computeFeaturedSpaceItems", () => {
  describe("quality micro-course", () => {
    it.each<[string, MicroVideo[], number]>([
      ["4 videos", videos([500, 500, 500, 500]), 0],
      ["5 videos, none popular", videos([0, 10, 99, 50, 1]), 5],
      ["5 videos, 2 with ≥100 spreads", videos([100, 250, 99, 0, 3]), 7],
      ["8 videos all popular (cap 10)", videos([100, 100, 100, 100, 100, 100, 100, 100]), 10],
      ["4 own + 3 third-party-link videos", videos([100, 100, 100, 100], 3), 0],
      ["5 own + third-party ones that would be popular", videos([0, 0, 0, 0, 0], 4), 5],
    ])("%s → %d", (_n, v, expected) => {
      expect(value({ microVideos: v }, "MICRO_COURSE")).toBe(expected);
    });

    it("is flagged for expert confirmation", () => {
      expect(item({ microVideos: videos([100, 0, 0, 0, 0], 1) }, "MICRO_COURSE").detail).toBe(
        "展示的微课视频5个（另有1个第三方链接视频不计）得5分；传播数达100的1个，每个再得1分；待专家确认",
      );
      expect(FEATURED_SPACE_RUBRIC.items.find((i) => i.id === "MICRO_COURSE")!.expertConfirms).toBe(true);
    });
  });

  it.each<[number, string, number | null]>([
    [0, "COMPUTED", 0],
    [199, "COMPUTED", 0],
    [200, "EXPERT", null],
    [1500, "EXPERT", null],
  ])("resource sharing with %d items → %s %s", (n, status, v) => {
    expect(item({ sharedResourceCount: n }, "RESOURCE_SHARING")).toMatchObject({ status, value: v });
  });

  it.each([[0, 0], [3, 3], [10, 10], [14, 10]])("submitted resources: %d approved originals → %d", (n, expected) => {
    expect(value({ provinceApprovedOriginals: n }, "SUBMITTED_RESOURCES")).toBe(expected);
  });

  describe("classroom", () => {
    it.each<[Record<string, number>, number]>([
      [{}, 0],
      [{ "2023-03-01": 10 }, 0.5],
      [{ "2023-03-01": 9, "2023-03-02": 45 }, 0.5],
      [Object.fromEntries(Array.from({ length: 39 }, (_, i) => [`d${i}`, 40])), 19.5],
      [Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`d${i}`, 15])), 20],
    ])("%j → %d", (days, expected) => {
      expect(value({ mobileTeachingMinutesByDay: days }, "CLASSROOM")).toBe(expected);
    });
    it("counts a day with at least 10 minutes as valid", () => {
      expect(countValidTeachingDays({ a: 9.9, b: 10, c: 0, d: 120 })).toBe(2);
    });
  });

  it.each([[0, 0], [1, 0.5], [19, 9.5], [20, 10], [55, 10]])("after-class: %d homework actions → %d", (n, expected) => {
    expect(value({ homeworkAssignedOrGraded: n }, "AFTER_CLASS")).toBe(expected);
  });

  it.each([[0, 0], [3, 1.5], [10, 5], [40, 5]])("interaction: %d → %d", (n, expected) => {
    expect(value({ interactions: n }, "INTERACTION")).toBe(expected);
  });

  it.each<[number[], number]>([
    [[], 0],
    [[9, 10, 30], 2],
    [Array.from({ length: 12 }, () => 10), 10],
  ])("activities with students %j → %d", (counts, expected) => {
    expect(value({ activityStudentCounts: counts }, "ACTIVITIES")).toBe(expected);
  });

  it.each<[number, number, number]>([
    [300, 0, 0],
    [300, 29, 0],
    [300, 30, 1],
    [300, 89, 2],
    [300, 150, 5],
    [300, 300, 5],
    [0, 0, 0],
    [10, 3, 3],
  ])("mobile share: %d yearly points, %d on mobile → %d", (total, mobile, expected) => {
    expect(value({ yearlyPoints: total, yearlyMobilePoints: mobile }, "MOBILE_SHARE")).toBe(expected);
  });

  it.each<[number, number, number]>([
    [1, 1, 10],
    [1, 5, 10],
    [5, 5, 0],
    [3, 5, 5],
    [2, 4, 6.67],
    [2, 101, 9.9],
  ])("yearly points: rank %d of %d → %d", (rank, groupSize, expected) => {
    expect(value({ yearlyPointsRank: { rank, groupSize } }, "YEARLY_POINTS")).toBe(expected);
    expect(rankScore(rank, groupSize)).toBe(expected);
  });

  it.each([[0, 5], [6, 5], [1.5, 3]])("refuses rank %d of %d", (rank, size) => {
    expect(() => rankScore(rank, size)).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
  });

  it("refuses negative or fractional counts", () => {
    expect(() => computeFeaturedSpaceItems({ interactions: -1 })).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
    expect(() => computeFeaturedSpaceItems({ provinceApprovedOriginals: 1.5 })).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
  });

  it("marks every item without data as no data, never as 0", () => {
    const items = computeFeaturedSpaceItems({});
    expect(items.filter((i) => i.status === "NO_DATA").map((i) => i.itemId)).toEqual([
      "MICRO_COURSE", "RESOURCE_SHARING", "SUBMITTED_RESOURCES", "CLASSROOM", "AFTER_CLASS", "INTERACTION", "ACTIVITIES", "MOBILE_SHARE", "YEARLY_POINTS",
    ]);
    expect(items.every((i) => i.status !== "NO_DATA" || i.value === null)).toBe(true);
  });

  it("needs both yearly and mobile points for the mobile share", () => {
    expect(item({ yearlyPoints: 300 }, "MOBILE_SHARE").status).toBe("NO_DATA");
  });

  it("leaves the case and the digital story to experts", () => {
    const items = computeFeaturedSpaceItems({});
    expect(items.filter((i) => i.status === "EXPERT").map((i) => i.itemId)).toEqual(["CASE", "DIGITAL_STORY"]);
  });

  it("covers every item of the rubric", () => {
    expect(computeFeaturedSpaceItems({}).map((i) => i.itemId)).toEqual(FEATURED_SPACE_RUBRIC.items.map((i) => i.id));
  });
});

describe("buildScoreSheet", () => {
  const full: FeaturedSpaceInputs = {
    microVideos: videos([100, 100, 0, 0, 0]),
    sharedResourceCount: 260,
    provinceApprovedOriginals: 4,
    mobileTeachingMinutesByDay: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d${i}`, 20])),
    homeworkAssignedOrGraded: 12,
    interactions: 7,
    activityStudentCounts: [12, 40, 3],
    yearlyPoints: 420,
    yearlyMobilePoints: 170,
    yearlyPointsRank: { rank: 1, groupSize: 3 },
  };
  const computed = computeFeaturedSpaceItems(full);

  it("adds computed and expert points to a total", () => {
    const sheet = buildScoreSheet(FEATURED_SPACE_RUBRIC, computed, { RESOURCE_SHARING: 8, CASE: 4.5, DIGITAL_STORY: 4 });
    expect(sheet.violations).toEqual([]);
    // 7 + 8 + 4 + 15 + 6 + 3.5 + 2 + 4 + 10 + 4.5 + 4
    expect(sheet.total).toBe(68);
    expect(sheet.lines.find((l) => l.itemId === "CLASSROOM")).toEqual({ itemId: "CLASSROOM", value: 15, origin: "COMPUTED" });
  });

  it("lets the expert correct the micro-course value they confirm", () => {
    const sheet = buildScoreSheet(FEATURED_SPACE_RUBRIC, computed, { MICRO_COURSE: 5, RESOURCE_SHARING: 8, CASE: 4.5, DIGITAL_STORY: 4 });
    expect(sheet.lines.find((l) => l.itemId === "MICRO_COURSE")).toEqual({ itemId: "MICRO_COURSE", value: 5, origin: "EXPERT" });
    expect(sheet.total).toBe(66);
  });

  it("refuses changing a computed item", () => {
    const sheet = buildScoreSheet(FEATURED_SPACE_RUBRIC, computed, { CLASSROOM: 20, RESOURCE_SHARING: 8, CASE: 4, DIGITAL_STORY: 4 });
    expect(sheet.violations).toEqual([{ field: "scores.CLASSROOM", rule: "computed", message: "「课堂教学」由平台数据计算为15分，不能改为20分" }]);
  });

  it("refuses an expert score for resource sharing below 200 items", () => {
    const closed = computeFeaturedSpaceItems({ ...full, sharedResourceCount: 150 });
    const sheet = buildScoreSheet(FEATURED_SPACE_RUBRIC, closed, { RESOURCE_SHARING: 6, CASE: 4, DIGITAL_STORY: 4 });
    expect(sheet.violations.map((v) => [v.field, v.rule])).toEqual([["scores.RESOURCE_SHARING", "gated"]]);
  });

  it("asks the expert for items the platform has no data for", () => {
    const sheet = buildScoreSheet(FEATURED_SPACE_RUBRIC, computeFeaturedSpaceItems({ ...full, interactions: null }), { RESOURCE_SHARING: 8, CASE: 4, DIGITAL_STORY: 4 });
    expect(sheet.total).toBeNull();
    expect(sheet.missing).toEqual(["INTERACTION"]);
    expect(sheet.violations).toEqual([{ field: "scores.INTERACTION", rule: "required", message: "请填写「师生互动」的得分（0–5分）" }]);
  });

  it("saves an incomplete draft without complaining about missing items", () => {
    const sheet = buildScoreSheet(FEATURED_SPACE_RUBRIC, computed, { CASE: 3 }, "draft");
    expect(sheet.violations).toEqual([]);
    expect(sheet.missing).toEqual(["RESOURCE_SHARING", "DIGITAL_STORY"]);
  });

  it.each<[string, number, string]>([
    ["above the maximum", 5.5, "range"],
    ["negative", -1, "range"],
    ["not a half point", 3.3, "step"],
    ["not a number", Number.NaN, "range"],
  ])("refuses an expert score %s", (_n, v, rule) => {
    const sheet = buildScoreSheet(FEATURED_SPACE_RUBRIC, computed, { RESOURCE_SHARING: 8, CASE: v, DIGITAL_STORY: 4 });
    expect(sheet.violations.map((x) => [x.field, x.rule])).toEqual([["scores.CASE", rule]]);
    expect(sheet.total).toBeNull();
  });

  it("refuses an item that is not on the rubric", () => {
    const sheet = buildScoreSheet(SCHOOL_RUBRIC, [], { BONUS: 5 }, "draft");
    expect(sheet.violations.map((v) => v.rule)).toEqual(["unknownItem"]);
  });

  it("scores an expert-only rubric", () => {
    const entered = Object.fromEntries(REGION_RUBRIC.items.map((i) => [i.id, i.max - 0.5]));
    expect(buildScoreSheet(REGION_RUBRIC, [], entered).total).toBe(97);
  });

  it("sums without binary-fraction noise", () => {
    expect(sumPoints([0.1, 0.2, 0.5])).toBe(0.8);
  });
});

describe("scoreEntryViolation", () => {
  const item = { name: "空间活跃度", max: 10, step: 0.5 };
  it("refuses a value above the maximum with a message, never clamping it", () => {
    expect(scoreEntryViolation(item, 999, "scores.x")).toEqual({ field: "scores.x", rule: "range", message: "「空间活跃度」得分须在0到10分之间，实际为999" });
    expect(scoreEntryViolation(item, -1)?.rule).toBe("range");
  });
  it("refuses a value off the item's step and accepts one on it", () => {
    expect(scoreEntryViolation(item, 1.3)?.rule).toBe("step");
    expect(scoreEntryViolation(item, 9.5)).toBeNull();
    expect(scoreEntryViolation({ name: "a", max: 5 }, 2.5)).toBeNull();
  });
});
