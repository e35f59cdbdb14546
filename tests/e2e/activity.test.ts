import ExcelJS from "exceljs";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loginAs } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { chooseOption, startE2E, type E2E } from "./support/browser.js";

/** Activity pages in a real browser: a teacher's own points, a county's dashboard, ranking and lists. */

/** An Element Plus select by its accessible name (its wrapper takes the click, not the inner input). */
function select(page: Page, name: string) {
  return page.locator(".el-select").filter({ has: page.getByRole("combobox", { name, exact: true }) });
}

/**
 * A screenshot of the whole page: the workspace scrolls inside the layout, so the window is made
 * as tall as its content first (and restored after).
 */
async function shotAll(e2e: E2E, page: Page, name: string) {
  // No select dropdown fading out over the picture.
  await expect.poll(() => page.locator(".el-select-dropdown:visible").count()).toBe(0);
  const size = page.viewportSize()!;
  const height = await page.locator("main.main, .el-main").first().evaluate((el) => el.scrollHeight + el.getBoundingClientRect().top);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height)) });
  // Charts follow the new size through a ResizeObserver: wait until each canvas is as wide as its box.
  await expect
    .poll(() =>
      page.locator(".echart").evaluateAll((charts) =>
        charts.every((c) => {
          const canvas = c.querySelector("canvas");
          return !canvas || Math.abs(canvas.getBoundingClientRect().width - c.getBoundingClientRect().width) < 1;
        }),
      ),
    )
    .toBe(true);
  await e2e.shot(page, name);
  await page.setViewportSize(size);
}

/** Picks the statistics period of a page (year, and a month or 全年). */
async function choosePeriod(page: Page, year: number, month: number | null) {
  await chooseOption(page, select(page, "统计年份"), `${year}年`);
  await chooseOption(page, select(page, "统计月份"), month ? new RegExp(`^${month}月$`) : "全年");
}

/** A header cell of an Element Plus table, by its exact label. */
function header(table: Locator, label: string) {
  return table.locator("thead th").filter({ has: table.page().locator(".cell", { hasText: new RegExp(`^${label}$`) }) });
}

/** The text of the first link of the table's first body row (the school or teacher it names). */
function firstLink(table: Locator) {
  return table.locator(".el-table__body .el-table__row").first().getByRole("link").first().textContent();
}

