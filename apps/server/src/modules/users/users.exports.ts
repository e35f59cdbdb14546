import { ROLE_LABELS, type Role } from "@zjh/domain";
import { Permission } from "../auth/permissions.js";
import { requireUnitInScope, requireActing } from "../auth/authorize.js";
import type { ExportSpec } from "../export/export.registry.js";
import { assignmentFilter, userFilter } from "./users.service.js";
import { assignmentsExportRows, usersExportRows } from "./user.repository.js";

/** This module's Excel exports (listed in modules/export/exports.ts). */
export const usersExports: ExportSpec[] = [];

const bool = (s: string | undefined) => (s === "true" ? true : s === "false" ? false : null);

usersExports.push({
  name: "users",
  title: "用户名单",
  permission: Permission.UserRead,
  columns: [
    { header: "师训账号", key: "account", width: 18 },
    { header: "姓名", key: "name", width: 12 },
    { header: "所在单位", key: "unit_name", width: 28 },
    { header: "单位代码", key: "unit_code", width: 14 },
    { header: "学科", key: "subject", width: 10 },
    { header: "学段", key: "stage", width: 10 },
    { header: "手机", key: "phone", width: 14 },
    { header: "状态", key: "status", width: 10 },
    { header: "锁定原因", key: "locked_reason", width: 14 },
  ],
  async subtitle(ctx, q) {
    return (await requireUnitInScope(ctx, q.unitId ?? requireActing(ctx).unitId)).name;
  },
  async *rows(ctx, q) {
    const filter = await userFilter(ctx, {
      unitId: q.unitId, search: q.search, locked: bool(q.locked), role: (q.role as Role) || null,
    });
    const rows = await usersExportRows(ctx.db, filter);
    yield* rows;
  },
});

usersExports.push({
  name: "role-assignments",
  title: "角色权限分配表",
  permission: Permission.UserRead,
  columns: [
    { header: "单位", key: "unit_name", width: 28 },
    { header: "单位代码", key: "unit_code", width: 14 },
    { header: "单位类型", key: "unit_kind", width: 12 },
    { header: "角色", key: "role_label", width: 20 },
    { header: "师训账号", key: "account", width: 18 },
    { header: "姓名", key: "name", width: 12 },
    { header: "账号状态", key: "status", width: 10 },
    { header: "授权人", key: "granted_by", width: 16 },
    { header: "授权时间", key: "granted_at", width: 18, format: "datetime" },
  ],
  async subtitle(ctx, q) {
    return (await requireUnitInScope(ctx, q.unitId ?? requireActing(ctx).unitId)).name;
  },
  async *rows(ctx, q) {
    const filter = await assignmentFilter(ctx, { unitId: q.unitId, role: (q.role as Role) || null });
    const rows = await assignmentsExportRows(ctx.db, filter);
    for (const r of rows) yield { ...r, role_label: ROLE_LABELS[r.role] };
  },
});
