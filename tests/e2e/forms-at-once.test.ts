import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDb } from "../support/server.js";
import { startE2E, type E2E } from "./support/browser.js";

/**
 * Forms that say everything at once, where it is typed: the application wizard checks a section
 * when it is left and lists every problem of the form on submit, each linked to its field.
 */

async function nav(page: Page, label: string, url: RegExp) {
  await page.getByRole("navigation", { name: "主导航" }).getByText(label, { exact: true }).click();
  await page.waitForURL(url);
}

const focusedId = (page: Page) => page.evaluate("document.activeElement ? document.activeElement.id : ''");

describeEachDb("forms that say everything at once", (variant) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E("forms-at-once", variant);
  });
  afterAll(() => e2e?.stop());

  it("checks a wizard section when it is left and lists every problem on submit, each focusing its field", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "nb_teacher1");
    await nav(page, "我的申报", /\/applications$/);
    await page.getByRole("button", { name: "新建申报" }).click();
    const dialog = page.getByRole("dialog", { name: "新建申报" });
    // Only the categories this teacher may apply for are offered; the others say why (the server's reason).
    const withheld = dialog.getByTestId("withheld-categories");
    await withheld.getByText("「空间应用优秀学校」须由学校平台管理员申报，当前账号没有相应角色").waitFor();
    expect(await dialog.getByRole("radio", { name: /空间应用优秀学校/ }).count()).toBe(0);
    await e2e.shot(page, "new-application-categories");
    await dialog.getByText("优秀教学空间").click();
    await dialog.getByRole("button", { name: "创建并填写" }).click();
    await page.waitForURL(/\/applications\/\d+\/edit$/);

    // The mobile must match the account: the field says so beside it.
    await page.getByText("须与之江汇账号绑定的手机号码一致").waitFor();
    await page.getByLabel("手机").fill("13900000000");

    // Leaving the first section: its three problems at once, each under its field; the wizard stays.
    await page.getByRole("button", { name: "下一步" }).click();
    const list = page.getByTestId("form-violations");
    await expect.poll(() => list.textContent()).toContain("请填写「职务」");
    const text = (await list.textContent())!;
    expect(text).toContain("请填写「空间网址」");
    expect(text).toContain("「手机」须与之江汇账号绑定的手机号码一致");
    const mobileItem = page.locator(".el-form-item").filter({ has: page.getByLabel("手机") });
    expect(await mobileItem.locator(".el-form-item__error").textContent()).toContain("之江汇账号绑定");
    await e2e.shot(page, "section-checked");

    // A problem in the list puts the cursor in its field; typing there clears the message at once.
    await list.getByText("请填写「职务」").click();
    await expect.poll(() => focusedId(page)).toBe("f-jobTitle");
    await page.keyboard.type("英语教师");
    await expect.poll(() => list.textContent()).not.toContain("请填写「职务」");
    expect(await list.textContent()).toContain("之江汇账号绑定");

    // A bad news link typed on the third step, then submit from the last: the link, the mobile and
    // the empty case are all listed by one submit (before, one per try).
    await page.locator(".el-step").filter({ hasText: "附件与报道" }).click();
    await page.getByRole("button", { name: "添加链接" }).click();
    await page.getByLabel("第1个新闻报道链接").fill("news.example.cn/a/1");
    await page.locator(".el-step").filter({ hasText: "核对提交" }).click();
    await page.getByRole("button", { name: "提交申报" }).click();
    await expect.poll(() => list.textContent()).toContain("「第1个新闻报道链接」须为以http://或https://开头的有效网址");
    const all = (await list.textContent())!;
    expect(all).toContain("「手机」须与之江汇账号绑定的手机号码一致");
    expect(all).toContain("请填写「空间网址」");
    expect(all).toContain("请填写「案例·标题」");
    await e2e.shot(page, "submit-lists-everything");

    await list.getByText("「第1个新闻报道链接」").click();
    await expect.poll(() => focusedId(page)).toBe("f-newsLinks[0]");
    await list.getByText("「手机」须与之江汇账号绑定").click();
    await expect.poll(() => focusedId(page)).toBe("f-mobile");
    await page.context().close();
  });

  it("refuses an out-of-range score with a message instead of clamping it, and clears an item's error as soon as it is filled", async () => {
    const appId = String((await e2e.server.db.one<{ id: string }>(`SELECT id FROM application WHERE title = $1`, ["科技实践基地的空间课程群建设"]))!.id);
    const page = await e2e.newPage();
    await e2e.login(page, "expert_jh");
    await page.goto(`${e2e.url}/expert/tasks/${appId}`);
    const inputs = page.getByRole("spinbutton", { name: /得分（满分/ });
    await inputs.first().waitFor();
    const label = (await inputs.first().getAttribute("aria-label"))!;
    const max = Number(/满分([\d.]+)/.exec(label)![1]);
    const first = page.getByRole("spinbutton", { name: label, exact: true });
    const line = page.locator(".line").filter({ has: first });

    await first.fill("999");
    await first.blur();
    await expect.poll(() => line.locator(".line-error").textContent()).toContain(`得分须在0到${max}分之间，实际为999`);
    expect(Number(await first.inputValue())).toBe(999);
    await page.getByRole("button", { name: "提交评分" }).click();
    await page.getByTestId("sheet-error").getByText(/有1项得分不符合要求/).waitFor();
    expect(await page.locator(".el-message-box").count()).toBe(0);
    await e2e.shot(page, "score-999-refused");

    // Submitting with items empty names each; filling one clears its message at once.
    await first.fill(String(max));
    await first.blur();
    await expect.poll(() => line.locator(".line-error").count()).toBe(0);
    await page.getByRole("button", { name: "提交评分" }).click();
    await page.getByTestId("sheet-error").getByText(/尚有\d+项未评分/).waitFor();
    const second = page.getByRole("spinbutton", { name: (await inputs.nth(1).getAttribute("aria-label"))!, exact: true });
    const secondLine = page.locator(".line").filter({ has: second });
    await expect.poll(() => secondLine.locator(".line-error").textContent()).toContain("请填写");
    await second.fill("1");
    await second.blur();
    await expect.poll(() => secondLine.locator(".line-error").count()).toBe(0);
    await page.context().close();
  });
});
