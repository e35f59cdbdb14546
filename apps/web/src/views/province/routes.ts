import { Calendar, DataAnalysis, Medal, Postcard, Promotion, Trophy, UserFilled } from "@element-plus/icons-vue";
import type { RouteRecordRaw } from "vue-router";
import { Permission } from "@zjh/domain/org/permissions";
import { GROUPS } from "@/router/groups";

/** Province pages inside the workspace layout: campaign setup, contacts, expert review, grading, publication. */
export const provinceRoutes: RouteRecordRaw[] = [
  {
    path: "province/campaigns",
    name: "province-campaigns",
    component: () => import("./CampaignsView.vue"),
    meta: { title: "活动管理", permission: Permission.CampaignAdmin, menu: { group: GROUPS.campaign, icon: Calendar, order: 110 } },
  },
  {
    path: "province/campaigns/:id",
    name: "province-campaign",
    component: () => import("./CampaignEditView.vue"),
    meta: { title: "活动设置", permission: Permission.CampaignAdmin, parent: "province-campaigns" },
  },
  {
    path: "province/contacts",
    name: "province-contacts",
    component: () => import("./ContactsView.vue"),
    meta: { title: "联络员审批", permission: Permission.ContactApprove, menu: { group: GROUPS.campaign, icon: Postcard, order: 120 } },
  },
  {
    path: "province/experts",
    name: "province-experts",
    component: () => import("./ExpertAssignmentView.vue"),
    meta: { title: "专家分配", permission: Permission.FinalizationManage, menu: { group: GROUPS.province, icon: UserFilled, order: 300 } },
  },
  {
    path: "province/progress",
    name: "province-progress",
    component: () => import("./ScoringProgressView.vue"),
    meta: { title: "评分进度", permission: Permission.FinalizationManage, menu: { group: GROUPS.province, icon: DataAnalysis, order: 310 } },
  },
  {
    path: "province/ranking",
    name: "province-ranking",
    component: () => import("./RankingView.vue"),
    meta: { title: "排名与等次", permission: Permission.FinalizationManage, menu: { group: GROUPS.province, icon: Trophy, order: 320 } },
  },
  {
    path: "province/honors",
    name: "province-honors",
    component: () => import("./HonorsView.vue"),
    meta: { title: "优秀单位与教师", permission: Permission.FinalizationManage, menu: { group: GROUPS.province, icon: Medal, order: 330 } },
  },
  {
    path: "province/publication",
    name: "province-publication",
    component: () => import("./PublicationView.vue"),
    meta: { title: "结果发布", permission: Permission.FinalizationManage, menu: { group: GROUPS.province, icon: Promotion, order: 340 } },
  },
];

/** The published results: public, outside the workspace layout, no login needed. */
export const publicResultsRoute: RouteRecordRaw = {
  path: "/results",
  name: "public-results",
  component: () => import("./PublicResultsView.vue"),
  meta: { title: "评审结果公示", public: true },
};
