import type { FieldViolation } from "../errors.js";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Password policy: 8–128 characters with at least one letter and one digit. */
export function passwordViolations(password: string, field = "password"): FieldViolation[] {
  const v: FieldViolation[] = [];
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    v.push({ field, rule: "length", message: `密码长度须为${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH}位` });
  } else if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    v.push({ field, rule: "complexity", message: "密码须同时包含字母和数字" });
  }
  return v;
}

export const ADMIN_PASSWORD_MIN_LENGTH = 12;

/**
 * Policy for a province administrator's password set from the command line: at least 12
 * characters, at least three of lower case, upper case, digits and symbols, not containing the
 * account name, and not the public demo password. A province admin can change every account of
 * the province, so the general 8-character rule is not enough.
 */
export function adminPasswordViolations(password: string, account: string, field = "password"): FieldViolation[] {
  const v = passwordViolations(password, field);
  if (v.length && v[0]!.rule === "length" && password.length > PASSWORD_MAX_LENGTH) return v;
  if (password.length < ADMIN_PASSWORD_MIN_LENGTH) {
    return [{ field, rule: "length", message: `管理员密码至少${ADMIN_PASSWORD_MIN_LENGTH}位` }];
  }
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) {
    return [{ field, rule: "complexity", message: "管理员密码须包含小写字母、大写字母、数字、符号中的至少三类" }];
  }
  const lower = password.toLowerCase();
  if (account.length >= 3 && lower.includes(account.toLowerCase())) {
    return [{ field, rule: "contains-account", message: "管理员密码不得包含账号" }];
  }
  if (/demo@?2023/.test(lower)) {
    return [{ field, rule: "public", message: "不得使用公开的演示密码" }];
  }
  return v;
}

/** Teacher-training accounts: 3–64 letters, digits, dot, underscore or hyphen. */
export function accountViolations(account: string, field = "account"): FieldViolation[] {
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(account)) {
    return [{ field, rule: "format", message: "师训账号须为3–64位字母、数字、点、下划线或连字符" }];
  }
  return [];
}
