import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDb } from "../support/server.js";
import { chooseOption, startE2E, type E2E } from "./support/browser.js";

/** Small things users hit: the remembered acting role, the county × level quota grid, the province's quota table. */

async function nav(page: Page, label: string, url: RegExp) {
  await page.getByRole("navigation", { name: "主导航" }).getByText(label, { exact: true }).click();
  await page.waitForURL(url);
}

describeEachDb("small things users hit", (variant) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E("small-things", variant);
  });
  afterAll(() => e2e?.stop());

  it("starts a school admin's next session in the role they chose last", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_school_admin");
    const menu = page.getByRole("navigation", { name: "主导航" });
    expect(await menu.getByText("教师管理", { exact: true }).count()).toBe(0);
    await chooseOption(page, page.getByTestId("role-switcher"), "学校平台管理员");
    await menu.getByText("教师管理", { exact: true }).waitFor();
    await page.context().close();

    // A new browser, a new session: straight into the school admin's workspace.
    const next = await e2e.newPage();
    await e2e.login(next, "ra_school_admin");
    await next.getByRole("navigation", { name: "主导航" }).getByText("教师管理", { exact: true }).waitFor();
    await e2e.shot(next, "school-admin-remembered");
    await next.context().close();
  });

  it("shows a city its per-county quotas as a county × level grid", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "wz_city");
    await nav(page, "推荐名额", /\/quota/);
    const grid = page.getByTestId("quota-grid-LECTURER_SPACE");
    await grid.waitFor();
    // One row per county of 温州 (12), one column per level, instead of 26 rows.
    await expect.poll(() => grid.locator(".el-table__body-wrapper .el-table__row").count()).toBe(12);
    const header = (await grid.locator(".el-table__header-wrapper").textContent())!;
    expect(header).toContain("县（市、区）级推荐至设区市");
    expect(header).toContain("设区市级推荐至省级");
    const ruian = grid.locator(".el-table__body-wrapper .el-table__row").filter({ hasText: "瑞安市" });
    expect(await ruian.locator(".grid-cell").count()).toBe(2);
    await e2e.shot(page, "city-quota-grid");
    await page.context().close();
  });

  it("gives the province's quota table a 优秀讲师空间 column (the city's places to the province, summed)", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await nav(page, "名额总表", /\/quota/);
    const table = page.locator(".matrix");
    await table.locator(".el-table__header-wrapper").getByText("优秀讲师空间（合计）").waitFor();
    const wz = table.locator(".el-table__body-wrapper .el-table__row").filter({ hasText: "温州市" });
    // 温州: 2 places for the city's own applicants plus 2 for each of its 12 counties.
    await wz.getByLabel(/温州市优秀讲师空间（合计）：已推荐0，名额26/).waitFor();
    await e2e.shot(page, "province-quota-table");
    await page.context().close();
  });

  it("says on the import page what the importer requires, and names the campaign under way on an empty public results page", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_county");
    await nav(page, "教师导入", /\/users\/import/);
    const columns = page.getByTestId("import-columns");
    expect(await page.getByTestId("import-column-phone").textContent()).toContain("手机（内容可留空）");
    expect(await page.getByTestId("import-column-account").textContent()).toContain("师训账号（必填）");
    expect(await columns.textContent()).not.toContain("必需的列");
    await page.context().close();

    const visitor = await e2e.newPage();
    await visitor.goto(`${e2e.url}/results`);
    await visitor.getByText(/「之江汇教育广场2023年.*」正在进行，评审结果尚未发布；「入选名单公布」的日期以活动通知为准/).waitFor();
    await e2e.shot(visitor, "public-results-upcoming");
    await visitor.context().close();
  });

  it("lets the province remind the experts who have not scored, from the scoring-progress drawer", async () => {
    const title = "科技实践基地的空间课程群建设";
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await nav(page, "评分进度", /\/province\/progress/);
    await page.getByRole("button", { name: `查看评分 ${title}` }).click();
    const bar = page.getByTestId("remind-bar");
    await bar.getByText(/位专家尚未提交评分/).waitFor();
    await bar.getByRole("button", { name: "提醒未评分专家" }).click();
    await page.locator(".el-message").filter({ hasText: /已提醒\d+位专家/ }).waitFor();
    await e2e.shot(page, "remind-experts");
    await bar.getByRole("button", { name: "提醒未评分专家" }).click();
    await page.locator(".el-message").filter({ hasText: "今天已提醒过这些专家" }).waitFor();
    await page.context().close();

    const expert = (await e2e.server.db.one<{ account: string }>(
      `SELECT u.account FROM notification n JOIN app_user u ON u.id = n.user_id WHERE n.kind = 'EXPERT_SCORE_REMINDER' LIMIT 1`,
    ))!.account;
    const ep = await e2e.newPage();
    await e2e.login(ep, expert);
    await ep.getByTestId("notification-bell").click();
    await ep.getByText(/省级管理员提醒您：申报「科技实践基地的空间课程群建设」尚未提交评分/).first().waitFor();
    await ep.context().close();
  });
});
