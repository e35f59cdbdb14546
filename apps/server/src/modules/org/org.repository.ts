import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";
import { unitKey } from "../campaign/unit-key.util.js";

/** One row of `org_unit`: the administrative tree (province, cities, counties, schools, practice bases). */
export interface UnitRow {
  id: string;
  kind: string;
  code: string | null;
  name: string;
  parent_id: string | null;
  path: string;
  depth: number;
  city_id: string | null;
  county_id: string | null;
}

export const UNIT_COLUMNS = "id, kind, code, name, parent_id, path, depth, city_id, county_id";

/** The columns of a unit that configuration keys (codes or `#id`) are resolved to. */
export type KeyedUnitRow = Pick<UnitRow, "id" | "kind" | "code" | "name" | "path" | "city_id" | "county_id">;

export const queries = sqlQueries({
  unitById: `SELECT ${UNIT_COLUMNS} FROM org_unit WHERE id = $1`,
  unitInSubtree: `SELECT ${UNIT_COLUMNS} FROM org_unit WHERE id = $1 AND path LIKE $2`,
  unitsById: `SELECT ${UNIT_COLUMNS} FROM org_unit WHERE id = ANY($1::bigint[])`,
  unitWithRegion: `SELECT ${UNIT_COLUMNS} FROM org_unit
    WHERE id IN (SELECT unnest(ARRAY[u.id, u.city_id, u.county_id]) FROM org_unit u WHERE u.id = $1)`,
  pathKeys: `SELECT id, code FROM org_unit WHERE id = ANY($1::bigint[]) ORDER BY depth`,
  unitsByKey: `SELECT id, kind, code, name, path, city_id, county_id FROM org_unit WHERE code = ANY($1::text[]) OR id = ANY($2::bigint[])`,
  cityTrees: `SELECT id, kind, code, name, city_id FROM org_unit WHERE city_id = ANY($1::bigint[]) AND kind IN ('CITY','COUNTY') ORDER BY code NULLS LAST, id`,
  citiesUnder: `SELECT id FROM org_unit WHERE kind = 'CITY' AND path LIKE $1 ORDER BY code`,
  countiesOf: `SELECT id, code, name FROM org_unit WHERE parent_id = $1 AND kind = 'COUNTY'`,
});

const isId = (id: unknown) => /^\d{1,18}$/.test(String(id));

/** A unit by id (any unit: callers scope it). */
export function findUnit(sql: Sql, id: string | number): Promise<UnitRow | undefined> {
  if (!isId(id)) return Promise.resolve(undefined);
  return sql.one<UnitRow>(queries.unitById, [String(id)]);
}

/** A unit by id when its path starts with `pathPrefix` (a scope root's path). */
export function findUnitInSubtree(sql: Sql, id: string | number, pathPrefix: string): Promise<UnitRow | undefined> {
  if (!isId(id)) return Promise.resolve(undefined);
  return sql.one<UnitRow>(queries.unitInSubtree, [String(id), pathPrefix + "%"]);
}

/** Units by id in one statement, keyed by id (missing ids are absent). */
export async function unitsById(sql: Sql, ids: readonly (string | number)[]): Promise<Map<string, UnitRow>> {
  const wanted = [...new Set(ids.map(String).filter(isId))];
  if (!wanted.length) return new Map();
  const rows = await sql.rows<UnitRow>(queries.unitsById, [wanted]);
  return new Map(rows.map((r) => [String(r.id), r]));
}

export interface UnitRegion {
  unit: UnitRow;
  city: UnitRow | null;
  county: UnitRow | null;
}

/** A unit with its city and county (from its own city_id / county_id), in one statement. */
export async function unitWithRegion(sql: Sql, unitId: string | number): Promise<UnitRegion | null> {
  if (!isId(unitId)) return null;
  const rows = await sql.rows<UnitRow>(queries.unitWithRegion, [String(unitId)]);
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  const unit = byId.get(String(unitId));
  if (!unit) return null;
  return { unit, city: unit.city_id ? (byId.get(String(unit.city_id)) ?? null) : null, county: unit.county_id ? (byId.get(String(unit.county_id)) ?? null) : null };
}

/**
 * A unit with a city and county already known (an application stores its applicant unit's
 * city_id / county_id): one statement for the three.
 */
export async function regionOf(sql: Sql, ids: { unitId: string; cityId: string | null; countyId: string | null }): Promise<UnitRegion | null> {
  return regionFrom(await unitsById(sql, regionIds(ids)), ids);
}

/** The unit ids `regionOf` reads. */
export function regionIds(ids: { unitId: string; cityId: string | null; countyId: string | null }): string[] {
  return [ids.unitId, ids.cityId, ids.countyId].filter((x): x is string => !!x).map(String);
}

/** A unit with its known city and county, from units already loaded by id. */
export function regionFrom(m: ReadonlyMap<string, UnitRow>, ids: { unitId: string; cityId: string | null; countyId: string | null }): UnitRegion | null {
  const unit = m.get(String(ids.unitId));
  if (!unit) return null;
  return { unit, city: ids.cityId ? (m.get(String(ids.cityId)) ?? null) : null, county: ids.countyId ? (m.get(String(ids.countyId)) ?? null) : null };
}

/** The unit ids of a materialized path, widest first. */
export function pathIds(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/** Keys of every unit on `path`, widest first (province, city, county, …, the unit itself). */
export async function pathKeys(sql: Sql, path: string): Promise<string[]> {
  const ids = pathIds(path);
  if (!ids.length) return [];
  const rows = await sql.rows<{ id: string; code: string | null }>(queries.pathKeys, [ids]);
  return rows.map(unitKey);
}

/** Units by key (codes, or `#id`), for turning configuration keys back into units. */
export async function unitsByKey(sql: Sql, keys: readonly string[]): Promise<Map<string, KeyedUnitRow>> {
  const ids = keys.filter((k) => /^#\d{1,18}$/.test(k)).map((k) => k.slice(1));
  const codes = keys.filter((k) => !k.startsWith("#"));
  if (!ids.length && !codes.length) return new Map();
  const rows = await sql.rows<KeyedUnitRow>(queries.unitsByKey, [codes, ids]);
  return new Map(rows.map((r) => [unitKey(r), r]));
}

export interface CityTree {
  city: { id: string; code: string | null; name: string };
  counties: { id: string; code: string | null; name: string }[];
}

/** Cities with their counties (by code), in the order of `cityIds`, in one statement. */
export async function cityTrees(sql: Sql, cityIds: string[]): Promise<CityTree[]> {
  if (!cityIds.length) return [];
  const rows = await sql.rows<{ id: string; kind: string; code: string | null; name: string; city_id: string }>(queries.cityTrees, [cityIds]);
  return cityIds.map((cid) => {
    const mine = rows.filter((r) => String(r.city_id) === String(cid));
    const city = mine.find((r) => r.kind === "CITY")!;
    return {
      city: { id: String(city.id), code: city.code, name: city.name },
      counties: mine.filter((r) => r.kind === "COUNTY").map((r) => ({ id: String(r.id), code: r.code, name: r.name })),
    };
  });
}

/** Ids of the cities at or below the unit with path `path`, by code. */
export async function cityIdsUnder(sql: Sql, path: string): Promise<string[]> {
  return (await sql.rows<{ id: string }>(queries.citiesUnder, [path + "%"])).map((r) => String(r.id));
}

/** The counties directly under a city. */
export function countiesOf(sql: Sql, cityId: string): Promise<{ id: string; code: string | null; name: string }[]> {
  return sql.rows(queries.countiesOf, [cityId]);
}
