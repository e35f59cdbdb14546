import crypto from "node:crypto";
import {
  DomainError, ROLE_RANK, accountThrottleKeys, badInput, loginThrottleKeys, loginThrottledMessage, passwordViolations, type ThrottleKey,
} from "@zjh/domain";
import type { ActingRole, AuthInfo, Ctx } from "../../common/context.js";
import type { Db, Sql } from "../../db/data-source.js";
import { hashPassword, verifyPassword } from "./password.js";
import { serverBusy } from "../../common/bounded-queue.js";
import { queues } from "../../common/load-limits.js";
import { audit } from "../audit/audit.service.js";
import {
  clearThrottleKeys, createSession, deleteOtherSessions, deleteSession, giveBackAttempt, lockBlockedWait, lockLoginUser,
  passwordHashByAccount, passwordHashById, rolesOfUser, sessionByTokenHash, setLastActing, setPasswordHash, setSessionActing,
  sweepThrottle as sweepThrottleRows, takeThrottleAttempt,
} from "./auth.repository.js";

export const SESSION_COOKIE = "zjh_session";

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

async function loadRoles(sql: Sql, userId: string): Promise<ActingRole[]> {
  const rows = await rolesOfUser(sql, userId);
  return rows.map((r) => ({
    assignmentId: r.assignment_id,
    role: r.role,
    unitId: r.unit_id,
    unitPath: r.unit_path,
    unitKind: r.unit_kind,
    unitName: r.unit_name,
  }));
}

/** Least privilege first: the role a new session starts in. */
function defaultActing(roles: ActingRole[]): ActingRole | null {
  return [...roles].sort((a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role] || Number(a.assignmentId) - Number(b.assignmentId))[0] ?? null;
}

/** Resolves the caller of a request from its session token; expired or locked → anonymous. */
export async function authenticate(db: Db, token: string | undefined, actingHeader: string | undefined): Promise<AuthInfo | null> {
  if (!token || token.length > 200) return null;
  const tokenHash = hashToken(token);
  const row = await sessionByTokenHash(db, tokenHash);
  if (!row) return null;
  const roles = await loadRoles(db, row.user_id);
  // Login stores the acting role in the session, so a NULL there means the role was revoked
  // (ON DELETE SET NULL) or the user held none: either way no role, never some other (possibly
  // wider) role the user happens to hold. The app then asks the user to choose (switchRole).
  const wanted = actingHeader ?? row.acting_assignment_id;
  const acting = wanted ? (roles.find((r) => r.assignmentId === String(wanted)) ?? null) : null;
  return {
    userId: row.user_id,
    account: row.account,
    name: row.name,
    homeUnitId: row.home_unit_id,
    homeUnitPath: row.unit_path,
    sessionTokenHash: tokenHash,
    acting,
    roles,
  };
}

/**
 * Takes one attempt from a throttle key, atomically (one INSERT … ON CONFLICT DO UPDATE, which
 * locks the row, so concurrent attempts are counted one after the other and never past `max`).
 * Inside the window and under `max`: counted. At `max`: refused, and the key is marked blocked
 * until the window ends; that mark is what the success path re-checks after verifying. A window
 * that has ended starts over. Returns the seconds to wait when refused, else null.
 */
async function takeAttempt(sql: Sql, k: ThrottleKey): Promise<number | null> {
  return takeThrottleAttempt(sql, k.key, k.max, k.windowSeconds);
}

let lastSweep = 0;
/** Drops throttle rows long past their window (keys of unknown accounts would otherwise pile up). */
async function sweepThrottle(sql: Sql): Promise<void> {
  if (Date.now() - lastSweep < 10 * 60_000) return;
  lastSweep = Date.now();
  await sweepThrottleRows(sql);
}

/** Returns an attempt that turned out not to be a failure to its keys (not once a key is blocked). */
async function giveBack(sql: Sql, keys: ThrottleKey[]): Promise<void> {
  await giveBackAttempt(sql, keys.map((k) => k.key));
}

const BAD_CREDENTIALS = () => new DomainError("BAD_CREDENTIALS", "账号或密码错误");
const THROTTLED = (waitSeconds: number) => new DomainError("LOGIN_THROTTLED", loginThrottledMessage(waitSeconds));

/**
 * Login. Every attempt is first counted against its throttle keys (address, account at address,
 * account: libs/domain login-throttle.ts), atomically, before the password is checked; a refused
 * attempt never reaches the check. A wrong password leaves its attempt counted. A right one is
 * re-checked in one transaction with the user row locked: the blocks (a key marked blocked since,
 * by an attempt refused while this one was verifying), an administrative lock, and a password
 * changed meanwhile; only then is the session created and the attempt given back. The answers
 * never depend on whether the account exists.
 */
