import { accountViolations } from "../org/account.js";

/**
 * Import of teachers and schools from the teacher-training platform's export (师训平台导出).
 * Pure rules: header recognition and per-row validation. Checks that need the database (does the
 * account belong to a user outside the caller's scope, is the school code taken by a unit of
 * another county) are made by the server with the same error shape.
 */

export const TEACHER_IMPORT_FIELDS = ["account", "name", "phone", "schoolCode", "schoolName", "countyCode", "subject", "stage"] as const;
export type TeacherImportField = (typeof TEACHER_IMPORT_FIELDS)[number];

/** The column names of the real export, used in every message. */
export const TEACHER_IMPORT_LABELS: Record<TeacherImportField, string> = {
  account: "师训账号",
  name: "姓名",
  phone: "手机",
  schoolCode: "学校代码",
  schoolName: "学校名称",
  countyCode: "县区代码",
  subject: "学科",
  stage: "学段",
};

/**
 * Accepted header spellings per field, compared after normalization (see normalizeHeader): the
 * Chinese headers of the real export and a few variants seen in hand-edited files, and English
 * names in camelCase, snake_case or with spaces.
 */
const HEADER_ALIASES: Record<TeacherImportField, readonly string[]> = {
  account: ["师训账号", "师训帐号", "账号", "帐号", "account"],
  name: ["姓名", "教师姓名", "name"],
  phone: ["手机", "手机号", "手机号码", "phone", "mobile"],
  schoolCode: ["学校代码", "学校编码", "schoolcode"],
  schoolName: ["学校名称", "学校", "schoolname"],
  countyCode: ["县区代码", "县（市、区）代码", "县(市、区)代码", "区县代码", "countycode"],
  subject: ["学科", "任教学科", "subject"],
  stage: ["学段", "任教学段", "stage"],
};

/** Lower case, no BOM, no spaces (ASCII or full-width), no underscores or hyphens. */
export function normalizeHeader(h: string): string {
  return h.replace(/^\uFEFF/, "").replace(/[\s\u3000_-]+/g, "").toLowerCase();
}

const ALIAS_TO_FIELD = new Map<string, TeacherImportField>();
for (const f of TEACHER_IMPORT_FIELDS) for (const a of HEADER_ALIASES[f]) ALIAS_TO_FIELD.set(normalizeHeader(a), f);

/** One refused row (or the header, row 1 for a file whose first row is the header). */
export interface ImportRowError {
  /** Row number as a spreadsheet shows it (the header row is 1). */
  row: number;
  /** The field (TeacherImportField) or "header" / "file". */
  field: string;
  /** Chinese message naming the column and the rule. */
  message: string;
}

export type HeaderMapping = Record<TeacherImportField, number>;

/**
 * Recognizes the header row: every one of the eight columns must be present exactly once;
 * other columns (the real export has more, e.g. 性别) are ignored.
 */
export function mapTeacherImportHeader(cells: readonly string[], row = 1): { mapping: HeaderMapping; errors: [] } | { mapping: null; errors: ImportRowError[] } {
  const found = new Map<TeacherImportField, number>();
  const errors: ImportRowError[] = [];
  cells.forEach((cell, i) => {
    const f = ALIAS_TO_FIELD.get(normalizeHeader(cell ?? ""));
    if (!f) return;
    if (found.has(f)) {
      errors.push({ row, field: "header", message: `表头中「${TEACHER_IMPORT_LABELS[f]}」列出现了两次（第${found.get(f)! + 1}列和第${i + 1}列）` });
      return;
    }
    found.set(f, i);
  });
  const missing = TEACHER_IMPORT_FIELDS.filter((f) => !found.has(f));
  if (missing.length) {
    errors.push({
      row,
      field: "header",
      message: `表头缺少必需的列：${missing.map((f) => `「${TEACHER_IMPORT_LABELS[f]}」（或 ${f}）`).join("、")}；第一行须为列名`,
    });
  }
  if (errors.length) return { mapping: null, errors };
  return { mapping: Object.fromEntries(found) as HeaderMapping, errors: [] };
}

