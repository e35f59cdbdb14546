import { Bell, Coin, DocumentChecked, EditPen, Flag, House, Key, OfficeBuilding, Phone, User } from "@element-plus/icons-vue";
import type { Component } from "vue";
import { DataAnalysis, TrendCharts, Trophy, Upload, Warning } from "@element-plus/icons-vue";
import { ElMessage, ElMessageBox } from "element-plus";
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import type { Role } from "@/gql/graphql";
import { type Assignment, useAuthStore } from "@/stores/auth";
import { expertRoutes } from "@/views/expert/routes";
import { provinceRoutes, publicResultsRoute } from "@/views/province/routes";
import { GROUPS } from "./groups";
import { RANKING_ROLES, STATS_ROLES } from "./roles";
import { ADMIN_ROLES, ALL_ROLES, APPLICANT_ROLES, CLUB_ROLES, CONTACT_ROLES, QUOTA_ROLES, REVIEW_ROLES } from "./roles";

declare module "vue-router" {
  interface RouteMeta {
    /** Page title (Chinese), also the last breadcrumb item. */
    title?: string;
    /** Roles that may open the page; the server still checks every request. */
    roles?: Role[];
    /** Sidebar entry: group title, icon, and an optional per-role label. */
    menu?: { group: string; icon: Component; order: number; labels?: Partial<Record<Role, string>> };
    /** Parent page (route name) for the breadcrumb of detail pages, per acting role when it differs. */
    parent?: string | Partial<Record<Role, string>>;
    public?: boolean;
  }
}


