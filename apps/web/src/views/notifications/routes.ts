import { Bell } from "@element-plus/icons-vue";
import type { RouteRecordRaw } from "vue-router";
import { GROUPS } from "@/router/groups";
import { ALL_ROLES } from "@/router/roles";

/** The notification inbox. */
export const notificationRoutes: RouteRecordRaw[] = [
  {
    path: "notifications",
    name: "notifications",
    component: () => import("./NotificationsView.vue"),
    meta: { title: "消息通知", roles: ALL_ROLES, menu: { group: GROUPS.home, icon: Bell, order: 10 } },
  },
];
