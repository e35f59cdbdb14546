import { House } from "@element-plus/icons-vue";
import type { RouteRecordRaw } from "vue-router";
import { GROUPS } from "@/router/groups";
import { ALL_ROLES } from "@/router/roles";

/** Every role's own pages inside the workspace layout: the home page and the account. */
export const homeRoutes: RouteRecordRaw[] = [
  {
    path: "home",
    name: "home",
    component: () => import("@/views/HomeView.vue"),
    meta: { title: "工作台", roles: ALL_ROLES, menu: { group: GROUPS.home, icon: House, order: 0 } },
  },
  {
    path: "account",
    name: "account",
    component: () => import("@/views/AccountView.vue"),
    meta: { title: "个人信息", roles: ALL_ROLES },
  },
];
