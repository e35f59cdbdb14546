import type { Role } from "@/gql/graphql";

export const ALL_ROLES: Role[] = ["TEACHER", "SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN", "EXPERT"];
/** Roles that administer people and units inside their scope. */
export const ADMIN_ROLES: Role[] = ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"];
export const REVIEWER_ROLES: Role[] = ["COUNTY_REVIEWER", "CITY_REVIEWER"];
