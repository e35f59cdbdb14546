import type { UnitKind } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { loader } from "../../common/loader.js";
import { checkPage, likeEscape } from "../../common/paging.js";
import { requireActing, requireUnitInScope, UNIT_COLUMNS, type UnitRow } from "../auth/authorize.js";
import { unitsById } from "./org.repository.js";
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
  const params: unknown[] = [parent.id];
  let where = "parent_id = $1";
  if (kind) {
    params.push(kind);
    where += ` AND kind = $${params.length}`;
  }
  const [rows, count] = await Promise.all([
    ctx.db.rows<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM org_unit WHERE ${where} ORDER BY code NULLS LAST, name, id OFFSET ${offset} LIMIT ${limit}`, params),
    ctx.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM org_unit WHERE ${where}`, params),
  ]);
  return { items: rows.map(OrgUnit.from), total: count?.n ?? 0 };
}

/** Search by name fragment or code prefix, inside the caller's scope only. */
export async function searchUnits(ctx: Ctx, query: string, kinds: UnitKind[] | undefined, limit: number) {
  const acting = requireActing(ctx);
  const q = query.trim();
  const lim = Math.min(Math.max(limit, 1), 50);
  if (!q) return [];
  const params: unknown[] = [acting.unitPath + "%", "%" + likeEscape(q) + "%", likeEscape(q) + "%"];
  let where = "path LIKE $1 AND (name LIKE $2 OR code LIKE $3)";
  if (kinds?.length) {
    params.push(kinds);
    where += ` AND kind = ANY($${params.length})`;
  }
  const rows = await ctx.db.rows<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM org_unit WHERE ${where} ORDER BY depth, code NULLS LAST, name LIMIT ${lim}`, params);
  return rows.map(OrgUnit.from);
}

export function unitCounts(ctx: Ctx, unit: OrgUnit): Promise<UnitCounts> {
  return loader<string, UnitCounts>(ctx, "unitCounts", async (paths) => {
    // "Path starts with p.path" as a range [p.path, p.path || '~') in text_pattern_ops order
    // ('~' sorts after '/' and every digit, the only characters of a path), so each unit is an
    // index range scan; `LIKE p.path || '%'` is not indexable when the pattern comes from a join
    // and scanned every user once per unit (seconds for a list of units at province scale).
    const rows = await ctx.db.rows<{ path: string; schools: number; teachers: number; locked: number }>(
      `SELECT p.path,
              (SELECT count(*)::int FROM org_unit o
                WHERE o.path ~>=~ p.path AND o.path ~<~ (p.path || '~') AND o.kind IN ('SCHOOL','PRACTICE_BASE')) AS schools,
              t.teachers, t.locked
         FROM unnest($1::text[]) AS p(path)
         CROSS JOIN LATERAL (
           SELECT count(*) FILTER (WHERE NOT u.locked)::int AS teachers, count(*) FILTER (WHERE u.locked)::int AS locked
             FROM app_user u
            WHERE u.unit_path ~>=~ p.path AND u.unit_path ~<~ (p.path || '~')
              AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
         ) t`,
      [paths],
    );
    const byPath = new Map(rows.map((r) => [r.path, { schools: r.schools, teachers: r.teachers, lockedTeachers: r.locked }]));
    return paths.map((p) => byPath.get(p) ?? { schools: 0, teachers: 0, lockedTeachers: 0 });
  }).load(unit.path);
}

export function childCount(ctx: Ctx, unit: OrgUnit): Promise<number> {
  return loader<string, number>(ctx, "childCount", async (ids) => {
    const rows = await ctx.db.rows<{ parent_id: string; n: number }>(
      `SELECT parent_id, count(*)::int AS n FROM org_unit WHERE parent_id = ANY($1::bigint[]) GROUP BY parent_id`,
      [ids],
    );
    const m = new Map(rows.map((r) => [String(r.parent_id), r.n]));
    return ids.map((id) => m.get(id) ?? 0);
  }).load(unit.id);
}

/** Ancestors from the top of the caller's scope down to the unit's parent (breadcrumbs). */
export async function ancestorsInScope(ctx: Ctx, unit: OrgUnit): Promise<OrgUnit[]> {
  const acting = requireActing(ctx);
  const ids = unit.path.split("/").filter(Boolean).slice(0, -1);
  if (!ids.length) return [];
  const rows = await ctx.db.rows<UnitRow>(
    `SELECT ${UNIT_COLUMNS} FROM org_unit WHERE id = ANY($1::bigint[]) AND path LIKE $2 ORDER BY depth`,
    [ids, acting.unitPath + "%"],
  );
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
