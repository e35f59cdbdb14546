import { describe, expect, it } from "vitest";
import { demoCampaign2023 } from "../campaign/demo-2023.js";
import type { ReviewLevel } from "../campaign/types.js";
import type { ApplicationOrigin } from "./levels.js";
import {
  describeQuotaKey,
  assertPlacesAvailable,
  placesFreedBy,
  quotaBucketsFor,
  remainingPlaces,
  usedPlacesByBucket,
  validateQuotaOverride,
  validateSubQuotaAllocation,
  type QuotaPlace,
} from "./quota.js";
import type { PipelineActionType } from "./transition.js";

const campaign = demoCampaign2023();
const o = (over: Partial<ApplicationOrigin> = {}): ApplicationOrigin => ({
  applicantKind: "TEACHER",
  cityCode: "330300",
  countyCode: "330381",
  schoolKey: "school-1",
  practiceBaseKey: null,
  ...over,
});
const cityDirect = o({ countyCode: null });
const practiceBase = o({ countyCode: null, schoolKey: "pb-1", practiceBaseKey: "pb-1" });
const keysAndCaps = (category: string, level: ReviewLevel, origin: ApplicationOrigin, ctx = {}) =>
  quotaBucketsFor(campaign, category, level, origin, ctx).map((b) => [b.key, b.cap]);

describe("quotaBucketsFor", () => {
  it.each<[string, string, ReviewLevel, ApplicationOrigin, [string, number][]]>([
    ["a 温州 teaching space forwarded by the city", "TEACHING_SPACE", "CITY", o(), [["TEACHING_SPACE/CITY/330300", 75]]],
    ["a 舟山 teaching space forwarded by the city", "TEACHING_SPACE", "CITY", o({ cityCode: "330900", countyCode: "330902" }), [["TEACHING_SPACE/CITY/330900", 15]]],
    ["a city-direct teaching space", "TEACHING_SPACE", "CITY", cityDirect, [["TEACHING_SPACE/CITY/330300", 75]]],
    ["a teaching space recommended by a county without a sub-quota", "TEACHING_SPACE", "COUNTY", o(), []],
    ["a lecturer space recommended by a county", "LECTURER_SPACE", "COUNTY", o(), [["LECTURER_SPACE/COUNTY/330381", 2]]],
    ["a lecturer space forwarded by the city from a county", "LECTURER_SPACE", "CITY", o(), [["LECTURER_SPACE/CITY/330300/from/330381", 2]]],
    ["a city-direct lecturer space", "LECTURER_SPACE", "CITY", cityDirect, [["LECTURER_SPACE/CITY/330300/direct", 2]]],
    ["a practice-base lecturer space (directly under the city)", "LECTURER_SPACE", "CITY", practiceBase, [["LECTURER_SPACE/CITY/330300/direct", 2]]],
    ["a school forwarded by 杭州", "SCHOOL", "CITY", o({ applicantKind: "SCHOOL", cityCode: "330100", countyCode: "330106" }), [["SCHOOL/CITY/330100", 10]]],
    ["a 舟山 school", "SCHOOL", "CITY", o({ applicantKind: "SCHOOL", cityCode: "330900", countyCode: "330902" }), [["SCHOOL/CITY/330900", 4]]],
    ["a practice-base school, counted separately", "SCHOOL", "CITY", { ...practiceBase, applicantKind: "SCHOOL" }, [["SCHOOL/CITY/330300/practice-base", 3]]],
    ["a school recommended by its county", "SCHOOL", "COUNTY", o({ applicantKind: "SCHOOL" }), []],
    ["a county's region application", "REGION", "CITY", o({ applicantKind: "REGION", schoolKey: null }), [["REGION/CITY/330300", 3]]],
    ["a city's own region application", "REGION", "CITY", o({ applicantKind: "REGION", schoolKey: null, countyCode: null }), [["REGION/CITY/330300", 3]]],
    ["a school confirmation", "TEACHING_SPACE", "SCHOOL", o(), []],
    ["a city not in the quota table", "TEACHING_SPACE", "CITY", o({ cityCode: "339900" }), [["TEACHING_SPACE/CITY/339900", 0]]],
  ])("%s", (_n, category, level, origin, expected) => {
    expect(keysAndCaps(category, level, origin)).toEqual(expected);
  });

  it("adds a county's sub-quota when the city allocated one", () => {
    expect(keysAndCaps("TEACHING_SPACE", "COUNTY", o(), { subQuotas: { "330381": 12 } })).toEqual([["TEACHING_SPACE/COUNTY/330381/sub-quota", 12]]);
    expect(keysAndCaps("TEACHING_SPACE", "COUNTY", o({ countyCode: "330302" }), { subQuotas: { "330381": 12 } })).toEqual([]);
  });

  it("ignores sub-quotas in a category that does not allow them", () => {
    expect(keysAndCaps("SCHOOL", "COUNTY", o({ applicantKind: "SCHOOL" }), { subQuotas: { "330381": 1 } })).toEqual([]);
  });

  it("applies a province raise, never a cut", () => {
    const overrides = [
      { bucketKey: "TEACHING_SPACE/CITY/330300", cap: 78, reason: "温州申报量大" },
      { bucketKey: "TEACHING_SPACE/CITY/330300", cap: 80, reason: "再次调整" },
      { bucketKey: "REGION/CITY/330300", cap: 1, reason: "误操作" },
    ];
    const [b] = quotaBucketsFor(campaign, "TEACHING_SPACE", "CITY", o(), { overrides });
    expect([b!.cap, b!.baseCap]).toEqual([80, 75]);
    expect(keysAndCaps("REGION", "CITY", o({ applicantKind: "REGION" }), { overrides })).toEqual([["REGION/CITY/330300", 3]]);
  });

  it("describes each bucket in Chinese", () => {
    const [b] = quotaBucketsFor(campaign, "SCHOOL", "CITY", { ...practiceBase, applicantKind: "SCHOOL" });
    expect(b!.description).toBe("实践教育基地推荐至省级的「空间应用优秀学校」名额");
  });

  it("refuses an unknown category", () => {
    expect(() => quotaBucketsFor(campaign, "NOPE", "CITY", o())).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });
});

