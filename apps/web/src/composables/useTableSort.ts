import { computed, type ComputedRef, type Ref } from "vue";
import { useRouteState } from "./useRouteState";

/** The order of a server-sorted list: one of its sort keys, and the direction. */
export interface TableSort<F extends string> {
  field: F;
  desc: boolean;
}

type Order = "ascending" | "descending" | null;

/**
 * The order of a table sorted by the server (Element Plus `sortable="custom"` columns whose `prop`
 * is the key's name), kept in the address as `?<param>=<key>` or `-<key>` (descending) like the
 * other filters; the list's default order is left out of the address. Only the list's keys are
 * taken from the address or from a header click; anything else falls back to the default.
 */
export function useTableSort<F extends string>(
  param: string,
  fields: readonly F[],
  fallback: TableSort<F>,
): {
  sort: Ref<TableSort<F>>;
  /**
   * For the table's `default-sort`, which Element Plus reads when the table mounts (a table shown
   * again after an empty or failed read mounts anew): the current order.
   */
  defaultSort: ComputedRef<{ prop: F; order: "ascending" | "descending" }>;
  onSortChange: (e: { prop: string | null; order: Order }) => void;
} {
  const isField = (v: unknown): v is F => typeof v === "string" && (fields as readonly string[]).includes(v);
  const same = (a: TableSort<F>, b: TableSort<F>) => a.field === b.field && a.desc === b.desc;
  const sort = useRouteState<TableSort<F>>(
    param,
    (raw) => {
      const desc = !!raw?.startsWith("-");
      const field = desc ? raw!.slice(1) : raw;
      return isField(field) ? { field, desc } : fallback;
    },
    (v) => (same(v, fallback) ? undefined : `${v.desc ? "-" : ""}${v.field}`),
  );
  const defaultSort = computed(() => ({ prop: sort.value.field, order: sort.value.desc ? ("descending" as const) : ("ascending" as const) }));

  function onSortChange({ prop, order }: { prop: string | null; order: Order }) {
    // A third click clears the column's order: back to the list's default.
    const next = order && isField(prop) ? { field: prop, desc: order === "descending" } : fallback;
    if (!same(next, sort.value)) sort.value = next;
  }
  return { sort, defaultSort, onSortChange };
}
