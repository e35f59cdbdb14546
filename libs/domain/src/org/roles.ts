import { DomainError } from "../errors.js";

export const ROLES = ["TEACHER", "SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN", "EXPERT"] as const;
export type Role = (typeof ROLES)[number];

export const UNIT_KINDS = ["PROVINCE", "CITY", "COUNTY", "DISTRICT", "SCHOOL", "PRACTICE_BASE"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const ROLE_LABELS: Record<Role, string> = {
  TEACHER: "教师",
  SCHOOL_ADMIN: "学校平台管理员",
  COUNTY_REVIEWER: "县（市、区）审核员",
  CITY_REVIEWER: "设区市审核员",
  PROVINCE_ADMIN: "省级管理员",
  EXPERT: "省级评审专家",
};

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  PROVINCE: "省",
  CITY: "设区市",
  COUNTY: "县（市、区）",
  DISTRICT: "学区",
  SCHOOL: "学校",
  PRACTICE_BASE: "实践教育基地",
};

/** Administrative rank of a role; a granter may only grant roles of a strictly lower rank. */
export const ROLE_RANK: Record<Role, number> = {
  TEACHER: 0,
  EXPERT: 1,
  SCHOOL_ADMIN: 1,
  COUNTY_REVIEWER: 2,
  CITY_REVIEWER: 3,
  PROVINCE_ADMIN: 4,
};

/** The kinds of unit each role can be scoped to. */
export const ROLE_UNIT_KINDS: Record<Role, readonly UnitKind[]> = {
  TEACHER: ["SCHOOL", "PRACTICE_BASE"],
  SCHOOL_ADMIN: ["SCHOOL", "PRACTICE_BASE"],
  COUNTY_REVIEWER: ["COUNTY"],
  CITY_REVIEWER: ["CITY"],
  PROVINCE_ADMIN: ["PROVINCE"],
  EXPERT: ["PROVINCE"],
};

/** Parent kinds a unit kind may hang under. */
export const PARENT_KINDS: Record<UnitKind, readonly UnitKind[]> = {
  PROVINCE: [],
  CITY: ["PROVINCE"],
  COUNTY: ["CITY"],
  DISTRICT: ["COUNTY"],
  SCHOOL: ["COUNTY", "DISTRICT", "CITY"],
  PRACTICE_BASE: ["CITY"],
};

/** Roles whose holders administer people (lock, reset passwords) inside their scope. */
export function administersUsers(role: Role): boolean {
  return role === "SCHOOL_ADMIN" || role === "COUNTY_REVIEWER" || role === "CITY_REVIEWER" || role === "PROVINCE_ADMIN";
}

export interface GrantRequest {
  granterRole: Role;
  /** Whether the target unit lies inside the granter's scope unit subtree. */
  unitInGranterScope: boolean;
  role: Role;
  unitKind: UnitKind;
}

/**
 * Grant and revoke rules (SPEC §1): only inside the granter's subtree, only roles below the
 * granter's own, each role only on the unit kinds it belongs to. EXPERT is a province role that
 * only a province admin hands out.
 */
export function assertCanGrant(req: GrantRequest): void {
  if (!administersUsers(req.granterRole)) {
    throw new DomainError("FORBIDDEN", "当前角色无权分配角色");
  }
  if (req.role === "EXPERT" && req.granterRole !== "PROVINCE_ADMIN") {
    throw new DomainError("FORBIDDEN", "评审专家只能由省级管理员指定", "role");
  }
  if (ROLE_RANK[req.role] >= ROLE_RANK[req.granterRole]) {
    throw new DomainError("FORBIDDEN", `只能分配低于本人角色的角色，不能分配「${ROLE_LABELS[req.role]}」`, "role");
  }
  if (!req.unitInGranterScope) {
    throw new DomainError("NOT_FOUND", "单位不存在或不在管辖范围内", "unitId");
  }
  if (!ROLE_UNIT_KINDS[req.role].includes(req.unitKind)) {
    const kinds = ROLE_UNIT_KINDS[req.role].map((k) => UNIT_KIND_LABELS[k]).join("或");
    throw new DomainError("BAD_INPUT", `角色「${ROLE_LABELS[req.role]}」只能授予${kinds}级单位`, "unitId");
  }
}

/** A path prefix test: is `path` the unit at `scopePath` or below it? Paths look like '/1/12/130/'. */
export function isWithin(path: string, scopePath: string): boolean {
  return path.startsWith(scopePath);
}
