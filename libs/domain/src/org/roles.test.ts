import { describe, expect, it } from "vitest";
import { assertCanGrant, isWithin, type Role, type UnitKind } from "./roles.js";
import { passwordViolations, accountViolations } from "./account.js";

describe("assertCanGrant", () => {
  const ok: [Role, Role, UnitKind][] = [
    ["PROVINCE_ADMIN", "CITY_REVIEWER", "CITY"],
    ["PROVINCE_ADMIN", "EXPERT", "PROVINCE"],
    ["CITY_REVIEWER", "COUNTY_REVIEWER", "COUNTY"],
    ["COUNTY_REVIEWER", "SCHOOL_ADMIN", "SCHOOL"],
    ["SCHOOL_ADMIN", "TEACHER", "SCHOOL"],
    ["CITY_REVIEWER", "SCHOOL_ADMIN", "PRACTICE_BASE"],
  ];
  it.each(ok)("%s may grant %s on a %s in scope", (granterRole, role, unitKind) => {
    expect(() => assertCanGrant({ granterRole, role, unitKind, unitInGranterScope: true })).not.toThrow();
  });

  const refused: [Role, Role, UnitKind, boolean, string][] = [
    ["COUNTY_REVIEWER", "COUNTY_REVIEWER", "COUNTY", true, "FORBIDDEN"],
    ["COUNTY_REVIEWER", "CITY_REVIEWER", "CITY", true, "FORBIDDEN"],
    ["CITY_REVIEWER", "EXPERT", "PROVINCE", true, "FORBIDDEN"],
    ["TEACHER", "TEACHER", "SCHOOL", true, "FORBIDDEN"],
    ["EXPERT", "TEACHER", "SCHOOL", true, "FORBIDDEN"],
    ["COUNTY_REVIEWER", "SCHOOL_ADMIN", "SCHOOL", false, "NOT_FOUND"],
    ["PROVINCE_ADMIN", "CITY_REVIEWER", "COUNTY", true, "BAD_INPUT"],
    ["SCHOOL_ADMIN", "TEACHER", "COUNTY", true, "BAD_INPUT"],
  ];
  it.each(refused)("%s granting %s on a %s (in scope: %s) is refused with %s", (granterRole, role, unitKind, unitInGranterScope, code) => {
    expect(() => assertCanGrant({ granterRole, role, unitKind, unitInGranterScope })).toThrow(expect.objectContaining({ code }));
  });
});

describe("isWithin", () => {
  it("includes the unit itself and its descendants only", () => {
    expect(isWithin("/1/12/", "/1/12/")).toBe(true);
    expect(isWithin("/1/12/130/", "/1/12/")).toBe(true);
    expect(isWithin("/1/120/", "/1/12/")).toBe(false);
    expect(isWithin("/1/", "/1/12/")).toBe(false);
  });
});

describe("password and account policy", () => {
  it.each([
    ["short1", "length"],
    ["abcdefgh", "complexity"],
    ["12345678", "complexity"],
  ])("refuses %s (%s)", (pw, rule) => {
    expect(passwordViolations(pw)[0]?.rule).toBe(rule);
  });
  it("accepts letters with digits", () => expect(passwordViolations("Demo2023x")).toEqual([]));
  it("checks account format", () => {
    expect(accountViolations("ra_teacher1")).toEqual([]);
    expect(accountViolations("a b")[0]?.rule).toBe("format");
  });
});
