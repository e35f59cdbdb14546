import type { Role } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";

/** A role a user holds, with its unit, as a session carries it. */
export interface RoleRow {
  assignment_id: string;
  role: Role;
  unit_id: string;
  unit_path: string;
  unit_kind: string;
  unit_name: string;
}

/** The caller behind a live session token (expired sessions and locked users are absent). */
export interface SessionRow {
  user_id: string;
  account: string;
  name: string;
  home_unit_id: string;
  unit_path: string;
  acting_assignment_id: string | null;
}

/** What a login re-checks on the locked user row before it creates the session. */
export interface LoginUserRow {
  password_hash: string | null;
  locked: boolean;
  last_acting: string | null;
}

export const queries = sqlQueries({
  rolesOfUser: `SELECT r.id AS assignment_id, r.role, r.unit_id, o.path AS unit_path, o.kind AS unit_kind, o.name AS unit_name
       FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id
      WHERE r.user_id = $1 ORDER BY r.id`,
  sessionByTokenHash: `SELECT s.user_id, u.account, u.name, u.home_unit_id, u.unit_path, s.acting_assignment_id
       FROM user_session s JOIN app_user u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.locked`,
  takeAttempt: `INSERT INTO login_throttle AS t (key, failures, window_start) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN 1
                       WHEN t.failures < $2 THEN t.failures + 1 ELSE t.failures END,
       blocked_until = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN NULL
                            WHEN t.failures < $2 THEN t.blocked_until
                            ELSE t.window_start + make_interval(secs => $3) END,
       window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN now() ELSE t.window_start END
     RETURNING CASE WHEN t.blocked_until > now() THEN ceil(extract(epoch FROM t.blocked_until - now()))::int END AS wait`,
  sweepThrottle: `DELETE FROM login_throttle WHERE window_start < now() - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now())`,
  giveBack: `UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = ANY($1::text[]) AND blocked_until IS NULL`,
  passwordHashByAccount: `SELECT id, password_hash FROM app_user WHERE account = $1`,
  passwordHashById: `SELECT password_hash FROM app_user WHERE id = $1`,
  lockLoginUser: `SELECT password_hash, locked, last_acting_assignment_id AS last_acting FROM app_user WHERE id = $1 FOR UPDATE`,
  lockBlockedWait: `SELECT max(ceil(extract(epoch FROM blocked_until - now())))::int AS wait FROM
         (SELECT blocked_until FROM login_throttle WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE) b
        WHERE blocked_until > now()`,
  createSession: `INSERT INTO user_session (token_hash, user_id, acting_assignment_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
  clearAccountThrottle: `DELETE FROM login_throttle WHERE key = $1 OR left(key, length($2)) = $2`,
  deleteSession: `DELETE FROM user_session WHERE token_hash = $1`,
  setSessionActing: `UPDATE user_session SET acting_assignment_id = $2 WHERE token_hash = $1`,
  setLastActing: `UPDATE app_user SET last_acting_assignment_id = $2 WHERE id = $1`,
  setPasswordHash: `UPDATE app_user SET password_hash = $2, updated_at = now() WHERE id = $1`,
  deleteOtherSessions: `DELETE FROM user_session WHERE user_id = $1 AND token_hash <> $2`,
  deleteUserSessions: `DELETE FROM user_session WHERE user_id = $1`,
});

/** Every role a user holds, in assignment order. */
export function rolesOfUser(sql: Sql, userId: string): Promise<RoleRow[]> {
  return sql.rows<RoleRow>(queries.rolesOfUser, [userId]);
}

/** The live session with this token hash and its (unlocked) user. */
export function sessionByTokenHash(sql: Sql, tokenHash: string): Promise<SessionRow | undefined> {
  return sql.one<SessionRow>(queries.sessionByTokenHash, [tokenHash]);
}

/**
 * Takes one attempt from a throttle key in one statement (INSERT … ON CONFLICT DO UPDATE locks the
 * row); returns the seconds to wait when the key is blocked, else null.
 */
export async function takeThrottleAttempt(sql: Sql, key: string, max: number, windowSeconds: number): Promise<number | null> {
  const row = await sql.one<{ wait: number | null }>(queries.takeAttempt, [key, max, windowSeconds]);
  return row?.wait ?? null;
}

/** Drops throttle rows long past their window. */
export async function sweepThrottle(sql: Sql): Promise<void> {
  await sql.exec(queries.sweepThrottle);
}

/** Returns one attempt to each key that is not blocked. */
export async function giveBackAttempt(sql: Sql, keys: string[]): Promise<void> {
  await sql.exec(queries.giveBack, [keys]);
}

export function passwordHashByAccount(sql: Sql, account: string): Promise<{ id: string; password_hash: string | null } | undefined> {
  return sql.one<{ id: string; password_hash: string | null }>(queries.passwordHashByAccount, [account]);
}

export function passwordHashById(sql: Sql, userId: string): Promise<{ password_hash: string | null } | undefined> {
  return sql.one<{ password_hash: string | null }>(queries.passwordHashById, [userId]);
}

/** Locks the user row for the rest of the transaction and reads what a login re-checks. */
export function lockLoginUser(sql: Sql, userId: string): Promise<LoginUserRow | undefined> {
  return sql.one<LoginUserRow>(queries.lockLoginUser, [userId]);
}

/** Locks the throttle rows of `keys` (in key order) and returns the longest block still running, if any. */
export function lockBlockedWait(sql: Sql, keys: string[]): Promise<{ wait: number } | undefined> {
  return sql.one<{ wait: number }>(queries.lockBlockedWait, [keys]);
}

export async function createSession(sql: Sql, tokenHash: string, userId: string, actingAssignmentId: string | null, ttlHours: number): Promise<void> {
  await sql.exec(queries.createSession, [tokenHash, userId, actingAssignmentId, ttlHours]);
}

/** Deletes the throttle key `exact` and every key starting with `prefix`. */
export async function clearThrottleKeys(sql: Sql, exact: string, prefix: string): Promise<void> {
  await sql.exec(queries.clearAccountThrottle, [exact, prefix]);
}

export async function deleteSession(sql: Sql, tokenHash: string): Promise<void> {
  await sql.exec(queries.deleteSession, [tokenHash]);
}

export async function setSessionActing(sql: Sql, tokenHash: string, assignmentId: string): Promise<void> {
  await sql.exec(queries.setSessionActing, [tokenHash, assignmentId]);
}

/** Remembers the role the next login of this user starts in. */
export async function setLastActing(sql: Sql, userId: string, assignmentId: string): Promise<void> {
  await sql.exec(queries.setLastActing, [userId, assignmentId]);
}

export async function setPasswordHash(sql: Sql, userId: string, hash: string): Promise<void> {
  await sql.exec(queries.setPasswordHash, [userId, hash]);
}

/** Ends every session of the user except the one with `keepTokenHash`. */
export async function deleteOtherSessions(sql: Sql, userId: string, keepTokenHash: string): Promise<void> {
  await sql.exec(queries.deleteOtherSessions, [userId, keepTokenHash]);
}

/** Ends every session of the user. */
export async function deleteUserSessions(sql: Sql, userId: string): Promise<void> {
  await sql.exec(queries.deleteUserSessions, [userId]);
}
