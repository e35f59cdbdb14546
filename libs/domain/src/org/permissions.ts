import { ROLES, type Role } from "./roles.js";

/**
 * The permission table: what each role may do, stated once for the server (every GraphQL
 * operation maps to exactly one permission, which the acting role must hold; unit scope is checked
 * on top by the services) and for the web app (which pages and menu entries a role gets).
 * The values are what `Me.permissions` reports; they must never be renamed.
 */
export const Permission = {
  OrgRead: "ORG_READ",
  UserRead: "USER_READ",
  UserAdmin: "USER_ADMIN",
  RoleGrant: "ROLE_GRANT",
  RoleAudit: "ROLE_AUDIT",
  UserImport: "USER_IMPORT",
  /** Send platform activity events (batch or file import) and follow import jobs. */
  ActivityIngest: "ACTIVITY_INGEST",
  /** See one's own activity points and points log. */
  ActivityOwn: "ACTIVITY_OWN",
  /** Activity statistics, rankings and below-target lists of the acting role's unit and below. */
  ActivityStats: "ACTIVITY_STATS",
  /** See published campaigns (drafts: province only). */
  CampaignRead: "CAMPAIGN_READ",
  /** Create and configure campaigns, publish and close them, extend deadlines (audited). */
  CampaignAdmin: "CAMPAIGN_ADMIN",
  /** Set a city's own schedule (application and county review deadlines) for the city and its counties. */
  CampaignSchedule: "CAMPAIGN_SCHEDULE",
  /** See quota counters of the acting unit and below. */
  QuotaRead: "QUOTA_READ",
  /** Split a city's places into county sub-quotas. */
  QuotaAllocate: "QUOTA_ALLOCATE",
  /** Raise a quota for a unit, with a reason (audited). */
  QuotaOverride: "QUOTA_OVERRIDE",
  /** Apply: create, save, submit, resubmit and withdraw one's own (or one's unit's) applications. */
  ApplicationApply: "APPLICATION_APPLY",
  /** See applications in scope (a teacher: their own). */
  ApplicationRead: "APPLICATION_READ",
  /** Review at one's level: recommend, return, reject, withdraw a recommendation; the review queue. */
  ApplicationReview: "APPLICATION_REVIEW",
  /** Disqualify an application at any stage (audited). */
  ApplicationDisqualify: "APPLICATION_DISQUALIFY",
  /** File a city's regional contacts (Annex 1). */
  ContactSubmit: "CONTACT_SUBMIT",
  /** See regional contacts in scope. */
  ContactRead: "CONTACT_READ",
  /** Approve regional contacts, granting them the reviewer role. */
  ContactApprove: "CONTACT_APPROVE",
  /** Register club spaces (Annex 2) for one's school or region. */
  ClubRegister: "CLUB_REGISTER",
  /** See club-space registrations in scope. */
  ClubRead: "CLUB_READ",
  /** Upload files (attachments, stamped scans). */
  FileUpload: "FILE_UPLOAD",
  /** Province finalization: assign experts, follow scoring, grade, finalize and publish, name excellent units and instructors. */
  FinalizationManage: "FINALIZATION_MANAGE",
  /** Score the applications assigned and released to oneself as an expert. */
  ExpertScore: "EXPERT_SCORE",
  /** Export a published results list (the list itself is public). */
  ResultsExport: "RESULTS_EXPORT",
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

/** Every permission, in the order above (the order of `Me.permissions`). */
export const PERMISSIONS: readonly Permission[] = Object.values(Permission);

const ADMINS: readonly Role[] = ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"];
const ALL: readonly Role[] = ROLES;

/** The roles that hold each permission. */
export const PERMISSION_ROLES: Readonly<Record<Permission, readonly Role[]>> = {
  [Permission.OrgRead]: ALL,
  [Permission.UserRead]: ADMINS,
  [Permission.UserAdmin]: ADMINS,
  [Permission.RoleGrant]: ADMINS,
  [Permission.RoleAudit]: ["PROVINCE_ADMIN"],
  [Permission.UserImport]: ADMINS,
  [Permission.ActivityIngest]: ["PROVINCE_ADMIN"],
  [Permission.ActivityOwn]: ALL,
  [Permission.ActivityStats]: ADMINS,
  [Permission.CampaignRead]: ALL,
  [Permission.CampaignAdmin]: ["PROVINCE_ADMIN"],
  [Permission.CampaignSchedule]: ["CITY_REVIEWER"],
  [Permission.QuotaRead]: ["COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"],
  [Permission.QuotaAllocate]: ["CITY_REVIEWER"],
  [Permission.QuotaOverride]: ["PROVINCE_ADMIN"],
  [Permission.ApplicationApply]: ["TEACHER", "SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER"],
  [Permission.ApplicationRead]: ["TEACHER", "SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"],
  [Permission.ApplicationReview]: ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"],
  [Permission.ApplicationDisqualify]: ["PROVINCE_ADMIN"],
  [Permission.ContactSubmit]: ["CITY_REVIEWER", "PROVINCE_ADMIN"],
  [Permission.ContactRead]: ["COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"],
  [Permission.ContactApprove]: ["PROVINCE_ADMIN"],
  [Permission.ClubRegister]: ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER"],
  [Permission.ClubRead]: ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"],
  [Permission.FileUpload]: ["TEACHER", "SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"],
  [Permission.FinalizationManage]: ["PROVINCE_ADMIN"],
  [Permission.ExpertScore]: ["EXPERT"],
  [Permission.ResultsExport]: ALL,
};

/** Every permission the role holds, in the order of `Permission`. */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => PERMISSION_ROLES[p].includes(role));
}

/** Whether the role holds the permission; an unknown permission name is held by nobody. */
export function roleHas(role: Role, permission: Permission | string): boolean {
  return Object.hasOwn(PERMISSION_ROLES, permission) ? PERMISSION_ROLES[permission as Permission].includes(role) : false;
}

/** The roles that hold the permission, in the order of `ROLES`. */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((r) => PERMISSION_ROLES[permission].includes(r));
}
