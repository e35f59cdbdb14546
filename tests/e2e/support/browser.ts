import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../support/demo.js";
import { startTestServer, type DbVariant, type TestServer } from "../../support/server.js";

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

export interface E2E {
  server: TestServer;
  browser: Browser;
  url: string;
  /** A fresh browser profile (cookies, storage) with one page. */
  newPage(): Promise<Page>;
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
    async newPage() {
      const context = await browser.newContext({ viewport: VIEWPORT, locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      return context.newPage();
    },
    async login(page, account, password = DEMO_PASSWORD) {
      try {
        await page.goto(server.url + "/login");
        await page.getByLabel("师训账号").fill(account);
        await page.getByLabel("密码", { exact: true }).fill(password);
        await page.getByRole("button", { name: "登 录" }).click();
        await page.waitForURL(/\/home$/);
        await page.getByTestId("user-name").waitFor();
      } catch (e) {
        // Keep what the browser showed, to tell a slow server from a broken page.
        await page.screenshot({ path: path.join(dir, `login-failed-${account}.png`) }).catch(() => undefined);
        throw new Error(`login as ${account} failed at ${page.url()}: ${(e as Error).message}`);
      }
    },
    async shot(page, name) {
      // Let spinners and transitions settle so the picture shows the page, not its loading state.
      await page.waitForLoadState("networkidle").catch(() => undefined);
      await page.locator(".el-loading-mask").first().waitFor({ state: "detached", timeout: 5_000 }).catch(() => undefined);
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
