import { describe, expect, it } from "vitest";
import { demoCampaign2023 } from "../campaign/demo-2023.js";
import type { ReviewLevel } from "../campaign/types.js";
import { levelsFor, nextLevel, previousLevel, validatePipelineConfig, type ApplicationOrigin } from "./levels.js";

const origin = (o: Partial<ApplicationOrigin>): ApplicationOrigin => ({
  applicantKind: "TEACHER",
  cityCode: "330300",
  countyCode: "330381",
  schoolKey: "school-1",
  practiceBaseKey: null,
  ...o,
});

describe("levelsFor", () => {
  const standard = demoCampaign2023();
  const withSchool = demoCampaign2023();
  withSchool.pipeline.levels = ["SCHOOL", "COUNTY", "CITY", "PROVINCE"];

  it.each<[string, typeof standard, Partial<ApplicationOrigin>, ReviewLevel[]]>([
    ["a teacher in a county school", standard, {}, ["COUNTY", "CITY", "PROVINCE"]],
    ["a teacher with school confirmation on", withSchool, {}, ["SCHOOL", "COUNTY", "CITY", "PROVINCE"]],
    ["a teacher of a city-direct school", withSchool, { countyCode: null }, ["SCHOOL", "CITY", "PROVINCE"]],
    ["a teacher at a practice base", standard, { countyCode: null, schoolKey: "pb-1", practiceBaseKey: "pb-1" }, ["CITY", "PROVINCE"]],
    ["a school (no school confirmation of itself)", withSchool, { applicantKind: "SCHOOL" }, ["COUNTY", "CITY", "PROVINCE"]],
    ["a city-direct school", standard, { applicantKind: "SCHOOL", countyCode: null }, ["CITY", "PROVINCE"]],
    ["a practice-base school", standard, { applicantKind: "SCHOOL", countyCode: null, schoolKey: "pb-1", practiceBaseKey: "pb-1" }, ["CITY", "PROVINCE"]],
    ["a county applying as a region", withSchool, { applicantKind: "REGION", schoolKey: null }, ["CITY", "PROVINCE"]],
    ["a city applying as a region", standard, { applicantKind: "REGION", schoolKey: null, countyCode: null }, ["CITY", "PROVINCE"]],
  ])("routes %s", (_n, campaign, o, expected) => {
    expect(levelsFor(campaign, origin(o))).toEqual(expected);
  });

  it("follows a campaign that skips the county level", () => {
    expect(levelsFor({ pipeline: { levels: ["CITY", "PROVINCE"] } }, origin({}))).toEqual(["CITY", "PROVINCE"]);
  });
});

describe("validatePipelineConfig", () => {
  it.each<[ReviewLevel[], string | null]>([
    [["COUNTY", "CITY", "PROVINCE"], null],
    [["SCHOOL", "COUNTY", "CITY", "PROVINCE"], null],
    [["PROVINCE"], null],
    [["CITY", "COUNTY", "PROVINCE"], "order"],
    [["COUNTY", "COUNTY", "PROVINCE"], "order"],
    [["COUNTY", "CITY"], "province"],
    [[], "province"],
    [["TOWN" as ReviewLevel, "PROVINCE"], "enum"],
  ])("%j → %s", (levels, rule) => {
    const v = validatePipelineConfig({ levels });
    if (rule === null) expect(v).toEqual([]);
    else expect(v.map((x) => x.rule)).toContain(rule);
  });
});

describe("next and previous level", () => {
  const path: ReviewLevel[] = ["COUNTY", "CITY", "PROVINCE"];
  it("walks the path", () => {
    expect(nextLevel(path, "COUNTY")).toBe("CITY");
    expect(nextLevel(path, "PROVINCE")).toBeNull();
    expect(previousLevel(path, "PROVINCE")).toBe("CITY");
    expect(previousLevel(path, "COUNTY")).toBeNull();
  });
  it("refuses a level the path does not have", () => {
    expect(() => nextLevel(path, "SCHOOL")).toThrow(expect.objectContaining({ code: "INVALID_TRANSITION" }));
  });
});
