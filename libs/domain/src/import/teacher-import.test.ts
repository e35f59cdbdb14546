import { describe, expect, it } from "vitest";
import {
  TEACHER_IMPORT_FIELDS, TEACHER_IMPORT_OPTIONAL_VALUES, TeacherRowValidator, isBlankRecord, mapTeacherImportHeader, recordOf, type CountyStanding, type RawTeacherRecord,
} from "./teacher-import.js";

const COUNTIES: Record<string, CountyStanding> = { "330381": "inScope", "330302": "outOfScope" };
const scope = { county: (c: string) => COUNTIES[c] ?? "unknown" };

const good: RawTeacherRecord = {
  account: "t330381001",
  name: "陈晓明",
  phone: "13857700001",
  schoolCode: "3303810009",
  schoolName: "瑞安市新华小学",
  countyCode: "330381",
  subject: "语文",
  stage: "小学",
};

describe("mapTeacherImportHeader", () => {
  it("recognizes the Chinese headers of the real export, in any order, ignoring extra columns", () => {
    const r = mapTeacherImportHeader(["\uFEFF师训账号", "姓名", "性别", "手机", "学校代码", "学校名称", "县区代码", "学科", "学段"]);
    expect(r.errors).toEqual([]);
    expect(r.mapping).toEqual({ account: 0, name: 1, phone: 3, schoolCode: 4, schoolName: 5, countyCode: 6, subject: 7, stage: 8 });
  });

  it.each([
    [["account", "name", "phone", "schoolCode", "schoolName", "countyCode", "subject", "stage"]],
    [["Account", "Name", "Phone", "School Code", "School Name", "County Code", "Subject", "Stage"]],
    [["account", "name", "phone", "school_code", "school_name", "county_code", "subject", "stage"]],
  ])("recognizes English headers %j", (cells) => {
    expect(mapTeacherImportHeader(cells).mapping).toEqual({ account: 0, name: 1, phone: 2, schoolCode: 3, schoolName: 4, countyCode: 5, subject: 6, stage: 7 });
  });

  it("names every missing column in Chinese", () => {
    const r = mapTeacherImportHeader(["师训账号", "姓名", "手机"]);
    expect(r.mapping).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 1, field: "header" });
    for (const label of ["学校代码", "学校名称", "县区代码", "学科", "学段"]) expect(r.errors[0]!.message).toContain(label);
  });

  it("refuses a column given twice", () => {
    const r = mapTeacherImportHeader(["师训账号", "account", "姓名", "手机", "学校代码", "学校名称", "县区代码", "学科", "学段"]);
    expect(r.errors[0]?.message).toMatch(/「师训账号」列出现了两次（第1列和第2列）/);
  });
});

