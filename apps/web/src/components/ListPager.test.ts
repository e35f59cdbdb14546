import { flushPromises, mount } from "@vue/test-utils";
import { defineComponent, h } from "vue";
import { describe, expect, it } from "vitest";
import { usePagedList } from "@/composables/usePagedList";
import ListPager from "./ListPager.vue";

/** A page with a server list of 95 rows and its pager, recording the reads. */
async function mountPager() {
  const reads: { offset: number; limit: number }[] = [];
  const Page = defineComponent({
    setup() {
      const list = usePagedList(async (p) => {
        reads.push(p);
        return { total: 95 };
      });
      list.reload();
      return () => h(ListPager, { list: list as never, layout: "total, sizes, prev, pager, next" });
    },
  });
  const wrapper = mount(Page, { attachTo: document.body });
  await flushPromises();
  return { wrapper, reads };
}

describe("ListPager", () => {
  it("shows the total and one button per page", async () => {
    const { wrapper } = await mountPager();
    expect(wrapper.find(".el-pagination__total").text()).toContain("95");
    expect(wrapper.findAll(".el-pager li").map((li) => li.text())).toEqual(["1", "2", "3", "4", "5"]);
    wrapper.unmount();
  });

  it("another page reads that page", async () => {
    const { wrapper, reads } = await mountPager();
    await wrapper.find("button.btn-next").trigger("click");
    await flushPromises();
    expect(reads.at(-1)).toEqual({ offset: 20, limit: 20 });
    await wrapper.findAll(".el-pager li").find((li) => li.text() === "5")!.trigger("click");
    await flushPromises();
    expect(reads.at(-1)).toEqual({ offset: 80, limit: 20 });
    expect(wrapper.find(".el-pager li.is-active").text()).toBe("5");
    wrapper.unmount();
  });

  it("another page size starts again at page 1", async () => {
    const { wrapper, reads } = await mountPager();
    await wrapper.find("button.btn-next").trigger("click");
    await flushPromises();
    // The size menu's options are rendered into the body (a popper); pick 50 条/页.
    await wrapper.find(".el-pagination__sizes .el-select__wrapper").trigger("click");
    await flushPromises();
    const option = [...document.body.querySelectorAll<HTMLElement>(".el-select-dropdown__item")].find((o) => o.textContent?.includes("50"));
    expect(option).toBeTruthy();
    option!.click();
    await flushPromises();
    expect(reads.at(-1)).toEqual({ offset: 0, limit: 50 });
    expect(wrapper.findAll(".el-pager li").map((li) => li.text())).toEqual(["1", "2"]);
    wrapper.unmount();
  });
});
