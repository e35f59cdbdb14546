import type { Sql } from "../../db/data-source.js";
import { fill, sqlQueries } from "../../db/repository.js";
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
  // Children of a unit, optionally of one kind: a page by code, and their number.
  childrenOf: `parent_id = $1`,
  childrenOfKind: `parent_id = $1 AND kind = $2`,
  childrenPage: `SELECT ${UNIT_COLUMNS} FROM org_unit WHERE {where} ORDER BY code NULLS LAST, name, id OFFSET {offset} LIMIT {limit}`,
  childrenCount: `SELECT count(*)::int AS n FROM org_unit WHERE {where}`,
  // Search in a subtree by name fragment or code prefix, optionally among some kinds.
  matching: `path LIKE $1 AND (name LIKE $2 OR code LIKE $3)`,
  matchingOfKinds: `path LIKE $1 AND (name LIKE $2 OR code LIKE $3) AND kind = ANY($4)`,
  search: `SELECT ${UNIT_COLUMNS} FROM org_unit WHERE {where} ORDER BY depth, code NULLS LAST, name LIMIT {limit}`,
  // "Path starts with p.path" as a range [p.path, p.path || '~') in text_pattern_ops order
  // ('~' sorts after '/' and every digit, the only characters of a path), so each unit is an
  // index range scan; `LIKE p.path || '%'` is not indexable when the pattern comes from a join
  // and scanned every user once per unit (seconds for a list of units at province scale).
  countsUnder: `SELECT p.path,
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
  childCounts: `SELECT parent_id, count(*)::int AS n FROM org_unit WHERE parent_id = ANY($1::bigint[]) GROUP BY parent_id`,
  unitsInSubtree: `SELECT ${UNIT_COLUMNS} FROM org_unit WHERE id = ANY($1::bigint[]) AND path LIKE $2 ORDER BY depth`,
  // The seed (db/seed.ts): the org tree, demo accounts, and the markers of what was loaded.
  // The id is drawn first so the path can be written in the same INSERT: an UPDATE in the same
  // statement as a data-modifying CTE would not see the inserted row (one snapshot).
  seedInsertUnit: `INSERT INTO org_unit (id, kind, code, name, parent_id, path, depth, city_id, county_id) OVERRIDING SYSTEM VALUE
     SELECT n.id, $1::text, $2::text, $3::text, $4::bigint, $6::text || n.id || '/', $5::int,
            CASE WHEN $1::text = 'CITY' THEN n.id ELSE $7::bigint END,
            CASE WHEN $1::text = 'COUNTY' THEN n.id ELSE $8::bigint END
       FROM (SELECT nextval(pg_get_serial_sequence('org_unit', 'id')) AS id) n
     RETURNING id, path, depth, city_id, county_id`,
  seedUnitByCode: `SELECT id, path, depth, city_id, county_id FROM org_unit WHERE code = $1`,
  seedInsertUser: `INSERT INTO app_user (account, name, phone, subject, stage, home_unit_id, unit_path, password_hash, locked, locked_reason, locked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $9 THEN now() END) RETURNING id`,
  seedInsertRole: `INSERT INTO role_assignment (user_id, role, unit_id) VALUES ($1, $2, $3)`,
  seedMarkerTable: `CREATE TABLE IF NOT EXISTS seed_marker (name text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`,
  // Serializes concurrent first starts of several API processes on one PostgreSQL.
  seedMarkerLock: `LOCK TABLE seed_marker IN EXCLUSIVE MODE`,
  seedMarkers: `SELECT name FROM seed_marker`,
  seedMarkerOrgTree: `INSERT INTO seed_marker (name) VALUES ('org-tree')`,
  seedMarkerDemo: `INSERT INTO seed_marker (name) VALUES ('demo')`,
  seedMarker: `INSERT INTO seed_marker (name) VALUES ($1)`,
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

/** A page of the children of a unit (of one kind when given), by code, and their number. */
export async function childrenPage(sql: Sql, parentId: string, kind: string | null | undefined, offset: number, limit: number): Promise<{ rows: UnitRow[]; total: number }> {
  const params: unknown[] = kind ? [parentId, kind] : [parentId];
  const where = kind ? queries.childrenOfKind : queries.childrenOf;
  const [rows, count] = await Promise.all([
    sql.rows<UnitRow>(fill(queries.childrenPage, { where, offset: Number(offset), limit: Number(limit) }), params),
    sql.one<{ n: number }>(fill(queries.childrenCount, { where }), params),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/**
 * Units under `pathPrefix` (a LIKE pattern) whose name contains `namePattern` or whose code
 * starts with `codePattern` (both LIKE patterns, escaped), of `kinds` when given: widest first.
 */
export function searchUnitRows(sql: Sql, pathPrefix: string, namePattern: string, codePattern: string, kinds: readonly string[] | null | undefined, limit: number): Promise<UnitRow[]> {
  const params: unknown[] = [pathPrefix, namePattern, codePattern];
  if (kinds?.length) params.push(kinds);
  const where = kinds?.length ? queries.matchingOfKinds : queries.matching;
  return sql.rows<UnitRow>(fill(queries.search, { where, limit: Number(limit) }), params);
}

/** Schools (and practice bases) and unlocked / locked teachers at or below each path. */
export function countsUnder(sql: Sql, paths: readonly string[]): Promise<{ path: string; schools: number; teachers: number; locked: number }[]> {
  return sql.rows(queries.countsUnder, [paths]);
}

/** How many children each unit has, keyed by id (absent: none). */
export async function childCounts(sql: Sql, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = await sql.rows<{ parent_id: string; n: number }>(queries.childCounts, [ids]);
  return new Map(rows.map((r) => [String(r.parent_id), r.n]));
}

/** Units by id whose path starts with `pathPrefix`, widest first. */
export function unitsInSubtree(sql: Sql, ids: readonly string[], pathPrefix: string): Promise<UnitRow[]> {
  return sql.rows<UnitRow>(queries.unitsInSubtree, [ids, pathPrefix + "%"]);
}

/** A unit as the seed places units under it. */
export interface SeedUnitRef {
  id: string;
  path: string;
  depth: number;
  city_id: string | null;
  county_id: string | null;
}

/** Inserts a unit with its path, depth, city and county from the parent's (seed). */
export function seedInsertUnit(
  sql: Pick<Sql, "one">,
  u: { kind: string; code: string | null; name: string; parentId: string | null; depth: number; parentPath: string; cityId: string | null; countyId: string | null },
): Promise<SeedUnitRef | undefined> {
  return sql.one<SeedUnitRef>(queries.seedInsertUnit, [u.kind, u.code, u.name, u.parentId, u.depth, u.parentPath, u.cityId, u.countyId]);
}

/** A unit by code (seed). */
export function seedUnitByCode(sql: Sql, code: string): Promise<SeedUnitRef | undefined> {
  return sql.one<SeedUnitRef>(queries.seedUnitByCode, [code]);
}

/** Inserts a demo account (locked now when `locked`); returns its id (seed). */
export async function seedInsertUser(
  sql: Sql,
  d: { account: string; name: string; phone: string | null; subject: string | null; stage: string | null; homeUnitId: string; unitPath: string; passwordHash: string; locked: boolean; lockedReason: string | null },
): Promise<string> {
  const u = await sql.one<{ id: string }>(queries.seedInsertUser, [d.account, d.name, d.phone, d.subject, d.stage, d.homeUnitId, d.unitPath, d.passwordHash, d.locked, d.lockedReason]);
  return u!.id;
}

/** Gives a user a role on a unit (seed). */
export async function seedInsertRole(sql: Sql, userId: string, role: string, unitId: string): Promise<void> {
  await sql.exec(queries.seedInsertRole, [userId, role, unitId]);
}

/**
 * Creates the seed markers' table if needed and locks it for the transaction (concurrent first
 * starts wait for each other); returns the names of what was seeded already.
 */
export async function lockSeedMarkers(sql: Sql): Promise<Set<string>> {
  await sql.exec(queries.seedMarkerTable);
  await sql.exec(queries.seedMarkerLock);
  return new Set((await sql.rows<{ name: string }>(queries.seedMarkers)).map((r) => r.name));
}

/** Records that a part of the seed was loaded. */
export async function markSeeded(sql: Sql, name: string): Promise<void> {
  if (name === "org-tree") await sql.exec(queries.seedMarkerOrgTree);
  else if (name === "demo") await sql.exec(queries.seedMarkerDemo);
  else await sql.exec(queries.seedMarker, [name]);
}
