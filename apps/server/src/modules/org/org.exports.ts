import { UNIT_KIND_LABELS, type UnitKind } from "@zjh/domain";
import { Permission } from "../auth/permissions.js";
import { requireActing, requireUnitInScope } from "../auth/authorize.js";
import type { ExportSpec } from "../export/export.registry.js";
import { unitCounts, unitChildren } from "./org.service.js";

/** This module's Excel exports (listed in modules/export/exports.ts). */
export const orgExports: ExportSpec[] = [];

const KINDS = new Set(Object.keys(UNIT_KIND_LABELS));
const PAGE = 200;

/**
 * The organization browser's "下级单位" table: the children of the selected unit (default: the
 * acting role's own unit) with the same type filter, order and counts as the screen, every page.
 */
orgExports.push({
  name: "org-children",
  title: "下级单位名录",
  permission: Permission.OrgRead,
  columns: [
    { header: "单位名称", key: "name", width: 32 },
    { header: "类型", key: "kind", width: 14 },
    { header: "代码", key: "code", width: 14 },
    { header: "学校（含实践基地）", key: "schools", width: 12, format: "number" },
    { header: "在岗教师", key: "teachers", width: 10, format: "number" },
    { header: "已锁定教师", key: "lockedTeachers", width: 10, format: "number" },
  ],
  async subtitle(ctx, q) {
    const unit = await requireUnitInScope(ctx, q.parentId || requireActing(ctx).unitId);
    return q.kind && KINDS.has(q.kind) ? `${unit.name}　类型：${UNIT_KIND_LABELS[q.kind as UnitKind]}` : unit.name;
  },
  async *rows(ctx, q) {
    const parentId = q.parentId || requireActing(ctx).unitId;
    const kind = q.kind && KINDS.has(q.kind) ? (q.kind as UnitKind) : undefined;
    for (let offset = 0; ; offset += PAGE) {
      const { items, total } = await unitChildren(ctx, parentId, kind, { offset, limit: PAGE });
      const counts = await Promise.all(items.map((u) => unitCounts(ctx, u)));
      for (const [i, u] of items.entries()) {
        yield { name: u.name, kind: UNIT_KIND_LABELS[u.kind as UnitKind], code: u.code ?? "", ...counts[i] };
      }
      if (offset + PAGE >= total) break;
    }
  },
});
