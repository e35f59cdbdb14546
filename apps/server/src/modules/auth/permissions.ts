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
  /** See published campaigns (drafts: province only). */
  CampaignRead = "CAMPAIGN_READ",
  /** Create and configure campaigns, publish and close them, extend deadlines (audited). */
  CampaignAdmin = "CAMPAIGN_ADMIN",
  /** Set a city's own schedule (application and county review deadlines) for the city and its counties. */
  CampaignSchedule = "CAMPAIGN_SCHEDULE",
  /** See quota counters of the acting unit and below. */
  QuotaRead = "QUOTA_READ",
  /** Split a city's places into county sub-quotas. */
  QuotaAllocate = "QUOTA_ALLOCATE",
  /** Raise a quota for a unit, with a reason (audited). */
  QuotaOverride = "QUOTA_OVERRIDE",
  /** Apply: create, save, submit, resubmit and withdraw one's own (or one's unit's) applications. */
  ApplicationApply = "APPLICATION_APPLY",
  /** See applications in scope (a teacher: their own). */
  ApplicationRead = "APPLICATION_READ",
  /** Review at one's level: recommend, return, reject, withdraw a recommendation; the review queue. */
  ApplicationReview = "APPLICATION_REVIEW",
  /** Disqualify an application at any stage (audited). */
  ApplicationDisqualify = "APPLICATION_DISQUALIFY",
  /** File a city's regional contacts (Annex 1). */
  ContactSubmit = "CONTACT_SUBMIT",
  /** See regional contacts in scope. */
  ContactRead = "CONTACT_READ",
  /** Approve regional contacts, granting them the reviewer role. */
  ContactApprove = "CONTACT_APPROVE",
  /** Register club spaces (Annex 2) for one's school or region. */
  ClubRegister = "CLUB_REGISTER",
  /** See club-space registrations in scope. */
  ClubRead = "CLUB_READ",
  /** Upload files (attachments, stamped scans). */
  FileUpload = "FILE_UPLOAD",
  /** Province finalization: assign experts, follow scoring, grade, finalize and publish, name excellent units and instructors. */
  FinalizationManage = "FINALIZATION_MANAGE",
  /** Score the applications assigned and released to oneself as an expert. */
  ExpertScore = "EXPERT_SCORE",
  /** Export a published results list (the list itself is public). */
  ResultsExport = "RESULTS_EXPORT",
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

/** Every permission the role holds, in the order of the Permission enum. */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSION_ROLES) as Permission[]).filter((p) => PERMISSION_ROLES[p].includes(role));
}

export function roleHas(role: Role, permission: Permission | string): boolean {
  return (PERMISSION_ROLES as Record<string, readonly Role[]>)[permission]?.includes(role) ?? false;
}
