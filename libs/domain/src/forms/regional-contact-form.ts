import type { FieldViolation } from "../errors.js";
import { FormChecker, TEXT_LIMITS, type FormMode } from "./rules.js";

/** Annex 1: 区域活动联系人信息表, one row per contact, filed by each city. */
export interface RegionalContactForm {
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
  c.text("note", "备注", form.note, { max: TEXT_LIMITS.note, required: false });
  c.text("stampedScanFileId", "加盖公章的扫描件", form.stampedScanFileId, { max: 200 });
  return c.violations;
}
