import type { Component } from "vue";
import type { RouteRecordNormalized } from "vue-router";
import type { Role } from "@/gql/graphql";
import { mayOpen } from "@/router/access";
import { GROUP_ORDER } from "@/router/groups";

export interface NavItem {
  path: string;
  label: string;
  icon: Component;
  order: number;
}
export interface NavGroup {
  title: string;
  items: NavItem[];
}

/**
 * The sidebar for one acting role and its permissions (`me.permissions`), built from the routes'
 * meta with the router guard's own rule (one source for pages and menu).
 */
export function navigationFor(routes: RouteRecordNormalized[], role: Role | null, permissions: readonly string[]): NavGroup[] {
  if (!role) return [];
  const groups = new Map<string, NavItem[]>();
  for (const r of routes) {
    const menu = r.meta.menu;
    if (!menu || !mayOpen(r.meta, role, permissions)) continue;
    const label = menu.labels?.[role] ?? r.meta.title ?? "";
    const list = groups.get(menu.group) ?? [];
    list.push({ path: r.path, label, icon: menu.icon, order: menu.order });
    groups.set(menu.group, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => GROUP_ORDER.indexOf(a) - GROUP_ORDER.indexOf(b))
    .map(([title, items]) => ({ title, items: items.sort((a, b) => a.order - b.order) }));
}