export async function login(ctx: Ctx, account: string, password: string): Promise<{ token: string; auth: AuthInfo }> {
  const { db } = ctx;
  if (!account || !password || account.length > 64 || password.length > 128) throw BAD_CREDENTIALS();
  // Shed before counting: an attempt the server is too busy to check is not a failed attempt.
  if (queues.argon2.full) throw serverBusy();
  const keys = loginThrottleKeys(account, ctx.ip);
  for (const k of keys) {
    const wait = await takeAttempt(db, k);
    if (wait != null) throw THROTTLED(wait);
  }
  void sweepThrottle(db).catch(() => undefined);

  let user: { id: string; password_hash: string | null } | null | undefined;
  let ok: boolean;
  try {
    user = await passwordHashByAccount(db, account);
    ok = await verifyPassword(user?.password_hash ?? null, password);
  } catch (e) {
    // Not checked (the hashing queue was full, the request ran out of time): not a failure.
    await giveBack(db, keys).catch(() => undefined);
    throw e;
  }
  if (!user || !ok) throw BAD_CREDENTIALS();

  const token = crypto.randomBytes(32).toString("base64url");
  await db.tx(async (tx) => {
    const now = await lockLoginUser(tx, user.id);
    // Reset or changed while this attempt was verifying: the old password no longer opens it.
    if (!now || now.password_hash !== user.password_hash) throw BAD_CREDENTIALS();
    const blocked = await lockBlockedWait(tx, keys.map((k) => k.key));
    if (blocked?.wait) throw THROTTLED(blocked.wait);
    if (now.locked) throw new DomainError("ACCOUNT_LOCKED", "该账号已停用（调离或退休），如有疑问请联系学校管理员");
    // Give back this attempt: what stays counted in a window are failures only, never more than
    // the limit, however attempts interleave (clearing on success would hand a burst a new budget).
    await giveBack(tx, keys);
    const roles = await loadRoles(tx, user.id);
    // The role chosen last time (still held), else the least privileged one.
    const acting = (now.last_acting ? roles.find((r) => r.assignmentId === String(now.last_acting)) : undefined) ?? defaultActing(roles);
    await createSession(tx, hashToken(token), user.id, acting?.assignmentId ?? null, ctx.config.sessionTtlHours);
  });
  const auth = await authenticate(db, token, undefined);
  if (!auth) throw BAD_CREDENTIALS();
  return { token, auth };
}

/** Clears every throttle key of an account (an admin set a new password for it). */
export async function clearAccountThrottle(sql: Sql, account: string): Promise<void> {
  const { exact, prefix } = accountThrottleKeys(account);
  await clearThrottleKeys(sql, exact, prefix);
}

export async function logout(ctx: Ctx): Promise<void> {
  if (ctx.auth) await deleteSession(ctx.db, ctx.auth.sessionTokenHash);
}

export async function switchRole(ctx: Ctx, auth: AuthInfo, assignmentId: string): Promise<AuthInfo> {
  const target = auth.roles.find((r) => r.assignmentId === assignmentId);
  if (!target) throw new DomainError("NOT_FOUND", "您没有这个角色", "assignmentId");
  await ctx.db.tx(async (tx) => {
    await setSessionActing(tx, auth.sessionTokenHash, assignmentId);
    // Remembered for the account: the next login starts in this role.
    await setLastActing(tx, auth.userId, assignmentId);
  });
  return { ...auth, acting: target };
}

export async function changePassword(ctx: Ctx, auth: AuthInfo, current: string, next: string): Promise<void> {
  const violations = passwordViolations(next, "newPassword");
  if (violations.length) throw badInput(violations);
  // The current password is a guess like a login's: it counts against the same throttle keys
  // (a stolen session must not try passwords faster than the login form allows).
  if (queues.argon2.full) throw serverBusy();
  const keys = loginThrottleKeys(auth.account, ctx.ip);
  for (const k of keys) {
    const wait = await takeAttempt(ctx.db, k);
    if (wait != null) throw THROTTLED(wait);
  }
  let ok: boolean;
  try {
    const user = await passwordHashById(ctx.db, auth.userId);
    ok = await verifyPassword(user?.password_hash ?? null, current);
  } catch (e) {
    await giveBack(ctx.db, keys).catch(() => undefined);
    throw e;
  }
  if (!ok) throw new DomainError("BAD_CREDENTIALS", "当前密码不正确", "currentPassword");
  await giveBack(ctx.db, keys);
  const hash = await hashPassword(next);
  await ctx.db.tx(async (tx) => {
    await setPasswordHash(tx, auth.userId, hash);
    // Other sessions of this user end; the current one stays.
    await deleteOtherSessions(tx, auth.userId, auth.sessionTokenHash);
    await audit(tx, ctx, { action: "PASSWORD_CHANGE", targetType: "user", targetId: auth.userId });
  });
}
