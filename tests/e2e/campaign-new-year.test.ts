import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { defaultCopyYear, demoCampaign2023 } from "../../libs/domain/src/campaign/index.js";
import { describeEachDb } from "../support/server.js";
import { confirmBox, startE2E, type E2E } from "./support/browser.js";

/**
 * A province starts a new year's campaign in a real browser: the copy proposes the year, the
 * stage dates are saved alone (out of order: refused on the field), and opening lists the
 * server's warnings (passed dates, 瓯海区 without a reviewer, the 2023 campaign still open)
 * before anything happens.
 */
async function setDate(page: Page, label: string, value: string) {
  const input = page.getByLabel(label);
  await input.fill(value);
  await input.press("Enter");
}

describeEachDb("a province's campaign of a new year in a real browser", (variant) => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E("campaign-new-year", variant);
  });
  afterAll(() => e2e?.stop());

  it("copies with the proposed year, saves the stage dates alone, and shows the warnings before opening", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await page.getByRole("navigation", { name: "主导航" }).getByText("活动管理", { exact: true }).click();
    await page.waitForURL(/\/province\/campaigns$/);
    const r2023 = page.locator(".el-table__row:visible").filter({ hasText: "之江汇教育广场2023年空间建设与应用活动" });
    await r2023.getByRole("button", { name: "复制为新一年" }).click();
    const dialog = page.getByRole("dialog", { name: /复制活动/ });
    const proposed = defaultCopyYear(demoCampaign2023(), new Date());
    expect([String(proposed), String(proposed + 1)]).toContain(await dialog.getByLabel("年度").inputValue());
    // A year whose dates have all passed, to see the warnings.
    await dialog.getByLabel("年度").fill("2024");
    await dialog.getByLabel("年度").blur();
    await dialog.getByRole("button", { name: "创建" }).click();
    await page.waitForURL(/\/province\/campaigns\/\d+$/);
    await page.getByRole("heading", { name: "之江汇教育广场2024年空间建设与应用活动" }).waitFor();

    await page.getByRole("tab", { name: /时间安排/ }).click();
    // Out of order: the city's review before the county's.
    await setDate(page, "设区市评审推荐与在线上报截止日期", "2024-01-05");
    await page.getByRole("button", { name: "只保存阶段日期" }).click();
    await page.getByText(/早于前一阶段/).first().waitFor();
    await setDate(page, "设区市评审推荐与在线上报截止日期", "2024-10-15");
    await page.getByRole("button", { name: "只保存阶段日期" }).click();
    await page.getByText("阶段日期已保存").waitFor();
    await e2e.shot(page, "stage-dates-saved");

    await page.getByRole("button", { name: "发布活动" }).click();
    const box = page.locator(".el-message-box");
    await box.getByText("请先核对以下问题").waitFor();
    await box.getByText(/瓯海区/).waitFor();
    await box.getByText(/之江汇教育广场2023年空间建设与应用活动.*仍在进行中/).waitFor();
    await box.getByText(/截止日期2024年10月15日已过/).waitFor();
    await e2e.shot(page, "opening-warnings");
    await confirmBox(page, "取消");
    await page.getByText("草稿", { exact: true }).first().waitFor();

    await page.getByRole("button", { name: "发布活动" }).click();
    await confirmBox(page, "仍然开启");
    await page.getByText("活动已开放").waitFor();
  });
});
