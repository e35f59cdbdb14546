import type { Role, UnitKind } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";
import { bind, fill, sqlQueries } from "../../db/repository.js";
import type { UnitRow } from "../org/org.repository.js";

/** One row of `app_user` as the user administration shows it (never the password hash itself). */
export interface UserRow {
  id: string;
  account: string;
  name: string;
  phone: string | null;
  subject: string | null;
  stage: string | null;
  home_unit_id: string;
  unit_path: string;
  locked: boolean;
  locked_reason: string | null;
  locked_at: Date | null;
  has_password: boolean;
}

export const USER_COLUMNS = "id, account, name, phone, subject, stage, home_unit_id, unit_path, locked, locked_reason, locked_at, password_hash IS NOT NULL AS has_password";

/** Who a user is, as lists name people: nothing beyond the identity. */
export interface UserIdentity {
  id: string;
  account: string;
  name: string;
  locked: boolean;
}

/** What an application form is prefilled and checked with: the applicant's name, bound mobile and stage. */
export interface UserProfile {
  name: string;
  phone: string | null;
  stage: string | null;
}

export const queries = sqlQueries({
  userById: `SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1`,
  userInSubtree: `SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1 AND unit_path LIKE $2`,
  identitiesById: `SELECT id, account, name, locked FROM app_user WHERE id = ANY($1::bigint[])`,
  profileById: `SELECT name, phone, stage FROM app_user WHERE id = $1`,
  accountByName: `SELECT id, locked, unit_path FROM app_user WHERE account = $1`,
  lockForUpdate: `SELECT id FROM app_user WHERE id = $1 FOR UPDATE`,
  setLocked: `UPDATE app_user SET locked = $2, locked_reason = $3, locked_at = CASE WHEN $2 THEN now() END, updated_at = now()
    WHERE id = $1 RETURNING ${USER_COLUMNS}`,
  resetPassword: `UPDATE app_user SET password_hash = $2, failed_logins = 0, login_blocked_until = NULL, updated_at = now() WHERE id = $1`,
  // The user lists (page, count, Excel export): a WHERE of the filter fragments below, joined with AND.
  usersPage: `SELECT ${USER_COLUMNS} FROM app_user u WHERE {where} ORDER BY {order}, id OFFSET {offset} LIMIT {limit}`,
  usersCount: `SELECT count(*)::int AS n FROM app_user u WHERE {where}`,
  usersExport: `SELECT u.account, u.name, o.name AS unit_name, o.code AS unit_code, u.subject, u.stage, u.phone,
              CASE WHEN u.locked THEN '已锁定' ELSE '正常' END AS status, u.locked_reason
         FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id WHERE {where} ORDER BY u.unit_path, u.account`,
  userInScope: `u.unit_path LIKE :scope`,
  userSearch: `(u.account LIKE :search OR u.name LIKE :search)`,
  userLocked: `u.locked = :locked`,
  userHoldsRole: `EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = :role)`,
  // Role assignments.
  heldRoles: `SELECT r.role, o.path, o.name FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE r.user_id = $1 ORDER BY r.id`,
  insertAssignment: `INSERT INTO role_assignment (user_id, role, unit_id, granted_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, role, unit_id) DO NOTHING RETURNING id, user_id, role, granted_at, unit_id`,
  assignmentInSubtree: `SELECT r.id, r.user_id, r.role, r.granted_at, r.unit_id, o.kind AS unit_kind
         FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id
        WHERE r.id = $1 AND o.path LIKE $2`,
  deleteAssignment: `DELETE FROM role_assignment WHERE id = $1`,
  assignmentsOfUsers: `SELECT r.id, r.user_id, r.role, r.granted_at, r.unit_id, o.kind, o.code, o.name, o.parent_id, o.path, o.depth, o.city_id, o.county_id
         FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE r.user_id = ANY($1::bigint[]) ORDER BY r.id`,
  // The assignment lists (page, count, Excel export): a WHERE of the filter fragments below, joined with AND.
  assignmentsPage: `SELECT r.id, r.user_id, r.role, r.granted_at, r.unit_id, o.kind, o.code, o.name, o.parent_id, o.path, o.depth, o.city_id, o.county_id
         FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE {where}
        ORDER BY o.path, r.role, r.id OFFSET {offset} LIMIT {limit}`,
  assignmentsCount: `SELECT count(*)::int AS n FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE {where}`,
  assignmentsExport: `SELECT o.name AS unit_name, o.code AS unit_code, o.kind AS unit_kind, r.role, u.account, u.name,
              CASE WHEN u.locked THEN '已锁定' ELSE '正常' END AS status, g.account AS granted_by, r.granted_at
         FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id JOIN app_user u ON u.id = r.user_id
         LEFT JOIN app_user g ON g.id = r.granted_by
        WHERE {where} ORDER BY o.path, r.role, u.account`,
  assignmentInScope: `o.path LIKE :scope`,
  assignmentOfRole: `r.role = :role`,
  // The first provincial administrator (command line).
  provinceRoot: `SELECT id, path FROM org_unit WHERE kind = 'PROVINCE' AND parent_id IS NULL`,
  accountExists: `SELECT 1 FROM app_user WHERE account = $1`,
  insertAdmin: `INSERT INTO app_user (account, name, home_unit_id, unit_path, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
  grantProvinceAdmin: `INSERT INTO role_assignment (user_id, role, unit_id) VALUES ($1, 'PROVINCE_ADMIN', $2)`,
  auditAdminCreated: `INSERT INTO audit_log (action, target_type, target_id, data) VALUES ('ADMIN_CREATED_BY_COMMAND', 'user', $1, $2::jsonb)`,
});

const isId = (id: unknown) => /^\d{1,18}$/.test(String(id));

/** A user by id (any user: callers scope it). */
export function findUser(sql: Sql, id: string): Promise<UserRow | undefined> {
  if (!isId(id)) return Promise.resolve(undefined);
  return sql.one<UserRow>(queries.userById, [id]);
}

/** A user by id when their unit lies at or below the unit with path `pathPrefix`. */
export function findUserInSubtree(sql: Sql, id: string, pathPrefix: string): Promise<UserRow | undefined> {
  if (!isId(id)) return Promise.resolve(undefined);
  return sql.one<UserRow>(queries.userInSubtree, [id, pathPrefix + "%"]);
}

/** Identities by id in one statement, keyed by id (missing ids are absent). */
export async function identitiesById(sql: Sql, ids: readonly string[]): Promise<Map<string, UserIdentity>> {
  const wanted = [...new Set(ids.map(String).filter(isId))];
  if (!wanted.length) return new Map();
  const rows = await sql.rows<UserIdentity>(queries.identitiesById, [wanted]);
  return new Map(rows.map((r) => [String(r.id), { ...r, id: String(r.id) }]));
}

export function profileOf(sql: Sql, id: string): Promise<UserProfile | undefined> {
  return sql.one<UserProfile>(queries.profileById, [id]);
}

/** The account with this login name (exact), with what granting it a role needs to check. */
export function findAccount(sql: Sql, account: string): Promise<{ id: string; locked: boolean; unit_path: string } | undefined> {
  return sql.one(queries.accountByName, [account]);
}

/** Locks a user's row for the rest of the transaction (account changes serialize on it). */
export async function lockUser(sql: Sql, id: string): Promise<void> {
  await sql.one(queries.lockForUpdate, [id]);
}

export function setLocked(sql: Sql, id: string, locked: boolean, reason: string | null): Promise<UserRow | undefined> {
  return sql.one<UserRow>(queries.setLocked, [id, locked, reason]);
}

/** Sets a new password hash and clears the failed-login count and block. */
export async function resetPassword(sql: Sql, id: string, hash: string): Promise<void> {
  await sql.exec(queries.resetPassword, [id, hash]);
}

/** A user list's filter, resolved: `scope` is a LIKE pattern of unit paths, `search` a LIKE prefix (escaped). */
export interface UserListFilter {
  scope: string;
  search?: string | null;
  locked?: boolean | null;
  role?: Role | null;
}

export type UserOrder = "account" | "name" | "unit";

/** ORDER BY columns of the user list by sort key. */
const USER_ORDER: Record<UserOrder, string> = { account: "account", name: "name", unit: "unit_path" };

function userWhere(f: UserListFilter, params: unknown[]): string {
  const conds = [bind(queries.userInScope, params, { scope: f.scope })];
  if (f.search) conds.push(bind(queries.userSearch, params, { search: f.search }));
  if (f.locked != null) conds.push(bind(queries.userLocked, params, { locked: f.locked }));
  if (f.role) conds.push(bind(queries.userHoldsRole, params, { role: f.role }));
  return conds.join(" AND ");
}

/** One page of the user list and its total. */
export async function usersPage(
  sql: Sql, f: UserListFilter, sort: UserOrder, desc: boolean, offset: number, limit: number,
): Promise<{ rows: UserRow[]; total: number }> {
  const params: unknown[] = [];
  const where = userWhere(f, params);
  const order = USER_ORDER[sort] + (desc ? " DESC" : " ASC");
  const [rows, count] = await Promise.all([
    sql.rows<UserRow>(fill(queries.usersPage, { where, order, offset, limit }), params),
    sql.one<{ n: number }>(fill(queries.usersCount, { where }), params),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** The user list as the Excel export has it (by unit path, then account). */
export function usersExportRows(sql: Sql, f: UserListFilter): Promise<Record<string, unknown>[]> {
  const params: unknown[] = [];
  return sql.rows<Record<string, unknown>>(fill(queries.usersExport, { where: userWhere(f, params) }), params);
}

/** The roles a user holds with the path and name of their units, in assignment order. */
export function heldRoles(sql: Sql, userId: string): Promise<{ role: Role; path: string; name: string }[]> {
  return sql.rows<{ role: Role; path: string; name: string }>(queries.heldRoles, [userId]);
}

export interface AssignmentRow {
  id: string;
  user_id: string;
  role: Role;
  granted_at: Date;
  unit_id: string;
}

/** Grants a role; undefined when the user holds it at that unit already. */
export function insertAssignment(sql: Sql, userId: string, role: Role, unitId: string, grantedBy: string): Promise<AssignmentRow | undefined> {
  return sql.one<AssignmentRow>(queries.insertAssignment, [userId, role, unitId, grantedBy]);
}

/** An assignment over a unit whose path starts with `pathPrefix`. */
export function findAssignmentInSubtree(sql: Sql, id: string, pathPrefix: string): Promise<(AssignmentRow & { unit_kind: UnitKind }) | undefined> {
  return sql.one<AssignmentRow & { unit_kind: UnitKind }>(queries.assignmentInSubtree, [isId(id) ? id : "0", pathPrefix + "%"]);
}

export async function deleteAssignment(sql: Sql, id: string): Promise<void> {
  await sql.exec(queries.deleteAssignment, [id]);
}

/** Every assignment of these users with its unit, in assignment order. */
export function assignmentsOfUsers(sql: Sql, userIds: readonly string[]): Promise<(AssignmentRow & UnitRow)[]> {
  return sql.rows<AssignmentRow & UnitRow>(queries.assignmentsOfUsers, [userIds]);
}

/** An assignment list's filter, resolved: `scope` is a LIKE pattern of unit paths. */
export interface AssignmentListFilter {
  scope: string;
  role?: Role | null;
}

function assignmentWhere(f: AssignmentListFilter, params: unknown[]): string {
  const conds = [bind(queries.assignmentInScope, params, { scope: f.scope })];
  if (f.role) conds.push(bind(queries.assignmentOfRole, params, { role: f.role }));
  return conds.join(" AND ");
}

/** One page of the assignment list (by unit path, role) and its total. */
export async function assignmentsPage(
  sql: Sql, f: AssignmentListFilter, offset: number, limit: number,
): Promise<{ rows: (AssignmentRow & UnitRow & { unit_id: string })[]; total: number }> {
  const params: unknown[] = [];
  const where = assignmentWhere(f, params);
  const [rows, count] = await Promise.all([
    sql.rows<AssignmentRow & UnitRow & { unit_id: string }>(fill(queries.assignmentsPage, { where, offset, limit }), params),
    sql.one<{ n: number }>(fill(queries.assignmentsCount, { where }), params),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** The assignment list as the Excel export has it (with holder and granter accounts). */
export function assignmentsExportRows(sql: Sql, f: AssignmentListFilter): Promise<(Record<string, unknown> & { role: Role })[]> {
  const params: unknown[] = [];
  return sql.rows<Record<string, unknown> & { role: Role }>(fill(queries.assignmentsExport, { where: assignmentWhere(f, params) }), params);
}

/** The province (the root unit), if the org tree is loaded. */
export function provinceRoot(sql: Sql): Promise<{ id: string; path: string } | undefined> {
  return sql.one<{ id: string; path: string }>(queries.provinceRoot);
}

export async function accountExists(sql: Sql, account: string): Promise<boolean> {
  return !!(await sql.one(queries.accountExists, [account]));
}

/** Creates a provincial administrator with its role and the audit record of the command. */
export async function insertProvinceAdmin(
  sql: Sql, a: { account: string; name: string; unitId: string; unitPath: string; passwordHash: string; data: unknown },
): Promise<string> {
  const user = await sql.one<{ id: string }>(queries.insertAdmin, [a.account, a.name, a.unitId, a.unitPath, a.passwordHash]);
  await sql.exec(queries.grantProvinceAdmin, [user!.id, a.unitId]);
  await sql.exec(queries.auditAdminCreated, [user!.id, JSON.stringify(a.data)]);
  return user!.id;
}