/** A validated, normalized row, ready to be written. */
export interface TeacherImportRow {
  row: number;
  account: string;
  name: string;
  phone: string | null;
  schoolCode: string;
  schoolName: string;
  countyCode: string;
  subject: string | null;
  stage: string | null;
}

export type RawTeacherRecord = Record<TeacherImportField, string | undefined>;

/** Picks the eight fields out of a row's cells. */
export function recordOf(cells: readonly (string | undefined)[], mapping: HeaderMapping): RawTeacherRecord {
  const r = {} as RawTeacherRecord;
  for (const f of TEACHER_IMPORT_FIELDS) r[f] = cells[mapping[f]];
  return r;
}

/** A row whose eight cells are all blank (trailing rows of spreadsheets): skipped silently. */
export function isBlankRecord(r: RawTeacherRecord): boolean {
  return TEACHER_IMPORT_FIELDS.every((f) => clean(r[f]) === "");
}

/** Trims ASCII and full-width spaces. */
function clean(v: string | undefined): string {
  return (v ?? "").replace(/^[\s\u3000]+|[\s\u3000]+$/g, "");
}

/**
 * Columns whose cells may be left empty in a row (the column itself must still be in the header,
 * like every other): the page that explains the file lists them from here, and TeacherRowValidator
 * refuses an empty cell in every other column.
 */
export const TEACHER_IMPORT_OPTIONAL_VALUES: readonly TeacherImportField[] = ["phone", "subject", "stage"];

export const TEACHER_IMPORT_LIMITS = { name: 50, schoolName: 100, subject: 20, stage: 20 } as const;
/** Mainland mobile number: 11 digits starting 13–19. */
export const IMPORT_MOBILE_PATTERN = /^1[3-9]\d{9}$/;
/** GB/T 2260 county-level division code. */
export const COUNTY_CODE_PATTERN = /^\d{6}$/;
/** School codes: 4–32 letters, digits or hyphens (the national 10-digit school code, or a local one). */
export const SCHOOL_CODE_PATTERN = /^[A-Za-z0-9-]{4,32}$/;

/** How a county code stands for the caller: exists and inside their scope, exists elsewhere, or unknown. */
export type CountyStanding = "inScope" | "outOfScope" | "unknown";

export interface TeacherImportScope {
  county(code: string): CountyStanding;
  /** A school admin imports only rows of their own school: its code. */
  onlySchoolCode?: string;
}

/**
 * Validates rows one after another. Stateful on purpose: a duplicate account is reported on the
 * later row (naming the first), and a school code must keep the school name and county of its
 * first row throughout the file.
 */
export class TeacherRowValidator {
  private readonly accounts = new Map<string, number>();
  private readonly schools = new Map<string, { name: string; countyCode: string; row: number }>();

  constructor(private readonly scope: TeacherImportScope) {}

