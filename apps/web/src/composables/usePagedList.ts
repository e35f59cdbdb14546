import { ref, watch, type Ref } from "vue";
import { useQuery } from "@/composables/useQuery";

/**
 * A list paged (and sorted) by the server: the page number and size, the read of the current
 * page, and `reload` (back to page 1, e.g. after a filter change). A new order (`sort`) reloads
 * from page 1 too. Nothing is read until the page calls `run` or `reload`.
 */
export function usePagedList<T extends { total: number }>(
  load: (page: { offset: number; limit: number }) => Promise<T>,
  opts: { pageSize?: number; sort?: Ref<unknown> } = {},
) {
  const page = ref(1);
  const pageSize = ref(opts.pageSize ?? 20);
  const query = useQuery(() => load({ offset: (page.value - 1) * pageSize.value, limit: pageSize.value }), { immediate: false });

  function reload() {
    page.value = 1;
    void query.run();
  }
  if (opts.sort) watch(opts.sort, reload);

  /** The row number shown in a 序号 column (counting across pages). */
  const rowNumber = (i: number) => (page.value - 1) * pageSize.value + i + 1;

  return { ...query, page, pageSize, reload, rowNumber };
}

export type PagedList<T extends { total: number }> = ReturnType<typeof usePagedList<T>>;
