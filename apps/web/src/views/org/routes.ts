import { OfficeBuilding } from "@element-plus/icons-vue";
import type { RouteRecordRaw } from "vue-router";
import { GROUPS } from "@/router/groups";
import { ADMIN_ROLES } from "@/router/roles";

/** The organisation tree. */
export const orgRoutes: RouteRecordRaw[] = [
  {
    path: "org",
    name: "org",
    component: () => import("./OrgBrowserView.vue"),
    // Narrower than ORG_READ (every role reads units): the organisation browser is the administrators' page.
    meta: { title: "组织机构", roles: ADMIN_ROLES, menu: { group: GROUPS.admin, icon: OfficeBuilding, order: 900 } },
  },
];