describe("TeacherRowValidator", () => {
  it("accepts a complete row and normalizes it", () => {
    const v = new TeacherRowValidator(scope);
    const r = v.check(2, { ...good, name: "  陈晓明\u3000", phone: "138 5770-0001" });
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({ row: 2, ...good, phone: "13857700001" });
  });

  it("turns blank optional cells into nulls", () => {
    const r = new TeacherRowValidator(scope).check(2, { ...good, phone: "", subject: undefined, stage: " " });
    expect(r.value).toMatchObject({ phone: null, subject: null, stage: null });
  });

  const refused: [string, Partial<RawTeacherRecord>, string, RegExp][] = [
    ["a blank account", { account: "" }, "account", /「师训账号」不能为空/],
    ["a malformed account", { account: "陈 老师" }, "account", /「师训账号」「陈 老师」格式不正确/],
    ["a blank name", { name: "  " }, "name", /「姓名」不能为空/],
    ["a too long name", { name: "名".repeat(51) }, "name", /「姓名」不能超过50个字/],
    ["a malformed mobile", { phone: "1385770000" }, "phone", /「手机」「1385770000」格式不正确：须为11位/],
    ["a mobile starting 12", { phone: "12857700001" }, "phone", /「手机」/],
    ["an office phone", { phone: "0577-65812345" }, "phone", /「手机」/],
    ["a blank county code", { countyCode: "" }, "countyCode", /「县区代码」不能为空/],
    ["a malformed county code", { countyCode: "33038" }, "countyCode", /须为6位行政区划代码/],
    ["an unknown county code", { countyCode: "330399" }, "countyCode", /「330399」不是浙江省的县（市、区）代码/],
    ["a county out of scope", { countyCode: "330302" }, "countyCode", /「330302」不在您的管辖范围内/],
    ["a blank school code", { schoolCode: "" }, "schoolCode", /「学校代码」不能为空/],
    ["a malformed school code", { schoolCode: "学校1" }, "schoolCode", /「学校代码」「学校1」格式不正确/],
    ["a blank school name", { schoolName: "" }, "schoolName", /「学校名称」不能为空/],
    ["a too long subject", { subject: "科".repeat(21) }, "subject", /「学科」不能超过20个字/],
    ["a too long stage", { stage: "段".repeat(21) }, "stage", /「学段」不能超过20个字/],
  ];
  it.each(refused)("refuses %s, naming the column", (_what, patch, field, message) => {
    const r = new TeacherRowValidator(scope).check(7, { ...good, ...patch });
    expect(r.value).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 7, field });
    expect(r.errors[0]!.message).toMatch(message);
  });

  it("reports every problem of a row, not only the first", () => {
    const r = new TeacherRowValidator(scope).check(3, { ...good, name: "", phone: "123", countyCode: "999999" });
    expect(r.errors.map((e) => e.field)).toEqual(["name", "phone", "countyCode"]);
  });

  it("reports a duplicate account on the later row, naming the first", () => {
    const v = new TeacherRowValidator(scope);
    expect(v.check(2, good).errors).toEqual([]);
    const r = v.check(9, { ...good, name: "别人" });
    expect(r.errors).toEqual([{ row: 9, field: "account", message: expect.stringMatching(/与第2行重复/) }]);
  });

  it("still counts an account as seen when its first row had other errors", () => {
    const v = new TeacherRowValidator(scope);
    expect(v.check(2, { ...good, phone: "1" }).errors).toHaveLength(1);
    expect(v.check(3, good).errors[0]?.message).toMatch(/与第2行重复/);
  });

  it("keeps one school name and county per school code throughout the file", () => {
    const v = new TeacherRowValidator({ county: (c) => (c === "330381" || c === "330382" ? "inScope" : "unknown") });
    expect(v.check(2, good).errors).toEqual([]);
    expect(v.check(3, { ...good, account: "t330381002", schoolName: "别的名字" }).errors[0]).toMatchObject({ field: "schoolName", message: expect.stringMatching(/第2行的学校名称为「瑞安市新华小学」/) });
    expect(v.check(4, { ...good, account: "t330381003", countyCode: "330382" }).errors[0]).toMatchObject({ field: "countyCode" });
    expect(v.check(5, { ...good, account: "t330381004" }).errors).toEqual([]);
  });

  it("lets a school admin import only their own school's rows", () => {
    const v = new TeacherRowValidator({ ...scope, onlySchoolCode: "3303810001" });
    expect(v.check(2, { ...good, schoolCode: "3303810001" }).errors).toEqual([]);
    expect(v.check(3, { ...good, account: "t330381002" }).errors[0]?.message).toMatch(/不是本校代码（3303810001）/);
  });

  it("shortens a garbage cell quoted in a message", () => {
    const r = new TeacherRowValidator(scope).check(2, { ...good, phone: "9".repeat(500) });
    expect(r.errors[0]!.message.length).toBeLessThan(120);
  });
});

describe("recordOf and isBlankRecord", () => {
  it("picks fields by the header mapping and recognizes blank trailing rows", () => {
    const { mapping } = mapTeacherImportHeader(["account", "name", "phone", "schoolCode", "schoolName", "countyCode", "subject", "stage"]);
    const rec = recordOf(["a1", "张三", "", "s1", "学校", "330381"], mapping!);
    expect(rec).toMatchObject({ account: "a1", name: "张三", countyCode: "330381", subject: undefined });
    expect(isBlankRecord(rec)).toBe(false);
    expect(isBlankRecord(recordOf(["", " ", "\u3000"], mapping!))).toBe(true);
  });
});

describe("TEACHER_IMPORT_OPTIONAL_VALUES", () => {
  it("lists exactly the columns whose empty cell the validator accepts", () => {
    for (const f of TEACHER_IMPORT_FIELDS) {
      const r = new TeacherRowValidator(scope).check(2, { ...good, [f]: "" });
      expect(r.errors.some((e) => e.field === f), f).toBe(!TEACHER_IMPORT_OPTIONAL_VALUES.includes(f));
    }
  });
});