describe("assertPlacesAvailable", () => {
  const wenzhou = quotaBucketsFor(campaign, "TEACHING_SPACE", "CITY", o());
  const key = "TEACHING_SPACE/CITY/330300";

  it("accepts the 75th recommendation from 温州", () => {
    expect(() => assertPlacesAvailable(wenzhou, { [key]: 74 })).not.toThrow();
  });

  it("refuses a 76th recommendation from 温州", () => {
    expect(() => assertPlacesAvailable(wenzhou, { [key]: 75 }, { "330300": "温州市" })).toThrow(
      expect.objectContaining({
        code: "QUOTA_EXCEEDED",
        message: "温州市推荐至省级的「优秀教学空间」名额已用完（已推荐75个，上限75个）",
        details: { bucketKey: key, used: 75, cap: 75 },
      }),
    );
  });

  it("refuses a third lecturer space from one county even though the city has room", () => {
    const buckets = quotaBucketsFor(campaign, "LECTURER_SPACE", "CITY", o());
    expect(() => assertPlacesAvailable(buckets, { "LECTURER_SPACE/CITY/330300/from/330381": 2, "LECTURER_SPACE/CITY/330300/direct": 0 })).toThrow(
      expect.objectContaining({ code: "QUOTA_EXCEEDED" }),
    );
    expect(() => assertPlacesAvailable(quotaBucketsFor(campaign, "LECTURER_SPACE", "CITY", o({ countyCode: "330302" })), { "LECTURER_SPACE/CITY/330300/from/330381": 2 })).not.toThrow();
  });

  it("refuses a fourth practice-base school while regular school places remain", () => {
    const pb = quotaBucketsFor(campaign, "SCHOOL", "CITY", { ...practiceBase, applicantKind: "SCHOOL" });
    expect(() => assertPlacesAvailable(pb, { "SCHOOL/CITY/330300/practice-base": 3, "SCHOOL/CITY/330300": 0 })).toThrow(expect.objectContaining({ code: "QUOTA_EXCEEDED" }));
  });

  it("refuses a county past its sub-quota", () => {
    const b = quotaBucketsFor(campaign, "TEACHING_SPACE", "COUNTY", o(), { subQuotas: { "330381": 0 } });
    expect(() => assertPlacesAvailable(b, {})).toThrow(expect.objectContaining({ code: "QUOTA_EXCEEDED" }));
  });

  it("reports the places left", () => {
    expect(remainingPlaces(wenzhou, { [key]: 70 })).toEqual({ [key]: 5 });
    expect(remainingPlaces(wenzhou, { [key]: 80 })).toEqual({ [key]: 0 });
  });
});

