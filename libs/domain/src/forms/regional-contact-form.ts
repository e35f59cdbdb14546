import type { FieldViolation } from "../errors.js";
import type { Role } from "../org/roles.js";
import { FormChecker, TEXT_LIMITS, type FormMode } from "./rules.js";

/**
 * What a row of Annex 1 stands for. REGION: the contact of a city or county, who becomes its
 * reviewer. PRACTICE_BASE_DEPARTMENT: the department a city appointed to manage its 实践教育基地
 * (the notice: "实践教育基地管理部门请在备注栏备注"), named as the contact for the city's bases.
 */
export const CONTACT_KINDS = ["REGION", "PRACTICE_BASE_DEPARTMENT"] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const CONTACT_KIND_LABELS: Record<ContactKind, string> = {
  REGION: "区域活动联系人",
  PRACTICE_BASE_DEPARTMENT: "实践教育基地管理部门",
};

/**
 * Which unit a contact of a kind may represent: a region's contact a city or a county; a
 * practice-base department only a city (its bases hang under the city, whose management
 * department allots their places). One violation on `unitId`, or none.
 */
export function contactUnitViolations(kind: ContactKind, unitKind: string): FieldViolation[] {
  if (kind === "PRACTICE_BASE_DEPARTMENT") {
    return unitKind === "CITY" ? [] : [{ field: "unitId", rule: "unitKind", message: "实践教育基地管理部门须由设区市报送，代表单位请选择设区市" }];
  }
  return unitKind === "CITY" || unitKind === "COUNTY" ? [] : [{ field: "unitId", rule: "unitKind", message: "联系人须代表设区市或县（市、区）" }];
}

/**
 * The reviewer role an approved contact's account gets over the unit: a region's contact reviews
 * for it; a practice-base department gets none (no role covers only a city's bases, and the
 * city-wide reviewer role would open every school of the city — the city keeps reviewing them).
 */
export function contactGrantedRole(kind: ContactKind, unitKind: string): Role | null {
  if (kind === "PRACTICE_BASE_DEPARTMENT") return null;
  return unitKind === "CITY" ? "CITY_REVIEWER" : unitKind === "COUNTY" ? "COUNTY_REVIEWER" : null;
}

/** Annex 1: 区域活动联系人信息表, one row per contact, filed by each city. */
export interface RegionalContactForm {
  /** What the row stands for (default REGION). */
  kind?: ContactKind | null;
  contactName?: string | null;
  /** 设区市, division code. */
  cityCode?: string | null;
  /** 所属单位. */
  unitName?: string | null;
  /** 职务. */
  jobTitle?: string | null;
  officePhone?: string | null;
  mobile?: string | null;
  /** 之江汇账号 (the teacher-training account that gets the reviewer role). */
  platformAccount?: string | null;
  postalAddress?: string | null;
  /** 备注: practice-base management departments say so here. */
  note?: string | null;
  /** The stamped scan (加盖公章), an uploaded file's id. */
  stampedScanFileId?: string | null;
}

const DIVISION_CODE = /^\d{6}$/;
const ACCOUNT = /^[A-Za-z0-9._-]{3,64}$/;

export function validateRegionalContactForm(form: RegionalContactForm, mode: FormMode): FieldViolation[] {
  const c = new FormChecker(mode);
  c.text("contactName", "联系人", form.contactName, { max: TEXT_LIMITS.name });
  const city = c.text("cityCode", "设区市", form.cityCode, { max: 6 });
  if (city !== null && !DIVISION_CODE.test(city)) c.add("cityCode", "divisionCode", `「设区市」须为6位行政区划代码，当前为“${city}”`);
  c.text("unitName", "所属单位", form.unitName, { max: TEXT_LIMITS.unitName });
  c.text("jobTitle", "职务", form.jobTitle, { max: TEXT_LIMITS.jobTitle });
  c.officePhone("officePhone", "办公电话", form.officePhone);
  c.mobile("mobile", "手机号码", form.mobile);
  const account = c.text("platformAccount", "之江汇账号", form.platformAccount, { max: TEXT_LIMITS.account });
  if (account !== null && !ACCOUNT.test(account)) {
    c.add("platformAccount", "account", "「之江汇账号」须为3–64位字母、数字、点、下划线或连字符（与师训账号一致）");
  }
  c.text("postalAddress", "通讯地址", form.postalAddress, { max: TEXT_LIMITS.address });
  const kind = form.kind ?? "REGION";
  if (!(CONTACT_KINDS as readonly string[]).includes(kind)) c.add("kind", "oneOf", `「联系人类别」须为${CONTACT_KINDS.map((k) => CONTACT_KIND_LABELS[k]).join("或")}`);
  // A practice-base department says so in the note (备注), as the notice asks.
  const note = c.text("note", "备注", form.note, { max: TEXT_LIMITS.note, required: false });
  if (kind === "PRACTICE_BASE_DEPARTMENT" && note === null && c.mode === "submit") {
    c.add("note", "required", "实践教育基地管理部门请在「备注」栏注明，如“实践教育基地管理部门，负责本市实践教育基地”");
  }
  c.text("stampedScanFileId", "加盖公章的扫描件", form.stampedScanFileId, { max: 200 });
  return c.violations;
}
