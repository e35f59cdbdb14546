import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAs } from "../support/client.js";
import { DEMO } from "../support/demo.js";
import { ARTIFACTS, axeViolations, chooseOption, openMenu, startE2E, type AxeViolation, type E2E } from "./support/browser.js";

/**
 * axe-core (WCAG 2.1 A and AA rules) on every page of every demo role, at desktop and phone
 * sizes: the login page, the public results page, every page of each role's menu plus the
 * account page, and the detail pages (an application with each of its tabs for its applicant and
 * its reviewer, the application wizard, a campaign's settings, a teacher's activity). Serious and critical violations fail the test; all found are listed in
 * tests/e2e/artifacts/accessibility/violations-<viewport>.json.
 *
 * Runs on PGlite only: what it checks is the rendered page, the same on either database.
 */

interface Found {
  page: string;
  role: string;
  violations: AxeViolation[];
}

/** Waits until the page shows its content: its title, and no loading mask or skeleton. */
async function settled(page: Page) {
  // A page's title, or its empty state (the public results page before any publication).
  await page.locator("h1, .el-empty").first().waitFor();
  await expect.poll(() => page.locator(".el-loading-mask:visible, .el-skeleton:visible").count()).toBe(0);
  // Nothing fading in or out (dropdowns, messages) while axe reads the colours.
  await expect.poll(() => page.locator(".el-select-dropdown:visible, .el-message:visible").count()).toBe(0);
  // No colour caught halfway through a CSS transition (a button just enabled fades to its colour).
  await expect
    .poll(() => page.evaluate(() => document.getAnimations().filter((a) => a instanceof CSSTransition && a.playState === "running").length))
    .toBe(0);
}

/** The paths of the sidebar's links for the acting role. */
async function menuPaths(page: Page): Promise<{ path: string; label: string }[]> {
  return page
    .locator("nav[aria-label='主导航'] a.menu-item")
    .evaluateAll((links) => links.map((a) => ({ path: new URL((a as HTMLAnchorElement).href).pathname, label: (a.textContent ?? "").trim() })));
}

