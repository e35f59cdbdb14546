import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { applyAndSubmit, fullForm, makeTeachers, sampleCase, testCampaign } from "../api/pipeline-helpers.js";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { startE2E, type E2E } from "./support/browser.js";

/**
 * A county reviewer goes through a sorted review queue from the application page: previous and
 * next in the queue's own order (the server's), and after each action straight on to the next
 * waiting application, until the level's queue is empty.
 */

/** Submitted in this order; sorted by title the order differs. */
const TITLES = ["县级导航测试丁", "县级导航测试乙", "县级导航测试甲", "县级导航测试丙"];

describeEachDb("going through the review queue from the application page", (variant) => {
  let e2e: E2E;
  let campaignId: string;
  let county: Client;

  beforeAll(async () => {
    e2e = await startE2E("review-navigation", variant);
    const admin = await loginAs(e2e.url, "prov_admin");
    county = await loginAs(e2e.url, "ra_county");
    campaignId = await testCampaign(admin, 2041);
    const teachers = (await makeTeachers(e2e.server.db, TITLES.length, "3303810001", "rn", e2e.url)) as (Client & { phone: string })[];
    for (const [i, t] of teachers.entries()) {
      await applyAndSubmit(t, campaignId, "TEACHING_SPACE", fullForm(t.phone, { case: sampleCase(TITLES[i]) }));
    }
  }, 180_000);
  afterAll(() => e2e?.stop());

  /** The queue as the server orders it by title (ascending), every title. */
  async function serverOrder(): Promise<{ id: string; title: string }[]> {
    const d = await county.gql(`query($c: ID!) { reviewQueue(campaignId: $c, sort: title, desc: false, limit: 50) { items { id title } } }`, { c: campaignId });
    return d.reviewQueue.items;
  }

  const heading = (page: Page) => page.locator("h1.page-title");
  const navigator = (page: Page) => page.getByTestId("queue-navigator");
  const position = (page: Page) => page.getByTestId("queue-position").textContent();
  const button = (page: Page, name: "上一件" | "下一件") => navigator(page).getByRole("button", { name });

  async function act(page: Page, action: string, label: string, confirm: string, comment: string) {
    await page.getByTestId(`action-${action}`).click();
    const dialog = page.getByRole("dialog", { name: new RegExp(`^${label}：`) });
    await dialog.getByLabel("审核意见").fill(comment);
    await dialog.getByRole("button", { name: new RegExp(`^${confirm}`) }).click();
    await dialog.waitFor({ state: "hidden" });
  }

  it("opens the neighbours in the queue's order and continues with the next waiting one after each action", async () => {
    const order = await serverOrder();
    expect(order.map((r) => r.title)).toEqual([...TITLES].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(order.map((r) => r.title)).not.toEqual(TITLES);

    const page = await e2e.newPage();
    await page.addInitScript((id) => localStorage.setItem("zjh.campaign", id), campaignId);
    await e2e.login(page, "ra_county");

    // Opened by its address (a notification, a bookmark): the page as before, no navigator.
    await page.goto(`${e2e.url}/applications/${order[1]!.id}`);
    await expect.poll(() => heading(page).textContent()).toBe(order[1]!.title);
    expect(await navigator(page).count()).toBe(0);

    // The queue sorted by title; the second row opens with its place in the queue.
    await page.goto(`${e2e.url}/review`);
    await page.locator(".el-table__row:visible").first().waitFor();
    await page.locator(".el-table__header th").filter({ hasText: "案例标题" }).click();
    await expect.poll(() => page.locator(".el-table__row:visible .title-link").allTextContents()).toEqual(order.map((r) => r.title));
    await page.getByRole("button", { name: `审核 ${order[1]!.title}` }).click();
    await expect.poll(() => heading(page).textContent()).toBe(order[1]!.title);
    expect(page.url()).toMatch(/[?&]queue=1(&|$)/);
    expect(page.url()).toMatch(/[?&]sort=title(&|$)/);
    await expect.poll(() => position(page)).toBe("待审核 第 2 / 4 件");
    expect(await button(page, "下一件").getAttribute("aria-keyshortcuts")).toBe("Alt+ArrowRight");
    await e2e.shot(page, "second-of-four");

    // 下一件 is the server's third; 上一件 back to the second; the keyboard does the same.
    await button(page, "下一件").click();
    await expect.poll(() => heading(page).textContent()).toBe(order[2]!.title);
    await expect.poll(() => position(page)).toBe("待审核 第 3 / 4 件");
    await button(page, "上一件").click();
    await expect.poll(() => heading(page).textContent()).toBe(order[1]!.title);
    await expect.poll(() => position(page)).toBe("待审核 第 2 / 4 件");
    await page.keyboard.press("Alt+ArrowRight");
    await expect.poll(() => heading(page).textContent()).toBe(order[2]!.title);
    await expect.poll(() => position(page)).toBe("待审核 第 3 / 4 件");
    await page.keyboard.press("Alt+ArrowLeft");
    await expect.poll(() => heading(page).textContent()).toBe(order[1]!.title);
    await expect.poll(() => position(page)).toBe("待审核 第 2 / 4 件");

    // Recommended: it left the queue, and the next waiting one now has its offset.
    await act(page, "recommend", "推荐", "确认推荐", "同意推荐。");
    await expect.poll(() => position(page)).toBe("已推荐。继续审核下一件？（待审核还有 3 件）");
    await e2e.shot(page, "recommended-continue");
    expect((await serverOrder()).map((r) => r.title)).toEqual([order[0]!.title, order[2]!.title, order[3]!.title]);
    await button(page, "下一件").click();
    await expect.poll(() => heading(page).textContent()).toBe(order[2]!.title);
    await expect.poll(() => position(page)).toBe("待审核 第 2 / 3 件");

    // Returned: on to the last one, which has no next.
    await act(page, "return", "退回修改", "确认退回", "请补充空间建设的过程材料。");
    await expect.poll(() => position(page)).toBe("已退回修改。继续审核下一件？（待审核还有 2 件）");
    await button(page, "下一件").click();
    await expect.poll(() => heading(page).textContent()).toBe(order[3]!.title);
    await expect.poll(() => position(page)).toBe("待审核 第 2 / 2 件");
    expect(await button(page, "下一件").isDisabled()).toBe(true);

    // Not recommended at the end of the queue: the one before is still waiting.
    await act(page, "reject", "不予推荐", "确认不予推荐", "与申报类别不符。");
    await expect.poll(() => position(page)).toBe("已不予推荐。后面没有待审核的申报了，前面还有 1 件。");
    expect(await button(page, "下一件").isDisabled()).toBe(true);
    await button(page, "上一件").click();
    await expect.poll(() => heading(page).textContent()).toBe(order[0]!.title);
    await expect.poll(() => position(page)).toBe("待审核 第 1 / 1 件");

    // The last waiting one: the level's queue is done.
    await act(page, "return", "退回修改", "确认退回", "请补充成果材料。");
    await expect.poll(() => page.getByTestId("queue-done").textContent()).toMatch(/已退回修改。本级待审核申报已全部处理/);
    await e2e.shot(page, "queue-done");
    expect(await serverOrder()).toEqual([]);

    // Back on the queue page, the order chosen there is kept.
    await page.getByTestId("queue-done").getByRole("link", { name: "返回审核队列" }).click();
    await page.waitForURL(/\/review$/);
    await page.getByText("目前没有等待本级审核的申报").waitFor();
    await page.context().close();
  });

  it("keeps the queue page's order when the reviewer comes back from an application", async () => {
    const teachers = (await makeTeachers(e2e.server.db, 2, "3303810001", "rm", e2e.url)) as (Client & { phone: string })[];
    for (const [i, t] of teachers.entries()) {
      await applyAndSubmit(t, campaignId, "TEACHING_SPACE", fullForm(t.phone, { case: sampleCase(`县级导航返回测试${i === 0 ? "甲" : "乙"}`) }));
    }
    const order = await serverOrder();
    // By code point 乙 (U+4E59) comes before 甲 (U+7532): the title order is not the submission order.
    expect(order.map((r) => r.title)).toEqual(["县级导航返回测试乙", "县级导航返回测试甲"]);

    const page = await e2e.newPage();
    await page.addInitScript((id) => localStorage.setItem("zjh.campaign", id), campaignId);
    await e2e.login(page, "ra_county");
    await page.goto(`${e2e.url}/review`);
    const titles = () => page.locator(".el-table__row:visible .title-link").allTextContents();
    // The default order is the longest waiting first: submission order.
    await expect.poll(titles).toEqual(["县级导航返回测试甲", "县级导航返回测试乙"]);
    await page.locator(".el-table__header th").filter({ hasText: "案例标题" }).click();
    await expect.poll(titles).toEqual(order.map((r) => r.title));
    await page.getByRole("link", { name: order[0]!.title }).click();
    await expect.poll(() => heading(page).textContent()).toBe(order[0]!.title);
    await expect.poll(() => position(page)).toBe("待审核 第 1 / 2 件");
    await navigator(page).getByRole("link", { name: "返回审核队列" }).click();
    await page.waitForURL(/\/review$/);
    await expect.poll(titles).toEqual(order.map((r) => r.title));
    await expect.poll(() => page.locator(".el-table__header th").filter({ hasText: "案例标题" }).getAttribute("class")).toMatch(/ascending/);
    await page.context().close();
  });
});
