import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queues } from "../../apps/server/src/common/load-limits.js";
import { startE2E, type E2E } from "./support/browser.js";

/**
 * The web app when the server sheds load: a 503 SERVER_BUSY shows 系统繁忙，请稍后重试 with a
 * 重试 button that sends the request again. The server's answer is real: the test fills the
 * expensive-statistics queue of the in-process server. The behaviour is the web app's and does
 * not depend on the database, so it runs on PGlite only.
 */
describe("web app on a busy server [pglite]", () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E("overload", "pglite");
  });
  afterAll(() => e2e?.stop());

  it("shows 系统繁忙 with a retry action on a 503, and the retry loads the page once the server has room", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_county");
    const waiting = queues.expensive.maxWaiting;
    queues.expensive.maxWaiting = 0;
    const held = await Promise.all(Array.from({ length: queues.expensive.concurrency }, () => queues.expensive.acquire()));
    try {
      await page.goto(e2e.url + "/activity/ranking?period=2023-05");
      const dialog = page.locator(".el-message-box").filter({ hasText: "系统繁忙，请稍后重试" });
      await dialog.waitFor();
      await e2e.shot(page, "busy");
    } finally {
      for (const r of held) r();
      queues.expensive.maxWaiting = waiting;
    }
    await page.locator(".el-message-box").getByRole("button", { name: "重试" }).click();
    await expect.poll(() => page.getByTestId("ranking-title").textContent()).toBe("瑞安市2023年5月学校空间活跃度排名");
    await expect.poll(() => page.getByTestId("ranking-table").locator(".el-table__row").count()).toBeGreaterThan(0);
    // The box closes with a fade; it is gone once the transition ends.
    await expect.poll(() => page.locator(".el-message-box:visible").filter({ hasText: "系统繁忙" }).count()).toBe(0);
  });
});
