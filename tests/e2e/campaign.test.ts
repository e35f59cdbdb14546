import ExcelJS from "exceljs";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { scoreAndSubmit, sheet } from "../api/finalization-helpers.js";
import { loginAs } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { acceptConsent, chooseOption, confirmBox, startE2E, type E2E } from "./support/browser.js";

/**
 * A whole campaign through the browser: a teacher fills in and submits an application (the
 * server's refusals shown, nothing typed lost), the county returns it for revision, the teacher
 * resubmits, the county sees what changed and recommends, a full county quota refuses one more,
 * the city recommends, and the province assigns experts, scores, grades and publishes. A reviewer
 * of another county cannot open the application.
 */

const TITLE = "初中语文“空间+阅读”教学实践";
/** About 1,200 characters over the sections (the notice asks for 1,000–3,000). */
const para = (s: string, n: number) => Array.from({ length: n }, () => s).join("");
const SECTIONS = {
  summary: para("本案例介绍依托之江汇教育广场网络学习空间开展初中语文整本书阅读教学的做法。", 6),
  background: para("学生课外阅读时间少、阅读过程缺少指导、阅读成果难以展示，教师难以及时了解每个学生的阅读进度。", 4),
  process: para("教师在空间中建立阅读栏目，按周发布导读微课和阅读任务，学生在空间提交读书笔记，教师在线点评并组织小组互评。", 6),
  results: para("一学年来班级人均阅读整本书八部，读书笔记提交率达到百分之九十五，多篇习作在区级刊物发表。", 4),
  features: para("以空间为枢纽整合导读、任务、评价与展示，实现阅读过程可见、可评、可分享。", 4),
  reflection: para("部分学生自主阅读习惯仍需培养，今后将引入家长共读，进一步丰富空间阅读资源。", 3),
};

function row(scope: Page | Locator, text: string) {
  return scope.locator(".el-table__row:visible").filter({ hasText: text });
}

async function nav(page: Page, label: string, url: RegExp) {
  await page.getByRole("navigation", { name: "主导航" }).getByText(label, { exact: true }).click();
  await page.waitForURL(url);
}

async function openFromQueue(page: Page, title: string) {
  await nav(page, "审核推荐", /\/review$/);
  await row(page, title).getByRole("button", { name: `审核 ${title}` }).click();
  // From the queue tab the address also carries the queue context (?queue=…).
  await page.waitForURL(/\/applications\/\d+(\?|$)/);
  await page.getByRole("heading", { name: title }).waitFor();
}

/** Opens a reviewer action, writes the comment and confirms; returns the dialog. */
async function act(page: Page, action: string, label: string, comment: string) {
  await page.getByTestId(`action-${action}`).click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`^${label}：`) });
  await dialog.getByLabel("审核意见").fill(comment);
  await dialog.getByRole("button", { name: new RegExp(`^确认${label}`) }).click();
  return dialog;
}

