import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loginAs } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { confirmBox, startE2E, type E2E } from "./support/browser.js";

/**
 * The expert's score sheet in a real browser, on the demo's practice-base application (released
 * to the experts of other cities): platform items read-only, items without platform data marked,
 * refusals next to the item with the typed values kept, drafts, submission, and a reasoned change.
 */

const PB_APP = "科技实践基地的空间课程群建设";

async function shotAll(e2e: E2E, page: Page, name: string) {
  const size = page.viewportSize()!;
  const main = page.locator(".el-main").first();
  const height = (await main.count()) ? await main.evaluate((el) => el.scrollHeight + el.getBoundingClientRect().top + 8) : size.height;
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height)) });
  await e2e.shot(page, name);
  await page.setViewportSize(size);
}

/** The score inputs of the sheet, with each item's maximum (from the input's accessible name). */
async function scoreInputs(page: Page): Promise<{ input: Locator; label: string; max: number }[]> {
  const inputs = page.getByRole("spinbutton", { name: /得分（满分/ });
  await inputs.first().waitFor();
  const out = [];
  for (let i = 0; i < (await inputs.count()); i++) {
    const label = (await inputs.nth(i).getAttribute("aria-label"))!;
    out.push({ input: page.getByRole("spinbutton", { name: label, exact: true }), label, max: Number(/满分([\d.]+)/.exec(label)![1]) });
  }
  return out;
}

async function type(input: Locator, value: string) {
  await input.fill(value);
  await input.blur();
}

