import { Coin, DocumentChecked, Flag, Phone } from "@element-plus/icons-vue";
import type { RouteRecordRaw } from "vue-router";
import { Permission } from "@zjh/domain/org/permissions";
import { GROUPS } from "@/router/groups";
import { CONTACT_ROLES } from "@/router/roles";

/** The reviewers' pages: the review queue, quotas, regional contacts and club spaces. */
export const reviewRoutes: RouteRecordRaw[] = [
  {
    path: "review",
    name: "review-queue",
    component: () => import("./ReviewQueueView.vue"),
    meta: {
      title: "审核推荐",
      permission: Permission.ApplicationReview,
      menu: { group: GROUPS.review, icon: DocumentChecked, order: 200, labels: { PROVINCE_ADMIN: "申报管理", SCHOOL_ADMIN: "学校确认" } },
    },
  },
  {
    path: "quotas",
    name: "quotas",
    component: () => import("./QuotaView.vue"),
    meta: { title: "推荐名额", permission: Permission.QuotaRead, menu: { group: GROUPS.review, icon: Coin, order: 210, labels: { PROVINCE_ADMIN: "名额总表" } } },
  },
  {
    path: "contacts",
    name: "contacts",
    component: () => import("./ContactsView.vue"),
    // Narrower than CONTACT_READ: the province approves contacts on its own page (province-contacts).
    meta: { title: "联络员报送", roles: CONTACT_ROLES, menu: { group: GROUPS.campaign, icon: Phone, order: 130, labels: { COUNTY_REVIEWER: "区域联络员" } } },
  },
  {
    path: "clubs",
    name: "clubs",
    component: () => import("./ClubsView.vue"),
    meta: { title: "社团空间登记", permission: Permission.ClubRead, menu: { group: GROUPS.campaign, icon: Flag, order: 140 } },
  },
  {
    path: "clubs/:id",
    name: "club",
    component: () => import("./ClubEditView.vue"),
    meta: { title: "社团空间登记表", permission: Permission.ClubRead, parent: "clubs" },
  },
];
