import { describe, expect, it } from "vitest";
import { contactGrantedRole, contactUnitViolations, validateRegionalContactForm, type RegionalContactForm } from "./regional-contact-form.js";

const department = (over: Partial<RegionalContactForm> = {}): RegionalContactForm => ({
  kind: "PRACTICE_BASE_DEPARTMENT",
  contactName: "林老师",
  cityCode: "330300",
  unitName: "温州市教育局基础教育处",
  jobTitle: "科长",
  officePhone: "0577-88960001",
  mobile: "13857700088",
  platformAccount: "wz_base_dept",
  postalAddress: "温州市鹿城区",
  note: "实践教育基地管理部门",
  stampedScanFileId: "file-1",
  ...over,
});

describe("practice-base management department as a contact (Annex 1, 备注栏)", () => {
  it("accepts a complete department row", () => {
    expect(validateRegionalContactForm(department(), "submit")).toEqual([]);
  });

  it("needs the note (备注) saying so on submit, not in a draft", () => {
    const v = validateRegionalContactForm(department({ note: "  " }), "submit");
    expect(v).toEqual([expect.objectContaining({ field: "note", rule: "required" })]);
    expect(v[0]!.message).toContain("备注");
    expect(validateRegionalContactForm(department({ note: null }), "draft")).toEqual([]);
    // A region's contact keeps the note optional.
    expect(validateRegionalContactForm(department({ kind: "REGION", note: null }), "submit")).toEqual([]);
    expect(validateRegionalContactForm(department({ kind: undefined, note: null }), "submit")).toEqual([]);
  });

  it("refuses an unknown kind by name", () => {
    expect(validateRegionalContactForm(department({ kind: "SCHOOL" as never }), "submit")).toEqual([expect.objectContaining({ field: "kind", rule: "oneOf" })]);
  });

  it("a department represents a city only; a region's contact a city or a county", () => {
    expect(contactUnitViolations("PRACTICE_BASE_DEPARTMENT", "CITY")).toEqual([]);
    for (const k of ["COUNTY", "PRACTICE_BASE", "SCHOOL", "PROVINCE"]) {
      expect(contactUnitViolations("PRACTICE_BASE_DEPARTMENT", k)).toEqual([expect.objectContaining({ field: "unitId", rule: "unitKind" })]);
    }
    expect(contactUnitViolations("REGION", "CITY")).toEqual([]);
    expect(contactUnitViolations("REGION", "COUNTY")).toEqual([]);
    expect(contactUnitViolations("REGION", "SCHOOL")).toHaveLength(1);
  });

  it("approval grants a region's contact the unit's reviewer role, a department none", () => {
    expect(contactGrantedRole("REGION", "CITY")).toBe("CITY_REVIEWER");
    expect(contactGrantedRole("REGION", "COUNTY")).toBe("COUNTY_REVIEWER");
    expect(contactGrantedRole("PRACTICE_BASE_DEPARTMENT", "CITY")).toBeNull();
  });
});
