import type { RouteMeta } from "vue-router";
import { rolesWith } from "@zjh/domain/org/permissions";
import type { Role } from "@/gql/graphql";

/** The roles that may open a page: its permission's roles, or its explicit list; undefined: any role. */
export function rolesFor(meta: RouteMeta): readonly Role[] | undefined {
  return meta.permission ? rolesWith(meta.permission) : meta.roles;
}

/**
 * Whether the acting role may open a page (and see its menu entry): a page naming a permission
 * needs it among the acting role's permissions (`me.permissions`); otherwise its role list decides.
 */
export function mayOpen(meta: RouteMeta, role: Role | null, permissions: readonly string[]): boolean {
  if (meta.permission) return !!role && permissions.includes(meta.permission);
  if (meta.roles) return !!role && meta.roles.includes(role);
  return true;
}
