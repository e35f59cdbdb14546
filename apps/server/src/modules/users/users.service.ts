import {
  DomainError, ROLE_LABELS, assertCanGrant, assertMayChangeAccount, badInput, passwordViolations,
  type Role, type UnitKind,
} from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { loader } from "../../common/loader.js";
import { checkPage, likeEscape } from "../../common/paging.js";
import type { Sql } from "../../db/data-source.js";
import { audit } from "../audit/audit.service.js";
import { requireActing, requireUnitInScope } from "../auth/authorize.js";
import { RoleAssignment } from "../auth/auth.types.js";
import { hashPassword } from "../auth/password.js";
import { clearAccountThrottle } from "../auth/auth.service.js";
import { deleteUserSessions } from "../auth/auth.repository.js";
import { findUnitInSubtree } from "../org/org.repository.js";
import { OrgUnit } from "../org/org.types.js";
import { RoleHolder, User } from "./users.types.js";
import * as users from "./user.repository.js";
import {
  assignmentsOfUsers, assignmentsPage, deleteAssignment, findAssignmentInSubtree, findUser, findUserInSubtree, heldRoles, identitiesById,
  insertAssignment, lockUser, usersPage, type AssignmentListFilter, type AssignmentRow, type UserIdentity, type UserListFilter, type UserRow,
} from "./user.repository.js";


function toUser(r: UserRow): User {
  return Object.assign(new User(), {
    id: String(r.id),
    account: r.account,
    name: r.name,
    phone: r.phone,
    subject: r.subject,
    stage: r.stage,
    homeUnitId: String(r.home_unit_id),
    locked: r.locked,
    lockedReason: r.locked_reason,
    lockedAt: r.locked_at,
    hasPassword: r.has_password,
  });
}

export type UserSort = "account" | "name" | "unit";

export interface UserFilter {
  unitId?: string | null;
  search?: string | null;
  locked?: boolean | null;
  role?: Role | null;
  sort?: UserSort;
  desc?: boolean;
}

/** Users whose home unit lies in the given unit (default: the acting scope), filtered and paged. */
export async function listUsers(ctx: Ctx, f: UserFilter, page: { offset: number; limit: number }) {
  const { offset, limit } = checkPage(page);
  const filter = await userFilter(ctx, f);
  const { rows, total } = await usersPage(ctx.db, filter, f.sort ?? "account", !!f.desc, offset, limit);
  return { items: rows.map(toUser), total };
}

/** The filter of a user list, checked: the unit (default: the acting one) must be in the acting scope. */
export async function userFilter(ctx: Ctx, f: UserFilter): Promise<UserListFilter> {
  const unit = await requireUnitInScope(ctx, f.unitId ?? requireActing(ctx).unitId);
  const search = f.search?.trim();
  return { scope: unit.path + "%", search: search ? likeEscape(search) + "%" : null, locked: f.locked, role: f.role };
}

/** A user whose home unit is in the acting scope; others are NOT_FOUND (no existence leak). */
export async function requireUserInScope(ctx: Ctx, userId: string, sql: Sql = ctx.db): Promise<UserRow> {
  const acting = requireActing(ctx);
  if (!/^\d{1,18}$/.test(userId)) throw new DomainError("NOT_FOUND", "用户不存在或不在管辖范围内", "userId");
  const row = await findUserInSubtree(sql, userId, acting.unitPath);
  if (!row) throw new DomainError("NOT_FOUND", "用户不存在或不在管辖范围内", "userId");
  return row;
}

export async function getUser(ctx: Ctx, userId: string): Promise<User> {
  return toUser(await requireUserInScope(ctx, userId));
}

/**
 * The account-change rule (libs/domain account-admin.ts) applied to a target in a transaction:
 * the acting role must outrank every role the target holds, each at the unit where it is held.
 * The target's row is locked first, so a role granted to it concurrently is either seen here or
 * waits for this change to commit.
 */
export async function requireMayChange(ctx: Ctx, tx: Sql, target: { id: string; unit_path: string }): Promise<void> {
  const acting = requireActing(ctx);
  await lockUser(tx, target.id);
  const roles = await heldRoles(tx, target.id);
  assertMayChangeAccount(
    { role: acting.role, unitPath: acting.unitPath },
    {
      homeUnitPath: target.unit_path,
      roles: roles.map((r) => ({ role: r.role, unitPath: r.path, unitName: r.name })),
      isSelf: String(target.id) === ctx.auth!.userId,
    },
  );
}

export async function setLocked(ctx: Ctx, userId: string, locked: boolean, reason: string | null): Promise<User> {
  if (locked && (!reason || !reason.trim())) {
    throw badInput([{ field: "reason", rule: "required", message: "请填写锁定原因（如调离、退休）" }]);
  }
  if (reason && reason.length > 200) throw badInput([{ field: "reason", rule: "maxLength", message: "锁定原因不能超过200字" }]);
  return ctx.db.tx(async (tx) => {
    const target = await requireUserInScope(ctx, userId, tx);
    await requireMayChange(ctx, tx, target);
    const row = await users.setLocked(tx, target.id, locked, locked ? reason!.trim() : null);
    // A locked user is signed out everywhere at once.
    if (locked) await deleteUserSessions(tx, target.id);
    await audit(tx, ctx, { action: locked ? "USER_LOCK" : "USER_UNLOCK", targetType: "user", targetId: target.id, reason });
    return toUser(row!);
  });
}

