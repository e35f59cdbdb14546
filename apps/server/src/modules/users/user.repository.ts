import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";

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
