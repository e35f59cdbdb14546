import { flushPromises, mount } from "@vue/test-utils";
import { defineComponent, h } from "vue";
import type { Router } from "vue-router";
import { describe, expect, it } from "vitest";
import { testRouter } from "@/test/router";
import { useTableSort } from "./useTableSort";

const FIELDS = ["points", "name", "school"] as const;
type Field = (typeof FIELDS)[number];
const FALLBACK = { field: "points" as Field, desc: true };

async function mountSort(query: Record<string, string> = {}) {
  const router = await testRouter(query);
  let state!: ReturnType<typeof useTableSort<Field>>;
  mount(
    defineComponent({
      setup() {
        state = useTableSort("sort", FIELDS, FALLBACK);
        return () => h("div");
      },
    }),
    { global: { plugins: [router] } },
  );
  return { router, state };
}

const sortParam = (router: Router) => router.currentRoute.value.query.sort;

describe("useTableSort", () => {
  it("without an address parameter, the list's default order", async () => {
    const { state } = await mountSort();
    expect(state.sort.value).toEqual({ field: "points", desc: true });
    expect(state.defaultSort.value).toEqual({ prop: "points", order: "descending" });
  });

  it("takes a whitelisted key from the address, '-' meaning descending", async () => {
    expect((await mountSort({ sort: "name" })).state.sort.value).toEqual({ field: "name", desc: false });
    expect((await mountSort({ sort: "-school" })).state.sort.value).toEqual({ field: "school", desc: true });
  });

  it("falls back to the default for a key the server does not take", async () => {
    expect((await mountSort({ sort: "password" })).state.sort.value).toEqual(FALLBACK);
    expect((await mountSort({ sort: "-" })).state.sort.value).toEqual(FALLBACK);
    expect((await mountSort({ sort: "-id; DROP TABLE" })).state.sort.value).toEqual(FALLBACK);
  });

  it("a header click on a sortable column becomes the server's sort argument and the address", async () => {
    const { router, state } = await mountSort();
    state.onSortChange({ prop: "name", order: "ascending" });
    expect(state.sort.value).toEqual({ field: "name", desc: false });
    await flushPromises();
    expect(sortParam(router)).toBe("name");
    state.onSortChange({ prop: "school", order: "descending" });
    await flushPromises();
    expect(state.sort.value).toEqual({ field: "school", desc: true });
    expect(sortParam(router)).toBe("-school");
    expect(state.defaultSort.value).toEqual({ prop: "school", order: "descending" });
  });

  it("a click on a column that is not a sort key, or clearing the order, goes back to the default", async () => {
    const { router, state } = await mountSort({ sort: "name" });
    state.onSortChange({ prop: "mobile", order: "ascending" });
    await flushPromises();
    expect(state.sort.value).toEqual(FALLBACK);
    expect(sortParam(router)).toBeUndefined();
    state.onSortChange({ prop: "school", order: "ascending" });
    state.onSortChange({ prop: "school", order: null });
    await flushPromises();
    expect(state.sort.value).toEqual(FALLBACK);
    expect(sortParam(router)).toBeUndefined();
  });

  it("leaves other address parameters alone", async () => {
    const { router, state } = await mountSort({ period: "2026-11", q: "张" });
    state.onSortChange({ prop: "name", order: "descending" });
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ period: "2026-11", q: "张", sort: "-name" });
  });
});
