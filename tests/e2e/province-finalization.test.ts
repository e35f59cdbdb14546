import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { scoreAndSubmit, sheet } from "../api/finalization-helpers.js";
import { loginAs, type Client } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { chooseOption, confirmBox, startE2E, type E2E } from "./support/browser.js";

/**
 * Province finalization in a real browser, on the demo data: the province assigns experts to the
 * application waiting at the province (a conflicting expert is refused with the reason) and
 * releases; an expert scores and submits; the province follows the progress, reviews a
 * high-spread application, sets the grades, finalizes and publishes; the public page lists the
 * results without a login.
 */

const HZ_APP = "以空间为中心的语文单元教学";
const PB_APP = "科技实践基地的空间课程群建设";

/** The workspace scrolls inside the layout: grow the window to the content, then take the picture. */
async function shotAll(e2e: E2E, page: Page, name: string) {
  const size = page.viewportSize()!;
  const main = page.locator("main.el-main, .el-main").first();
  const height = (await main.count()) ? await main.evaluate((el) => el.scrollHeight + el.getBoundingClientRect().top + 8) : size.height;
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height)) });
  await e2e.shot(page, name);
  await page.setViewportSize(size);
}

async function nav(page: Page, label: string, url: RegExp) {
  await page.getByRole("navigation", { name: "主导航" }).getByText(label, { exact: true }).click();
  await page.waitForURL(url);
}

/** Visible table rows containing the text (closed dialogs keep their tables in the page). */
function row(scope: Page | Locator, text: string) {
  return scope.locator(".el-table__row:visible").filter({ hasText: text });
}

