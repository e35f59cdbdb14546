import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { applyAndSubmit, fullForm, makeTeachers, sampleCase, testCampaign } from "../api/pipeline-helpers.js";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { startE2E, type E2E } from "./support/browser.js";

/**
 * A county reviewer sorts the whole review queue on the server by clicking a column header: an
 * application from the second page comes first, and the page goes back to the first.
 */

/** 22 applications, one more page than the default 20 rows. */
const TITLES = Array.from({ length: 22 }, (_, i) => `县级排序测试案例${String(i + 1).padStart(2, "0")}`);
/** The queue's longest waiting come first, so these two (the latest) start on page 2. */
const FIRST_BY_TITLE = "AI助力的单元作业设计";
const LAST_BY_TITLE = "龙舟文化的空间课程";
TITLES[20] = LAST_BY_TITLE;
TITLES[21] = FIRST_BY_TITLE;

describeEachDb("sorting the review queue on the server", (variant) => {
  let e2e: E2E;
  let campaignId: string;
  let county: Client;

  beforeAll(async () => {
    e2e = await startE2E("review-sort", variant);
    const admin = await loginAs(e2e.url, "prov_admin");
    county = await loginAs(e2e.url, "ra_county");
    campaignId = await testCampaign(admin, 2040);
    const teachers = (await makeTeachers(e2e.server.db, TITLES.length, "3303810001", "rs", e2e.url)) as (Client & { phone: string })[];
    for (const [i, t] of teachers.entries()) {
      await applyAndSubmit(t, campaignId, "TEACHING_SPACE", fullForm(t.phone, { case: sampleCase(TITLES[i]) }));
    }
    // Distinct waiting times in submission order (one whole minute apart), the same on both databases.
    await e2e.server.db.exec(
      `UPDATE application SET last_action_at = timestamptz '2040-03-01 09:00:00+08' + rank * interval '1 minute'
         FROM (SELECT id AS app_id, row_number() OVER (ORDER BY id) AS rank FROM application WHERE campaign_id = $1) r
        WHERE application.id = r.app_id`,
      [campaignId],
    );
  }, 180_000);
  afterAll(() => e2e?.stop());

  const rows = (page: Page) => page.locator(".el-table__body .el-table__row:visible");
  const firstTitle = (page: Page) => rows(page).first().locator(".title-link").textContent();
  const titles = (page: Page) => rows(page).locator(".title-link").allTextContents();
  const header = (page: Page, label: string) => page.locator(".el-table__header th").filter({ hasText: label });

  async function serverOrder(sort: string, desc: boolean): Promise<string[]> {
    const d = await county.gql(`query($c: ID!, $s: ApplicationSortField!, $d: Boolean!) { reviewQueue(campaignId: $c, sort: $s, desc: $d, limit: 20) { items { title } } }`, {
      c: campaignId, s: sort, d: desc,
    });
    return d.reviewQueue.items.map((r: { title: string }) => r.title);
  }

  it("orders the whole queue by the clicked column and shows page 1 of that order", async () => {
    const page = await e2e.newPage();
    await page.addInitScript((id) => localStorage.setItem("zjh.campaign", id), campaignId);
    await e2e.login(page, "ra_county");
    await page.goto(`${e2e.url}/review`);
    await expect.poll(() => firstTitle(page)).toBe(TITLES[0]);
    expect(await page.getByText("本页内排序").count()).toBe(0);
    // The active order is shown on the 最近处理 column (longest waiting first).
    await expect.poll(() => header(page, "最近处理").getAttribute("class")).toMatch(/ascending/);
    expect(await titles(page)).toEqual(await serverOrder("lastActionAt", false));
    expect(await titles(page)).not.toContain(FIRST_BY_TITLE);

    // On page 2, a header click sorts everything on the server and goes back to page 1.
    await page.locator(".el-pagination .el-pager li", { hasText: /^2$/ }).click();
    await expect.poll(() => firstTitle(page)).toBe(TITLES[20]);
    await header(page, "案例标题").click();
    await expect.poll(() => firstTitle(page)).toBe(FIRST_BY_TITLE);
    expect(await titles(page)).toEqual(await serverOrder("title", false));
    expect((await page.locator(".el-pagination .el-pager li.is-active").textContent())?.trim()).toBe("1");
    await expect.poll(() => header(page, "案例标题").getAttribute("class")).toMatch(/ascending/);

    await header(page, "案例标题").click();
    await expect.poll(() => firstTitle(page)).toBe(LAST_BY_TITLE);
    expect(await titles(page)).toEqual(await serverOrder("title", true));
    await expect.poll(() => header(page, "案例标题").getAttribute("class")).toMatch(/descending/);
    await e2e.shot(page, "queue-sorted-by-title-desc");

    // The Excel export holds the whole queue in the order on screen.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "导出Excel" }).click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    // Row 1 title, row 2 scope, row 3 headers, then the data.
    const sheet = wb.worksheets[0]!.getSheetValues() as unknown[][];
    const col = sheet[3]!.indexOf("案例标题");
    const exported = sheet.slice(4).filter(Boolean).map((r) => String(r[col]));
    expect(exported).toHaveLength(TITLES.length);
    expect(exported).toEqual([...TITLES].sort((a, b) => Buffer.compare(Buffer.from(b), Buffer.from(a))));

    // Another column: the newest waiting first, the way back to the default.
    await header(page, "最近处理").click();
    await expect.poll(() => firstTitle(page)).toBe(TITLES[0]);
    await header(page, "最近处理").click();
    await expect.poll(() => firstTitle(page)).toBe(FIRST_BY_TITLE);
    expect(await titles(page)).toEqual(await serverOrder("lastActionAt", true));
    await page.context().close();
  });
});