describeEachDb("activity pages in a real browser", (variant) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E("activity", variant);
  });
  afterAll(() => e2e?.stop());

  it("shows a teacher their year against the targets, the months and rules as charts, and the points log with a deduction in red", async () => {
    // A resource approved at county level in June 2023 and deleted the next day: +3, then -3.
    const admin = await loginAs(e2e.url, "prov_admin");
    const lines = [
      { id: "e2e-rv-1", type: "resource_review", ownerId: "ra_teacher1", resourceId: "e2e-r1", level: "county", outcome: "approved", at: "2023-06-12T10:00:00+08:00" },
      { id: "e2e-del-1", type: "resource_deleted", ownerId: "ra_teacher1", resourceId: "e2e-r1", at: "2023-06-13T09:00:00+08:00" },
    ].map((e) => JSON.stringify(e));
    await admin.gql(`mutation($l: [String!]!) { ingestActivityEvents(lines: $l) { stored } }`, { l: lines });
    const teacher = await loginAs(e2e.url, "ra_teacher1");
    const mine = (await teacher.gql(`{ myActivity(year: 2023) { total yearTargetMet } }`)).myActivity as { total: number; yearTargetMet: boolean };

    const page = await e2e.newPage();
    await e2e.login(page, "ra_teacher1");
    await page.getByRole("navigation", { name: "主导航" }).getByText("我的活跃度", { exact: true }).click();
    // The page opens on the latest year with points (the demo's 2023), not on the current year.
    await page.waitForURL(/\/activity\/mine\?year=2023/);
    await expect.poll(() => page.getByTestId("kpi-year-total").textContent()).toContain(String(mine.total));
    await chooseOption(page, select(page, "统计年份"), "2023年");
    await expect.poll(() => page.getByTestId("kpi-year-total").textContent()).toContain(String(mine.total));
    await page.getByText(mine.yearTargetMet ? "已达标" : /还差 \d+ 分/).first().waitFor();
    // Both charts are drawn.
    expect(await page.locator(".echart canvas").count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByRole("img", { name: /按月积分柱状图：1月\d+分/ }).count()).toBe(1);

    const ledger = page.getByTestId("ledger-table");
    await ledger.locator(".el-table__row").first().waitFor();
    await shotAll(e2e, page, "my-activity");

    // The June log holds the deduction, shown in red with its rule and event.
    await chooseOption(page, select(page, "明细月份"), /^6月$/);
    const deduction = ledger.locator(".el-table__row").filter({ hasText: "e2e-del-1" });
    await deduction.waitFor();
    expect(await deduction.textContent()).toContain("资源删除");
    const minus = deduction.locator(".points.minus");
    expect(await minus.textContent()).toBe("-3");
    expect(await minus.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(196, 43, 43)");
    expect(await ledger.locator(".el-table__row").filter({ hasText: "e2e-rv-1" }).locator(".points.plus").textContent()).toBe("+3");
    await shotAll(e2e, page, "my-activity-june-log");

    // The log exports as Excel with the same period.
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "导出Excel" }).click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

    // Statistics pages are not offered to a teacher.
    expect(await page.getByRole("navigation", { name: "主导航" }).getByText("学校月度排名").count()).toBe(0);
    await page.goto(e2e.url + "/activity/stats?period=2023");
    await page.waitForURL(/\/home$/);
    await page.context().close();
  });

  it("shows a school admin their school's dashboard with its teachers, and the below-target teachers only", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_school_admin");
    await chooseOption(page, page.getByTestId("role-switcher"), "学校平台管理员");
    const nav = page.getByRole("navigation", { name: "主导航" });
    await nav.getByText("本校活跃度", { exact: true }).click();
    await page.waitForURL(/\/activity\/stats/);
    await choosePeriod(page, 2023, null);
    expect(await page.getByTestId("scope-path").textContent()).toContain("瑞安市实验中学");
    const teachers = page.getByTestId("teacher-table");
    await teachers.getByText("王丽华").waitFor();
    await page.getByTestId("kpi-school-met").waitFor();
    // A school is not ranked against itself on its own dashboard.
    expect(await page.getByText(/学校排名前 10/).count()).toBe(0);
    await shotAll(e2e, page, "school-admin-dashboard");

    await nav.getByText("未达标教师", { exact: true }).click();
    await page.waitForURL(/\/activity\/below-target/);
    await choosePeriod(page, 2023, null);
    await page.getByTestId("below-teachers-table").getByText("ra_teacher2").waitFor();
    expect(await page.getByRole("tab", { name: /未达标学校/ }).count()).toBe(0);
    await shotAll(e2e, page, "school-admin-below-target");
    await page.context().close();
  });

  it("shows a county reviewer their county's dashboard, drill-down to a school and a teacher, and refuses another county", async () => {
    const reviewer = await loginAs(e2e.url, "ra_county");
    const county = (await reviewer.gql(`{ unitActivity(period: "2023") { teachers activeTeachers } }`)).unitActivity as { teachers: number; activeTeachers: number };
    const lucheng = await e2e.server.db.one<{ id: string }>(`SELECT id::text AS id FROM org_unit WHERE code = '330302'`);

    const page = await e2e.newPage();
    await e2e.login(page, "ra_county");
    await page.getByRole("navigation", { name: "主导航" }).getByText("区域活跃度统计", { exact: true }).click();
    await page.waitForURL(/\/activity\/stats/);
    await choosePeriod(page, 2023, null);
    await page.waitForURL(/period=2023/);
    expect(await page.getByTestId("scope-path").textContent()).toContain("瑞安市");
    await expect.poll(() => page.getByTestId("kpi-teachers").textContent()).toContain(String(county.teachers));
    expect(await page.getByTestId("kpi-active").textContent()).toContain(String(county.activeTeachers));
    const children = page.getByTestId("child-table");
    await children.getByText("瑞安市实验中学").waitFor();
    expect(await page.locator(".echart canvas").count()).toBeGreaterThanOrEqual(3);
    await shotAll(e2e, page, "county-dashboard");

    // The unit search offers nothing of another county.
    const search = page.getByRole("combobox", { name: "切换统计单位" });
    await search.click();
    await search.fill("鹿城");
    await page.locator(".el-select-dropdown:visible").getByText(/没有匹配的单位/).waitFor();
    await page.keyboard.press("Escape");

    // Drill down to a school, then to one of its teachers.
    await children.getByRole("button", { name: "查看 瑞安市实验中学 的统计" }).click();
    await expect.poll(() => page.getByTestId("scope-path").textContent()).toContain("瑞安市实验中学");
    const teachers = page.getByTestId("teacher-table");
    await teachers.getByText("陈晓明").waitFor();
    expect(await teachers.getByText("周德明").count()).toBe(0); // locked (retired): not in statistics
    await shotAll(e2e, page, "school-dashboard");
    await teachers.getByRole("link", { name: "陈晓明" }).click();
    await page.waitForURL(/\/activity\/teachers\/\d+\?year=2023/);
    await page.getByText("ra_teacher1", { exact: false }).first().waitFor();
    await page.getByTestId("ledger-table").locator(".el-table__row").first().waitFor();
    await shotAll(e2e, page, "teacher-activity");

    // A hand-made link to another county answers like a unit that does not exist, with no figures.
    await page.goto(`${e2e.url}/activity/stats?unitId=${lucheng!.id}&period=2023`);
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("不存在或不在管辖范围内");
    expect(await page.getByTestId("kpis").count()).toBe(0);
    await shotAll(e2e, page, "county-dashboard-other-county");
    await page.getByRole("button", { name: "返回本单位统计" }).click();
    await expect.poll(() => page.getByTestId("scope-path").textContent()).toContain("瑞安市");
    await page.context().close();
  });

  it("shows a county reviewer the monthly school ranking and the below-target lists, with exports", async () => {
    const reviewer = await loginAs(e2e.url, "ra_county");
    const ranking = (await reviewer.gql(`{ schoolRanking(period: "2023-05", limit: 50) { total items { rank schoolName } } }`)).schoolRanking as {
      total: number;
      items: { rank: number; schoolName: string }[];
    };
    expect(ranking.total).toBeGreaterThan(0);

    const page = await e2e.newPage();
    await e2e.login(page, "ra_county");
    await page.getByRole("navigation", { name: "主导航" }).getByText("学校月度排名", { exact: true }).click();
    // The ranking opens on the latest month with points in the county.
    await page.waitForURL(/\/activity\/ranking\?period=2023-12/);
    await expect.poll(() => page.getByTestId("ranking-title").textContent()).toBe("瑞安市2023年12月学校空间活跃度排名");
    await choosePeriod(page, 2023, 5);
    await expect.poll(() => page.getByTestId("ranking-title").textContent()).toBe("瑞安市2023年5月学校空间活跃度排名");
    const table = page.getByTestId("ranking-table");
    const first = table.locator(".el-table__row").first();
    await expect.poll(() => first.textContent()).toContain(ranking.items[0]!.schoolName);
    expect(await table.locator(".el-table__row").count()).toBe(ranking.items.length);
    // Only this county's schools are ranked.
    expect(await table.getByText("鹿城").count()).toBe(0);
    await shotAll(e2e, page, "ranking");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "导出Excel" }).click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

    const below = (await reviewer.gql(`{ belowTargetTeachers(period: "2023", limit: 200) { total items { account } } }`)).belowTargetTeachers as {
      total: number;
      items: { account: string }[];
    };
    await page.getByRole("navigation", { name: "主导航" }).getByText("未达标名单", { exact: true }).click();
    await page.waitForURL(/\/activity\/below-target/);
    await choosePeriod(page, 2023, null);
    const teachers = page.getByTestId("below-teachers-table");
    await expect.poll(() => teachers.locator(".el-table__row").count()).toBe(below.items.length);
    for (const t of below.items) expect(await teachers.getByText(t.account, { exact: true }).count()).toBe(1);
    await shotAll(e2e, page, "below-target-teachers");
    await page.getByRole("tab", { name: /未达标学校/ }).click();
    await page.waitForURL(/tab=schools/);
    await page.getByTestId("below-schools-table").waitFor();
    await shotAll(e2e, page, "below-target-schools");
    await page.context().close();
  });

  it("sorts the ranking and the below-target lists on the server by a header click, kept in the address and the export", async () => {
    const admin = await loginAs(e2e.url, "prov_admin");
    type Ranked = { rank: number; schoolName: string };
    const ranking = async (sort: string, desc: boolean) =>
      (await admin.gql(`query($s: SchoolRankingSortField, $d: Boolean) { schoolRanking(period: "2023-05", sort: $s, desc: $d, limit: 20) { items { rank schoolName } } }`, { s: sort, d: desc }))
        .schoolRanking.items as Ranked[];
    const belowSchools = async (sort: string, desc: boolean) =>
      (await admin.gql(`query($s: SchoolRankingSortField, $d: Boolean) { belowTargetSchools(period: "2023", sort: $s, desc: $d, limit: 20) { items { rank schoolName } } }`, { s: sort, d: desc }))
        .belowTargetSchools.items as Ranked[];
    const belowTeachers = async (sort: string, desc: boolean) =>
      (await admin.gql(`query($s: TeacherActivitySortField, $d: Boolean) { belowTargetTeachers(period: "2023", sort: $s, desc: $d, limit: 20) { items { name } } }`, { s: sort, d: desc }))
        .belowTargetTeachers.items as { name: string }[];
    const byRank = await ranking("rank", false);
    const byRatioUp = await ranking("activeRatio", false);
    const byName = await ranking("name", false);
    const byTeachers = await ranking("teachers", true);
    // The data makes each click visible: another school comes first.
    for (const order of [byRatioUp, byName, byTeachers]) expect(order[0]!.schoolName).not.toBe(byRank[0]!.schoolName);

    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await page.goto(`${e2e.url}/activity/ranking?period=2023-05`);
    const table = page.getByTestId("ranking-table");
    await expect.poll(() => firstLink(table)).toBe(byRank[0]!.schoolName);
    // The active order is shown on its header: the rank, ascending.
    expect(await header(table, "排名").getAttribute("class")).toContain("ascending");

    // Amounts sort largest first on the first click, smallest on the second.
    await header(table, "活跃空间比例").click();
    await page.waitForURL(/sort=-activeRatio/);
    await expect.poll(() => firstLink(table)).toBe((await ranking("activeRatio", true))[0]!.schoolName);
    await header(table, "活跃空间比例").click();
    await page.waitForURL(/sort=activeRatio(&|$)/);
    await expect.poll(() => firstLink(table)).toBe(byRatioUp[0]!.schoolName);
    // Whatever the order, the rank shown is the rank by overall activity.
    const firstRank = table.locator(".el-table__body .el-table__row").first().locator(".rank");
    expect(Number(await firstRank.textContent())).toBe(byRatioUp[0]!.rank);
    expect(byRatioUp[0]!.rank).not.toBe(1);

    await header(table, "学校").click();
    await page.waitForURL(/sort=name(&|$)/);
    await expect.poll(() => firstLink(table)).toBe(byName[0]!.schoolName);

    await header(table, "在册教师").click();
    await page.waitForURL(/sort=-teachers/);
    await expect.poll(() => firstLink(table)).toBe(byTeachers[0]!.schoolName);
    await shotAll(e2e, page, "ranking-sorted-by-teachers");

    // A reload keeps the order (it is in the address) and shows it on the header.
    await page.reload();
    await expect.poll(() => firstLink(table)).toBe(byTeachers[0]!.schoolName);
    expect(await header(table, "在册教师").getAttribute("class")).toContain("descending");

    // The export has the rows in the order on screen.
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "导出Excel" }).click();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await (await download).path())!);
    const names: string[] = [];
    wb.worksheets[0]!.eachRow((row, i) => {
      if (i > 3) names.push(String(row.getCell(2).value));
    });
    expect(names).toEqual(byTeachers.map((s) => s.schoolName));

    // Below-target schools: lowest first by default; a click on 学校 orders them by name.
    const belowByRank = await belowSchools("rank", true);
    const belowByName = await belowSchools("name", false);
    expect(belowByName[0]!.schoolName).not.toBe(belowByRank[0]!.schoolName);
    await page.goto(`${e2e.url}/activity/below-target?period=2023&tab=schools`);
    const schools = page.getByTestId("below-schools-table");
    await expect.poll(() => firstLink(schools)).toBe(belowByRank[0]!.schoolName);
    expect(await header(schools, "名次").getAttribute("class")).toContain("descending");
    await header(schools, "学校").click();
    await page.waitForURL(/schoolSort=name/);
    await expect.poll(() => firstLink(schools)).toBe(belowByName[0]!.schoolName);
    await shotAll(e2e, page, "below-target-schools-by-name");

    // Below-target teachers: fewest points first; the next click on 积分 puts the most first.
    const fewest = await belowTeachers("points", false);
    const most = await belowTeachers("points", true);
    expect(most[0]!.name).not.toBe(fewest[0]!.name);
    await page.getByRole("tab", { name: /未达标教师/ }).click();
    const teachers = page.getByTestId("below-teachers-table");
    await expect.poll(() => firstLink(teachers)).toBe(fewest[0]!.name);
    await header(teachers, "积分").click();
    await page.waitForURL(/[?&]sort=-points/);
    await expect.poll(() => firstLink(teachers)).toBe(most[0]!.name);
    // Back on the schools tab, its own order is still the one chosen there.
    await page.getByRole("tab", { name: /未达标学校/ }).click();
    await expect.poll(() => firstLink(schools)).toBe(belowByName[0]!.schoolName);
    expect(await header(schools, "学校").getAttribute("class")).toContain("ascending");
    await page.context().close();
  });

  it("shows the province its dashboard by city", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await page.getByRole("navigation", { name: "主导航" }).getByText("全省活跃度统计", { exact: true }).click();
    await choosePeriod(page, 2023, null);
    const children = page.getByTestId("child-table");
    await children.getByText("温州市", { exact: true }).waitFor();
    await children.getByText("杭州市", { exact: true }).waitFor();
    await shotAll(e2e, page, "province-dashboard");
    await page.context().close();
  });
});
