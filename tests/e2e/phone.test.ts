import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { JPEG, makeMp4, makeZip, PNG } from "../fixtures/files/generate.js";
import { loginAs } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { acceptConsent, confirmBox, openMenu, PHONE, startE2E, type E2E } from "./support/browser.js";

/**
 * A teacher's work on a 390×844 phone: log in, open the menu, start an application, fill it in,
 * upload its video and photos, submit it and read their activity points. No page is wider than
 * the screen, neither the document nor the workspace's content column, and every step is kept
 * as a screenshot in tests/e2e/artifacts/phone/.
 */

const TITLE = "手机上填写的“空间+阅读”案例";
const para = (s: string, n: number) => Array.from({ length: n }, () => s).join("");
const SECTIONS: [string, string][] = [
  ["概述", para("本案例介绍依托之江汇教育广场网络学习空间开展初中语文整本书阅读教学的做法。", 6)],
  ["背景与问题", para("学生课外阅读时间少、阅读过程缺少指导、阅读成果难以展示，教师难以及时了解每个学生的阅读进度。", 4)],
  ["案例过程", para("教师在空间中建立阅读栏目，按周发布导读微课和阅读任务，学生在空间提交读书笔记，教师在线点评并组织小组互评。", 6)],
  ["工作成效", para("一学年来班级人均阅读整本书八部，读书笔记提交率达到百分之九十五，多篇习作在区级刊物发表。", 4)],
  ["特色与创新", para("以空间为枢纽整合导读、任务、评价与展示，实现阅读过程可见、可评、可分享。", 4)],
  ["案例反思", para("部分学生自主阅读习惯仍需培养，今后将引入家长共读，进一步丰富空间阅读资源。", 3)],
];

/** Widths that must not exceed the window: the document and the workspace's scrolling column. */
async function widths(page: Page) {
  return page.evaluate(() => {
    type El = { scrollWidth: number; clientWidth: number };
    const g = globalThis as unknown as { innerWidth: number; document: { documentElement: El; querySelector(s: string): El | null } };
    const main = g.document.querySelector(".el-main");
    return {
      viewport: g.innerWidth,
      document: g.document.documentElement.scrollWidth,
      main: main ? main.scrollWidth - main.clientWidth : 0,
    };
  });
}

