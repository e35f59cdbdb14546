import { permissionsOf, Permission } from "@zjh/domain/org/permissions";
import { ROLES } from "@zjh/domain/org/roles";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@/gql/graphql";
import { navigationFor } from "@/layouts/navigation";
import { mayOpen } from "@/router/access";
import { accessGuard, router } from "@/router";
import { type Me, useAuthStore } from "@/stores/auth";

const { warning, confirm } = vi.hoisted(() => ({ warning: vi.fn(), confirm: vi.fn((..._args: unknown[]) => new Promise(() => {})) }));
vi.mock("element-plus", () => ({ ElMessage: { warning, success: vi.fn(), error: vi.fn() }, ElMessageBox: { confirm } }));

/** Each role's sidebar ("group: route=label, …") and openable pages as they were when pages named only role lists. */
const MENUS: Record<Role, string[]> = {
  TEACHER: [
    "首页: home=工作台, notifications=消息通知",
    "活动申报: my-applications=我的申报",
    "活跃度统计: my-activity=我的活跃度",
  ],
  SCHOOL_ADMIN: [
    "首页: home=工作台, notifications=消息通知",
    "活动申报: my-applications=本校申报, clubs=社团空间登记",
    "审核与名额: review-queue=学校确认",
    "活跃度统计: activity-stats=本校活跃度, activity-below-target=未达标教师",
    "组织与用户: org=组织机构, users=教师管理, teacher-import=教师导入, role-assignments=角色权限分配",
  ],
  COUNTY_REVIEWER: [
    "首页: home=工作台, notifications=消息通知",
    "活动申报: my-applications=本区域申报, contacts=区域联络员, clubs=社团空间登记",
    "审核与名额: review-queue=审核推荐, quotas=推荐名额",
    "活跃度统计: activity-stats=区域活跃度统计, activity-ranking=学校月度排名, activity-below-target=未达标名单",
    "组织与用户: org=组织机构, users=用户管理, teacher-import=教师导入, role-assignments=角色权限分配",
  ],
  CITY_REVIEWER: [
    "首页: home=工作台, notifications=消息通知",
    "活动申报: my-applications=本区域申报, contacts=联络员报送, clubs=社团空间登记",
    "审核与名额: review-queue=审核推荐, quotas=推荐名额",
    "活跃度统计: activity-stats=区域活跃度统计, activity-ranking=学校月度排名, activity-below-target=未达标名单",
    "组织与用户: org=组织机构, users=用户管理, teacher-import=教师导入, role-assignments=角色权限分配",
  ],
  PROVINCE_ADMIN: [
    "首页: home=工作台, notifications=消息通知",
    "活动申报: province-campaigns=活动管理, province-contacts=联络员审批, clubs=社团空间登记",
    "审核与名额: review-queue=申报管理, quotas=名额总表",
    "省级评审: province-experts=专家分配, province-progress=评分进度, province-ranking=排名与等次, province-honors=优秀单位与教师, province-publication=结果发布",
    "活跃度统计: activity-stats=全省活跃度统计, activity-ranking=学校月度排名, activity-below-target=未达标名单",
    "组织与用户: org=组织机构, users=用户管理, teacher-import=教师导入, role-assignments=角色分配审计",
  ],
  EXPERT: [
    "首页: home=工作台, notifications=消息通知",
    "省级评审: expert-tasks=我的评审任务",
  ],
};
const PAGES: Record<Role, string[]> = {
  TEACHER: [
    "account",
    "application",
    "application-edit",
    "home",
    "my-activity",
    "my-applications",
    "not-found",
    "notifications",
    "root",
  ],
  SCHOOL_ADMIN: [
    "account",
    "activity-below-target",
    "activity-stats",
    "activity-teacher",
    "application",
    "application-edit",
    "club",
    "clubs",
    "home",
    "my-applications",
    "not-found",
    "notifications",
    "org",
    "review-queue",
    "role-assignments",
    "root",
    "teacher-import",
    "users",
  ],
  COUNTY_REVIEWER: [
    "account",
    "activity-below-target",
    "activity-ranking",
    "activity-stats",
    "activity-teacher",
    "application",
    "application-edit",
    "club",
    "clubs",
    "contacts",
    "home",
    "my-applications",
    "not-found",
    "notifications",
    "org",
    "quotas",
    "review-queue",
    "role-assignments",
    "root",
    "teacher-import",
    "users",
  ],
  CITY_REVIEWER: [
    "account",
    "activity-below-target",
    "activity-ranking",
    "activity-stats",
    "activity-teacher",
    "application",
    "application-edit",
    "club",
    "clubs",
    "contacts",
    "home",
    "my-applications",
    "not-found",
    "notifications",
    "org",
    "quotas",
    "review-queue",
    "role-assignments",
    "root",
    "teacher-import",
    "users",
  ],
  PROVINCE_ADMIN: [
    "account",
    "activity-below-target",
    "activity-ranking",
    "activity-stats",
    "activity-teacher",
    "application",
    "club",
    "clubs",
    "home",
    "not-found",
    "notifications",
    "org",
    "province-campaign",
    "province-campaigns",
    "province-contacts",
    "province-experts",
    "province-honors",
    "province-progress",
    "province-publication",
    "province-ranking",
    "quotas",
    "review-queue",
    "role-assignments",
    "root",
    "teacher-import",
    "users",
  ],
  EXPERT: [
    "account",
    "expert-score",
    "expert-tasks",
    "home",
    "not-found",
    "notifications",
    "root",
  ],
};

