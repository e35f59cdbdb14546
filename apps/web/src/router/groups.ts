/** Sidebar groups, in display order. */
export const GROUPS = {
  home: "首页",
  campaign: "活动申报",
  review: "审核与名额",
  province: "省级评审",
  activity: "活跃度统计",
  admin: "组织与用户",
} as const;

export const GROUP_ORDER: string[] = Object.values(GROUPS);
