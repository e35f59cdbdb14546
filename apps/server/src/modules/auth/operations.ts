import { Permission } from "./permissions.js";

/**
 * The authorization matrix: every root operation of the GraphQL schema and what it requires.
 * PUBLIC: anyone; AUTHENTICATED: any signed-in user (no role needed); otherwise the acting role
 * must grant the permission (permissions.ts). Unit scope is enforced by the services on top.
 * An operation missing here is refused at run time and fails the test suite.
 */
export type Access = "PUBLIC" | "AUTHENTICATED" | Permission;

export const OPERATIONS: { Query: Record<string, Access>; Mutation: Record<string, Access> } = {
  Query: {
    me: "PUBLIC",
    unit: Permission.OrgRead,
    unitChildren: Permission.OrgRead,
    searchUnits: Permission.OrgRead,
    users: Permission.UserRead,
    user: Permission.UserRead,
    roleAssignments: Permission.UserRead,
    myActivity: Permission.ActivityOwn,
    teacherActivity: Permission.ActivityStats,
    teachersActivity: Permission.ActivityStats,
    belowTargetTeachers: Permission.ActivityStats,
    unitActivity: Permission.ActivityStats,
    childUnitsActivity: Permission.ActivityStats,
    schoolRanking: Permission.ActivityStats,
    belowTargetSchools: Permission.ActivityStats,
    activityImportJob: Permission.ActivityIngest,
    activityImportJobs: Permission.ActivityIngest,
    importJob: Permission.UserImport,
    importJobs: Permission.UserImport,
    campaigns: Permission.CampaignRead,
    campaign: Permission.CampaignRead,
    quotas: Permission.QuotaRead,
    application: Permission.ApplicationRead,
    applications: Permission.ApplicationRead,
    applicationDiff: Permission.ApplicationRead,
    reviewQueue: Permission.ApplicationReview,
    notifications: "AUTHENTICATED",
  },
  Mutation: {
    login: "PUBLIC",
    logout: "AUTHENTICATED",
    switchRole: "AUTHENTICATED",
    changePassword: "AUTHENTICATED",
    lockUser: Permission.UserAdmin,
    unlockUser: Permission.UserAdmin,
    resetPassword: Permission.UserAdmin,
    grantRole: Permission.RoleGrant,
    revokeRole: Permission.RoleGrant,
    ingestActivityEvents: Permission.ActivityIngest,
    createCampaign: Permission.CampaignAdmin,
    updateCampaign: Permission.CampaignAdmin,
    copyCampaign: Permission.CampaignAdmin,
    openCampaign: Permission.CampaignAdmin,
    closeCampaign: Permission.CampaignAdmin,
    extendDeadline: Permission.CampaignAdmin,
    setUnitDeadline: Permission.CampaignSchedule,
    setCountySubQuotas: Permission.QuotaAllocate,
    overrideQuota: Permission.QuotaOverride,
    createApplication: Permission.ApplicationApply,
    saveApplicationDraft: Permission.ApplicationApply,
    submitApplication: Permission.ApplicationApply,
    resubmitApplication: Permission.ApplicationApply,
    withdrawApplication: Permission.ApplicationApply,
    recommendApplication: Permission.ApplicationReview,
    returnApplication: Permission.ApplicationReview,
    rejectApplication: Permission.ApplicationReview,
    withdrawRecommendation: Permission.ApplicationReview,
    disqualifyApplication: Permission.ApplicationDisqualify,
    markNotificationsRead: "AUTHENTICATED",
    sendDeadlineReminders: Permission.CampaignAdmin,
  },
};
