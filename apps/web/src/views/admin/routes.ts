import { Key, Upload, User } from "@element-plus/icons-vue";
import type { RouteRecordRaw } from "vue-router";
import { Permission } from "@zjh/domain/org/permissions";
import { GROUPS } from "@/router/groups";

/** Administration of people: users, the teacher import, and role assignments. */
export const adminRoutes: RouteRecordRaw[] = [
  {
    path: "users",
    name: "users",
    component: () => import("./UsersView.vue"),
    meta: {
      title: "用户管理",
      permission: Permission.UserRead,
      menu: { group: GROUPS.admin, icon: User, order: 910, labels: { SCHOOL_ADMIN: "教师管理" } },
    },
  },
  {
    path: "role-assignments",
    name: "role-assignments",
    component: () => import("./RoleAssignmentsView.vue"),
    meta: {
      title: "角色权限分配",
      permission: Permission.UserRead,
      menu: { group: GROUPS.admin, icon: Key, order: 920, labels: { PROVINCE_ADMIN: "角色分配审计" } },
    },
  },
  {
    path: "users/import",
    name: "teacher-import",
    component: () => import("./ImportView.vue"),
    meta: { title: "教师导入", permission: Permission.UserImport, menu: { group: GROUPS.admin, icon: Upload, order: 915 } },
  },
];