describeEachDb("a whole campaign in a real browser", (variant) => {
  let e2e: E2E;
  let appId: string;

  beforeAll(async () => {
    e2e = await startE2E("campaign", variant);
  });
  afterAll(() => e2e?.stop());

  it("lets a teacher fill in the application wizard; refusals name the field and rule and keep what was typed", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_teacher1");
    await nav(page, "我的申报", /\/applications$/);
    await page.getByText("还没有申报").waitFor();
    await e2e.shot(page, "teacher-applications-empty");
    await page.getByRole("button", { name: "新建申报" }).click();
    const dialog = page.getByRole("dialog", { name: "新建申报" });
    await dialog.getByText("优秀教学空间").click();
    await dialog.getByRole("button", { name: "创建并填写" }).click();
    await page.waitForURL(/\/applications\/\d+\/edit$/);
    appId = /\/applications\/(\d+)\/edit/.exec(page.url())![1]!;

    // Step 1: the form is prefilled from the account; the job title and space URL are typed.
    expect(await page.getByLabel("负责人").inputValue()).toBe("陈晓明");
    expect(await page.getByLabel("手机").inputValue()).toBe("13857700001");
    await page.getByLabel("职务").fill("语文教研组长");
    await page.getByLabel("空间网址").fill("https://chenxiaoming.zjer.cn/");
    await e2e.shot(page, "wizard-basic");
    await page.getByRole("button", { name: "下一步" }).click();

    // Step 2: a short case; the counter follows the typing.
    await page.getByLabel("标题").fill(TITLE);
    await page.getByLabel("署名").fill("瑞安市实验中学　陈晓明");
    await page.getByLabel("概述").fill(SECTIONS.summary);
    await expect.poll(() => page.getByTestId("case-counter").textContent()).toMatch(/还差 \d+ 字/);
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.locator(".el-message").filter({ hasText: "草稿已保存" }).waitFor();

    // Leaving the case step with sections missing lists every missing section at once (the
    // server's submission check), keeps the wizard on the step and loses nothing typed.
    const refusal = page.getByRole("alert").filter({ hasText: "以下内容需要修改" });
    await page.getByRole("button", { name: "下一步" }).click();
    await expect.poll(() => refusal.textContent()).toContain("请填写「案例·背景与问题」");
    expect(await refusal.textContent()).toContain("请填写「案例·案例反思」");
    expect(await page.getByLabel("标题").inputValue()).toBe(TITLE);
    await e2e.shot(page, "wizard-refused");

    // Every section present but the case too short: the length rule, with the count.
    for (const label of ["背景与问题", "案例过程", "工作成效", "特色与创新", "案例反思"]) await page.getByLabel(label).fill("待补充。");
    await page.getByRole("button", { name: "下一步" }).click();
    await expect.poll(() => refusal.textContent()).toMatch(/「案例」字数须在1000–3000字之间（不计空白），当前\d+字/);

    for (const [label, text] of [
      ["背景与问题", SECTIONS.background],
      ["案例过程", SECTIONS.process],
      ["工作成效", SECTIONS.results],
      ["特色与创新", SECTIONS.features],
      ["案例反思", SECTIONS.reflection],
    ] as const) {
      await page.getByLabel(label).fill(text);
    }
    await expect.poll(() => page.getByTestId("case-counter").textContent()).toContain("字数符合要求");
    await e2e.shot(page, "wizard-case");

    // Step 3: a "video" that is not an MP4 is refused by its content, with the rule named.
    await page.getByRole("button", { name: "下一步" }).click();
    await page.getByLabel("选择视频文件").setInputFiles({ name: "案例视频.mp4", mimeType: "video/mp4", buffer: Buffer.from("this is not a video at all") });
    const fileError = page.getByRole("alert").filter({ hasText: "文件未通过检查" });
    await fileError.waitFor();
    expect(await fileError.textContent()).toMatch(/MP4|视频/);
    await e2e.shot(page, "wizard-upload-refused");

    await page.getByRole("button", { name: "下一步" }).click();
    // Step 4: the 参赛须知 must be accepted — submitting without the box ticked is refused here,
    // with the rule named in the list, and nothing is sent.
    await page.getByText("活动参与者同意所上传资源内容免费向全省师生开放").waitFor();
    const consent = page.getByRole("checkbox", { name: /我已阅读并同意/ });
    expect(await consent.isChecked()).toBe(false);
    await page.getByRole("button", { name: "提交申报" }).click();
    await expect.poll(() => refusal.textContent()).toContain("请阅读并勾选");
    expect(page.url()).toMatch(/\/edit$/);
    await e2e.shot(page, "wizard-consent-required");
    // Ticked from the keyboard: the message goes away.
    await consent.focus();
    await page.keyboard.press("Space");
    await expect.poll(() => consent.isChecked()).toBe(true);
    await expect.poll(async () => (await refusal.count()) === 0 || !(await refusal.textContent())?.includes("请阅读并勾选")).toBe(true);
    await page.getByRole("button", { name: "提交申报" }).click();
    await confirmBox(page, "确认提交");
    await page.waitForURL(new RegExp(`/applications/${appId}$`));
    await page.getByText("已提交，待审核").first().waitFor();
    await e2e.shot(page, "teacher-submitted");
    await page.context().close();
  });

  it("hides the application from a reviewer of another county, as if it did not exist", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "lc_county");
    await page.goto(`${e2e.url}/applications/${appId}`);
    await expect.poll(() => page.getByRole("alert").first().textContent()).toMatch(/不存在|无权/);
    await nav(page, "审核推荐", /\/review$/);
    await row(page, "温州市广场路小学").first().waitFor();
    expect(await row(page, TITLE).count()).toBe(0);
    await page.context().close();
  });

  it("lets the county return it with a comment; the teacher revises and resubmits; the county sees what changed and recommends", async () => {
    const county = await e2e.newPage();
    await e2e.login(county, "ra_county");
    await openFromQueue(county, TITLE);
    // The reviewer sees that the applicant accepted the 参赛须知 with this revision, and when.
    expect(await county.getByTestId("consent-note").textContent()).toMatch(/申报人.+已同意《参赛须知》.*\d{4}-\d{2}-\d{2}/);
    await e2e.shot(county, "county-detail");
    // The criteria checklist, computed where the platform has data.
    await county.getByRole("tab", { name: "评审要点" }).click();
    await row(county, "空间档案信息完善").waitFor();
    await e2e.shot(county, "county-criteria");
    await county.getByRole("tab", { name: "申报表" }).click();
    // A return needs a comment.
    await county.getByTestId("action-return").click();
    const dialog = county.getByRole("dialog", { name: /^退回修改：/ });
    await dialog.getByRole("button", { name: "确认退回" }).click();
    await dialog.getByText("请填写退回修改的意见或理由").waitFor();
    await dialog.getByLabel("审核意见").fill("请在“工作成效”中补充学生阅读量的统计数据。");
    await dialog.getByRole("button", { name: "确认退回" }).click();
    await county.getByText("已退回修改").first().waitFor();

    const teacher = await e2e.newPage();
    await e2e.login(teacher, "ra_teacher1");
    await teacher.getByTestId("notification-bell").click();
    await teacher.getByText(/退回/).first().waitFor();
    await e2e.shot(teacher, "teacher-notifications");
    await nav(teacher, "我的申报", /\/applications$/);
    await row(teacher, TITLE).getByRole("button", { name: "修改后重新提交" }).click();
    await teacher.waitForURL(/\/edit$/);
    await teacher.getByText("请在“工作成效”中补充学生阅读量的统计数据。").waitFor();
    await teacher.getByRole("button", { name: "下一步" }).click();
    await teacher.getByLabel("工作成效").fill(SECTIONS.results + "全班四十五名学生一学年累计阅读整本书三百六十部。");
    await teacher.getByRole("button", { name: "下一步" }).click();
    await teacher.getByRole("button", { name: "下一步" }).click();
    // A new revision needs the 参赛须知 accepted again.
    await acceptConsent(teacher);
    await teacher.getByRole("button", { name: "重新提交" }).click();
    await confirmBox(teacher, "确认提交");
    await teacher.waitForURL(new RegExp(`/applications/${appId}$`));
    await teacher.getByRole("tab", { name: /审核记录/ }).click();
    await teacher.getByText("请在“工作成效”中补充学生阅读量的统计数据。").first().waitFor();
    await e2e.shot(teacher, "teacher-timeline");
    await teacher.context().close();

    await openFromQueue(county, TITLE);
    await county.getByRole("tab", { name: "版本比较" }).click();
    await row(county, "工作成效").waitFor();
    expect(await row(county, "工作成效").textContent()).toContain("三百六十部");
    await e2e.shot(county, "county-diff");
    await act(county, "recommend", "推荐", "空间建设扎实，阅读教学特色鲜明，同意推荐。");
    await county.getByText("审核中").first().waitFor();
    await county.context().close();
  });

  it("refuses a recommendation beyond a full county sub-quota, with the meter showing the count", async () => {
    // The city gives 瑞安市 two places for teaching spaces: both are taken (the demo's and ours).
    const city = await e2e.newPage();
    await e2e.login(city, "wz_city");
    await nav(city, "推荐名额", /\/quotas$/);
    await city.getByRole("button", { name: "分配县级名额" }).first().click();
    const alloc = city.getByRole("dialog", { name: /分配县级名额：优秀教学空间/ });
    await row(alloc, "瑞安市").waitFor();
    await alloc.getByLabel("瑞安市的名额").fill("2");
    await alloc.getByLabel("瑞安市的名额").blur();
    await e2e.shot(city, "city-allocation");
    await alloc.getByRole("button", { name: "保存分配" }).click();
    await city.locator(".el-message").filter({ hasText: "县级名额已保存" }).waitFor();
    await e2e.shot(city, "city-quotas");
    await city.context().close();

    const county = await e2e.newPage();
    await e2e.login(county, "ra_county");
    await nav(county, "审核推荐", /\/review$/);
    await county.getByTestId("quota-value").filter({ hasText: "已推荐 2/2" }).first().waitFor();
    await e2e.shot(county, "county-queue-full");
    // The queue's Excel export has the screen's scope: this county's applications, no other's.
    const [download] = await Promise.all([county.waitForEvent("download"), county.getByRole("button", { name: "导出Excel" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^待审核申报-\d{8}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const cells = wb.worksheets[0]!.getSheetValues().flat().map(String).join("|");
    expect(cells).toContain("数学空间里的“翻转课堂”");
    expect(cells).not.toContain("小学语文“读写共生”空间");
    await openFromQueue(county, "数学空间里的“翻转课堂”");
    const dialog = await act(county, "recommend", "推荐", "同意推荐。");
    await expect.poll(() => dialog.getByTestId("action-error").textContent()).toMatch(/名额/);
    // The comment stays for another try.
    expect(await dialog.getByLabel("审核意见").inputValue()).toBe("同意推荐。");
    await e2e.shot(county, "county-quota-refused");
    await county.context().close();
  });

  it("lets the city recommend it to the province", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "wz_city");
    await openFromQueue(page, TITLE);
    await e2e.shot(page, "city-detail");
    await act(page, "recommend", "推荐", "经市级评审，同意推荐至省级。");
    await page.getByText("已报送省级").first().waitFor();
    await page.context().close();
  });

  it("lets the province assign experts, the experts score, and the province grade, finalize and publish", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await nav(page, "申报管理", /\/review$/);
    await page.getByRole("tab", { name: "全部申报" }).click();
    await row(page, TITLE).waitFor();
    await e2e.shot(page, "province-applications");

    // The province's quota table: every city's places per category.
    await nav(page, "名额总表", /\/quotas$/);
    await page.getByRole("button", { name: /^\d+\/75：温州市优秀教学空间已推荐\d+，名额75，点击调整$/ }).waitFor();
    await e2e.shot(page, "province-quotas");

    // Experts: the automatic plan never picks the Wenzhou expert for a Wenzhou application.
    await nav(page, "专家分配", /\/province\/experts/);
    await page.getByRole("button", { name: "自动分配" }).click();
    const auto = page.getByRole("dialog", { name: /自动分配/ });
    await auto.getByRole("button", { name: "生成草稿分配" }).click();
    await auto.locator(".el-dialog__footer").getByRole("button", { name: "关闭" }).click();
    await page.getByTestId("release-button").click();
    await confirmBox(page, "确认发布");
    await page.getByText(/已发布\d+项分配/).waitFor();

    // Every released sheet is scored by its expert (the Ningbo expert in the browser, the rest over the API).
    const experts = await Promise.all(["expert_hz", "expert_nb", "expert_jh", "expert_wz"].map((a) => loginAs(e2e.url, a)));
    const expertPage = await e2e.newPage();
    await e2e.login(expertPage, "expert_nb");
    await nav(expertPage, "我的评审任务", /\/expert\/tasks$/);
    await row(expertPage, TITLE).getByRole("button", { name: `评分 ${TITLE}` }).click();
    const inputs = expertPage.getByRole("spinbutton", { name: /得分（满分/ });
    await inputs.first().waitFor();
    for (let i = 0; i < (await inputs.count()); i++) {
      const max = Number(/满分([\d.]+)/.exec((await inputs.nth(i).getAttribute("aria-label"))!)![1]);
      await inputs.nth(i).fill(String(max));
      await inputs.nth(i).blur();
    }
    await expertPage.getByRole("button", { name: "提交评分" }).click();
    await confirmBox(expertPage, "确认提交");
    await expertPage.getByText(/提交，评分已锁定/).waitFor();
    await e2e.shot(expertPage, "expert-scored");
    await expertPage.context().close();
    for (const c of experts) {
      const tasks = (await c.gql(`{ myAssignments(offset: 0, limit: 100) { items { scoreState application { id } } } }`)).myAssignments.items as {
        scoreState: string | null;
        application: { id: string };
      }[];
      for (const t of tasks.filter((x) => x.scoreState !== "SUBMITTED")) {
        // Full marks, like the expert in the browser: no spread to review.
        const s = await sheet(c, t.application.id);
        const fixed = s.lines.filter((l: { editable: boolean }) => !l.editable).reduce((n: number, l: { computedValue: number | null }) => n + (l.computedValue ?? 0), 0);
        const open = s.lines.filter((l: { editable: boolean }) => l.editable).reduce((n: number, l: { max: number }) => n + l.max, 0);
        await scoreAndSubmit(c, t.application.id, fixed + open);
      }
    }

    // Grades for every category at the province, then publication.
    await nav(page, "排名与等次", /\/province\/ranking/);
    const categories = page.getByRole("tab");
    await row(page, TITLE).waitFor();
    const tabs = await categories.allTextContents();
    for (const name of tabs) {
      await page.getByRole("tab", { name }).click();
      await page.waitForLoadState("networkidle");
      // Categories with nothing at the province have nothing to grade.
      if ((await page.locator(".el-table__row:visible").count()) === 0) continue;
      if (await page.getByRole("button", { name: "生成等次预览" }).isDisabled()) continue;
      await page.getByRole("button", { name: "生成等次预览" }).click();
      await page.getByText(/已生成等次预览/).waitFor();
      await page.getByRole("button", { name: "确定等次" }).click();
      await confirmBox(page, "确认确定等次");
      await page.getByTestId("final-state").waitFor();
    }
    await e2e.shot(page, "province-ranking");
    await nav(page, "结果发布", /\/province\/publication/);
    await page.getByRole("button", { name: "发布评审结果" }).click();
    await confirmBox(page, "确认发布");
    await page.getByTestId("published").waitFor();
    await page.context().close();

    // The teacher sees the outcome.
    const teacher = await e2e.newPage();
    await e2e.login(teacher, "ra_teacher1");
    await teacher.goto(`${e2e.url}/applications/${appId}`);
    await teacher.getByText(/已入选|未入选/).first().waitFor();
    await e2e.shot(teacher, "teacher-outcome");
    await teacher.context().close();
  });
});
