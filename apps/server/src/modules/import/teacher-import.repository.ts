import type { Role, TeacherImportRow } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";

/**
 * The teacher import's writes: a chunk of validated rows is staged in the temporary table
 * `imp_row`, resolved into `imp_target` (school and known user of each row) and applied with a
 * handful of set-based statements (teacher-import.writer.ts runs them in order, in one
 * transaction). Every access to a big table is keyed by the chunk (`= ANY(ARRAY(SELECT …))` or a
 * LATERAL probe of a unique index), so the plans stay index probes at 600,000 teachers.
 */
export const queries = sqlQueries({
  createRowTable: `CREATE TEMP TABLE imp_row (
    row_no int, account text, name text, phone text, school_code text, school_name text, county_code text, subject text, stage text
  ) ON COMMIT DROP`,
  insertRows: `INSERT INTO imp_row SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
  analyzeRows: `ANALYZE imp_row`,
  insertSchools: `INSERT INTO org_unit (id, kind, code, name, parent_id, path, depth, city_id, county_id) OVERRIDING SYSTEM VALUE
       SELECT n.id, 'SCHOOL', n.school_code, n.school_name, c.id, c.path || n.id || '/', c.depth + 1, c.city_id, c.id
         FROM (SELECT nextval(pg_get_serial_sequence('org_unit', 'id')) AS id, s.school_code, s.school_name, s.county_code
                 FROM (SELECT DISTINCT ON (school_code) school_code, school_name, county_code FROM imp_row ORDER BY school_code, row_no) s
                WHERE NOT EXISTS (SELECT 1 FROM org_unit o WHERE o.code = s.school_code)) n
         JOIN org_unit c ON c.code = n.county_code AND c.kind = 'COUNTY' AND c.path LIKE $1
       ON CONFLICT (code) DO NOTHING
       RETURNING id`,
  renameSchools: `UPDATE org_unit o SET name = s.school_name
         FROM (SELECT DISTINCT ON (school_code) school_code, school_name FROM imp_row ORDER BY school_code, row_no) s
        WHERE o.code = ANY(ARRAY(SELECT school_code FROM imp_row)) AND o.code = s.school_code
          AND o.kind IN ('SCHOOL','PRACTICE_BASE') AND o.path LIKE $1 AND o.name IS DISTINCT FROM s.school_name
       RETURNING o.id`,
  createTargetTable: `CREATE TEMP TABLE imp_target ON COMMIT DROP AS
     SELECT r.*, sch.id AS home_id, sch.path AS home_path, u.id AS user_id, u.unit_path AS old_path
       FROM imp_row r
       LEFT JOIN LATERAL (
         SELECT o.id, o.path FROM org_unit o
          WHERE o.code = r.school_code AND o.kind IN ('SCHOOL','PRACTICE_BASE') AND o.path LIKE $1 LIMIT 1
       ) sch ON true
       LEFT JOIN LATERAL (SELECT x.id, x.unit_path FROM app_user x WHERE x.account = r.account LIMIT 1) u ON true`,
  analyzeTargets: `ANALYZE imp_target`,
  dropOutOfScope: `DELETE FROM imp_target WHERE home_id IS NULL OR (user_id IS NOT NULL AND old_path NOT LIKE $1)
     RETURNING row_no, account, home_id IS NULL AS no_school`,
  lockTargetUsers: `SELECT u.id::text AS user_id, u.account, u.unit_path AS old_path FROM app_user u
      WHERE u.id = ANY(ARRAY(SELECT user_id FROM imp_target WHERE user_id IS NOT NULL)) ORDER BY u.id FOR UPDATE`,
  dropAccounts: `DELETE FROM imp_target WHERE account = ANY($1::text[]) RETURNING row_no, account`,
  insertUsers: `WITH ins AS (
       INSERT INTO app_user (account, name, phone, subject, stage, home_unit_id, unit_path)
       SELECT account, name, phone, subject, stage, home_id, home_path FROM imp_target WHERE user_id IS NULL ORDER BY row_no
       ON CONFLICT (account) DO NOTHING
       RETURNING id, account, home_unit_id
     ), roles AS (
       INSERT INTO role_assignment (user_id, role, unit_id, granted_by) SELECT id, 'TEACHER', home_unit_id, $1 FROM ins RETURNING user_id
     )
     SELECT account FROM ins`,
  newTargets: `SELECT row_no, account FROM imp_target WHERE user_id IS NULL`,
  updateUsers: `UPDATE app_user u SET name = t.name, phone = t.phone, subject = t.subject, stage = t.stage,
              home_unit_id = t.home_id, unit_path = t.home_path, updated_at = now()
         FROM imp_target t
        WHERE u.id = ANY(ARRAY(SELECT user_id FROM imp_target WHERE user_id IS NOT NULL)) AND u.id = t.user_id
          -- re-checked on the row version being updated; written so that no index can serve
          -- it, else the planner may scan the scope's whole index range for every chunk
          AND left(u.unit_path, length($1)) = $1
          AND (u.name, u.phone, u.subject, u.stage, u.home_unit_id, u.unit_path)
              IS DISTINCT FROM (t.name, t.phone, t.subject, t.stage, t.home_id, t.home_path)
       RETURNING u.id AS user_id`,
  moveTeacherRoles: `UPDATE role_assignment ra SET unit_id = m.home_id
         FROM (SELECT DISTINCT ON (x.user_id) x.id, t.home_id
                 FROM role_assignment x JOIN imp_target t ON t.user_id = x.user_id
                WHERE x.user_id = ANY(ARRAY(SELECT user_id FROM imp_target WHERE user_id IS NOT NULL))
                  AND x.role = 'TEACHER' AND x.unit_id <> t.home_id
                  AND NOT EXISTS (SELECT 1 FROM role_assignment y WHERE y.user_id = t.user_id AND y.role = 'TEACHER' AND y.unit_id = t.home_id)
                ORDER BY x.user_id, x.id) m
        WHERE ra.id = m.id
       RETURNING ra.user_id`,
  deleteOtherTeacherRoles: `DELETE FROM role_assignment ra USING imp_target t
        WHERE ra.user_id = ANY(ARRAY(SELECT user_id FROM imp_target WHERE user_id IS NOT NULL))
          AND ra.user_id = t.user_id AND ra.role = 'TEACHER' AND ra.unit_id <> t.home_id
       RETURNING ra.user_id`,
  grantTeacherRoles: `INSERT INTO role_assignment (user_id, role, unit_id, granted_by)
       SELECT user_id, 'TEACHER', home_id, $1 FROM imp_target WHERE user_id IS NOT NULL
       ON CONFLICT (user_id, role, unit_id) DO NOTHING
       RETURNING user_id`,
  countiesWithCode: `SELECT id::text AS id, code, city_id::text AS city_id, path FROM org_unit WHERE kind = 'COUNTY' AND code IS NOT NULL`,
  unitStanding: `SELECT kind, code, county_id::text AS county_id, city_id::text AS city_id FROM org_unit WHERE id = $1`,
  knownSchools: `SELECT code, kind, county_id::text AS county_id, city_id::text AS city_id, path LIKE $2 AS in_scope FROM org_unit WHERE code = ANY($1::text[])`,
  accountsOutOfScope: `SELECT account FROM app_user WHERE account = ANY($1::text[]) AND unit_path NOT LIKE $2`,
  rolesOfUsers: `SELECT r.user_id::text AS user_id, r.role, o.path, o.name FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id
      WHERE r.user_id = ANY($1::bigint[]) ORDER BY r.id`,
  usersInScope: `SELECT id::text AS id, account, unit_path FROM app_user WHERE account = ANY($1::text[]) AND unit_path LIKE $2`,
});

const col = <K extends keyof TeacherImportRow>(rows: TeacherImportRow[], k: K) => rows.map((r) => r[k]);

/** Creates `imp_row` (dropped at commit). */
export async function createRowTable(tx: Sql): Promise<void> {
  await tx.exec(queries.createRowTable);
}

/** Loads the chunk into `imp_row` in one statement. */
export async function insertRows(tx: Sql, rows: TeacherImportRow[]): Promise<void> {
  await tx.exec(queries.insertRows, [
    col(rows, "row"), col(rows, "account"), col(rows, "name"), col(rows, "phone"), col(rows, "schoolCode"), col(rows, "schoolName"),
    col(rows, "countyCode"), col(rows, "subject"), col(rows, "stage"),
  ]);
}

export async function analyzeRows(tx: Sql): Promise<void> {
  await tx.exec(queries.analyzeRows);
}

/** New schools of the chunk under their county in the scope (`scope`: a LIKE pattern); returns how many. */
export async function insertSchools(tx: Sql, scope: string): Promise<number> {
  return (await tx.exec(queries.insertSchools, [scope])).affected;
}

/** Renames the chunk's schools in the scope whose name differs; returns how many. */
export async function renameSchools(tx: Sql, scope: string): Promise<number> {
  return (await tx.exec(queries.renameSchools, [scope])).affected;
}

/** Creates `imp_target`: each row with its school and known user, both looked up in the scope. */
export async function createTargetTable(tx: Sql, scope: string): Promise<void> {
  await tx.exec(queries.createTargetTable, [scope]);
}

export async function analyzeTargets(tx: Sql): Promise<void> {
  await tx.exec(queries.analyzeTargets);
}

/** Drops the targets without a school in the scope or whose user lies outside it. */
export function dropOutOfScope(tx: Sql, scope: string): Promise<{ row_no: number; account: string; no_school: boolean }[]> {
  return tx.rows<{ row_no: number; account: string; no_school: boolean }>(queries.dropOutOfScope, [scope]);
}

/** Locks the known users of the targets (in id order) and returns them. */
export function lockTargetUsers(tx: Sql): Promise<{ user_id: string; account: string; old_path: string }[]> {
  return tx.rows<{ user_id: string; account: string; old_path: string }>(queries.lockTargetUsers);
}

/** Drops the targets of these accounts. */
export function dropAccounts(tx: Sql, accounts: string[]): Promise<{ row_no: number; account: string }[]> {
  return tx.rows<{ row_no: number; account: string }>(queries.dropAccounts, [accounts]);
}

/** Creates the new accounts (with their TEACHER role) and returns those created. */
export function insertUsers(tx: Sql, grantedBy: string): Promise<{ account: string }[]> {
  return tx.rows<{ account: string }>(queries.insertUsers, [grantedBy]);
}

/** The targets that had no account. */
export function newTargets(tx: Sql): Promise<{ row_no: number; account: string }[]> {
  return tx.rows<{ row_no: number; account: string }>(queries.newTargets);
}

/** Updates known users whose profile or school differs (`scopePath`: the scope root's path). */
export function updateUsers(tx: Sql, scopePath: string): Promise<{ user_id: string }[]> {
  return tx.rows<{ user_id: string }>(queries.updateUsers, [scopePath]);
}

/** Moves a TEACHER assignment of a teacher who changed school to the new school. */
export function moveTeacherRoles(tx: Sql): Promise<{ user_id: string }[]> {
  return tx.rows<{ user_id: string }>(queries.moveTeacherRoles);
}

/** Removes TEACHER assignments at other schools than the target's. */
export function deleteOtherTeacherRoles(tx: Sql): Promise<{ user_id: string }[]> {
  return tx.rows<{ user_id: string }>(queries.deleteOtherTeacherRoles);
}

/** Grants the TEACHER role at the target's school where it is missing. */
export function grantTeacherRoles(tx: Sql, grantedBy: string): Promise<{ user_id: string }[]> {
  return tx.rows<{ user_id: string }>(queries.grantTeacherRoles, [grantedBy]);
}

/** Every county with a code (the import's county column), with its city and path. */
export function countiesWithCode(sql: Sql): Promise<{ id: string; code: string; city_id: string; path: string }[]> {
  return sql.rows<{ id: string; code: string; city_id: string; path: string }>(queries.countiesWithCode);
}

/** What a school administrator's own-school rule needs of their unit. */
export function unitStanding(sql: Sql, unitId: string): Promise<{ kind: string; code: string | null; county_id: string | null; city_id: string | null } | undefined> {
  return sql.one<{ kind: string; code: string | null; county_id: string | null; city_id: string | null }>(queries.unitStanding, [unitId]);
}

/** School codes already in use, with what validation needs to know about them. */
export interface KnownSchool {
  code: string;
  kind: string;
  county_id: string | null;
  city_id: string | null;
  in_scope: boolean;
}

export function knownSchools(sql: Sql, codes: string[], scopePath: string): Promise<KnownSchool[]> {
  return sql.rows<KnownSchool>(queries.knownSchools, [codes, scopePath + "%"]);
}

/** The accounts of the list whose users lie outside the scope. */
export function accountsOutOfScope(sql: Sql, accounts: string[], scopePath: string): Promise<{ account: string }[]> {
  return sql.rows<{ account: string }>(queries.accountsOutOfScope, [accounts, scopePath + "%"]);
}

/** Every role these users hold, with the path and name of its unit, in assignment order. */
export function rolesOfUsers(sql: Sql, userIds: string[]): Promise<{ user_id: string; role: Role; path: string; name: string }[]> {
  return sql.rows<{ user_id: string; role: Role; path: string; name: string }>(queries.rolesOfUsers, [userIds]);
}

/** The existing accounts of the list inside the scope. */
export function usersInScope(sql: Sql, accounts: string[], scopePath: string): Promise<{ id: string; account: string; unit_path: string }[]> {
  return sql.rows<{ id: string; account: string; unit_path: string }>(queries.usersInScope, [accounts, scopePath + "%"]);
}
