import crypto from "node:crypto";
import { DomainError, LOGIN_POLICY, ROLE_RANK, badInput, passwordViolations, type Role } from "@zjh/domain";
import type { ActingRole, AuthInfo, Ctx } from "../../common/context.js";
import type { Db, Sql } from "../../db/data-source.js";
import { hashPassword, verifyPassword } from "./password.js";
import { audit } from "../audit/audit.service.js";

export const SESSION_COOKIE = "zjh_session";

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

interface RoleRow {
  assignment_id: string;
  role: Role;
  unit_id: string;
  unit_path: string;
  unit_kind: string;
  unit_name: string;
}

async function loadRoles(sql: Sql, userId: string): Promise<ActingRole[]> {
  const rows = await sql.rows<RoleRow>(
    `SELECT r.id AS assignment_id, r.role, r.unit_id, o.path AS unit_path, o.kind AS unit_kind, o.name AS unit_name
       FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id
      WHERE r.user_id = $1 ORDER BY r.id`,
    [userId],
  );
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
  const row = await db.one<{ user_id: string; account: string; name: string; home_unit_id: string; unit_path: string; acting_assignment_id: string | null }>(
    `SELECT s.user_id, u.account, u.name, u.home_unit_id, u.unit_path, s.acting_assignment_id
       FROM user_session s JOIN app_user u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.locked`,
    [tokenHash],
  );
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

async function noteAddressFailure(sql: Sql, ip: string): Promise<void> {
  await sql.exec(
    `INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN login_throttle.window_start < now() - make_interval(mins => $2) THEN 1 ELSE login_throttle.failures + 1 END,
       window_start = CASE WHEN login_throttle.window_start < now() - make_interval(mins => $2) THEN now() ELSE login_throttle.window_start END,
       blocked_until = CASE WHEN login_throttle.window_start >= now() - make_interval(mins => $2) AND login_throttle.failures + 1 >= $3
                            THEN now() + make_interval(mins => $2) ELSE login_throttle.blocked_until END`,
    ["ip:" + ip, LOGIN_POLICY.addressWindowMinutes, LOGIN_POLICY.addressMaxFailures],
  );
}

const BAD_CREDENTIALS = () => new DomainError("BAD_CREDENTIALS", "账号或密码错误");

export async function login(ctx: Ctx, account: string, password: string): Promise<{ token: string; auth: AuthInfo }> {
  const { db } = ctx;
  if (!account || !password || account.length > 64 || password.length > 128) throw BAD_CREDENTIALS();
  const throttle = await db.one<{ blocked: boolean }>(`SELECT blocked_until > now() AS blocked FROM login_throttle WHERE key = $1`, ["ip:" + ctx.ip]);
  if (throttle?.blocked) throw new DomainError("LOGIN_THROTTLED", "登录尝试过于频繁，请稍后再试");

  const user = await db.one<{ id: string; password_hash: string | null; locked: boolean; blocked_minutes: number | null; last_acting: string | null }>(
    `SELECT id, password_hash, locked, last_acting_assignment_id AS last_acting,
            CASE WHEN login_blocked_until > now() THEN ceil(extract(epoch FROM login_blocked_until - now()) / 60)::int END AS blocked_minutes
       FROM app_user WHERE account = $1`,
    [account],
  );
  if (user?.blocked_minutes) {
    throw new DomainError("ACCOUNT_LOCKED", `密码错误次数过多，账号已暂时锁定，请${user.blocked_minutes}分钟后再试`);
  }
  const ok = await verifyPassword(user?.password_hash ?? null, password);
  if (!user || !ok) {
    await noteAddressFailure(db, ctx.ip);
    if (user) {
      const r = await db.one<{ blocked: boolean }>(
        `UPDATE app_user SET
           failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
           login_blocked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE login_blocked_until END
         WHERE id = $1 RETURNING login_blocked_until > now() AS blocked`,
        [user.id, LOGIN_POLICY.accountMaxFailures, LOGIN_POLICY.accountBlockMinutes],
      );
      if (r?.blocked) {
        throw new DomainError("ACCOUNT_LOCKED", `密码错误次数过多，账号已暂时锁定，请${LOGIN_POLICY.accountBlockMinutes}分钟后再试`);
      }
    }
    throw BAD_CREDENTIALS();
  }
  if (user.locked) throw new DomainError("ACCOUNT_LOCKED", "该账号已停用（调离或退休），如有疑问请联系学校管理员");

  const token = crypto.randomBytes(32).toString("base64url");
  const roles = await loadRoles(db, user.id);
  // The role chosen last time (still held), else the least privileged one.
  const acting = (user.last_acting ? roles.find((r) => r.assignmentId === String(user.last_acting)) : undefined) ?? defaultActing(roles);
  await db.tx(async (tx) => {
    await tx.exec(`UPDATE app_user SET failed_logins = 0, login_blocked_until = NULL WHERE id = $1`, [user.id]);
    await tx.exec(
      `INSERT INTO user_session (token_hash, user_id, acting_assignment_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
      [hashToken(token), user.id, acting?.assignmentId ?? null, ctx.config.sessionTtlHours],
    );
  });
  const auth = await authenticate(db, token, undefined);
  if (!auth) throw BAD_CREDENTIALS();
  return { token, auth };
}

export async function logout(ctx: Ctx): Promise<void> {
  if (ctx.auth) await ctx.db.exec(`DELETE FROM user_session WHERE token_hash = $1`, [ctx.auth.sessionTokenHash]);
}

export async function switchRole(ctx: Ctx, auth: AuthInfo, assignmentId: string): Promise<AuthInfo> {
  const target = auth.roles.find((r) => r.assignmentId === assignmentId);
  if (!target) throw new DomainError("NOT_FOUND", "您没有这个角色", "assignmentId");
  await ctx.db.tx(async (tx) => {
    await tx.exec(`UPDATE user_session SET acting_assignment_id = $2 WHERE token_hash = $1`, [auth.sessionTokenHash, assignmentId]);
    // Remembered for the account: the next login starts in this role.
    await tx.exec(`UPDATE app_user SET last_acting_assignment_id = $2 WHERE id = $1`, [auth.userId, assignmentId]);
  });
  return { ...auth, acting: target };
}

export async function changePassword(ctx: Ctx, auth: AuthInfo, current: string, next: string): Promise<void> {
  const violations = passwordViolations(next, "newPassword");
  if (violations.length) throw badInput(violations);
  const user = await ctx.db.one<{ password_hash: string | null }>(`SELECT password_hash FROM app_user WHERE id = $1`, [auth.userId]);
  if (!(await verifyPassword(user?.password_hash ?? null, current))) {
    throw new DomainError("BAD_CREDENTIALS", "当前密码不正确", "currentPassword");
  }
  const hash = await hashPassword(next);
  await ctx.db.tx(async (tx) => {
    await tx.exec(`UPDATE app_user SET password_hash = $2, updated_at = now() WHERE id = $1`, [auth.userId, hash]);
    // Other sessions of this user end; the current one stays.
    await tx.exec(`DELETE FROM user_session WHERE user_id = $1 AND token_hash <> $2`, [auth.userId, auth.sessionTokenHash]);
    await audit(tx, ctx, { action: "PASSWORD_CHANGE", targetType: "user", targetId: auth.userId });
  });
}
