import type { Component } from "vue";
import { ElMessage, ElMessageBox } from "element-plus";
import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from "vue-router";
import type { Permission } from "@zjh/domain/org/permissions";
import type { Role } from "@/gql/graphql";
import { mayOpen, rolesFor } from "@/router/access";
import { type Assignment, useAuthStore } from "@/stores/auth";
import { activityRoutes } from "@/views/activity/routes";
import { adminRoutes } from "@/views/admin/routes";
import { campaignRoutes } from "@/views/campaign/routes";
import { expertRoutes } from "@/views/expert/routes";
import { homeRoutes } from "@/views/home/routes";
import { notificationRoutes } from "@/views/notifications/routes";
import { orgRoutes } from "@/views/org/routes";
import { provinceRoutes, publicResultsRoute } from "@/views/province/routes";
import { reviewRoutes } from "@/views/review/routes";

declare module "vue-router" {
  interface RouteMeta {
    /** Page title (Chinese), also the last breadcrumb item. */
    title?: string;
    /** The permission (the domain's permission table) the acting role needs to open the page; the server still checks every request. */
    permission?: Permission;
    /** Roles that may open the page, for pages narrower than any permission (or open to every role). */
    roles?: Role[];
    /** Sidebar entry: group title, icon, and an optional per-role label. */
    menu?: { group: string; icon: Component; order: number; labels?: Partial<Record<Role, string>> };
    /** Parent page (route name) for the breadcrumb of detail pages, per acting role when it differs. */
    parent?: string | Partial<Record<Role, string>>;
    public?: boolean;
  }
}


/**
 * The app shell's routes: the login page and the public results outside the layout, and every
 * area's pages (each area lists its own in `views/<area>/routes.ts`) inside it. The catch-all
 * "page not found" stays last.
 */
const routes: RouteRecordRaw[] = [
  { path: "/login", name: "login", component: () => import("@/views/LoginView.vue"), meta: { title: "登录", public: true } },
  publicResultsRoute,
  {
    path: "/",
    component: () => import("@/layouts/AppLayout.vue"),
    children: [
      { path: "", name: "root", redirect: { name: "home" } },
      ...homeRoutes,
      ...notificationRoutes,
      ...campaignRoutes,
      ...reviewRoutes,
      ...orgRoutes,
      ...adminRoutes,
      ...activityRoutes,
      ...provinceRoutes,
      ...expertRoutes,
      { path: ":pathMatch(.*)*", name: "not-found", component: () => import("@/views/NotFoundView.vue"), meta: { title: "页面不存在" } },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

/** Signs in first, then lets a page open only in an acting role that may open it (router/access.ts). */
export async function accessGuard(to: Pick<RouteLocationNormalized, "fullPath" | "meta"> & { name?: RouteLocationNormalized["name"] | null }) {
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
  if (!mayOpen(to.meta, auth.role, auth.me?.permissions ?? [])) {
    const roles = rolesFor(to.meta) ?? [];
    // A link to another role's page (a colleague's address, a bookmark): the tab stays in its role
    // and goes home; when the user holds a role that may open the page, offer to switch to it.
    const fit = auth.me?.roles.find((a) => roles.includes(a.role));
    if (fit) setTimeout(() => void offerSwitch(fit, to.fullPath, to.meta.menu?.labels?.[fit.role] ?? to.meta.title), 0);
    else ElMessage.warning(`当前账号没有访问「${to.meta.title ?? "该页面"}」的权限`);
    return { name: "home" };
  }
  return true;
}

router.beforeEach(accessGuard);

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
