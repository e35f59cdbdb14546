import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PDF } from "../fixtures/files/generate.js";
import { loginAs, type Client } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { confirmBox, startE2E, type E2E } from "./support/browser.js";

/**
 * Province campaign setup in a real browser: the campaign list, a copy for the next year, the
 * settings form (a refusal keeps what was typed and names the field), a deadline extension with
 * its reason, and the approval of regional contacts filed by a city.
 */

async function shotAll(e2e: E2E, page: Page, name: string) {
  const size = page.viewportSize()!;
  const main = page.locator(".el-main").first();
  const height = (await main.count()) ? await main.evaluate((el) => el.scrollHeight + el.getBoundingClientRect().top + 8) : size.height;
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height)) });
  await e2e.shot(page, name);
  await page.setViewportSize(size);
}

function row(scope: Page | Locator, text: string) {
  return scope.locator(".el-table__row:visible").filter({ hasText: text });
}

async function uploadScan(url: string, c: Client): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([PDF]), "盖章扫描件.pdf");
  const res = await fetch(`${url}/api/files?purpose=STAMPED_SCAN`, { method: "POST", headers: { authorization: `Bearer ${c.token}` }, body: form });
  return ((await res.json()) as { id: string }).id;
}

const SAVE_CONTACT = `mutation($c: ID!, $i: RegionalContactInput!) { saveRegionalContact(campaignId: $c, input: $i) { id state } }`;

