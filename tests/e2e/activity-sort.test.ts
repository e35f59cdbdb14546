import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeTeachers } from "../api/pipeline-helpers.js";
import { type Client, loginAs } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { startE2E, type E2E } from "./support/browser.js";

/**
 * Server-side sorting of two activity tables by a header click: a teacher's points log (明细), on
 * the teacher's own page and on a reviewer's page for that teacher, and the teacher table of a
 * school's statistics dashboard. Each click orders the whole list on the server and shows page 1
 * of that order, the rows the server returns for the same sort.
 */

/** A header cell of an Element Plus table, by its exact label. */
function header(table: Locator, label: string) {
  return table.locator("thead th").filter({ has: table.page().locator(".cell", { hasText: new RegExp(`^${label}$`) }) });
}

const bodyRows = (table: Locator) => table.locator(".el-table__body .el-table__row");

/** The trimmed texts of the given (1-based) columns of every body row. */
async function cells(table: Locator, columns: number[]): Promise<string[][]> {
  return bodyRows(table).evaluateAll(
    (rows, cols) => rows.map((r) => cols.map((c) => (r.querySelector(`td:nth-child(${c})`)?.textContent ?? "").trim())),
    columns,
  );
}

/** The pagination of the card holding `table`. */
const pager = (table: Locator) => table.page().locator(".el-card").filter({ has: table }).locator(".el-pagination");
const activePage = async (table: Locator) => (await pager(table).locator(".el-pager li.is-active").textContent())?.trim();

/** Goes to page 2 of the table and waits for its rows (the first row changes). */
async function goToPage2(table: Locator) {
  const first = async () => (await cells(table, [1, 2, 3, 4, 5]))[0]?.join("|");
  const before = await first();
  await pager(table).locator(".el-pager li", { hasText: /^2$/ }).click();
  await expect.poll(() => activePage(table)).toBe("2");
  await expect.poll(first).not.toBe(before);
}

type LedgerItem = { day: string; ruleLabel: string; points: number; eventId: string };
const LEDGER_COLUMNS = [1, 2, 3, 5]; // 日期, 规则, 积分, 事件编号
const ledgerLine = (i: LedgerItem) => [i.day, i.ruleLabel, `${i.points > 0 ? "+" : ""}${i.points}`, i.eventId];

