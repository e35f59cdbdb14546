import type { UnitKind } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { loader } from "../../common/loader.js";
import { checkPage, likeEscape } from "../../common/paging.js";
import { requireActing, requireUnitInScope } from "../auth/authorize.js";
import { childCounts, childrenPage, countsUnder, searchUnitRows, unitsById, unitsInSubtree } from "./org.repository.js";
import { OrgUnit, type UnitCounts } from "./org.types.js";

export async function getUnit(ctx: Ctx, id: string): Promise<OrgUnit> {
  return OrgUnit.from(await requireUnitInScope(ctx, id));
}

/** Children of a unit in scope; without a parent, the acting role's own unit (the scope root). */
export async function unitChildren(ctx: Ctx, parentId: string | null | undefined, kind: UnitKind | undefined, page: { offset: number; limit: number }) {
  const { offset, limit } = checkPage(page);
  if (!parentId) {
    const root = await requireUnitInScope(ctx, requireActing(ctx).unitId);
    return { items: [OrgUnit.from(root)], total: 1 };
  }
  const parent = await requireUnitInScope(ctx, parentId);
  const { rows, total } = await childrenPage(ctx.db, parent.id, kind, offset, limit);
  return { items: rows.map(OrgUnit.from), total };
}

/** Search by name fragment or code prefix, inside the caller's scope only. */
export async function searchUnits(ctx: Ctx, query: string, kinds: UnitKind[] | undefined, limit: number) {
  const acting = requireActing(ctx);
  const q = query.trim();
  const lim = Math.min(Math.max(limit, 1), 50);
  if (!q) return [];
  const rows = await searchUnitRows(ctx.db, acting.unitPath + "%", "%" + likeEscape(q) + "%", likeEscape(q) + "%", kinds, lim);
  return rows.map(OrgUnit.from);
}

export function unitCounts(ctx: Ctx, unit: OrgUnit): Promise<UnitCounts> {
  return loader<string, UnitCounts>(ctx, "unitCounts", async (paths) => {
    const rows = await countsUnder(ctx.db, paths);
    const byPath = new Map(rows.map((r) => [r.path, { schools: r.schools, teachers: r.teachers, lockedTeachers: r.locked }]));
    return paths.map((p) => byPath.get(p) ?? { schools: 0, teachers: 0, lockedTeachers: 0 });
  }).load(unit.path);
}

export function childCount(ctx: Ctx, unit: OrgUnit): Promise<number> {
  return loader<string, number>(ctx, "childCount", async (ids) => {
    const m = await childCounts(ctx.db, ids);
    return ids.map((id) => m.get(id) ?? 0);
  }).load(unit.id);
}

/** Ancestors from the top of the caller's scope down to the unit's parent (breadcrumbs). */
export async function ancestorsInScope(ctx: Ctx, unit: OrgUnit): Promise<OrgUnit[]> {
  const acting = requireActing(ctx);
  const ids = unit.path.split("/").filter(Boolean).slice(0, -1);
  if (!ids.length) return [];
  const rows = await unitsInSubtree(ctx.db, ids, acting.unitPath);
  return rows.map(OrgUnit.from);
}

/**
 * Units by id for nested fields (batched). Any unit resolves, for its label: the object that
 * names it was scoped already; its figures are refused outside the acting subtree by OrgResolver.
 */
export function unitById(ctx: Ctx, id: string): Promise<OrgUnit | null> {
  return loader<string, OrgUnit | null>(ctx, "unitById", async (ids) => {
    const m = await unitsById(ctx.db, ids);
    return ids.map((id) => {
      const r = m.get(String(id));
      return r ? OrgUnit.from(r) : null;
    });
  }).load(id);
}
