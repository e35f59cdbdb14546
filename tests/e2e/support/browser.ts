import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../support/demo.js";
import { startTestServer, type DbVariant, type TestServer } from "../../support/server.js";
import { scaled, TIMEOUT_SCALE } from "../../support/time-scale.js";

export { scaled, TIMEOUT_SCALE };

const here = path.dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = path.resolve(here, "../artifacts");
const WEB_DIST = path.resolve(here, "../../../apps/web/dist");

/** Debian's Chromium, headless; never a downloaded browser. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** A laptop screen. */
export const VIEWPORT = { width: 1366, height: 768 };
/** A phone held upright (CSS pixels of a common 6.1" phone). */
export const PHONE = { width: 390, height: 844 };

export interface PageOptions {
  /** Phone: a 390×844 touch screen at 3× with a mobile user agent. */
  phone?: boolean;
}

export interface E2E {
  server: TestServer;
  browser: Browser;
  url: string;
  /** A fresh browser profile (cookies, storage) with one page. */
  newPage(options?: PageOptions): Promise<Page>;
  /** Logs in through the login page and waits for the workspace. */
  login(page: Page, account: string, password?: string): Promise<void>;
  /** Saves a full-page screenshot to tests/e2e/artifacts/<test>/<name>.png. */
  shot(page: Page, name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the real server (serving the built web app) on a fresh database, and one Chromium. */
export async function startE2E(testName: string, variant: DbVariant): Promise<E2E> {
  if (!fs.existsSync(path.join(WEB_DIST, "index.html"))) {
    throw new Error(`The web app is not built (${WEB_DIST}). Run \`pnpm --filter @zjh/web build\` (the root \`pnpm test\` does).`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium).`);
  // Serve a private copy of the build: a rebuild of apps/web/dist while the tests run (another
  // suite building it) would otherwise take the page's lazily loaded chunks away mid-test.
  const snapshot = fs.mkdtempSync(path.join(os.tmpdir(), "zjh-web-"));
  fs.cpSync(WEB_DIST, snapshot, { recursive: true });
  const server = await startTestServer(variant, { WEB_DIST: snapshot });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  const dir = path.join(ARTIFACTS, testName);
  fs.mkdirSync(dir, { recursive: true });

  return {
    server,
    browser,
    url: server.url,
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: options.phone ? PHONE : VIEWPORT,
        ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 3 } : {}),
        locale: "zh-CN",
        timezoneId: "Asia/Shanghai",
        acceptDownloads: true,
      });
      // Caps on waiting for an event, stretched on a busy machine (never a wait in itself).
      context.setDefaultTimeout(scaled(15_000));
      context.setDefaultNavigationTimeout(scaled(30_000));
      contexts.push(context);
      return context.newPage();
    },
    async login(page, account, password = DEMO_PASSWORD) {
      try {
        // Wait for what matters, the login form, rather than for every script and font ("load").
        await page.goto(server.url + "/login", { waitUntil: "commit" });
        await page.getByLabel("师训账号").fill(account);
        await page.getByLabel("密码", { exact: true }).fill(password);
        const answered = page.waitForResponse((r) => r.url().endsWith("/graphql") && /mutation Login\b/.test(r.request().postData() ?? ""));
        await page.getByRole("button", { name: "登 录" }).click();
        await answered;
        await page.waitForURL(/\/home$/, { waitUntil: "commit" });
        // The workspace frame with the user's name (hidden behind the menu button on a phone).
        await page.getByTestId("user-name").waitFor({ state: "attached" });
      } catch (e) {
        // Keep what the browser showed, to tell a slow server from a broken page.
        await page.screenshot({ path: path.join(dir, `login-failed-${account}.png`) }).catch(() => undefined);
        throw new Error(`login as ${account} failed at ${page.url()} (timeout scale ${TIMEOUT_SCALE}): ${(e as Error).message}`);
      }
    },
    async shot(page, name) {
      // Let spinners and transitions settle so the picture shows the page, not its loading state.
      await page.waitForLoadState("networkidle").catch(() => undefined);
      await page.locator(".el-loading-mask").first().waitFor({ state: "detached", timeout: scaled(5_000) }).catch(() => undefined);
      // The workspace scrolls inside its main area: grow the window to the content for the picture.
      const size = page.viewportSize() ?? VIEWPORT;
      const height = await page.evaluate(() => {
        // Runs in the page (the test code is compiled without the DOM types).
        type El = { scrollHeight: number; getBoundingClientRect(): { top: number } };
        const doc = (globalThis as unknown as { document: { querySelector(s: string): El | null; documentElement: El } }).document;
        const main = doc.querySelector(".el-main");
        return main ? main.scrollHeight + main.getBoundingClientRect().top : doc.documentElement.scrollHeight;
      });
      if (height > size.height) await page.setViewportSize({ width: size.width, height: Math.min(Math.ceil(height), 6000) });
      // A page scrolled down (after a click near the bottom) would lose its header in the picture.
      await page.evaluate(() => {
        type Scrollable = { scrollTo(x: number, y: number): void };
        const doc = (globalThis as unknown as { document: { querySelector(s: string): Scrollable | null } }).document;
        doc.querySelector(".el-main")?.scrollTo(0, 0);
      });
      await page.screenshot({ path: path.join(dir, `${variant === "pglite" ? "" : variant + "-"}${name}.png`), fullPage: true });
      if (height > size.height) await page.setViewportSize(size);
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.stop();
      fs.rmSync(snapshot, { recursive: true, force: true });
    },
  };
}

/** Picks an option of an Element Plus select opened by clicking `trigger`. */
export async function chooseOption(page: Page, trigger: ReturnType<Page["locator"]>, optionText: string | RegExp): Promise<void> {
  await trigger.click();
  const option = page.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter({ hasText: optionText }).first();
  await option.click();
}

/** Confirms the open Element Plus message box with its primary button. */
export async function confirmBox(page: Page, buttonText: string): Promise<void> {
  await page.locator(".el-message-box").getByRole("button", { name: buttonText }).click();
}

/**
 * Ticks the 参赛须知 consent as a person does, by tapping its label (Element Plus hides the native
 * input), and checks that the box is then ticked.
 */
export async function acceptConsent(page: Page): Promise<void> {
  const box = page.getByRole("checkbox", { name: /我已阅读并同意/ });
  await page.locator("label.el-checkbox").filter({ hasText: /我已阅读并同意/ }).click();
  if (!(await box.isChecked())) throw new Error("the consent box is not ticked after a tap on its label");
}

/** Opens a page of the workspace by its menu entry; on a phone, through the menu button first. */
export async function openMenu(page: Page, label: string, url: RegExp): Promise<void> {
  const toggle = page.getByTestId("nav-toggle");
  if (await toggle.isVisible()) {
    await toggle.click();
    await page.locator(".aside").getByRole("link", { name: label, exact: true }).waitFor();
  }
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: label, exact: true }).click();
  await page.waitForURL(url, { waitUntil: "commit" });
}

/** The width of the page's content against the window's (a page must never scroll sideways). */
export async function pageWidth(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
  return page.evaluate(() => {
    type Doc = { documentElement: { scrollWidth: number } };
    const g = globalThis as unknown as { document: Doc; innerWidth: number };
    return { scrollWidth: g.document.documentElement.scrollWidth, viewport: g.innerWidth };
  });
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; failureSummary?: string; where?: string }[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page as it is and returns the serious and
 * critical violations. axe is injected into the page for each check, from the npm package.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the debugging protocol, so a Content-Security-Policy cannot block it.
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    type Axe = { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> };
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    /** Where a node sits, for the report: the nearest form item's label or component. */
    const where = (selector: string | undefined) => {
      type El = { closest(s: string): El | null; className: string; querySelector(s: string): { textContent: string | null } | null };
      const doc = (globalThis as unknown as { document: { querySelector(s: string): El | null } }).document;
      const el = selector ? doc.querySelector(selector) : null;
      const item = el?.closest(".el-form-item, .el-pagination, .el-card, .el-dialog, .toolbar, .page-header");
      if (!item) return undefined;
      const label = item.querySelector(".el-form-item__label, .card-header, .page-title")?.textContent?.trim();
      return `${item.className.split(" ")[0]}${label ? `「${label}」` : ""}`;
    };
    const result = await axe.run(
      { exclude: [[".el-select-dropdown"], [".el-popper[aria-hidden=true]"]] },
      { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary, where: where(n.target[0]) })),
    }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}