describeEachDb("sorting activity tables on the server", (variant) => {
  let e2e: E2E;
  let teacher: Client, county: Client;
  let teacherId: string, schoolId: string;

  beforeAll(async () => {
    e2e = await startE2E("activity-sort", variant);
    teacher = await loginAs(e2e.url, "ra_teacher1");
    county = await loginAs(e2e.url, "ra_county");
    teacherId = (await teacher.gql(`{ me { id } }`)).me.id;
    schoolId = (await e2e.server.db.one<{ id: string }>(`SELECT id::text AS id FROM org_unit WHERE code = '3303810001'`))!.id;
    // More teachers than one page of the school's teacher table.
    await makeTeachers(e2e.server.db, 24, "3303810001", "asrt", e2e.url);
  }, 180_000);
  afterAll(() => e2e?.stop());

  async function myLedger(sort: string, desc: boolean): Promise<{ total: number; lines: string[][] }> {
    const d = await teacher.gql(
      `query($s: LedgerSortField!, $d: Boolean!) { myActivity(year: 2023) { ledger(offset: 0, limit: 20, sort: $s, desc: $d) { total items { day ruleLabel points eventId } } } }`,
      { s: sort, d: desc },
    );
    return { total: d.myActivity.ledger.total, lines: d.myActivity.ledger.items.map(ledgerLine) };
  }

  async function teacherLedger(sort: string, desc: boolean): Promise<string[][]> {
    const d = await county.gql(
      `query($u: ID!, $s: LedgerSortField!, $d: Boolean!) { teacherActivity(userId: $u, year: 2023) { ledger(offset: 0, limit: 20, sort: $s, desc: $d) { items { day ruleLabel points eventId } } } }`,
      { u: teacherId, s: sort, d: desc },
    );
    return d.teacherActivity.ledger.items.map(ledgerLine);
  }

  /** Clicks a header of the log and checks page 1 of the server's order for that sort is shown. */
  async function clickAndCheck(page: Page, table: Locator, label: string, url: RegExp, expected: string[][], order: "ascending" | "descending") {
    await header(table, label).click();
    await page.waitForURL(url);
    await expect.poll(() => cells(table, LEDGER_COLUMNS)).toEqual(expected);
    expect(await activePage(table)).toBe("1");
    await expect.poll(() => header(table, label).getAttribute("class")).toContain(order);
  }

  it("sorts a teacher's points log on the server by a header click and shows page 1 of that order", async () => {
    const newest = await myLedger("time", true);
    expect(newest.total).toBeGreaterThan(20);
    const mostPoints = (await myLedger("points", true)).lines;
    const fewestPoints = (await myLedger("points", false)).lines;
    const byRule = (await myLedger("rule", false)).lines;
    // The data makes each click visible: another line comes first.
    expect(mostPoints[0]).not.toEqual(fewestPoints[0]);
    expect(byRule).not.toEqual(newest.lines);

    const page = await e2e.newPage();
    await e2e.login(page, "ra_teacher1");
    await page.goto(`${e2e.url}/activity/mine?year=2023`);
    const table = page.getByTestId("ledger-table");
    await expect.poll(() => cells(table, LEDGER_COLUMNS)).toEqual(newest.lines);
    expect(await header(table, "日期").getAttribute("class")).toContain("descending");

    // From page 2, a click on 积分 orders the whole log, most points first, from page 1.
    await goToPage2(table);
    await clickAndCheck(page, table, "积分", /[?&]sort=-points/, mostPoints, "descending");
    await clickAndCheck(page, table, "积分", /[?&]sort=points(&|$)/, fewestPoints, "ascending");
    await goToPage2(table);
    await clickAndCheck(page, table, "规则", /[?&]sort=rule(&|$)/, byRule, "ascending");
    await e2e.shot(page, "my-ledger-by-rule");

    // A reload keeps the order (it is in the address).
    await page.reload();
    await expect.poll(() => cells(table, LEDGER_COLUMNS)).toEqual(byRule);
    expect(await header(table, "规则").getAttribute("class")).toContain("ascending");
    await page.context().close();
  });

  it("sorts the points log the same way on a reviewer's page for the teacher", async () => {
    const newest = await teacherLedger("time", true);
    const oldest = await teacherLedger("time", false);
    const mostPoints = await teacherLedger("points", true);
    expect(oldest[0]).not.toEqual(newest[0]);

    const page = await e2e.newPage();
    await e2e.login(page, "ra_county");
    await page.goto(`${e2e.url}/activity/teachers/${teacherId}?year=2023`);
    const table = page.getByTestId("ledger-table");
    await expect.poll(() => cells(table, LEDGER_COLUMNS)).toEqual(newest);

    await goToPage2(table);
    await clickAndCheck(page, table, "日期", /[?&]sort=time(&|$)/, oldest, "ascending");
    await goToPage2(table);
    await clickAndCheck(page, table, "积分", /[?&]sort=-points/, mostPoints, "descending");
    await e2e.shot(page, "teacher-ledger-by-points");
    await page.context().close();
  });

  it("sorts a school's teacher table on the statistics dashboard on the server and shows page 1", async () => {
    const teachers = async (sort: string, desc: boolean): Promise<{ total: number; accounts: string[] }> => {
      const d = await county.gql(
        `query($u: ID, $s: TeacherActivitySortField!, $d: Boolean!) { teacherActivityPage(unitId: $u, period: "2023", offset: 0, limit: 20, sort: $s, desc: $d) { total items { account } } }`,
        { u: schoolId, s: sort, d: desc },
      );
      return { total: d.teacherActivityPage.total, accounts: d.teacherActivityPage.items.map((i: { account: string }) => i.account) };
    };
    const byPoints = await teachers("points", true);
    expect(byPoints.total).toBeGreaterThan(20);
    const byAccount = (await teachers("account", false)).accounts;
    const byAccountDesc = (await teachers("account", true)).accounts;
    const byMobile = (await teachers("mobile", true)).accounts;
    const byName = (await teachers("name", false)).accounts;
    expect(byAccount[0]).not.toBe(byPoints.accounts[0]);
    expect(byAccountDesc[0]).not.toBe(byAccount[0]);

    const page = await e2e.newPage();
    await e2e.login(page, "ra_county");
    await page.goto(`${e2e.url}/activity/stats?unitId=${schoolId}&period=2023`);
    const table = page.getByTestId("teacher-table");
    const accounts = async () => (await cells(table, [3])).map((r) => r[0]!);
    await expect.poll(accounts).toEqual(byPoints.accounts);
    expect(await header(table, "积分").getAttribute("class")).toContain("descending");

    const click = async (label: string, url: RegExp, expected: string[], order: "ascending" | "descending") => {
      await header(table, label).click();
      await page.waitForURL(url);
      await expect.poll(accounts).toEqual(expected);
      expect(await activePage(table)).toBe("1");
      // The row numbers count from 1 again.
      expect((await cells(table, [1]))[0]![0]).toBe("1");
      await expect.poll(() => header(table, label).getAttribute("class")).toContain(order);
    };

    await goToPage2(table);
    await click("师训账号", /[?&]sort=account(&|$)/, byAccount, "ascending");
    await click("师训账号", /[?&]sort=-account/, byAccountDesc, "descending");
    await goToPage2(table);
    await click("移动端积分", /[?&]sort=-mobile/, byMobile, "descending");
    await goToPage2(table);
    await click("姓名", /[?&]sort=name(&|$)/, byName, "ascending");
    await e2e.shot(page, "school-teachers-by-name");
    await page.context().close();
  });
});