const routes: RouteRecordRaw[] = [
  { path: "/login", name: "login", component: () => import("@/views/LoginView.vue"), meta: { title: "登录", public: true } },
  publicResultsRoute,
  {
    path: "/",
    component: () => import("@/layouts/AppLayout.vue"),
    children: [
      { path: "", name: "root", redirect: { name: "home" } },
      {
        path: "home",
        name: "home",
        component: () => import("@/views/HomeView.vue"),
        meta: { title: "工作台", roles: ALL_ROLES, menu: { group: GROUPS.home, icon: House, order: 0 } },
      },
      {
        path: "notifications",
        name: "notifications",
        component: () => import("@/views/notifications/NotificationsView.vue"),
        meta: { title: "消息通知", roles: ALL_ROLES, menu: { group: GROUPS.home, icon: Bell, order: 10 } },
      },
      {
        path: "applications",
        name: "my-applications",
        component: () => import("@/views/campaign/MyApplicationsView.vue"),
        meta: {
          title: "我的申报",
          roles: APPLICANT_ROLES,
          menu: { group: GROUPS.campaign, icon: EditPen, order: 100, labels: { SCHOOL_ADMIN: "本校申报", COUNTY_REVIEWER: "本区域申报", CITY_REVIEWER: "本区域申报" } },
        },
      },
      {
        path: "applications/:id",
        name: "application",
        component: () => import("@/views/campaign/ApplicationDetailView.vue"),
        meta: {
          title: "申报详情",
          roles: [...new Set([...APPLICANT_ROLES, ...REVIEW_ROLES])],
          parent: { TEACHER: "my-applications", SCHOOL_ADMIN: "review-queue", COUNTY_REVIEWER: "review-queue", CITY_REVIEWER: "review-queue", PROVINCE_ADMIN: "review-queue" },
        },
      },
      {
        path: "applications/:id/edit",
        name: "application-edit",
        component: () => import("@/views/campaign/ApplicationEditView.vue"),
        meta: { title: "填写申报表", roles: APPLICANT_ROLES, parent: "my-applications" },
      },
      {
        path: "review",
        name: "review-queue",
        component: () => import("@/views/review/ReviewQueueView.vue"),
        meta: {
          title: "审核推荐",
          roles: REVIEW_ROLES,
          menu: { group: GROUPS.review, icon: DocumentChecked, order: 200, labels: { PROVINCE_ADMIN: "申报管理", SCHOOL_ADMIN: "学校确认" } },
        },
      },
      {
        path: "quotas",
        name: "quotas",
        component: () => import("@/views/review/QuotaView.vue"),
        meta: { title: "推荐名额", roles: QUOTA_ROLES, menu: { group: GROUPS.review, icon: Coin, order: 210, labels: { PROVINCE_ADMIN: "名额总表" } } },
      },
      {
        path: "contacts",
        name: "contacts",
        component: () => import("@/views/review/ContactsView.vue"),
        meta: { title: "联络员报送", roles: CONTACT_ROLES, menu: { group: GROUPS.campaign, icon: Phone, order: 130, labels: { COUNTY_REVIEWER: "区域联络员" } } },
      },
      {
        path: "clubs",
        name: "clubs",
        component: () => import("@/views/review/ClubsView.vue"),
        meta: { title: "社团空间登记", roles: CLUB_ROLES, menu: { group: GROUPS.campaign, icon: Flag, order: 140 } },
      },
      {
        path: "clubs/:id",
        name: "club",
        component: () => import("@/views/review/ClubEditView.vue"),
        meta: { title: "社团空间登记表", roles: CLUB_ROLES, parent: "clubs" },
      },
      {
        path: "org",
        name: "org",
        component: () => import("@/views/org/OrgBrowserView.vue"),
        meta: { title: "组织机构", roles: ADMIN_ROLES, menu: { group: GROUPS.admin, icon: OfficeBuilding, order: 900 } },
      },
      {
        path: "users",
        name: "users",
        component: () => import("@/views/admin/UsersView.vue"),
        meta: {
          title: "用户管理",
          roles: ADMIN_ROLES,
          menu: { group: GROUPS.admin, icon: User, order: 910, labels: { SCHOOL_ADMIN: "教师管理" } },
        },
      },
      {
        path: "role-assignments",
        name: "role-assignments",
        component: () => import("@/views/admin/RoleAssignmentsView.vue"),
        meta: {
          title: "角色权限分配",
          roles: ADMIN_ROLES,
          menu: { group: GROUPS.admin, icon: Key, order: 920, labels: { PROVINCE_ADMIN: "角色分配审计" } },
        },
      },
      {
        path: "activity/mine",
        name: "my-activity",
        component: () => import("@/views/activity/MyActivityView.vue"),
        meta: { title: "我的活跃度", roles: ["TEACHER"], menu: { group: GROUPS.activity, icon: TrendCharts, order: 500 } },
      },
      {
        path: "activity/stats",
        name: "activity-stats",
        component: () => import("@/views/activity/ActivityDashboardView.vue"),
        meta: {
          title: "活跃度统计",
          roles: STATS_ROLES,
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
        component: () => import("@/views/activity/TeacherActivityView.vue"),
        meta: { title: "教师活跃度", roles: STATS_ROLES, parent: "activity-stats" },
      },
      {
        path: "activity/ranking",
        name: "activity-ranking",
        component: () => import("@/views/activity/SchoolRankingView.vue"),
        meta: { title: "学校月度排名", roles: RANKING_ROLES, menu: { group: GROUPS.activity, icon: Trophy, order: 520 } },
      },
      {
        path: "activity/below-target",
        name: "activity-below-target",
        component: () => import("@/views/activity/BelowTargetView.vue"),
        meta: {
          title: "未达标名单",
          roles: STATS_ROLES,
          menu: { group: GROUPS.activity, icon: Warning, order: 530, labels: { SCHOOL_ADMIN: "未达标教师" } },
        },
      },
      {
        path: "users/import",
        name: "teacher-import",
        component: () => import("@/views/admin/ImportView.vue"),
        meta: { title: "教师导入", roles: ADMIN_ROLES, menu: { group: GROUPS.admin, icon: Upload, order: 915 } },
      },
      {
        path: "account",
        name: "account",
        component: () => import("@/views/AccountView.vue"),
        meta: { title: "个人信息", roles: ALL_ROLES },
      },
      ...provinceRoutes,
      ...expertRoutes,
      { path: ":pathMatch(.*)*", name: "not-found", component: () => import("@/views/NotFoundView.vue"), meta: { title: "页面不存在" } },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  const auth = useAuthStore();
  if (to.meta.public) {
    if (to.name === "login") {
      try {
        if (await auth.load()) return { name: "home" };
      } catch {
        // The server is unreachable: show the login page, which reports it on submit.
      }
    }
    return true;
  }
  try {
    await auth.load();
  } catch {
    // Let the page render its own error state; the layout retries.
    return true;
  }
  if (!auth.isLoggedIn) return { name: "login", query: to.fullPath !== "/" && to.fullPath !== "/home" ? { redirect: to.fullPath } : {} };
  const roles = to.meta.roles;
  if (roles && (!auth.role || !roles.includes(auth.role))) {
    // A link to another role's page (a colleague's address, a bookmark): the tab stays in its role
    // and goes home; when the user holds a role that may open the page, offer to switch to it.
    const fit = auth.me?.roles.find((a) => roles.includes(a.role));
    if (fit) setTimeout(() => void offerSwitch(fit, to.fullPath, to.meta.menu?.labels?.[fit.role] ?? to.meta.title), 0);
    else ElMessage.warning(`当前账号没有访问「${to.meta.title ?? "该页面"}」的权限`);
    return { name: "home" };
  }
  return true;
});

async function offerSwitch(fit: Assignment, path: string, title: string | undefined) {
  const auth = useAuthStore();
  try {
    await ElMessageBox.confirm(
      `打开「${title ?? "该页面"}」需要以「${fit.roleLabel}」（${fit.unit.name}）身份操作，当前身份为「${auth.acting?.roleLabel ?? "无"}」。`,
      "切换角色",
      { confirmButtonText: `切换为${fit.roleLabel}并打开`, cancelButtonText: "留在工作台", type: "info" },
    );
  } catch {
    return;
  }
  try {
    const me = await auth.switchRole(fit.id);
    ElMessage.success(`已切换为「${me.actingRole?.roleLabel}」（${me.actingRole?.unit.name}）`);
    await router.push(path);
  } catch {
    ElMessage.error("切换角色失败，请在右上角手动切换");
  }
}

/**
 * After a new release the old page asks for chunks that no longer exist: load the new app once
 * (at the page the user was going to) instead of failing silently.
 */
router.onError((err, to) => {
  const message = err instanceof Error ? err.message : String(err);
  if (!/dynamically imported module|Importing a module script failed|error loading dynamically imported/i.test(message)) return;
  const key = "zjh.reloadedFor";
  if (sessionStorage.getItem(key) === to.fullPath) return;
  sessionStorage.setItem(key, to.fullPath);
  window.location.assign(to.fullPath);
});

router.afterEach((to) => {
  sessionStorage.removeItem("zjh.reloadedFor");
  document.title = to.meta.title ? `${to.meta.title} · 之江汇空间建设与应用活动` : "之江汇空间建设与应用活动";
});
