import type { ApplicationSortField } from "@/gql/graphql";

/** The order of an application list sorted by the server: a sort key and the direction. */
export interface ApplicationOrder {
  sort: ApplicationSortField;
  desc: boolean;
}

type Order = "ascending" | "descending" | null;

/** The server's sort keys; a sortable column's `prop` is one of them. */
export const APPLICATION_SORT_FIELDS: readonly ApplicationSortField[] = [
  "submittedAt", "lastActionAt", "updatedAt", "title", "applicantName", "unit", "category", "state", "currentLevel", "revision",
];

/** Header clicks: ascending first (for times: oldest, the longest waiting); newest first on "updated" columns. Never "unsorted". */
export const UP_FIRST = ["ascending", "descending"] as Order[];
export const DOWN_FIRST = ["descending", "ascending"] as Order[];

/** For the table's `default-sort` (read when the table mounts): the order in effect. */
export function defaultSortOf(o: ApplicationOrder): { prop: ApplicationSortField; order: "ascending" | "descending" } {
  return { prop: o.sort, order: o.desc ? "descending" : "ascending" };
}

/** The order a `sort-change` asks for; anything but a server key (or no order) is the list's default. */
export function orderOfSortChange(e: { prop: string | null; order: Order }, fallback: ApplicationOrder): ApplicationOrder {
  const key = APPLICATION_SORT_FIELDS.find((f) => f === e.prop);
  return e.order && key ? { sort: key, desc: e.order === "descending" } : { ...fallback };
}
