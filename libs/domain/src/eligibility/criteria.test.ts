import { describe, expect, it } from "vitest";
import { demoCampaign2023 } from "../campaign/demo-2023.js";
import { categoryChecklist } from "./checklist.js";
import { evaluateCheck, evaluateCriteria, formatPercent, indicatorsUsedBy, type CriterionCheck, type CriterionStatus, type Indicators } from "./criteria.js";

const status = (check: CriterionCheck, ind: Indicators): CriterionStatus => evaluateCheck(check, ind).status;

describe("evaluateCheck", () => {
  describe("FLAG", () => {
    const check: CriterionCheck = { kind: "FLAG", indicator: "hasSpaceManager" };
    it.each<[Indicators, CriterionStatus]>([
      [{ hasSpaceManager: true }, "MET"],
      [{ hasSpaceManager: false }, "NOT_MET"],
      [{}, "NO_DATA"],
      [{ hasSpaceManager: null }, "NO_DATA"],
      [{ hasSpaceManager: 1 }, "NO_DATA"],
    ])("%j → %s", (ind, expected) => expect(status(check, ind)).toBe(expected));
  });

  describe("AT_LEAST (不少于)", () => {
    const check: CriterionCheck = { kind: "AT_LEAST", indicator: "provinceLibraryResourcesThisYear", min: 5 };
    it.each<[Indicators, CriterionStatus]>([
      [{ provinceLibraryResourcesThisYear: 5 }, "MET"],
      [{ provinceLibraryResourcesThisYear: 12 }, "MET"],
      [{ provinceLibraryResourcesThisYear: 4 }, "NOT_MET"],
      [{ provinceLibraryResourcesThisYear: 0 }, "NOT_MET"],
      [{}, "NO_DATA"],
      [{ provinceLibraryResourcesThisYear: -1 }, "NO_DATA"],
      [{ provinceLibraryResourcesThisYear: Number.NaN }, "NO_DATA"],
      [{ provinceLibraryResourcesThisYear: true }, "NO_DATA"],
    ])("%j → %s", (ind, expected) => expect(status(check, ind)).toBe(expected));

    it("states the measured and the required value", () => {
      expect(evaluateCheck(check, { provinceLibraryResourcesThisYear: 3 }).detail).toBe("本年度入选省级资源库资源数 3（要求不少于5）");
    });
  });

  describe("ABOVE (高于 the province average)", () => {
    const check: CriterionCheck = { kind: "ABOVE", indicator: "yearlyVisits", reference: "provinceAverageYearlyVisits" };
    it.each<[Indicators, CriterionStatus]>([
      [{ yearlyVisits: 1001, provinceAverageYearlyVisits: 1000 }, "MET"],
      [{ yearlyVisits: 1000, provinceAverageYearlyVisits: 1000 }, "NOT_MET"],
      [{ yearlyVisits: 10, provinceAverageYearlyVisits: 1000 }, "NOT_MET"],
      [{ yearlyVisits: 5000 }, "NO_DATA"],
      [{ provinceAverageYearlyVisits: 1000 }, "NO_DATA"],
    ])("%j → %s", (ind, expected) => expect(status(check, ind)).toBe(expected));
  });

  describe("RATIO_BELOW (resources older than 5 years < 20%)", () => {
    const check: CriterionCheck = { kind: "RATIO_BELOW", label: "超过5年的资源占比", numerator: "resourcesOlderThan5Years", denominator: "resourceCount", max: 0.2 };
    it.each<[Indicators, CriterionStatus]>([
      [{ resourcesOlderThan5Years: 19, resourceCount: 100 }, "MET"],
      [{ resourcesOlderThan5Years: 0, resourceCount: 3 }, "MET"],
      [{ resourcesOlderThan5Years: 20, resourceCount: 100 }, "NOT_MET"],
      [{ resourcesOlderThan5Years: 1, resourceCount: 5 }, "NOT_MET"],
      [{ resourcesOlderThan5Years: 0, resourceCount: 0 }, "NO_DATA"],
      [{ resourceCount: 10 }, "NO_DATA"],
    ])("%j → %s", (ind, expected) => expect(status(check, ind)).toBe(expected));

    it("explains a ratio it cannot compute", () => {
      expect(evaluateCheck(check, { resourcesOlderThan5Years: 0, resourceCount: 0 }).detail).toBe("超过5年的资源占比无法计算：空间资源总数为0");
    });
  });

  describe("RATIO_AT_LEAST (不低于)", () => {
    const check: CriterionCheck = { kind: "RATIO_AT_LEAST", label: "教师活跃空间比率", numerator: "activeTeacherSpaces", denominator: "teacherCount", min: 0.7 };
    it.each<[Indicators, CriterionStatus]>([
      [{ activeTeacherSpaces: 70, teacherCount: 100 }, "MET"],
      [{ activeTeacherSpaces: 7, teacherCount: 10 }, "MET"],
      [{ activeTeacherSpaces: 69, teacherCount: 100 }, "NOT_MET"],
      [{ activeTeacherSpaces: 0, teacherCount: 0 }, "NO_DATA"],
    ])("%j → %s", (ind, expected) => expect(status(check, ind)).toBe(expected));

    it("meets 0.4% exactly despite binary fractions", () => {
      const online: CriterionCheck = { kind: "RATIO_AT_LEAST", label: "占比", numerator: "onlineTeachingTeacherSpaces", denominator: "teacherCount", min: 0.004 };
      expect(status(online, { onlineTeachingTeacherSpaces: 4, teacherCount: 1000 })).toBe("MET");
      expect(status(online, { onlineTeachingTeacherSpaces: 3, teacherCount: 1000 })).toBe("NOT_MET");
      expect(status(online, { onlineTeachingTeacherSpaces: 7, teacherCount: 1750 })).toBe("MET");
    });

    it("shows the percentage with the counts", () => {
      expect(evaluateCheck(check, { activeTeacherSpaces: 145, teacherCount: 200 }).detail).toBe("教师活跃空间比率 72.5%（145/200，要求不低于70%）");
    });
  });

  describe("ALL and ANY (three-valued)", () => {
    const met: CriterionCheck = { kind: "FLAG", indicator: "hasIntro" };
    const notMet: CriterionCheck = { kind: "FLAG", indicator: "hasPromoVideo" };
    const unknown: CriterionCheck = { kind: "FLAG", indicator: "hasTrainingTopics" };
    const ind: Indicators = { hasIntro: true, hasPromoVideo: false };
    it.each<[string, CriterionCheck[], CriterionStatus, CriterionStatus]>([
      ["all met", [met, met], "MET", "MET"],
      ["met and not met", [met, notMet], "NOT_MET", "MET"],
      ["met and no data", [met, unknown], "NO_DATA", "MET"],
      ["not met and no data", [notMet, unknown], "NOT_MET", "NO_DATA"],
      ["all not met", [notMet, notMet], "NOT_MET", "NOT_MET"],
      ["all no data", [unknown, unknown], "NO_DATA", "NO_DATA"],
    ])("%s → ALL %s, ANY %s", (_n, checks, all, any) => {
      expect(status({ kind: "ALL", checks }, ind)).toBe(all);
      expect(status({ kind: "ANY", checks }, ind)).toBe(any);
    });

    it("keeps the parts for the checklist", () => {
      const r = evaluateCheck({ kind: "ANY", label: "路径", checks: [met, notMet] }, ind);
      expect(r.parts?.map((p) => p.status)).toEqual(["MET", "NOT_MET"]);
      expect(r.detail).toBe("路径（满足其一）：已发布个人简介：是；已发布宣讲短视频：否");
    });
  });
});