export async function resetPassword(ctx: Ctx, userId: string, newPassword: string): Promise<boolean> {
  const v = passwordViolations(newPassword, "newPassword");
  if (v.length) throw badInput(v);
  const hash = await hashPassword(newPassword);
  await ctx.db.tx(async (tx) => {
    const target = await requireUserInScope(ctx, userId, tx);
    await requireMayChange(ctx, tx, target);
    await users.resetPassword(tx, target.id, hash);
    // The new password works at once, from the user's address too.
    await clearAccountThrottle(tx, target.account);
    await deleteUserSessions(tx, target.id);
    await audit(tx, ctx, { action: "PASSWORD_RESET", targetType: "user", targetId: target.id });
  });
  return true;
}

export function toAssignment(r: AssignmentRow, unit: OrgUnit): RoleAssignment {
  return Object.assign(new RoleAssignment(), {
    id: String(r.id),
    role: r.role,
    roleLabel: ROLE_LABELS[r.role],
    unit,
    userId: String(r.user_id),
    grantedAt: r.granted_at,
  });
}

export async function grantRole(ctx: Ctx, userId: string, role: Role, unitId: string): Promise<RoleAssignment> {
  const acting = requireActing(ctx);
  return ctx.db.tx(async (tx) => {
    const target = await requireUserInScope(ctx, userId, tx);
    await requireMayChange(ctx, tx, target);
    const unit = await findUnitInSubtree(tx, unitId, acting.unitPath);
    assertCanGrant({ granterRole: acting.role, role, unitKind: (unit?.kind ?? "SCHOOL") as UnitKind, unitInGranterScope: !!unit });
    if (role === "TEACHER" && String(target.home_unit_id) !== String(unit!.id)) {
      throw new DomainError("BAD_INPUT", "教师角色只能授予其所在学校", "unitId");
    }
    const row = await insertAssignment(tx, target.id, role, unit!.id, ctx.auth!.userId);
    if (!row) throw new DomainError("CONFLICT", `该用户已拥有此单位的「${ROLE_LABELS[role]}」角色`, "role");
    await audit(tx, ctx, { action: "ROLE_GRANT", targetType: "user", targetId: target.id, data: { role, unitId: unit!.id } });
    return toAssignment(row, OrgUnit.from(unit!));
  });
}

export async function revokeRole(ctx: Ctx, assignmentId: string): Promise<boolean> {
  const acting = requireActing(ctx);
  await ctx.db.tx(async (tx) => {
    const row = await findAssignmentInSubtree(tx, assignmentId, acting.unitPath);
    if (!row) throw new DomainError("NOT_FOUND", "角色分配不存在或不在管辖范围内", "assignmentId");
    if (String(row.user_id) === ctx.auth!.userId) throw new DomainError("FORBIDDEN", "不能撤销自己的角色");
    assertCanGrant({ granterRole: acting.role, role: row.role, unitKind: row.unit_kind, unitInGranterScope: true });
    // The holder as a whole must be below the caller, not only the role being revoked.
    const holder = await findUser(tx, String(row.user_id));
    await requireMayChange(ctx, tx, holder!);
    await deleteAssignment(tx, row.id);
    await audit(tx, ctx, { action: "ROLE_REVOKE", targetType: "user", targetId: row.user_id, data: { role: row.role, unitId: row.unit_id } });
  });
  return true;
}

export interface AssignmentFilter {
  unitId?: string | null;
  role?: Role | null;
}

/** Who holds which role over which unit, for units in the caller's scope. */
export async function assignmentFilter(ctx: Ctx, f: AssignmentFilter): Promise<AssignmentListFilter> {
  const unit = await requireUnitInScope(ctx, f.unitId ?? requireActing(ctx).unitId);
  return { scope: unit.path + "%", role: f.role };
}

export async function listAssignments(ctx: Ctx, f: AssignmentFilter, page: { offset: number; limit: number }) {
  const { offset, limit } = checkPage(page);
  const { rows, total } = await assignmentsPage(ctx.db, await assignmentFilter(ctx, f), offset, limit);
  return {
    items: rows.map((r) => toAssignment(r, OrgUnit.from({ ...r, id: r.unit_id }))),
    total,
  };
}

export function rolesOfUser(ctx: Ctx, userId: string): Promise<RoleAssignment[]> {
  return loader<string, RoleAssignment[]>(ctx, "rolesOfUser", async (ids) => {
    const rows = await assignmentsOfUsers(ctx.db, ids);
    const m = new Map<string, RoleAssignment[]>();
    for (const r of rows) {
      const list = m.get(String(r.user_id)) ?? [];
      list.push(toAssignment(r, OrgUnit.from({ ...r, id: r.unit_id })));
      m.set(String(r.user_id), list);
    }
    return ids.map((id) => m.get(id) ?? []);
  }).load(userId);
}

/**
 * The identity (account, name, lock state) of the holder of an assignment the caller may list,
 * batched per request. Every path to a RoleAssignment is already scoped (the role audit lists
 * assignments over units in the acting scope; a user's roles only for users in scope; the
 * caller's own), and the audit's Excel export names every holder the same way. Nothing beyond
 * the identity: no phone, no home unit, no roles (a RoleAssignment leads to no User, so no
 * selection can cycle through users and their roles).
 */
export async function roleHolder(ctx: Ctx, userId: string): Promise<RoleHolder | null> {
  const u = await userIdentity(ctx, userId);
  return u ? Object.assign(new RoleHolder(), u) : null;
}

/**
 * Who a user is (id, account, name, lock state), batched per request: one statement for every
 * person a response names (role holders, applicants, submitters). No scope check: callers reach
 * the id through an object that was scoped already, and the identity is all it shows.
 */
export function userIdentity(ctx: Ctx, userId: string): Promise<UserIdentity | null> {
  return loader<string, UserIdentity | null>(ctx, "userIdentity", async (ids) => {
    const byId = await identitiesById(ctx.db, ids);
    return ids.map((id) => byId.get(String(id)) ?? null);
  }).load(String(userId));
}
