import { describe, expect, it } from "vitest";
import { demoCampaign2023 } from "./demo-2023.js";
import { copiedDates, defaultCopyYear, openingWarnings, shiftDateByYears, stageDateViolations } from "./new-year.js";

const at = (iso: string) => new Date(iso);

describe("a campaign of a new year", () => {
  const src = demoCampaign2023();

  it("moves dates by whole years; 29 February becomes 28 February", () => {
    expect(shiftDateByYears("2023-09-30", 3)).toBe("2026-09-30");
    expect(shiftDateByYears("2024-02-29", 1)).toBe("2025-02-28");
    expect(shiftDateByYears(null, 1)).toBeNull();
  });

  it("copies to this year while its moved dates are ahead, to the next year once they have passed (December)", () => {
    expect(defaultCopyYear(src, at("2026-03-01T00:00:00Z"))).toBe(2026);
    expect(defaultCopyYear(src, at("2026-12-04T10:00:00Z"))).toBe(2027);
    // The last deadline (30 September) closes at 24:00 Beijing time.
    expect(defaultCopyYear(src, at("2026-09-30T15:59:00Z"))).toBe(2026);
    expect(defaultCopyYear(src, at("2026-09-30T16:00:00Z"))).toBe(2027);
    // Never the source's own year or earlier.
    expect(defaultCopyYear(src, at("2023-01-05T00:00:00Z"))).toBe(2024);
  });

  it("a copy moves every stage date and the issue date; city schedules are dropped", () => {
    const c = copiedDates({ ...src, issuedOn: "2023-03-20" }, 2027);
    expect(c.issuedOn).toBe("2027-03-20");
    expect(c.stages.find((s) => s.stage === "CITY_REVIEW")!.deadline).toBe("2027-09-30");
    expect(c.stages.every((s) => Object.keys(s.unitDeadlines ?? {}).length === 0)).toBe(true);
  });

  it("stage dates keep the order of the review chain", () => {
    expect(stageDateViolations(src.stages)).toEqual([]);
    const bad = src.stages.map((s) => (s.stage === "CITY_REVIEW" ? { ...s, deadline: "2023-09-01" } : s));
    const v = stageDateViolations(bad);
    expect(v.map((x) => x.rule)).toEqual(["order"]);
    expect(v[0]!.field).toBe(`stages[${bad.findIndex((s) => s.stage === "CITY_REVIEW")}].deadline`);
    expect(v[0]!.message).toContain("早于前一阶段");
    expect(stageDateViolations([{ stage: "APPLICATION", name: "申报", deadline: "2023-02-30" }])[0]!.rule).toBe("date");
  });

  it("opening warns about passed dates, every stage closed, units without a reviewer and another open campaign", () => {
    const w = openingWarnings({
      campaign: src,
      now: at("2026-12-04T10:00:00Z"),
      unitsWithoutReviewer: [{ name: "瓯海区", level: "COUNTY" }],
      otherOpen: [{ title: "之江汇2025年活动", year: 2025 }],
    });
    const codes = w.map((x) => x.code);
    expect(codes).toContain("DEADLINE_PASSED");
    expect(codes).toContain("ALL_STAGES_CLOSED");
    expect(codes).toContain("YEAR_PASSED");
    expect(w.find((x) => x.code === "NO_REVIEWER")!.message).toContain("瓯海区");
    expect(w.find((x) => x.code === "OTHER_CAMPAIGN_OPEN")!.message).toContain("之江汇2025年活动");

    const moved = { ...src, year: 2027, stages: copiedDates(src, 2027).stages };
    expect(openingWarnings({ campaign: moved, now: at("2026-12-04T10:00:00Z"), unitsWithoutReviewer: [], otherOpen: [] })).toEqual([]);
  });
});
