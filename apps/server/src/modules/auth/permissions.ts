import type { Role } from "@zjh/domain";

/**
 * What a role may do. Every GraphQL operation maps to exactly one permission (operations.ts);
 * unit scope is checked on top of it by the service, against the acting role's unit.
 */
export enum Permission {
  OrgRead = "ORG_READ",
  UserRead = "USER_READ",
  UserAdmin = "USER_ADMIN",
  RoleGrant = "ROLE_GRANT",
  RoleAudit = "ROLE_AUDIT",
  UserImport = "USER_IMPORT",
  /** Send platform activity events (batch or file import) and follow import jobs. */
  ActivityIngest = "ACTIVITY_INGEST",
  /** See one's own activity points and points log. */
  ActivityOwn = "ACTIVITY_OWN",
  /** Activity statistics, rankings and below-target lists of the acting role's unit and below. */
  ActivityStats = "ACTIVITY_STATS",
}

const ADMINS: Role[] = ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"];
const ALL: Role[] = ["TEACHER", "SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN", "EXPERT"];

export const PERMISSION_ROLES: Record<Permission, readonly Role[]> = {
  [Permission.OrgRead]: ALL,
  [Permission.UserRead]: ADMINS,
  [Permission.UserAdmin]: ADMINS,
  [Permission.RoleGrant]: ADMINS,
  [Permission.RoleAudit]: ["PROVINCE_ADMIN"],
  [Permission.UserImport]: ADMINS,
  [Permission.ActivityIngest]: ["PROVINCE_ADMIN"],
  [Permission.ActivityOwn]: ALL,
  [Permission.ActivityStats]: ADMINS,
};

export function roleHas(role: Role, permission: Permission | string): boolean {
  return (PERMISSION_ROLES as Record<string, readonly Role[]>)[permission]?.includes(role) ?? false;
}