describeEachDb("a teacher's application on a phone", (variant) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E("phone", variant);
  });
  afterAll(() => e2e?.stop());

  /** Checks that the page fits the phone's width, then keeps its picture. */
  async function fits(page: Page, name: string) {
    await e2e.shot(page, name);
    const w = await widths(page);
    expect(w.viewport, name).toBe(PHONE.width);
    expect(w.document, `${name}: the page is wider than the screen`).toBeLessThanOrEqual(w.viewport);
    expect(w.main, `${name}: the content column scrolls sideways`).toBeLessThanOrEqual(0);
  }

  it("lets a teacher start, fill in, upload, submit and read their points, every page within the screen", async () => {
    const page = await e2e.newPage({ phone: true });
    await e2e.login(page, "ra_teacher1");
    await page.getByRole("heading", { name: /工作台|陈晓明/ }).first().waitFor();
    await fits(page, "01-home");

    // The sidebar is a drawer behind the menu button; Escape closes it and gives the focus back.
    const toggle = page.getByTestId("nav-toggle");
    expect(await page.getByRole("navigation", { name: "主导航" }).isVisible()).toBe(false);
    await toggle.click();
    const nav = page.getByRole("navigation", { name: "主导航" });
    await nav.getByRole("link", { name: "我的申报", exact: true }).waitFor();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    await e2e.shot(page, "02-menu-open");
    await page.keyboard.press("Escape");
    await expect.poll(() => nav.isVisible()).toBe(false);
    await expect.poll(() => toggle.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    await openMenu(page, "我的申报", /\/applications$/);
    await page.getByText("还没有申报").waitFor();
    await fits(page, "03-my-applications");

    // The new-application dialog fits the screen, its confirm button included.
    await page.getByRole("button", { name: "新建申报" }).click();
    const dialog = page.getByRole("dialog", { name: "新建申报" });
    // The dialog puts the focus on its first field (the first category), not on its frame.
    await expect.poll(() => dialog.evaluate((d) => d.querySelector(".el-dialog__body")?.contains(d.ownerDocument.activeElement) ?? false)).toBe(true);
    await dialog.getByText("优秀教学空间").click();
    const create = dialog.getByRole("button", { name: "创建并填写" });
    const box = (await create.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    const dialogBox = (await dialog.locator(".el-dialog").boundingBox())!;
    expect(dialogBox.width).toBeGreaterThan(PHONE.width - 40);
    await fits(page, "04-new-application-dialog");
    await create.click();
    await page.waitForURL(/\/applications\/\d+\/edit$/, { waitUntil: "commit" });
    const appId = /\/applications\/(\d+)\/edit/.exec(page.url())![1]!;

    // Step 1, in one column.
    await page.getByLabel("职务").fill("语文教研组长");
    await page.getByLabel("空间网址").fill("https://chenxiaoming.zjer.cn/");
    const [jobBox, mobileBox] = [await page.getByLabel("职务").boundingBox(), await page.getByLabel("手机").boundingBox()];
    expect(Math.abs(jobBox!.x - mobileBox!.x)).toBeLessThan(2);
    await fits(page, "05-wizard-basic");
    await page.getByRole("button", { name: "下一步" }).click();

    // Step 2: the case.
    await page.getByLabel("标题").fill(TITLE);
    await page.getByLabel("署名").fill("瑞安市实验中学　陈晓明");
    for (const [label, text] of SECTIONS) await page.getByLabel(label).fill(text);
    await expect.poll(() => page.getByTestId("case-counter").textContent()).toContain("字数符合要求");
    await fits(page, "06-wizard-case");
    await page.getByRole("button", { name: "下一步" }).click();

    // Step 3: a video and a zip of photos, uploaded from the phone.
    const mp4 = await makeMp4({ width: 1280, height: 720, durationSec: 1, bitrateBps: 2_500_000 });
    await page.getByLabel("选择视频文件").setInputFiles({ name: "课堂实录.mp4", mimeType: "video/mp4", buffer: mp4 });
    await page.getByRole("link", { name: "课堂实录.mp4" }).waitFor();
    const zip = makeZip([
      { name: "照片/课堂1.jpg", data: JPEG, store: true },
      { name: "照片/课堂2.png", data: PNG },
    ]);
    await page.getByLabel("选择图片压缩包文件").setInputFiles({ name: "活动照片.zip", mimeType: "application/zip", buffer: zip });
    await page.getByRole("link", { name: "活动照片.zip" }).waitFor();
    await fits(page, "07-wizard-uploads");
    await page.getByRole("button", { name: "下一步" }).click();

    // Step 4: the summary, then submit.
    await page.getByRole("button", { name: "提交申报" }).waitFor();
    await fits(page, "08-wizard-summary");
    // The 参赛须知 sits above the submit button: readable and tickable at phone width.
    await acceptConsent(page);
    await page.getByRole("button", { name: "提交申报" }).click();
    await fits(page, "09-submit-confirm");
    await confirmBox(page, "确认提交");
    await page.waitForURL(new RegExp(`/applications/${appId}$`), { waitUntil: "commit" });
    await page.getByText("已提交，待审核").first().waitFor();
    await page.getByRole("heading", { name: TITLE }).waitFor();
    await fits(page, "10-submitted");

    await openMenu(page, "我的申报", /\/applications$/);
    await page.locator(".el-table__row").filter({ hasText: TITLE }).waitFor();
    await fits(page, "11-my-applications-list");

    // The teacher's points: the year's total as the API gives it, and charts as wide as the screen allows.
    const teacher = await loginAs(e2e.url, "ra_teacher1");
    const mine = (await teacher.gql(`{ myActivity(year: 2023) { total } }`)).myActivity as { total: number };
    await openMenu(page, "我的活跃度", /\/activity\/mine/);
    await expect.poll(() => page.getByTestId("kpi-year-total").textContent()).toContain(String(mine.total));
    await page.locator(".echart canvas").first().waitFor();
    const charts = page.locator(".echart");
    expect(await charts.count()).toBeGreaterThanOrEqual(2);
    for (const chart of await charts.all()) {
      const b = (await chart.boundingBox())!;
      expect(b.width).toBeGreaterThan(PHONE.width * 0.7);
      expect(b.x + b.width).toBeLessThanOrEqual(PHONE.width);
      // The canvas follows its container (ECharts resized), never wider.
      await expect.poll(() => chart.locator("canvas").first().evaluate((c) => Math.round(c.getBoundingClientRect().width))).toBe(Math.round(b.width));
    }
    await page.getByTestId("ledger-table").locator(".el-table__row").first().waitFor();
    await fits(page, "12-my-activity");

    // The remaining pages a teacher opens.
    await openMenu(page, "消息通知", /\/notifications$/);
    await page.getByRole("heading", { name: "消息通知" }).waitFor();
    await fits(page, "13-notifications");
    await page.goto(`${e2e.url}/account`, { waitUntil: "commit" });
    await page.getByRole("heading", { name: "个人信息" }).waitFor();
    await fits(page, "14-account");
    await page.context().close();
  });
});
