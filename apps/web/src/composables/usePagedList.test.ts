import { flushPromises, mount } from "@vue/test-utils";
import { defineComponent, h, nextTick, ref } from "vue";
import { describe, expect, it } from "vitest";
import { usePagedList, type PagedList } from "./usePagedList";

interface Page {
  total: number;
  rows: number[];
}

/** A server list of `total` numbered rows, recording every read it answers. */
function fakeServer(total = 95) {
  const reads: { offset: number; limit: number }[] = [];
  const load = async (p: { offset: number; limit: number }): Promise<Page> => {
    reads.push(p);
    const rows = Array.from({ length: Math.max(0, Math.min(p.limit, total - p.offset)) }, (_, i) => p.offset + i + 1);
    return { total, rows };
  };
  return { reads, load };
}

function mountList(load: (p: { offset: number; limit: number }) => Promise<Page>, opts: Parameters<typeof usePagedList>[1] = {}) {
  let list!: PagedList<Page>;
  mount(
    defineComponent({
      setup() {
        list = usePagedList(load, opts);
        return () => h("div");
      },
    }),
  );
  return list;
}

describe("usePagedList", () => {
  it("reads nothing until the page asks, then the first page at the default size", async () => {
    const server = fakeServer();
    const list = mountList(server.load);
    await flushPromises();
    expect(server.reads).toEqual([]);
    list.reload();
    await flushPromises();
    expect(server.reads).toEqual([{ offset: 0, limit: 20 }]);
    expect(list.data.value?.rows[0]).toBe(1);
    expect(list.loading.value).toBe(false);
  });

  it("a page change reads that page, and row numbers count across pages", async () => {
    const server = fakeServer();
    const list = mountList(server.load, { pageSize: 10 });
    list.reload();
    await flushPromises();
    list.page.value = 3;
    await list.run();
    expect(server.reads.at(-1)).toEqual({ offset: 20, limit: 10 });
    expect(list.data.value?.rows).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(list.rowNumber(0)).toBe(21);
    expect(list.rowNumber(9)).toBe(30);
  });

  it("a size change starts again at page 1 with the new size", async () => {
    const server = fakeServer();
    const list = mountList(server.load);
    list.page.value = 4;
    await list.run();
    expect(server.reads.at(-1)).toEqual({ offset: 60, limit: 20 });
    list.pageSize.value = 50;
    list.reload();
    await flushPromises();
    expect(list.page.value).toBe(1);
    expect(server.reads.at(-1)).toEqual({ offset: 0, limit: 50 });
    expect(list.data.value?.rows).toHaveLength(50);
  });

  it("a filter change (reload) goes back to page 1 and reads with the new filter", async () => {
    const filter = ref("all");
    const reads: { filter: string; offset: number }[] = [];
    const list = mountList(async (p) => {
      reads.push({ filter: filter.value, offset: p.offset });
      return { total: 100, rows: [] };
    });
    list.page.value = 5;
    await list.run();
    filter.value = "below";
    list.reload();
    await flushPromises();
    expect(list.page.value).toBe(1);
    expect(reads.at(-1)).toEqual({ filter: "below", offset: 0 });
  });

  it("a new order reloads from page 1", async () => {
    const server = fakeServer();
    const sort = ref({ field: "points", desc: true });
    const list = mountList(server.load, { sort });
    list.page.value = 2;
    await list.run();
    sort.value = { field: "name", desc: false };
    await nextTick();
    await flushPromises();
    expect(list.page.value).toBe(1);
    expect(server.reads.at(-1)).toEqual({ offset: 0, limit: 20 });
  });

  it("keeps only the latest answer when reads overlap", async () => {
    const pending: ((p: Page) => void)[] = [];
    const list = mountList(() => new Promise<Page>((resolve) => pending.push(resolve)));
    list.page.value = 2;
    void list.run();
    list.page.value = 3;
    void list.run();
    pending[1]!({ total: 60, rows: [41] });
    await flushPromises();
    pending[0]!({ total: 60, rows: [21] });
    await flushPromises();
    expect(list.data.value?.rows).toEqual([41]);
  });

  it("a failed read keeps the error for the page to show", async () => {
    const list = mountList(async () => {
      throw new Error("boom");
    });
    list.reload();
    await flushPromises();
    expect(list.error.value?.message).toBe("页面出错了，请刷新后重试");
    expect(list.data.value).toBeNull();
  });
});