describe("pages and menus per role", () => {
  const routes = router.getRoutes();
  const byPath = new Map(routes.map((r) => [r.path, String(r.name)]));

  it.each([...ROLES])("%s sees the same menu entries as before", (role) => {
    const menu = navigationFor(routes, role, permissionsOf(role)).map((g) => `${g.title}: ${g.items.map((i) => `${byPath.get(i.path)}=${i.label}`).join(", ")}`);
    expect(menu).toEqual(MENUS[role]);
  });

  it.each([...ROLES])("%s opens the same pages as before", (role) => {
    const open = routes.filter((r) => r.name && !r.meta.public && mayOpen(r.meta, role, permissionsOf(role))).map((r) => String(r.name));
    expect(open.sort()).toEqual(PAGES[role]);
  });

  it("shows nothing without an acting role", () => {
    expect(navigationFor(routes, null, [])).toEqual([]);
  });
});

function assignment(id: string, role: Role, roleLabel: string) {
  return { id, role, roleLabel, unit: { id: "u" + id, name: "测试单位", kind: "PROVINCE" as const, code: "33" } };
}

/** Signs a user in locally (no request): the given assignments, acting in the first, with the given permissions. */
function signIn(assignments: ReturnType<typeof assignment>[], permissions: string[]) {
  const auth = useAuthStore();
  auth.me = {
    id: "1",
    account: "t",
    name: "测试",
    homeUnit: { id: "u1", name: "测试单位", kind: "PROVINCE", code: "33", ancestors: [] },
    roles: assignments,
    actingRole: assignments[0],
    permissions,
  } as Me;
  auth.loaded = true;
}

describe("the router guard", () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    warning.mockClear();
    confirm.mockClear();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("refuses a page whose permission the acting role lacks, and sends the tab home", async () => {
    signIn([assignment("1", "TEACHER", "教师")], permissionsOf("TEACHER"));
    expect(await accessGuard(router.resolve("/province/campaigns"))).toEqual({ name: "home" });
    expect(warning).toHaveBeenCalledWith("当前账号没有访问「活动管理」的权限");
    expect(await accessGuard(router.resolve("/applications"))).toBe(true);
  });

  it("reads the acting role's permissions from me.permissions", async () => {
    signIn([assignment("1", "PROVINCE_ADMIN", "省级管理员")], permissionsOf("PROVINCE_ADMIN").filter((p) => p !== Permission.CampaignAdmin));
    expect(await accessGuard(router.resolve("/province/campaigns"))).toEqual({ name: "home" });
    expect(await accessGuard(router.resolve("/province/experts"))).toBe(true);
  });

  it("offers to switch to another role of the user that holds the permission", async () => {
    signIn([assignment("1", "TEACHER", "教师"), assignment("2", "SCHOOL_ADMIN", "学校平台管理员")], permissionsOf("TEACHER"));
    expect(await accessGuard(router.resolve("/activity/stats"))).toEqual({ name: "home" });
    vi.runAllTimers();
    expect(warning).not.toHaveBeenCalled();
    expect(confirm).toHaveBeenCalledOnce();
    expect(String(confirm.mock.calls[0]![0])).toContain("本校活跃度");
    expect(String(confirm.mock.calls[0]![0])).toContain("学校平台管理员");
  });

  it("keeps a page narrower than its permission to its own roles", async () => {
    signIn([assignment("1", "SCHOOL_ADMIN", "学校平台管理员")], permissionsOf("SCHOOL_ADMIN"));
    expect(await accessGuard(router.resolve("/activity/mine"))).toEqual({ name: "home" });
    expect(await accessGuard(router.resolve("/activity/ranking"))).toEqual({ name: "home" });
    expect(await accessGuard(router.resolve("/activity/below-target"))).toBe(true);
  });
});