describeEachDb("province campaign setup in a real browser", (variant) => {
  let e2e: E2E;
  let campaignId: string;

  beforeAll(async () => {
    e2e = await startE2E("province-setup", variant);
    campaignId = String((await e2e.server.db.one<{ id: string }>(`SELECT id FROM campaign WHERE year = 2023`))!.id);
  });
  afterAll(() => e2e?.stop());

  it("copies the 2023 campaign to 2024 as a draft, and keeps typed settings when a save is refused", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await page.getByRole("navigation", { name: "主导航" }).getByText("活动管理", { exact: true }).click();
    await page.waitForURL(/\/province\/campaigns$/);
    const r2023 = row(page, "之江汇教育广场2023年空间建设与应用活动");
    await r2023.getByText("进行中").waitFor();
    await shotAll(e2e, page, "campaigns");

    await r2023.getByRole("button", { name: "复制为新一年" }).click();
    const dialog = page.getByRole("dialog", { name: /复制活动/ });
    await dialog.getByLabel("年度").fill("2024");
    await dialog.getByLabel("年度").blur();
    await dialog.getByLabel("文号").fill("浙教技中心〔2024〕12号");
    expect(await dialog.getByLabel("活动名称").inputValue()).toBe("之江汇教育广场2024年空间建设与应用活动");
    await dialog.getByRole("button", { name: "创建" }).click();
    await page.waitForURL(/\/province\/campaigns\/\d+$/);
    await page.getByRole("heading", { name: "之江汇教育广场2024年空间建设与应用活动" }).waitFor();
    await page.getByText("草稿", { exact: true }).first().waitFor();
    await shotAll(e2e, page, "campaign-basic");

    await page.getByRole("tab", { name: /时间安排/ }).click();
    // Dates moved to the new year.
    expect(await page.getByLabel("区域活动联系人信息表报送截止日期").inputValue()).toBe("2024-04-10");
    await shotAll(e2e, page, "campaign-schedule");

    await page.getByRole("tab", { name: /申报类别与名额/ }).click();
    await page.getByText("优秀教学空间", { exact: true }).first().click();
    const wz = page.getByLabel("优秀教学空间温州市名额");
    expect(await wz.inputValue()).toBe("75");
    await wz.fill("80");
    await wz.blur();
    // An empty title is refused by the server, on its field; the quota typed stays.
    await page.getByRole("tab", { name: /基本信息/ }).click();
    await page.getByLabel("活动名称").fill("  ");
    await page.getByRole("button", { name: "保存设置" }).click();
    await page.locator(".el-form-item__error", { hasText: "请填写活动名称" }).waitFor();
    await shotAll(e2e, page, "campaign-refused");
    await page.getByRole("tab", { name: /申报类别与名额/ }).click();
    expect(await page.getByLabel("优秀教学空间温州市名额").inputValue()).toBe("80");

    await page.getByRole("tab", { name: /基本信息/ }).click();
    await page.getByLabel("活动名称").fill("之江汇教育广场2024年空间建设与应用活动");
    await page.getByRole("button", { name: "保存设置" }).click();
    await page.getByText("活动设置已保存").waitFor();
    await page.getByRole("tab", { name: /申报类别与名额/ }).click();
    await shotAll(e2e, page, "campaign-categories");
    await page.getByRole("tab", { name: /专家评审/ }).click();
    expect(Number(await page.getByLabel("一等比例（%）").inputValue())).toBe(10);
    expect(Number(await page.getByLabel("三等比例（%）").inputValue())).toBe(30);
    // Grades of more than the whole list are refused on the grades, and what was typed stays.
    await page.getByLabel("一等比例（%）").fill("50");
    await page.getByLabel("二等比例（%）").fill("40");
    await page.getByLabel("二等比例（%）").blur();
    await page.getByRole("button", { name: "保存设置" }).click();
    await page.locator(".el-form-item__error", { hasText: "各等次比例合计120%，不能超过100%" }).waitFor();
    expect(Number(await page.getByLabel("一等比例（%）").inputValue())).toBe(50);
    await shotAll(e2e, page, "campaign-finalization");
    await page.getByLabel("三等比例（%）").fill("10");
    await page.getByLabel("三等比例（%）").blur();
    await page.getByRole("button", { name: "保存设置" }).click();
    await page.getByText("活动设置已保存").first().waitFor();
    expect(Number(await page.getByLabel("三等比例（%）").inputValue())).toBe(10);
    const admin = await loginAs(e2e.url, "prov_admin");
    const copy = (await admin.gql(`{ campaigns { year status categories { code quota } } }`)).campaigns.find((c: { year: number }) => c.year === 2024);
    expect(copy.status).toBe("DRAFT");
    expect(copy.categories.find((k: { code: string }) => k.code === "TEACHING_SPACE").quota.perCity["330300"]).toBe(80);
    await page.context().close();
  });

  it("extends a passed deadline for one city with a reason, shown in the record", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await page.goto(`${e2e.url}/province/campaigns/${campaignId}`);
    await page.getByRole("tab", { name: /时间安排/ }).click();
    await page.getByRole("button", { name: "延长截止日期" }).click();
    const dialog = page.getByRole("dialog", { name: "延长截止日期" });
    await dialog.getByRole("button", { name: "确认延期" }).click();
    await dialog.getByText("请填写延期原因（记入审计日志）").waitFor();
    await dialog.locator(".el-select").filter({ has: page.getByRole("combobox", { name: "延期阶段" }) }).click();
    await page.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter({ hasText: "区域活动联系人信息表报送" }).click();
    const unit = dialog.getByRole("combobox", { name: "延期适用单位" });
    await unit.click();
    await unit.fill("温州市");
    await page.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter({ hasText: /^温州市/ }).first().click();
    const until = dialog.getByLabel("延至");
    await until.fill("2099-12-31");
    await until.press("Enter");
    await dialog.getByLabel("延期原因").fill("温州市联系人调整，经同意延期报送。");
    await dialog.getByRole("button", { name: "确认延期" }).click();
    await page.getByText("已延长截止日期").waitFor();
    await row(page, "温州市联系人调整").getByText("2099-12-31").waitFor();
    await shotAll(e2e, page, "campaign-extension");
    await page.context().close();
  });

  it("lets the province approve one city contact (granting the reviewer role) and send another back with a reason", async () => {
    const city = await loginAs(e2e.url, "wz_city");
    const units = await city.gql(`{ oh: searchUnits(query: "330304") { id } lc: searchUnits(query: "330302") { id } }`);
    const base = { officePhone: "0577-88905096", postalAddress: "温州市瓯海区娄桥街道", note: null };
    await city.gql(SAVE_CONTACT, {
      c: campaignId,
      i: { ...base, unitId: units.oh[0].id, contactName: "吴志强", unitName: "瓯海区教育技术中心", jobTitle: "主任", mobile: "13857700021", platformAccount: "oh_teacher1", stampedScanFileId: await uploadScan(e2e.url, city) },
    });
    await city.gql(SAVE_CONTACT, {
      c: campaignId,
      i: { ...base, unitId: units.lc[0].id, contactName: "黄思琪", unitName: "鹿城区教育技术中心", jobTitle: "干事", mobile: "13857700011", platformAccount: "lc_teacher1", stampedScanFileId: await uploadScan(e2e.url, city) },
    });

    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await page.getByRole("navigation", { name: "主导航" }).getByText("联络员审批", { exact: true }).click();
    await page.waitForURL(/\/province\/contacts/);
    await row(page, "吴志强").waitFor();
    await row(page, "黄思琪").waitFor();
    await shotAll(e2e, page, "contacts");

    await row(page, "吴志强").getByRole("button", { name: "通过 吴志强" }).click();
    await page.locator(".el-message-box").getByText(/oh_teacher1.*县（市、区）审核员/).waitFor();
    await confirmBox(page, "确认通过");
    await page.getByText(/已通过，账号「oh_teacher1」已获得/).waitFor();
    await row(page, "吴志强").waitFor({ state: "detached" });

    await row(page, "黄思琪").getByRole("button", { name: "退回 黄思琪" }).click();
    const dialog = page.getByRole("dialog", { name: /退回联系人/ });
    await dialog.getByRole("button", { name: "确认退回" }).click();
    await dialog.getByText("请填写退回原因").waitFor();
    await dialog.getByLabel("退回原因").fill("盖章扫描件不清晰，请重新扫描上传。");
    await dialog.getByRole("button", { name: "确认退回" }).click();
    await page.getByText("没有待审核的联系人").waitFor();
    await page.getByRole("tab", { name: "全部" }).click();
    await row(page, "黄思琪").getByText("退回原因：盖章扫描件不清晰").waitFor();
    await row(page, "吴志强").getByText("已通过").waitFor();
    await shotAll(e2e, page, "contacts-reviewed");

    const oh = await loginAs(e2e.url, "oh_teacher1");
    const roles = (await oh.gql(`{ me { roles { role unit { name } } } }`)).me.roles as { role: string; unit: { name: string } }[];
    expect(roles).toContainEqual({ role: "COUNTY_REVIEWER", unit: { name: "瓯海区" } });
    await page.context().close();
  });

  it("plans expert assignments automatically: balanced drafts, never a conflicted expert, kept until released", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await page.goto(`${e2e.url}/province/experts`);
    const hzRow = row(page, "以空间为中心的语文单元教学");
    await expect.poll(() => hzRow.textContent()).toContain("0 / 3");
    await page.getByRole("button", { name: "自动分配" }).click();
    const dialog = page.getByRole("dialog", { name: "自动分配评审专家" });
    await dialog.getByRole("button", { name: "生成草稿分配" }).click();
    await dialog.getByText("每件申报都已分配足够的专家。请核对后点击“发布分配”。").waitFor();
    await shotAll(e2e, page, "experts-auto");
    await dialog.getByRole("button", { name: "关闭", exact: true }).click();
    await expect.poll(() => hzRow.textContent()).toContain("3 / 3");
    await page.getByTestId("release-button").getByText("（3项草稿）").waitFor();
    // The planner never picked the expert from the applicant's own school and city.
    const admin = await loginAs(e2e.url, "prov_admin");
    const drafts = (await admin.gql(`query($c: ID!) { expertAssignments(campaignId: $c, state: DRAFT) { items { expert { account } origin } } }`, { c: campaignId })).expertAssignments.items;
    expect(drafts.map((d: { expert: { account: string } }) => d.expert.account).sort()).toEqual(["expert_jh", "expert_nb", "expert_wz"]);
    expect(drafts.every((d: { origin: string }) => d.origin === "AUTO")).toBe(true);

    // A draft is reworked by hand: removed after a confirmation.
    await hzRow.getByRole("button", { name: "分配专家 以空间为中心的语文单元教学" }).click();
    const assign = page.getByRole("dialog", { name: /分配评审专家/ });
    await row(assign, "温州专家·蒋老师").getByRole("button", { name: "取消分配 温州专家·蒋老师" }).click();
    await confirmBox(page, "确认取消分配");
    await row(assign, "温州专家·蒋老师").waitFor({ state: "detached" });
    await assign.getByRole("button", { name: "关闭", exact: true }).click();
    await expect.poll(() => hzRow.textContent()).toContain("2 / 3");
    await page.context().close();
  });

  it("does not offer province pages to a city reviewer", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "wz_city");
    const nav = page.getByRole("navigation", { name: "主导航" });
    for (const label of ["活动管理", "联络员审批", "专家分配", "结果发布"]) expect(await nav.getByText(label, { exact: true }).count()).toBe(0);
    await page.goto(`${e2e.url}/province/contacts`);
    await page.waitForURL(/\/home$/);
    await page.context().close();
  });
});