describe("placesFreedBy", () => {
  const places: QuotaPlace[] = [
    { bucketKey: "TEACHING_SPACE/COUNTY/330381/sub-quota", level: "COUNTY", revision: 2, released: false },
    { bucketKey: "TEACHING_SPACE/CITY/330300", level: "CITY", revision: 2, released: false },
    { bucketKey: "TEACHING_SPACE/COUNTY/330381/sub-quota", level: "COUNTY", revision: 1, released: true },
  ];
  const freed = (action: PipelineActionType, level: ReviewLevel | null, revision = 2) =>
    placesFreedBy({ action, level, revision }, places).map((p) => `${p.level}@${p.revision}`);

  it("a return frees the place at county and city", () => {
    expect(freed("return", "PROVINCE")).toEqual(["COUNTY@2", "CITY@2"]);
  });
  it("a return at the city frees the county's place too", () => {
    expect(freed("return", "CITY")).toEqual(["COUNTY@2", "CITY@2"]);
  });
  it("a withdrawn recommendation frees only the withdrawing level's place", () => {
    expect(freed("withdrawRecommendation", "CITY")).toEqual(["CITY@2"]);
    expect(freed("withdrawRecommendation", "COUNTY")).toEqual(["COUNTY@2"]);
  });
  it.each<PipelineActionType>(["reject", "disqualify", "notSelect", "finalize", "recommend", "startExpertReview"])("%s frees nothing", (action) => {
    expect(freed(action, "PROVINCE")).toEqual([]);
  });
  it("never frees a place twice or one of another revision", () => {
    expect(freed("return", "COUNTY", 1)).toEqual([]);
  });
  it("counts the places in use per bucket", () => {
    expect(usedPlacesByBucket(places)).toEqual({ "TEACHING_SPACE/COUNTY/330381/sub-quota": 1, "TEACHING_SPACE/CITY/330300": 1 });
  });
});

describe("a city's season of recommendations", () => {
  it("fills 温州's 75 places, refuses the 76th, and accepts it after a return frees one", () => {
    const places: QuotaPlace[] = [];
    const recommend = (revision: number) => {
      const buckets = quotaBucketsFor(campaign, "TEACHING_SPACE", "CITY", o());
      assertPlacesAvailable(buckets, usedPlacesByBucket(places));
      for (const b of buckets) places.push({ bucketKey: b.key, level: "CITY", revision, released: false });
    };
    for (let i = 0; i < 75; i++) recommend(1);
    expect(() => recommend(1)).toThrow(expect.objectContaining({ code: "QUOTA_EXCEEDED" }));
    const first = places[0]!;
    for (const p of placesFreedBy({ action: "return", level: "PROVINCE", revision: 1 }, [first])) p.released = true;
    expect(() => recommend(1)).not.toThrow();
    expect(usedPlacesByBucket(places)).toEqual({ "TEACHING_SPACE/CITY/330300": 75 });
  });
});

