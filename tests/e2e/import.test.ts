import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDb } from "../support/server.js";
import { chooseOption, startE2E, type E2E } from "./support/browser.js";

/** The school admin's teacher import in a real browser: upload, progress, per-row errors, the two modes. */

const HEADER = "师训账号,姓名,手机,学校代码,学校名称,县区代码,学科,学段";
/** Row 2 is right; row 3 has a phone number of the wrong format. */
const CSV = [HEADER, "e2e_import_1,测试教师甲,13857709901,3303810001,瑞安市实验中学,330381,语文,初中", "e2e_import_2,测试教师乙,12345,3303810001,瑞安市实验中学,330381,数学,初中"].join("\r\n") + "\r\n";

/** A screenshot of the whole workspace (it scrolls inside the layout). */
async function shotAll(e2e: E2E, page: Page, name: string) {
  // No select dropdown fading out over the picture.
  await expect.poll(() => page.locator(".el-select-dropdown:visible").count()).toBe(0);
  const size = page.viewportSize()!;
  const height = await page.locator(".el-main").first().evaluate((el) => el.scrollHeight + el.getBoundingClientRect().top);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height)) });
  await e2e.shot(page, name);
  await page.setViewportSize(size);
}

async function upload(page: Page) {
  await page.getByLabel("选择导入文件").setInputFiles({ name: "教师名单.csv", mimeType: "text/csv", buffer: Buffer.from(CSV, "utf8") });
  await page.getByTestId("picked-file").getByText("教师名单.csv").waitFor();
  await page.getByRole("button", { name: "开始导入" }).click();
}

describeEachDb("teacher import page in a real browser", (variant) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E("import", variant);
  });
  afterAll(() => e2e?.stop());

  it("lets a school admin import a CSV with one bad row: refused whole by default with the row's error, then the valid row only", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_school_admin");
    await chooseOption(page, page.getByTestId("role-switcher"), "学校平台管理员");
    const nav = page.getByRole("navigation", { name: "主导航" });
    await nav.getByText("教师导入", { exact: true }).click();
    await page.waitForURL(/\/users\/import/);
    await page.getByText("学校管理员只能导入本校（瑞安市实验中学）的教师").waitFor();
    await shotAll(e2e, page, "import-start");

    // Default mode: any bad row refuses the whole file.
    await upload(page);
    const outcome = page.getByTestId("import-outcome");
    await expect.poll(() => outcome.textContent(), { timeout: 30_000 }).toContain("文件中有 1 行有误，整份文件未导入");
    const errors = page.getByTestId("import-errors");
    const row3 = errors.locator(".el-table__row").filter({ hasText: "第 3 行" });
    await row3.waitFor();
    expect(await row3.textContent()).toContain("手机");
    expect(await row3.textContent()).toContain("12345");
    expect(await errors.locator(".el-table__row").count()).toBe(1);
    expect(await e2e.server.db.one(`SELECT 1 FROM app_user WHERE account = 'e2e_import_1'`)).toBeUndefined();
    // The error report downloads as Excel.
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "下载错误报告" }).click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
    await shotAll(e2e, page, "import-refused");

    // Valid rows only: the right row is imported, the bad one still reported.
    await page.getByText("仅导入正确的行，错误的行列出").click();
    await upload(page);
    await expect.poll(() => outcome.textContent(), { timeout: 30_000 }).toContain("已导入 1 行，1 行有误未导入");
    await errors.locator(".el-table__row").filter({ hasText: "第 3 行" }).waitFor();
    const created = await e2e.server.db.one<{ name: string }>(`SELECT name FROM app_user WHERE account = 'e2e_import_1'`);
    expect(created?.name).toBe("测试教师甲");
    expect(await e2e.server.db.one(`SELECT 1 FROM app_user WHERE account = 'e2e_import_2'`)).toBeUndefined();
    // Both imports are in the history, newest first.
    await expect.poll(() => page.locator(".el-table__row").filter({ hasText: "部分导入" }).count()).toBe(1);
    await expect.poll(() => page.locator(".el-table__row").filter({ hasText: "有误，未导入" }).count()).toBe(1);
    await shotAll(e2e, page, "import-valid-only");

    // The imported teacher is on the teachers page.
    await nav.getByText("教师管理", { exact: true }).click();
    await page.getByRole("cell", { name: "e2e_import_1" }).waitFor();
    await page.context().close();
  });
});
