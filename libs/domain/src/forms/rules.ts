import type { FieldViolation } from "../errors.js";

/** "draft": only what is present is checked (formats, sizes); "submit": everything required too. */
export type FormMode = "draft" | "submit";

/** Mainland mobile number: 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

/**
 * Office (fixed-line) phone: area code of 3–4 digits starting with 0, a hyphen, a 7–8 digit local
 * number not starting with 0 or 1, and optionally "-" plus an extension of 1–6 digits:
 * 0571-88905096, 010-12345678, 0570-1234567-801.
 */
export const OFFICE_PHONE_PATTERN = /^0\d{2,3}-[2-9]\d{6,7}(?:-\d{1,6})?$/;

export const isMobile = (s: string): boolean => MOBILE_PATTERN.test(s);
export const isOfficePhone = (s: string): boolean => OFFICE_PHONE_PATTERN.test(s);

/** An absolute http(s) URL with a host; with `hosts`, the host must be one of them or a subdomain. */
export function isHttpUrl(s: string, hosts: readonly string[] = []): boolean {
  return urlProblem(s, hosts) === null;
}

function urlProblem(s: string, hosts: readonly string[]): "url" | "urlHost" | null {
  if (/\s/.test(s)) return "url";
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return "url";
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || u.hostname === "" || u.username !== "" || u.password !== "") return "url";
  if (hosts.length > 0) {
    const h = u.hostname.toLowerCase();
    if (!hosts.some((allowed) => h === allowed.toLowerCase() || h.endsWith(`.${allowed.toLowerCase()}`))) return "urlHost";
  }
  return null;
}

/** Length in Unicode code points (a Chinese character, a letter and an emoji count one each). */
export const codePointLength = (s: string): number => [...s].length;

/** Collects violations for one form; field paths use dots and [i] for list items. */
export class FormChecker {
  readonly violations: FieldViolation[] = [];
  constructor(readonly mode: FormMode) {}

  add(field: string, rule: string, message: string): void {
    this.violations.push({ field, rule, message });
  }

  /** A text field: returns the trimmed text, or null when absent/blank (required only on submit). */
  text(field: string, label: string, value: unknown, opts: { max: number; required?: boolean }): string | null {
    if (value === undefined || value === null) return this.missing(field, label, opts.required ?? true);
    if (typeof value !== "string") {
      this.add(field, "type", `「${label}」须为文字`);
      return null;
    }
    const t = value.trim();
    if (t === "") return this.missing(field, label, opts.required ?? true);
    const n = codePointLength(t);
    if (n > opts.max) {
      this.add(field, "maxLength", `「${label}」不能超过${opts.max}字，当前${n}字`);
      return null;
    }
    return t;
  }

  private missing(field: string, label: string, required: boolean): null {
    if (required && this.mode === "submit") this.add(field, "required", `请填写「${label}」`);
    return null;
  }

  mobile(field: string, label: string, value: unknown, required = true): string | null {
    const t = this.text(field, label, value, { max: 20, required });
    if (t !== null && !isMobile(t)) {
      this.add(field, "mobile", `「${label}」须为11位手机号码（以13–19开头），当前为“${t}”`);
      return null;
    }
    return t;
  }

  officePhone(field: string, label: string, value: unknown, required = true): string | null {
    const t = this.text(field, label, value, { max: 30, required });
    if (t !== null && !isOfficePhone(t)) {
      this.add(field, "officePhone", `「${label}」须为“区号-号码”格式的办公电话，如0571-88905096（区号3–4位、以0开头，号码7–8位，可加“-分机号”），当前为“${t}”`);
      return null;
    }
    return t;
  }

  /** A mobile number or an office phone. */
  phone(field: string, label: string, value: unknown, required = true): string | null {
    const t = this.text(field, label, value, { max: 30, required });
    if (t !== null && !isMobile(t) && !isOfficePhone(t)) {
      this.add(field, "phone", `「${label}」须为11位手机号码或办公电话（如0571-88905096），当前为“${t}”`);
      return null;
    }
    return t;
  }

  url(field: string, label: string, value: unknown, opts: { required?: boolean; hosts?: readonly string[] } = {}): string | null {
    const t = this.text(field, label, value, { max: 500, required: opts.required });
    if (t === null) return null;
    const problem = urlProblem(t, opts.hosts ?? []);
    if (problem === "url") {
      this.add(field, "url", `「${label}」须为以http://或https://开头的有效网址，当前为“${t}”`);
      return null;
    }
    if (problem === "urlHost") {
      this.add(field, "urlHost", `「${label}」须为${(opts.hosts ?? []).join("、")}上的网址，当前为“${t}”`);
      return null;
    }
    return t;
  }

  choice<T extends string>(field: string, label: string, value: unknown, labels: Readonly<Record<T, string>>, required = true): T | null {
    if (value === undefined || value === null || value === "") return this.missing(field, label, required);
    if (typeof value !== "string" || !Object.prototype.hasOwnProperty.call(labels, value)) {
      this.add(field, "enum", `「${label}」须从以下选项中选择：${Object.values<string>(labels).join("、")}`);
      return null;
    }
    return value as T;
  }

  /** A list: checks size, returns the items to check one by one (empty when not a list). */
  list<T>(field: string, label: string, value: unknown, opts: { min: number; max: number }): T[] {
    if (value === undefined || value === null) {
      if (opts.min > 0 && this.mode === "submit") this.add(field, "minItems", `「${label}」至少填写${opts.min}项`);
      return [];
    }
    if (!Array.isArray(value)) {
      this.add(field, "type", `「${label}」须为列表`);
      return [];
    }
    if (value.length > opts.max) this.add(field, "maxItems", `「${label}」最多填写${opts.max}项，当前${value.length}项`);
    if (value.length < opts.min && this.mode === "submit") this.add(field, "minItems", `「${label}」至少填写${opts.min}项`);
    return value.slice(0, opts.max) as T[];
  }

  /** A nested object: returns it (or an empty one when absent; a non-object is a violation). */
  object(field: string, label: string, value: unknown): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== "object" || Array.isArray(value)) {
      this.add(field, "type", `「${label}」格式不正确`);
      return {};
    }
    return value as Record<string, unknown>;
  }
}

/** School stage (学段). */
export type SchoolStage = "PRESCHOOL" | "PRIMARY" | "JUNIOR" | "SENIOR" | "VOCATIONAL" | "SPECIAL" | "CROSS_STAGE";

export const SCHOOL_STAGE_LABELS: Record<SchoolStage, string> = {
  PRESCHOOL: "学前",
  PRIMARY: "小学",
  JUNIOR: "初中",
  SENIOR: "高中",
  VOCATIONAL: "中职",
  SPECIAL: "特殊教育",
  CROSS_STAGE: "跨学段",
};

/** Size limits of ordinary text fields, in code points. */
export const TEXT_LIMITS = {
  name: 50,
  unitName: 100,
  jobTitle: 50,
  region: 50,
  address: 200,
  note: 500,
  account: 64,
  shortText: 200,
  longText: 5000,
} as const;
