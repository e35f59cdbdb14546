import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Client, loginAs } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { startE2E, type E2E } from "./support/browser.js";

/** The province's campaign list and expert pool export as Excel from their pages. */

/** Clicks the button and reads the downloaded workbook: column headers and data rows. */
async function download(page: Page, button: string): Promise<{ title: string; rows: Record<string, unknown>[] }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await file.path())!);
  const values = wb.worksheets[0]!.getSheetValues().map((r) => (r as unknown[] | undefined)?.slice(1) ?? []);
  // Row 1 title, row 2 scope and exporter, row 3 column headers, then the data.
  const headers = values[3] as string[];
  return { title: String(values[1]![0]), rows: values.slice(4).filter((r) => r.length).map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ""]))) };
}

describeEachDb("campaign list and expert pool exports in a real browser", (variant) => {
  let e2e: E2E;
  let admin: Client;
  let demoId: string;

  beforeAll(async () => {
    e2e = await startE2E("more-exports", variant);
    admin = await loginAs(e2e.url, "prov_admin");
    demoId = (await admin.gql(`{ campaigns { id year } }`)).campaigns.find((c: { year: number }) => c.year === 2023).id;
    await admin.gql(`mutation($s: ID!) { copyCampaign(sourceId: $s, year: 2032, title: "导出测试活动2032", docNo: "") { id } }`, { s: demoId });
  });
  afterAll(() => e2e?.stop());

  it("exports the campaign list from 活动管理, drafts included", async () => {
    const list = (await admin.gql(`{ campaigns { title year } }`)).campaigns as { title: string; year: number }[];
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await page.goto(`${e2e.url}/province/campaigns`);
    await page.getByRole("link", { name: "导出测试活动2032" }).waitFor();
    const sheet = await download(page, "导出Excel");
    expect(sheet.title).toBe("活动列表");
    expect(sheet.rows.map((r) => [r["年度"], r["活动名称"]])).toEqual(list.map((c) => [c.year, c.title]));
    expect(sheet.rows.find((r) => r["活动名称"] === "导出测试活动2032")).toMatchObject({ 状态: "草稿" });
    await page.context().close();
  });

  it("exports the expert pool of the chosen campaign from the 专家库 tab", async () => {
    const pool = (await admin.gql(`query($c: ID!) { expertPool(campaignId: $c) { account load } }`, { c: demoId })).expertPool as { account: string; load: number }[];
    const page = await e2e.newPage();
    await page.addInitScript((id) => localStorage.setItem("zjh.campaign", id), demoId);
    await e2e.login(page, "prov_admin");
    await page.goto(`${e2e.url}/province/experts`);
    await page.getByRole("tab", { name: /专家库/ }).click();
    await page.locator(".el-table__row:visible").filter({ hasText: pool[0]!.account }).waitFor();
    await e2e.shot(page, "expert-pool");
    const sheet = await download(page, "导出专家库");
    expect(sheet.title).toMatch(/2023年.*评审专家库$/);
    expect(sheet.rows.map((r) => [r["账号"], r["本次活动已分配"]])).toEqual(pool.map((e) => [e.account, e.load]));
    await page.context().close();
  });
});
