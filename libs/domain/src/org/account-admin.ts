import { DomainError } from "../errors.js";
import { ROLE_LABELS, ROLE_RANK, administersUsers, isWithin, type Role } from "./roles.js";

/**
 * Who may change whose account (reset its password, lock or unlock it, edit its profile through
 * the teacher import, grant it a role or revoke one of its roles).
 *
 * The rule: the acting role must administer users and must outrank EVERY role the account holds,
 * each at the unit where it is held: a strictly higher rank, and that unit inside the acting
 * role's unit subtree. The account's home unit only decides whether the account is visible at
 * all (inside the acting subtree), never whom it may be changed by. So an expert (held at the
 * province) or a city reviewer (held at a city) is changed only by a province admin, whatever
 * school the expert works at; nobody changes an account of their own rank, nor their own.
 */

/** A role as held by an account: the role and the materialized path of the unit it is held at. */
export interface HeldRole {
  role: Role;
  unitPath: string;
  /** For the message only. */
  unitName?: string;
}

/** The acting role of whoever asks to change the account. */
export interface AccountActor {
  role: Role;
  /** Materialized path of the acting role's unit ('/1/12/'). */
  unitPath: string;
}

export interface AccountTarget {
  /** Materialized path of the account's home unit. */
  homeUnitPath: string;
  /** Every role the account holds (all units). */
  roles: readonly HeldRole[];
  /** The account is the actor's own. */
  isSelf: boolean;
}

export type AccountChangeRefusal =
  | { rule: "notAdmin" }
  | { rule: "outOfScope" }
  | { rule: "self" }
  | { rule: "notAbove"; held: HeldRole };

/** Whether the actor outranks one held role: a strictly higher rank, over the unit it is held at. */
export function outranksHeldRole(actor: AccountActor, held: HeldRole): boolean {
  return ROLE_RANK[actor.role] > ROLE_RANK[held.role] && isWithin(held.unitPath, actor.unitPath);
}

/** Why the actor may not change the account, or null when it may. Checks in a fixed order. */
export function accountChangeRefusal(actor: AccountActor, target: AccountTarget): AccountChangeRefusal | null {
  if (!administersUsers(actor.role)) return { rule: "notAdmin" };
  if (!isWithin(target.homeUnitPath, actor.unitPath)) return { rule: "outOfScope" };
  if (target.isSelf) return { rule: "self" };
  const held = target.roles.find((h) => !outranksHeldRole(actor, h));
  return held ? { rule: "notAbove", held } : null;
}

/** The sentence naming the rule, in the users' language (also used for import row errors). */
export function accountChangeMessage(refusal: AccountChangeRefusal): string {
  switch (refusal.rule) {
    case "notAdmin":
      return "当前角色无权管理用户";
    case "outOfScope":
      return "用户不存在或不在管辖范围内";
    case "self":
      return "不能对自己的账号执行此操作";
    case "notAbove": {
      const where = refusal.held.unitName ? `在「${refusal.held.unitName}」` : "";
      return `只能管理所有角色都低于本人且都在本人管辖范围内的账号：该账号${where}担任「${ROLE_LABELS[refusal.held.role]}」，只能由其上级管理员操作`;
    }
  }
}

/** Throws the refusal as a DomainError: NOT_FOUND outside the scope (no existence leak), FORBIDDEN otherwise. */
export function assertMayChangeAccount(actor: AccountActor, target: AccountTarget): void {
  const refusal = accountChangeRefusal(actor, target);
  if (!refusal) return;
  if (refusal.rule === "outOfScope") throw new DomainError("NOT_FOUND", accountChangeMessage(refusal), "userId");
  throw new DomainError("FORBIDDEN", accountChangeMessage(refusal));
}
