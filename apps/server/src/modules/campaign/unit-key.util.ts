import type { Sql } from "../../db/data-source.js";

/**
 * The key the domain rules use for a unit: its code (GB/T 2260 division code for province, city
 * and county; the school code for schools) or `#<id>` for a unit without a code. Campaign
 * configuration (quotas per city, a city's own deadlines) is keyed the same way.
 */
export function unitKey(u: { id: string | number; code: string | null }): string {
  return u.code ?? `#${u.id}`;
}

export interface KeyedUnitRow {
  id: string;
  kind: string;
  code: string | null;
  name: string;
  path: string;
  city_id: string | null;
  county_id: string | null;
}

/** The unit ids of a materialized path, widest first. */
export function pathIds(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/** Keys of every unit on `path`, widest first (province, city, county, …, the unit itself). */
export async function pathKeys(sql: Sql, path: string): Promise<string[]> {
  const ids = pathIds(path);
  if (!ids.length) return [];
  const rows = await sql.rows<{ id: string; code: string | null }>(`SELECT id, code FROM org_unit WHERE id = ANY($1::bigint[]) ORDER BY depth`, [ids]);
  return rows.map(unitKey);
}

/** Units by key (codes, or `#id`), for turning configuration keys back into units. */
export async function unitsByKey(sql: Sql, keys: readonly string[]): Promise<Map<string, KeyedUnitRow>> {
  const ids = keys.filter((k) => /^#\d{1,18}$/.test(k)).map((k) => k.slice(1));
  const codes = keys.filter((k) => !k.startsWith("#"));
  if (!ids.length && !codes.length) return new Map();
  const rows = await sql.rows<KeyedUnitRow>(
    `SELECT id, kind, code, name, path, city_id, county_id FROM org_unit WHERE code = ANY($1::text[]) OR id = ANY($2::bigint[])`,
    [codes, ids],
  );
  return new Map(rows.map((r) => [unitKey(r), r]));
}