describe("the 2023 checklists", () => {
  const campaign = demoCampaign2023();
  const statuses = (code: string, ind: Indicators) => Object.fromEntries(categoryChecklist(campaign, code, ind).map((r) => [r.id, r.status]));

  it("marks a well-documented teaching space, leaving judgment criteria to reviewers", () => {
    expect(
      statuses("TEACHING_SPACE", {
        profileComplete: true,
        provinceSelectedResourcesShown: 2,
        yearlyVisits: 8000,
        provinceAverageYearlyVisits: 3200,
        resourceCount: 120,
        resourcesOlderThan5Years: 6,
        provinceLibraryResourcesThisYear: 5,
        resourceReviewsDone: 4,
        teachingClientActivities: 30,
      }),
    ).toEqual({
      TS_PROFILE: "MET",
      TS_DISTINCT: "NO_DATA",
      TS_SELECTED_SHOWN: "MET",
      TS_VISITS: "MET",
      TS_OLD_RESOURCES: "MET",
      TS_LIBRARY: "MET",
      TS_REVIEWS: "NOT_MET",
      TS_TEACHING_CLIENT: "MET",
    });
  });

  it("never guesses: without indicators every criterion is NO_DATA", () => {
    for (const code of ["TEACHING_SPACE", "LECTURER_SPACE", "SCHOOL", "REGION"]) {
      expect(new Set(Object.values(statuses(code, {})))).toEqual(new Set(["NO_DATA"]));
    }
  });

  it("accepts a school through its club space when online teaching falls short", () => {
    const r = statuses("SCHOOL", {
      hasSpaceManager: true,
      classesComplete: true,
      teacherCount: 100,
      activeTeacherSpaces: 80,
      studentCount: 1000,
      activeStudentSpaces: 720,
      onlineCourseMaxLearners: 150,
      syncCourseStudents: 600,
      lecturerTeamTeachers: 1,
      teachingClientTeachers: 70,
      hostsClubSpace: true,
      clubActivitiesWith100External: 2,
    });
    expect(r).toEqual({ SC_MANAGER: "MET", SC_CLASSES: "MET", SC_ACTIVE: "MET", SC_ADOPTION: "MET" });
  });

  it("fails a school whose students are not active enough", () => {
    expect(statuses("SCHOOL", { teacherCount: 100, activeTeacherSpaces: 90, studentCount: 1000, activeStudentSpaces: 699 }).SC_ACTIVE).toBe("NOT_MET");
  });

  it("accepts a region on enrolled students when teacher online service is below 0.4%", () => {
    const r = statuses("REGION", { teacherCount: 10000, onlineTeachingTeacherSpaces: 30, studentCount: 150000, onlineEnrolledStudents: 7500 });
    expect(r.RG_ONLINE).toBe("MET");
  });

  it("marks a region at 59% active teacher spaces as not met", () => {
    expect(statuses("REGION", { teacherCount: 100, activeTeacherSpaces: 59, studentCount: 100, activeStudentSpaces: 90 }).RG_ACTIVE).toBe("NOT_MET");
  });

  it("lists a lecturer's course criterion as not met without lectured hours", () => {
    expect(statuses("LECTURER_SPACE", { designedRegionalCourse: true, lecturedClassHours: 0 }).LS_COURSE).toBe("NOT_MET");
  });

  it("gives criteria without a check to reviewers", () => {
    expect(evaluateCriteria([{ id: "X", text: "特色鲜明" }], {})).toEqual([{ id: "X", text: "特色鲜明", status: "NO_DATA", detail: "无可计算数据，需评审人员人工核查" }]);
  });

  it("tells the server which indicators a category needs", () => {
    const criteria = campaign.categories.find((c) => c.code === "REGION")!.criteria;
    expect(indicatorsUsedBy(criteria).sort()).toEqual(
      ["activeStudentSpaces", "activeTeacherSpaces", "hasLecturerClubSpace", "hasLecturerTeam", "onlineEnrolledStudents", "onlineTeachingTeacherSpaces", "studentCount", "teacherCount", "teachingClientTeachers", "trainingCoursesDeveloped"].sort(),
    );
  });

  it("refuses an unknown category", () => {
    expect(() => categoryChecklist(campaign, "X", {})).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });
});

describe("formatPercent", () => {
  it.each([[0.725, "72.5%"], [0.004, "0.4%"], [0.7, "70%"], [1 / 3, "33.33%"]])("%d → %s", (r, s) => expect(formatPercent(r)).toBe(s));
});