describe("validateSubQuotaAllocation", () => {
  const base = { cityCap: 75, cityCounties: ["330302", "330303", "330381", "330382"], countyNames: { "330381": "瑞安市" } };

  it("accepts an allocation that fits the city quota", () => {
    expect(validateSubQuotaAllocation({ ...base, allocations: { "330302": 30, "330381": 25, "330382": 20 } })).toEqual([]);
  });

  it.each<[string, Record<string, number>, Record<string, number>, string, string]>([
    ["a sum over the city quota", { "330302": 40, "330381": 36 }, {}, "allocations", "sum"],
    ["a negative place count", { "330381": -1 }, {}, "allocations.330381", "integer"],
    ["a fractional place count", { "330381": 2.5 }, {}, "allocations.330381", "integer"],
    ["fewer places than already used", { "330381": 3 }, { "330381": 4 }, "allocations.330381", "belowUsed"],
    ["a county of another city", { "330106": 5 }, {}, "allocations.330106", "county"],
  ])("refuses %s", (_n, allocations, usedByCounty, field, rule) => {
    expect(validateSubQuotaAllocation({ ...base, allocations, usedByCounty })).toContainEqual(expect.objectContaining({ field, rule }));
  });

  it("names the county and the numbers", () => {
    expect(validateSubQuotaAllocation({ ...base, allocations: { "330381": 3 }, usedByCounty: { "330381": 4 } })[0]!.message).toBe("「瑞安市」已推荐4个，不能将名额调低到3个（不得少于已推荐的4个）");
    expect(validateSubQuotaAllocation({ ...base, allocations: { "330302": 40, "330381": 36 } })[0]!.message).toBe("各县（市、区）名额合计76个，超过设区市名额75个");
  });
});

describe("validateQuotaOverride", () => {
  it("accepts a raise with a reason", () => {
    expect(validateQuotaOverride({ baseCap: 75, used: 75, cap: 80, reason: "温州申报质量高" })).toEqual([]);
  });
  it.each<[string, { baseCap: number; used: number; cap: number; reason: string }, string]>([
    ["a cut below the campaign quota", { baseCap: 75, used: 10, cap: 70, reason: "调整" }, "raiseOnly"],
    ["a cap below the places used", { baseCap: 3, used: 5, cap: 4, reason: "调整" }, "belowUsed"],
    ["a fractional cap", { baseCap: 3, used: 0, cap: 3.5, reason: "调整" }, "integer"],
    ["no reason", { baseCap: 3, used: 0, cap: 4, reason: "  " }, "required"],
  ])("refuses %s", (_n, input, rule) => {
    expect(validateQuotaOverride(input).map((v) => v.rule)).toContain(rule);
  });
});

describe("describeQuotaKey", () => {
  const names = (code: string) => ({ LECTURER_SPACE: "优秀讲师空间", SCHOOL: "空间应用优秀学校" })[code];
  it("words a stored key with the category's name, never its code", () => {
    expect(describeQuotaKey("LECTURER_SPACE/CITY/330300/direct", names)).toBe("市直属申报推荐至省级的「优秀讲师空间」名额");
    expect(describeQuotaKey("LECTURER_SPACE/COUNTY/330381", names)).toBe("推荐至设区市的「优秀讲师空间」名额");
    expect(describeQuotaKey("SCHOOL/CITY/330300/practice-base", names)).toBe("实践教育基地推荐至省级的「空间应用优秀学校」名额");
    expect(describeQuotaKey("TEACHING_SPACE/CITY/330300", names)).toBe("推荐至省级的「已取消的类别」名额");
    for (const k of ["LECTURER_SPACE/CITY/330300/from/330381", "TEACHING_SPACE/COUNTY/330381/sub-quota"]) expect(describeQuotaKey(k, names)).not.toMatch(/[A-Z_]{4,}/);
  });
});
