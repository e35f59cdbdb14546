import { ROLES } from "@zjh/domain/org/roles";
import { Permission, rolesWith } from "@zjh/domain/org/permissions";
import type { Role } from "@/gql/graphql";

/**
 * Role lists for the pages that are deliberately narrower than a permission, or that every role
 * opens. A page whose audience is exactly a permission's roles names the permission in its route
 * meta instead (`meta.permission`, the domain's permission table).
 */
export const ALL_ROLES: Role[] = [...ROLES];
/** Roles that administer people and units inside their scope. */
export const ADMIN_ROLES: Role[] = rolesWith(Permission.UserAdmin);
/** A city files its regional contacts and its counties see theirs; the province reads them too but approves on its own page. */
export const CONTACT_ROLES: Role[] = rolesWith(Permission.ContactRead).filter((r) => r !== "PROVINCE_ADMIN");
/** Roles whose scope holds schools to rank (the monthly 通报 of a county, a city or the province): statistics without the school. */
export const RANKING_ROLES: Role[] = rolesWith(Permission.ActivityStats).filter((r) => r !== "SCHOOL_ADMIN");
