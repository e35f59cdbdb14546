import { DataAnalysis, TrendCharts, Trophy, Warning } from "@element-plus/icons-vue";
import type { RouteRecordRaw } from "vue-router";
import { Permission } from "@zjh/domain/org/permissions";
import { GROUPS } from "@/router/groups";
import { RANKING_ROLES } from "@/router/roles";

/** Teacher activity: the teacher's own points, the statistics, a teacher's report, the ranking, below target. */
export const activityRoutes: RouteRecordRaw[] = [
  {
    path: "activity/mine",
    name: "my-activity",
    component: () => import("./MyActivityView.vue"),
    // Narrower than ACTIVITY_OWN (every role): only a teacher collects activity points.
    meta: { title: "我的活跃度", roles: ["TEACHER"], menu: { group: GROUPS.activity, icon: TrendCharts, order: 500 } },
  },
  {
    path: "activity/stats",
    name: "activity-stats",
    component: () => import("./ActivityDashboardView.vue"),
    meta: {
      title: "活跃度统计",
      permission: Permission.ActivityStats,
      menu: {
        group: GROUPS.activity,
        icon: DataAnalysis,
        order: 510,
        labels: { SCHOOL_ADMIN: "本校活跃度", COUNTY_REVIEWER: "区域活跃度统计", CITY_REVIEWER: "区域活跃度统计", PROVINCE_ADMIN: "全省活跃度统计" },
      },
    },
  },
  {
    path: "activity/teachers/:userId",
    name: "activity-teacher",
    component: () => import("./TeacherActivityView.vue"),
    meta: { title: "教师活跃度", permission: Permission.ActivityStats, parent: "activity-stats" },
  },
  {
    path: "activity/ranking",
    name: "activity-ranking",
    component: () => import("./SchoolRankingView.vue"),
    meta: { title: "学校月度排名", roles: RANKING_ROLES, menu: { group: GROUPS.activity, icon: Trophy, order: 520 } },
  },
  {
    path: "activity/below-target",
    name: "activity-below-target",
    component: () => import("./BelowTargetView.vue"),
    meta: {
      title: "未达标名单",
      permission: Permission.ActivityStats,
      menu: { group: GROUPS.activity, icon: Warning, order: 530, labels: { SCHOOL_ADMIN: "未达标教师" } },
    },
  },
];