function report(found: Found[]): string {
  return found
    .map((f) => `${f.role} ${f.page}:\n` + f.violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n` + v.nodes.map((n) => `      ${n.where ?? ""} ${n.target.join(" ")}  ${n.html}`).join("\n")).join("\n"))
    .join("\n");
}

for (const viewport of ["desktop", "phone"] as const) {
  describe(`accessibility of every page, ${viewport}`, () => {
    let e2e: E2E;
    const found: Found[] = [];
    beforeAll(async () => {
      e2e = await startE2E("accessibility", "pglite");
    });
    afterAll(async () => {
      fs.writeFileSync(path.join(ARTIFACTS, "accessibility", `violations-${viewport}.json`), JSON.stringify(found, null, 2));
      await e2e?.stop();
    });

    async function check(page: Page, role: string, name: string) {
      const violations = await axeViolations(page);
      if (violations.length) found.push({ page: name, role, violations });
      return violations;
    }

    it("reaches and uses the menu by keyboard: Tab to it, arrows within it, Enter to open", async () => {
      const page = await e2e.newPage({ phone: viewport === "phone" });
      await e2e.login(page, DEMO.TEACHER);
      await page.getByRole("heading", { name: /您好/ }).waitFor();
      const focused = () => page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return { text: el?.textContent?.trim() ?? "", inNav: !!el?.closest("nav[aria-label='主导航']"), tag: el?.tagName ?? "" };
      });
      if (viewport === "phone") {
        // The menu button is reached by Tab (after the skip link) and opens the menu with Enter.
        await page.keyboard.press("Tab");
        expect((await focused()).text).toBe("跳到主要内容");
        await page.keyboard.press("Tab");
        expect(await page.getByTestId("nav-toggle").evaluate((el) => el === document.activeElement)).toBe(true);
        await page.keyboard.press("Enter");
        // The open page's entry takes the focus.
        await expect.poll(async () => (await focused()).inNav).toBe(true);
      } else {
        // The skip link first, then the menu's links in order.
        await page.keyboard.press("Tab");
        expect((await focused()).text).toBe("跳到主要内容");
        await page.keyboard.press("Tab");
      }
      expect(await focused()).toMatchObject({ text: "工作台", inNav: true, tag: "A" });
      await page.keyboard.press("ArrowDown");
      expect((await focused()).text).toBe("消息通知");
      await page.keyboard.press("ArrowDown");
      expect((await focused()).text).toBe("我的申报");
      await page.keyboard.press("ArrowUp");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/applications$/, { waitUntil: "commit" });
      expect(await page.locator("nav[aria-label='主导航'] a[aria-current='page']").textContent()).toContain("我的申报");
      await page.context().close();
    });

    it("has no serious or critical violations on the login and public results pages", async () => {
      const page = await e2e.newPage({ phone: viewport === "phone" });
      await page.goto(`${e2e.url}/login`, { waitUntil: "commit" });
      await settled(page);
      await check(page, "anonymous", "/login");
      await page.goto(`${e2e.url}/results`, { waitUntil: "commit" });
      await settled(page);
      await check(page, "anonymous", "/results");
      await page.context().close();
      expect(report(found.filter((f) => f.role === "anonymous"))).toBe("");
    });

    it("has no serious or critical violations on the detail pages: an application (applicant and reviewer, every tab), the wizard, a campaign's settings, a teacher's activity", async () => {
      const [teacher, county, province] = await Promise.all([loginAs(e2e.url, "ra_teacher3"), loginAs(e2e.url, DEMO.COUNTY_REVIEWER), loginAs(e2e.url, DEMO.PROVINCE_ADMIN)]);
      const campaignId = (await province.gql(`{ campaigns { id year } }`)).campaigns.find((c: { year: number }) => c.year === 2023).id;
      const own = (await teacher.gql(`query($c: ID!) { applications(campaignId: $c, mine: true) { items { id } } }`, { c: campaignId })).applications.items;
      const queue = (await county.gql(`query($c: ID!) { applications(campaignId: $c, limit: 1) { items { id applicant { id } } } }`, { c: campaignId })).applications.items;
      expect(own.length).toBeGreaterThan(0);
      expect(queue.length).toBe(1);
      const visits: { account: string; role: string; paths: string[] }[] = [
        { account: "ra_teacher3", role: "TEACHER", paths: [`/applications/${own[0].id}`, `/applications/${own[0].id}/edit`] },
        { account: DEMO.COUNTY_REVIEWER, role: "COUNTY_REVIEWER", paths: [`/applications/${queue[0].id}`, `/activity/teachers/${queue[0].applicant.id}`] },
        { account: DEMO.PROVINCE_ADMIN, role: "PROVINCE_ADMIN", paths: [`/province/campaigns/${campaignId}`] },
      ];
      for (const v of visits) {
        const page = await e2e.newPage({ phone: viewport === "phone" });
        await e2e.login(page, v.account);
        for (const p of v.paths) {
          await page.goto(e2e.url + p, { waitUntil: "commit" });
          await settled(page);
          await check(page, v.role, p);
          // Every tab of the page (an application's form, history, checklist…; a campaign's settings).
          const tabs = page.getByRole("tab");
          for (let i = 1; i < (await tabs.count()); i++) {
            await tabs.nth(i).click();
            await settled(page);
            await check(page, v.role, `${p} (${(await tabs.nth(i).textContent())?.trim()})`);
          }
        }
        await page.context().close();
      }
      expect(report(found.filter((f) => f.page.includes("/applications/") || f.page.includes("/province/campaigns/") || f.page.includes("/activity/teachers/")))).toBe("");
    });

    for (const [role, account] of Object.entries(DEMO)) {
      it(`has no serious or critical violations on any page of ${role} (${account})`, async () => {
        const page = await e2e.newPage({ phone: viewport === "phone" });
        await e2e.login(page, account);
        // An account with several roles: the pages of the role named here.
        const switcher = page.getByTestId("role-switcher");
        if (await switcher.count()) {
          const label = { TEACHER: "教师", SCHOOL_ADMIN: "学校平台管理员" }[role];
          const current = await switcher.locator(".el-select__selected-item").first().textContent();
          if (label && !current?.includes(label)) {
            await chooseOption(page, switcher, label);
            await page.getByTestId("role-switcher").locator(".el-select__selected-item").filter({ hasText: label }).first().waitFor();
          }
        }
        const pages = await menuPaths(page);
        expect(pages.length).toBeGreaterThan(2);
        // Through the menu, as a user goes (on a phone, through the menu button).
        for (const p of pages) {
          await openMenu(page, p.label, new RegExp(`${p.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\?|$)`));
          await settled(page);
          await check(page, role, p.path);
        }
        await page.goto(`${e2e.url}/account`, { waitUntil: "commit" });
        await settled(page);
        await check(page, role, "/account");
        await page.context().close();
        expect(report(found.filter((f) => f.role === role))).toBe("");
      });
    }
  });
}