  check(row: number, raw: RawTeacherRecord): { value: TeacherImportRow | null; errors: ImportRowError[] } {
    const errors: ImportRowError[] = [];
    const err = (field: TeacherImportField, message: string) => errors.push({ row, field, message });
    const L = TEACHER_IMPORT_LABELS;

    const account = clean(raw.account);
    if (!account) err("account", `「${L.account}」不能为空`);
    else if (accountViolations(account).length) err("account", `「${L.account}」「${shown(account)}」格式不正确：须为3–64位字母、数字、点、下划线或连字符`);
    else {
      const first = this.accounts.get(account);
      if (first !== undefined) err("account", `「${L.account}」「${account}」与第${first}行重复，同一账号在文件中只能出现一次`);
      else this.accounts.set(account, row);
    }

    const name = clean(raw.name);
    if (!name) err("name", `「${L.name}」不能为空`);
    else if ([...name].length > TEACHER_IMPORT_LIMITS.name) err("name", `「${L.name}」不能超过${TEACHER_IMPORT_LIMITS.name}个字`);

    // Spaces and hyphens inside a number ("138 5770 0001") are formatting, not content.
    const phone = clean(raw.phone).replace(/[\s\u3000-]/g, "");
    if (phone && !IMPORT_MOBILE_PATTERN.test(phone)) err("phone", `「${L.phone}」「${shown(phone)}」格式不正确：须为11位、以13–19开头的大陆手机号`);

    const countyCode = clean(raw.countyCode);
    let countyOk = false;
    if (!countyCode) err("countyCode", `「${L.countyCode}」不能为空`);
    else if (!COUNTY_CODE_PATTERN.test(countyCode)) err("countyCode", `「${L.countyCode}」「${shown(countyCode)}」格式不正确：须为6位行政区划代码`);
    else {
      const standing = this.scope.county(countyCode);
      if (standing === "unknown") err("countyCode", `「${L.countyCode}」「${countyCode}」不是浙江省的县（市、区）代码`);
      else if (standing === "outOfScope") err("countyCode", `「${L.countyCode}」「${countyCode}」不在您的管辖范围内，只能导入本辖区的教师`);
      else countyOk = true;
    }

    const schoolCode = clean(raw.schoolCode);
    const schoolName = clean(raw.schoolName);
    let schoolCodeOk = false;
    if (!schoolCode) err("schoolCode", `「${L.schoolCode}」不能为空`);
    else if (!SCHOOL_CODE_PATTERN.test(schoolCode)) err("schoolCode", `「${L.schoolCode}」「${shown(schoolCode)}」格式不正确：须为4–32位字母、数字或连字符`);
    else if (this.scope.onlySchoolCode !== undefined && schoolCode !== this.scope.onlySchoolCode) {
      err("schoolCode", `「${L.schoolCode}」「${schoolCode}」不是本校代码（${this.scope.onlySchoolCode}），学校管理员只能导入本校教师`);
    } else schoolCodeOk = true;
    if (!schoolName) err("schoolName", `「${L.schoolName}」不能为空`);
    else if ([...schoolName].length > TEACHER_IMPORT_LIMITS.schoolName) err("schoolName", `「${L.schoolName}」不能超过${TEACHER_IMPORT_LIMITS.schoolName}个字`);

    if (schoolCodeOk && schoolName && countyOk) {
      const first = this.schools.get(schoolCode);
      if (!first) this.schools.set(schoolCode, { name: schoolName, countyCode, row });
      else if (first.countyCode !== countyCode) {
        err("countyCode", `学校代码「${schoolCode}」在第${first.row}行属于县区「${first.countyCode}」，本行却为「${countyCode}」，同一学校的县区代码须一致`);
      } else if (first.name !== schoolName) {
        err("schoolName", `学校代码「${schoolCode}」在第${first.row}行的学校名称为「${first.name}」，本行却为「${schoolName}」，同一学校的名称须一致`);
      }
    }

    const subject = clean(raw.subject);
    if ([...subject].length > TEACHER_IMPORT_LIMITS.subject) err("subject", `「${L.subject}」不能超过${TEACHER_IMPORT_LIMITS.subject}个字`);
    const stage = clean(raw.stage);
    if ([...stage].length > TEACHER_IMPORT_LIMITS.stage) err("stage", `「${L.stage}」不能超过${TEACHER_IMPORT_LIMITS.stage}个字`);

    if (errors.length) return { value: null, errors };
    return {
      value: { row, account, name, phone: phone || null, schoolCode, schoolName, countyCode, subject: subject || null, stage: stage || null },
      errors,
    };
  }
}

/** A cell value quoted in a message, shortened so a garbage cell cannot flood the report. */
function shown(v: string): string {
  return v.length > 40 ? v.slice(0, 40) + "…" : v;
}