describeEachDb("the expert's score sheet in a real browser", (variant) => {
  let e2e: E2E;
  let pbAppId: string;

  beforeAll(async () => {
    e2e = await startE2E("expert-scoring", variant);
    pbAppId = String((await e2e.server.db.one<{ id: string }>(`SELECT id FROM application WHERE title = $1`, [PB_APP]))!.id);
  });
  afterAll(() => e2e?.stop());

  it("shows the application and the sheet: platform items read-only, items without platform data marked 暂无数据", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "expert_jh");
    await page.getByRole("navigation", { name: "主导航" }).getByText("我的评审任务", { exact: true }).click();
    await page.locator(".el-table__row", { hasText: PB_APP }).getByRole("button", { name: `评分 ${PB_APP}` }).click();
    await page.waitForURL(new RegExp(`/expert/tasks/${pbAppId}$`));
    // The submitted form is readable, without the applicant's mobile.
    await page.getByText("实践基地", { exact: false }).first().waitFor();
    await page.locator(".case-label", { hasText: "背景与问题" }).waitFor();
    expect(await page.getByText("13857700031").count()).toBe(0);
    // Platform-computed items carry no input; items without platform data are marked and open to the expert.
    const computed = page.locator(".line").filter({ has: page.getByText("平台计算", { exact: true }) });
    expect(await computed.count()).toBeGreaterThan(0);
    expect(await computed.first().getByRole("spinbutton").count()).toBe(0);
    const noData = page.locator(".line").filter({ has: page.getByText("暂无数据", { exact: true }) });
    expect(await noData.count()).toBeGreaterThan(0);
    expect(await noData.first().getByRole("spinbutton").count()).toBe(1);
    await shotAll(e2e, page, "score-sheet");
    await page.context().close();
  });

  it("keeps what the expert typed when a save or a submission is refused, and names the item", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "expert_jh");
    await page.goto(`${e2e.url}/expert/tasks/${pbAppId}`);
    const items = await scoreInputs(page);
    expect(items.length).toBeGreaterThan(1);
    const [first, second] = items as [(typeof items)[number], (typeof items)[number]];
    await type(first.input, String(first.max));
    // Not on the 0.5 grid: the server refuses the save and says so under that item.
    await type(second.input, "1.3");
    await page.getByRole("button", { name: "保存草稿" }).click();
    const line = page.locator(".line").filter({ has: second.input });
    await expect.poll(() => line.locator(".line-error").textContent()).toMatch(/须为0.5分的整数倍/);
    expect(Number(await first.input.inputValue())).toBe(first.max);
    expect(Number(await second.input.inputValue())).toBe(1.3);
    await shotAll(e2e, page, "score-sheet-refused");

    // Submitting with items left empty is stopped before it reaches the server, naming them.
    await type(second.input, "1");
    await page.getByRole("button", { name: "提交评分" }).click();
    await page.getByTestId("sheet-error").getByText(/尚有\d+项未评分/).waitFor();
    expect(await page.locator(".el-message-box").count()).toBe(0);

    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByText("评分草稿已保存").waitFor();
    // The draft is kept on the server.
    await page.reload();
    await page.getByText(/评分草稿（.*保存）/).waitFor();
    expect(Number(await page.getByRole("spinbutton", { name: first.label, exact: true }).inputValue())).toBe(first.max);
    await page.context().close();
  });

  it("submits with a confirmation, locks the score, and changes it only with a reason that lands in the record", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "expert_jh");
    await page.goto(`${e2e.url}/expert/tasks/${pbAppId}`);
    const items = await scoreInputs(page);
    for (const it of items) if (!(await it.input.inputValue())) await type(it.input, String(it.max));
    await page.getByRole("button", { name: "提交评分" }).click();
    await page.locator(".el-message-box").getByText(/提交后评分锁定/).waitFor();
    await confirmBox(page, "确认提交");
    await page.getByText(/评分已锁定/).waitFor();
    expect(await page.getByRole("spinbutton").count()).toBe(0);
    const before = await page.getByTestId("sheet-total").textContent();

    await page.getByRole("button", { name: "修改评分" }).click();
    const [first] = await scoreInputs(page);
    await type(first!.input, "0");
    await page.getByRole("button", { name: "提交修改" }).click();
    await page.getByText("修改已提交的评分须填写修改理由").waitFor();
    expect(Number(await first!.input.inputValue())).toBe(0);
    await page.getByLabel("修改理由").fill("复核申报材料后，精品资源的来源说明不足，调整该项得分。");
    await page.getByRole("button", { name: "提交修改" }).click();
    await page.getByText("评分已修改，修改记录已保存").waitFor();
    await page.locator(".history").getByText(/修改评分：.*理由：复核申报材料后/).waitFor();
    expect(await page.getByTestId("sheet-total").textContent()).not.toBe(before);
    await shotAll(e2e, page, "score-sheet-changed");

    // The task list filters on the server: the submitted task is under 已提交, not under 待完成.
    await page.goto(`${e2e.url}/expert/tasks`);
    const row = page.locator(".el-table__row", { hasText: PB_APP });
    await row.waitFor();
    const filter = page.getByRole("radiogroup", { name: "按评分状态筛选" });
    await filter.getByText("待完成", { exact: true }).click();
    await expect.poll(() => row.count()).toBe(0);
    await filter.getByText("已提交", { exact: true }).click();
    await row.waitFor();
    await expect.poll(() => page.locator(".stat", { hasText: "已提交" }).locator(".stat-value").textContent()).toMatch(/^[1-9]\d*$/);
    await page.context().close();
  });

  it("answers an expert asking for work not given to them like an unknown application, and lists only their own tasks", async () => {
    // 温州专家 is from the applicant's city: the demo never assigned it to them.
    const wz = await loginAs(e2e.url, "expert_wz");
    expect(await wz.errorCode(`query($a: ID!) { scoreSheet(applicationId: $a) { assignmentId } }`, { a: pbAppId })).toBe("NOT_FOUND");
    expect(await wz.errorCode(`query($a: ID!) { scoreSheet(applicationId: $a) { assignmentId } }`, { a: "999999" })).toBe("NOT_FOUND");

    const page = await e2e.newPage();
    await e2e.login(page, "expert_wz");
    await page.goto(`${e2e.url}/expert/tasks`);
    await page.getByText(/暂无评审任务/).waitFor();
    await page.goto(`${e2e.url}/expert/tasks/${pbAppId}`);
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("申报不存在或未分配给您评审");
    await e2e.shot(page, "score-sheet-not-assigned");
    // Province pages are not offered to an expert.
    await page.goto(`${e2e.url}/province/experts`);
    await page.waitForURL(/\/home$/);
    await page.context().close();
  });
});
