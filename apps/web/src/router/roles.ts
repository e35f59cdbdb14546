import type { Role } from "@/gql/graphql";

export const ALL_ROLES: Role[] = ["TEACHER", "SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN", "EXPERT"];
/** Roles that administer people and units inside their scope. */
export const ADMIN_ROLES: Role[] = ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"];
export const REVIEWER_ROLES: Role[] = ["COUNTY_REVIEWER", "CITY_REVIEWER"];
/** Roles that apply (a teacher for their space, a school admin for the school, reviewers for their region). */
export const APPLICANT_ROLES: Role[] = ["TEACHER", "SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER"];
/** Roles that act in the review pipeline (a school confirmation step, county, city, province). */
export const REVIEW_ROLES: Role[] = ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"];
export const QUOTA_ROLES: Role[] = ["COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"];
/** A city files its regional contacts; its counties see theirs (the province approves on its own page). */
export const CONTACT_ROLES: Role[] = ["COUNTY_REVIEWER", "CITY_REVIEWER"];
/** Schools and regions register club spaces; the province sees them all. */
export const CLUB_ROLES: Role[] = ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"];
/** Roles that see activity statistics and below-target lists of their unit and everything below it. */
export const STATS_ROLES: Role[] = ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"];
/** Roles whose scope holds schools to rank (the monthly 通报 of a county, a city or the province). */
export const RANKING_ROLES: Role[] = ["COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"];
export const PROVINCE_ROLES: Role[] = ["PROVINCE_ADMIN"];
export const EXPERT_ROLES: Role[] = ["EXPERT"];
