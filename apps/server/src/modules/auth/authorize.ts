import { DomainError, type Role } from "@zjh/domain";
import type { ActingRole, AuthInfo, Ctx } from "../../common/context.js";
import type { Sql } from "../../db/data-source.js";
import { findUnitInSubtree, type UnitRow } from "../org/org.repository.js";
import { roleHas, type Permission } from "./permissions.js";

export function requireAuth(ctx: Ctx): AuthInfo {
  if (!ctx.auth) throw new DomainError("UNAUTHENTICATED", "请先登录");
  return ctx.auth;
}

export function requireActing(ctx: Ctx): ActingRole {
  const auth = requireAuth(ctx);
  if (!auth.acting) throw new DomainError("FORBIDDEN", "请先选择当前角色");
  return auth.acting;
}

/** The acting role must grant `permission`; returns it. Never falls back to another role. */
export function requirePermission(ctx: Ctx, permission: Permission | string): ActingRole {
  const acting = requireActing(ctx);
  if (!roleHas(acting.role, permission)) {
    throw new DomainError("FORBIDDEN", "当前角色无权执行此操作");
  }
  return acting;
}

export function actingIs(ctx: Ctx, ...roles: Role[]): boolean {
  return !!ctx.auth?.acting && roles.includes(ctx.auth.acting.role);
}

export { UNIT_COLUMNS, type UnitRow } from "../org/org.repository.js";

/**
 * Loads a unit the acting role may see: inside the acting role's unit subtree. Units outside
 * get the same NOT_FOUND answer as units that do not exist, so ids leak nothing.
 */
export async function requireUnitInScope(ctx: Ctx, unitId: string | number, sql: Sql = ctx.db): Promise<UnitRow> {
  const acting = requireActing(ctx);
  const id = String(unitId);
  if (!/^\d{1,18}$/.test(id)) throw new DomainError("NOT_FOUND", "单位不存在或不在管辖范围内", "unitId");
  const unit = await findUnitInSubtree(sql, id, acting.unitPath);
  if (!unit) throw new DomainError("NOT_FOUND", "单位不存在或不在管辖范围内", "unitId");
  return unit;
}

/** A LIKE pattern matching the acting role's unit and everything below it. */
export function scopePattern(ctx: Ctx): string {
  return requireActing(ctx).unitPath + "%";
}
