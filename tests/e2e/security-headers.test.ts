import { afterAll, beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { describeEachDb } from "../support/server.js";
import { startE2E, type E2E } from "./support/browser.js";

/** The built app under its Content-Security-Policy: nothing it needs is refused (L2). */

/** Records every CSP violation of the page: console reports and `securitypolicyviolation` events. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const reports: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (load|apply|execute|connect|frame)/i.test(m.text())) reports.push(m.text());
  });
  // Injected by the browser driver (not subject to the page's CSP), before any page script.
  await page.addInitScript(() => {
    const g = globalThis as unknown as { __csp: string[]; addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void };
    g.__csp = [];
    g.addEventListener("securitypolicyviolation", (e) => g.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...reports, ...(await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp))];
}

describeEachDb("the app under its security headers", (variant) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E("security-headers", variant);
  });
  afterAll(() => e2e?.stop());

  it("renders the login page with no CSP violation", async () => {
    const page = await e2e.newPage();
    const violations = await watchCsp(page);
    const res = await page.goto(e2e.url + "/login");
    expect(res?.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    await page.getByLabel("师训账号").waitFor();
    await page.getByRole("button", { name: "登 录" }).waitFor();
    await page.waitForLoadState("networkidle");
    expect(await violations()).toEqual([]);
    // The policy is in force and the watch sees its refusals: an injected inline script is refused.
    await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { createElement(t: string): { textContent: string }; body: { appendChild(n: unknown): void } } }).document;
      const s = doc.createElement("script");
      s.textContent = "globalThis.__injected = true";
      doc.body.appendChild(s);
    });
    await expect.poll(async () => (await violations()).join("\n")).toMatch(/script-src/);
    expect(await page.evaluate(() => (globalThis as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    await page.context().close();
  });

  it("works through login, tables, charts and dialogs with no CSP violation", async () => {
    const page = await e2e.newPage();
    const violations = await watchCsp(page);
    await e2e.login(page, "prov_admin");
    for (const path of ["/org", "/users", "/activity/stats", "/activity/ranking"]) {
      await page.goto(e2e.url + path);
      await page.locator(".el-main").waitFor();
      await page.waitForLoadState("networkidle");
    }
    // A popover/dropdown (positioned with inline styles).
    await page.getByTestId("user-name").click();
    await page.waitForLoadState("networkidle");
    expect(await violations()).toEqual([]);
    await e2e.shot(page, "under-csp");
    await page.context().close();
  });
});
