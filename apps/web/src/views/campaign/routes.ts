import { EditPen } from "@element-plus/icons-vue";
import type { RouteRecordRaw } from "vue-router";
import { Permission } from "@zjh/domain/org/permissions";
import { GROUPS } from "@/router/groups";

/** The applicant's pages: the own applications, an application's detail, and the application form. */
export const campaignRoutes: RouteRecordRaw[] = [
  {
    path: "applications",
    name: "my-applications",
    component: () => import("./MyApplicationsView.vue"),
    meta: {
      title: "我的申报",
      permission: Permission.ApplicationApply,
      menu: { group: GROUPS.campaign, icon: EditPen, order: 100, labels: { SCHOOL_ADMIN: "本校申报", COUNTY_REVIEWER: "本区域申报", CITY_REVIEWER: "本区域申报" } },
    },
  },
  {
    path: "applications/:id",
    name: "application",
    component: () => import("./ApplicationDetailView.vue"),
    meta: {
      title: "申报详情",
      permission: Permission.ApplicationRead,
      parent: { TEACHER: "my-applications", SCHOOL_ADMIN: "review-queue", COUNTY_REVIEWER: "review-queue", CITY_REVIEWER: "review-queue", PROVINCE_ADMIN: "review-queue" },
    },
  },
  {
    path: "applications/:id/edit",
    name: "application-edit",
    component: () => import("./ApplicationEditView.vue"),
    meta: { title: "填写申报表", permission: Permission.ApplicationApply, parent: "my-applications" },
  },
];
