import { Finished } from "@element-plus/icons-vue";
import type { RouteRecordRaw } from "vue-router";
import { Permission } from "@zjh/domain/org/permissions";
import { GROUPS } from "@/router/groups";

/** The expert's pages: released review tasks and the score sheet. */
export const expertRoutes: RouteRecordRaw[] = [
  {
    path: "expert/tasks",
    name: "expert-tasks",
    component: () => import("./MyAssignmentsView.vue"),
    meta: { title: "我的评审任务", permission: Permission.ExpertScore, menu: { group: GROUPS.province, icon: Finished, order: 350 } },
  },
  {
    path: "expert/tasks/:applicationId",
    name: "expert-score",
    component: () => import("./ScoreSheetView.vue"),
    meta: { title: "评分表", permission: Permission.ExpertScore, parent: "expert-tasks" },
  },
];