describeEachDb("province finalization in a real browser", (variant) => {
  let e2e: E2E;
  let experts: Record<"hz" | "nb" | "jh" | "wz", Client>;
  let hzAppId: string;
  let pbAppId: string;

  beforeAll(async () => {
    e2e = await startE2E("province-finalization", variant);
    const [hz, nb, jh, wz] = await Promise.all(["expert_hz", "expert_nb", "expert_jh", "expert_wz"].map((a) => loginAs(e2e.url, a)));
    experts = { hz: hz!, nb: nb!, jh: jh!, wz: wz! };
    const apps = await e2e.server.db.rows<{ id: string; title: string }>(`SELECT id, title FROM application WHERE title = ANY($1::text[])`, [[HZ_APP, PB_APP]]);
    hzAppId = String(apps.find((a) => a.title === HZ_APP)!.id);
    pbAppId = String(apps.find((a) => a.title === PB_APP)!.id);
  });
  afterAll(() => e2e?.stop());

  it("lets the province assign experts: a conflicting expert is refused with the reason, the others become drafts, then released", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await nav(page, "专家分配", /\/province\/experts/);
    const hzRow = row(page, HZ_APP);
    await hzRow.waitFor();
    await expect.poll(() => hzRow.textContent()).toContain("0 / 3");
    await row(page, PB_APP).getByText("3 / 3").waitFor();
    await shotAll(e2e, page, "experts");

    await hzRow.getByRole("button", { name: `分配专家 ${HZ_APP}` }).click();
    const dialog = page.getByRole("dialog", { name: /分配评审专家/ });
    await dialog.getByText("尚未分配评审专家").waitFor();
    // The Hangzhou expert works at the applicant's own school: refused, with the reason, and the choice stays.
    await chooseOption(page, dialog.locator(".el-select").first(), "杭州专家·沈教授");
    await dialog.getByRole("button", { name: "添加分配" }).click();
    const refusal = dialog.getByTestId("assign-error");
    await expect.poll(() => refusal.textContent()).toMatch(/不能将评审专家「杭州专家·沈教授」分配给申报「以空间为中心的语文单元教学」/);
    await shotAll(e2e, page, "experts-conflict");
    for (const name of ["宁波专家·钱老师", "金华专家·冯老师", "温州专家·蒋老师"]) {
      await chooseOption(page, dialog.locator(".el-select").first(), name);
      await dialog.getByRole("button", { name: "添加分配" }).click();
      await row(dialog, name).waitFor();
    }
    expect(await dialog.getByTestId("assign-error").count()).toBe(0);
    expect(await row(dialog, "草稿（未发布）").count()).toBe(3);
    await shotAll(e2e, page, "experts-assigned");
    await dialog.getByRole("button", { name: "关闭", exact: true }).click();
    await expect.poll(() => hzRow.textContent()).toContain("3 / 3");

    // Experts see nothing before the release.
    expect((await experts.nb.gql(`{ myAssignments(offset: 0, limit: 20) { items { application { id } } } }`)).myAssignments.items.map((x: any) => x.application.id)).not.toContain(hzAppId);

    await page.getByTestId("release-button").click();
    await confirmBox(page, "确认发布");
    await page.getByText("已发布3项分配").waitFor();
    await expect.poll(() => hzRow.textContent()).toContain("专家评审中");
    await page.getByRole("tab", { name: "分配明细" }).click();
    await row(page, "温州专家·蒋老师").first().waitFor();
    await shotAll(e2e, page, "experts-released");
    await page.getByRole("tab", { name: /专家库/ }).click();
    await row(page, "expert_nb").waitFor();
    await shotAll(e2e, page, "experts-pool");
    await page.context().close();
  });

  it("lets an expert score in the browser and submit; the score is then locked", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "expert_nb");
    await nav(page, "我的评审任务", /\/expert\/tasks$/);
    await row(page, HZ_APP).waitFor();
    await row(page, PB_APP).waitFor();
    await shotAll(e2e, page, "expert-tasks");
    await row(page, HZ_APP).getByRole("button", { name: `评分 ${HZ_APP}` }).click();
    await page.waitForURL(/\/expert\/tasks\/\d+$/);
    await page.getByText("申报材料").first().waitFor();

    const inputs = page.getByRole("spinbutton", { name: /得分（满分/ });
    await inputs.first().waitFor();
    const n = await inputs.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) {
      const label = (await inputs.nth(i).getAttribute("aria-label"))!;
      const max = Number(/满分([\d.]+)/.exec(label)![1]);
      await inputs.nth(i).fill(String(max));
      await inputs.nth(i).blur();
    }
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByText("评分草稿已保存").waitFor();
    await page.getByRole("button", { name: "提交评分" }).click();
    await confirmBox(page, "确认提交");
    await page.getByText(/已于 .* 提交，评分已锁定/).waitFor();
    expect(await page.getByRole("spinbutton", { name: /得分（满分/ }).count()).toBe(0);
    await page.getByRole("button", { name: "修改评分" }).waitFor();
    await shotAll(e2e, page, "expert-score-submitted");
    await page.context().close();
  });

  it("shows the province the scoring progress with a high-spread application highlighted, and records its further review", async () => {
    // The other experts score through the API: close marks for the Hangzhou case, far apart for the practice base.
    const top = (s: { lines: { editable: boolean; max: number; computedValue: number | null }[] }) =>
      s.lines.reduce((sum, l) => sum + (l.editable ? l.max : (l.computedValue ?? 0)), 0);
    const floor = (s: { lines: { editable: boolean; computedValue: number | null }[] }) => s.lines.reduce((sum, l) => sum + (l.editable ? 0 : (l.computedValue ?? 0)), 0);
    const hzSheet = await sheet(experts.jh, hzAppId);
    await scoreAndSubmit(experts.jh, hzAppId, top(hzSheet) - 2);
    await scoreAndSubmit(experts.wz, hzAppId, top(hzSheet) - 4);
    const pbSheet = await sheet(experts.hz, pbAppId);
    expect(top(pbSheet) - floor(pbSheet)).toBeGreaterThan(20);
    await scoreAndSubmit(experts.hz, pbAppId, top(pbSheet));
    await scoreAndSubmit(experts.nb, pbAppId, top(pbSheet) - 3);
    await scoreAndSubmit(experts.jh, pbAppId, floor(pbSheet));

    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await nav(page, "评分进度", /\/province\/progress/);
    const pbRow = row(page, PB_APP);
    await pbRow.getByTestId("spread-flag").waitFor();
    expect(await pbRow.evaluate((el) => el.className)).toContain("row-flagged");
    expect(await row(page, HZ_APP).getByTestId("spread-flag").count()).toBe(0);
    await shotAll(e2e, page, "progress");

    await pbRow.getByRole("button", { name: `查看评分 ${PB_APP}` }).click();
    const drawer = page.getByRole("dialog", { name: /专家评分/ });
    await drawer.getByText("杭州专家·沈教授").waitFor();
    await drawer.getByText(/已提交 [\d.]+ 分/).first().waitFor();
    await shotAll(e2e, page, "progress-scores");
    await page.keyboard.press("Escape");
    await drawer.waitFor({ state: "hidden" });

    await pbRow.getByRole("button", { name: "复核" }).click();
    const review = page.getByRole("dialog", { name: "评分差异复核" });
    await review.getByRole("button", { name: "确认复核" }).click();
    await review.getByText("请填写复核意见").waitFor();
    await review.getByLabel("复核意见").fill("已与三位专家核实：金华专家认为课程群的实践成效证据不足，其余专家认可；维持各自评分。");
    await review.getByRole("button", { name: "确认复核" }).click();
    await pbRow.getByText("已复核").waitFor();
    await page.context().close();
  });

  it("lets the province set the grades, preview, finalize with a confirmation, and publish; the public page lists the results without a login", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await nav(page, "排名与等次", /\/province\/ranking/);
    await row(page, HZ_APP).waitFor();
    // Two applications: with 一等 50% both are graded (一等 1, 三等 1).
    await page.getByLabel("一等比例（%）").fill("50");
    await page.getByLabel("一等比例（%）").blur();
    await page.getByRole("button", { name: "保存等次设置" }).click();
    await page.getByText("等次设置已保存").waitFor();
    await page.getByRole("button", { name: "生成等次预览" }).click();
    await page.getByText(/已生成等次预览/).waitFor();
    await page.locator(".count", { hasText: "一等" }).waitFor();
    await shotAll(e2e, page, "ranking-preview");

    await page.getByRole("button", { name: "确定等次" }).click();
    await confirmBox(page, "确认确定等次");
    await page.getByTestId("final-state").waitFor();
    await shotAll(e2e, page, "ranking-final");

    await nav(page, "优秀单位与教师", /\/province\/honors/);
    await page.getByRole("button", { name: "添加优秀组织单位" }).click();
    const unitDialog = page.getByRole("dialog", { name: "添加优秀组织单位" });
    const unitSearch = unitDialog.getByRole("combobox", { name: "单位" });
    await unitSearch.click();
    await unitSearch.fill("温州市");
    await page.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter({ hasText: /^温州市/ }).first().click();
    await unitDialog.getByLabel("推荐理由").fill("组织发动有力，推荐质量高。");
    await unitDialog.getByRole("button", { name: "保存" }).click();
    await row(page, "温州市").waitFor();
    await page.getByRole("tab", { name: /优秀指导教师/ }).click();
    await page.getByRole("button", { name: "添加优秀指导教师" }).click();
    const instDialog = page.getByRole("dialog", { name: "添加优秀指导教师" });
    await instDialog.getByLabel("姓名").fill("林晓东");
    const instUnit = instDialog.getByRole("combobox", { name: "单位" });
    await instUnit.click();
    await instUnit.fill("瑞安市实验中学");
    await page.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter({ hasText: "瑞安市实验中学" }).first().click();
    await instDialog.getByLabel("推荐理由").fill("指导多名教师建设优秀空间。");
    await instDialog.getByRole("button", { name: "保存" }).click();
    await row(page, "林晓东").waitFor();
    await shotAll(e2e, page, "honors");

    await nav(page, "结果发布", /\/province\/publication/);
    await row(page, "优秀教学空间").getByText("已确定").waitFor();
    await shotAll(e2e, page, "publication-ready");
    await page.getByRole("button", { name: "发布评审结果" }).click();
    await confirmBox(page, "确认发布");
    await page.getByTestId("published").waitFor();
    await shotAll(e2e, page, "publication-done");
    await page.context().close();

    // Anyone, without logging in.
    const visitor = await e2e.newPage();
    await visitor.goto(e2e.url + "/results");
    await visitor.getByRole("heading", { name: /之江汇教育广场2023年空间建设与应用活动评审结果/ }).waitFor();
    await row(visitor, HZ_APP).waitFor();
    await row(visitor, PB_APP).waitFor();
    await row(visitor.locator('[aria-label="优秀组织单位"]'), "温州市").waitFor();
    await row(visitor.locator('[aria-label="优秀指导教师"]'), "林晓东").waitFor();
    expect(visitor.url()).toContain("/results");
    await e2e.shot(visitor, "public-results");
    await visitor.context().close();
  });
});
