import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDb } from "../support/server.js";
import { chooseOption, confirmBox, startE2E, type E2E } from "./support/browser.js";

/** A 1×1 PNG: a stamped scan is checked by its content (PDF, JPG or PNG). */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

function row(scope: Page | Locator, text: string) {
  return scope.locator(".el-table__row:visible").filter({ hasText: text });
}

async function nav(page: Page, label: string, url: RegExp) {
  await page.getByRole("navigation", { name: "主导航" }).getByText(label, { exact: true }).click();
  await page.waitForURL(url);
}

describeEachDb("campaign forms in a real browser", (variant) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E("forms", variant);
  });
  afterAll(() => e2e?.stop());

  it("lets a city file a county's regional contact: a malformed office phone is refused by name, the typing kept; the county sees it, another county does not", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "wz_city");
    await e2e.shot(page, "home-city");
    await nav(page, "联络员报送", /\/contacts$/);
    await page.getByRole("button", { name: "新增联络员" }).click();
    const dialog = page.getByRole("dialog", { name: /新增联络员/ });
    const unit = dialog.getByRole("combobox", { name: "联络员代表的单位" });
    await unit.click();
    await unit.fill("瑞安");
    await page.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter({ hasText: /^瑞安市/ }).first().click();
    await dialog.getByRole("textbox", { name: /^(\* )?联系人$/ }).fill("郑晓东");
    await dialog.getByLabel("职务").fill("教育技术中心主任");
    await dialog.getByLabel("所属单位").fill("瑞安市教育技术中心");
    await dialog.getByLabel("办公电话").fill("88905096");
    await dialog.getByLabel("手机号码").fill("13857712345");
    await dialog.getByLabel("之江汇账号").fill("ra_teacher4");
    await dialog.getByLabel("通讯地址").fill("瑞安市安阳街道罗阳大道1号");
    await dialog.getByLabel("选择扫描件文件").setInputFiles({ name: "回执.png", mimeType: "image/png", buffer: PNG });
    await dialog.getByText("回执.png").waitFor();
    await dialog.getByRole("button", { name: "报送" }).click();
    const phoneItem = dialog.locator(".el-form-item").filter({ hasText: "办公电话" });
    await expect.poll(() => phoneItem.locator(".el-form-item__error").textContent()).toContain("办公电话");
    expect(await dialog.getByRole("textbox", { name: /^(\* )?联系人$/ }).inputValue()).toBe("郑晓东");
    await e2e.shot(page, "contact-refused");

    await dialog.getByLabel("办公电话").fill("0577-65812345");
    await dialog.getByRole("button", { name: "报送" }).click();
    await e2e.shot(page, "contact-second-try");
    await row(page, "郑晓东").getByText("待省级审批").waitFor();
    await e2e.shot(page, "contacts-city");
    await page.context().close();

    const county = await e2e.newPage();
    await e2e.login(county, "ra_county");
    await nav(county, "区域联络员", /\/contacts$/);
    await row(county, "郑晓东").waitFor();
    await county.context().close();

    const other = await e2e.newPage();
    await e2e.login(other, "lc_county");
    await nav(other, "区域联络员", /\/contacts$/);
    await other.getByText("本区域暂无联络员").waitFor();
    await other.context().close();
  });

  it("lets a school register a club space: an incomplete submission lists what is missing, a complete one is submitted", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_school_admin");
    await chooseOption(page, page.getByTestId("role-switcher"), "学校平台管理员");
    await page.getByRole("navigation", { name: "主导航" }).getByText("教师管理", { exact: true }).waitFor();
    await e2e.shot(page, "home-school-admin");
    await nav(page, "社团空间登记", /\/clubs$/);
    await page.getByRole("button", { name: "新建登记" }).click();
    await page.waitForURL(/\/clubs\/\d+$/);
    await page.getByLabel("内容主题").fill("走进瓯越农耕文化");
    await page.getByRole("button", { name: "提交登记" }).click();
    await confirmBox(page, "确认提交");
    const refusal = page.getByRole("alert").filter({ hasText: "以下内容需要修改" });
    await expect.poll(() => refusal.textContent()).toContain("请填写「负责人」");
    expect(await page.getByLabel("内容主题").inputValue()).toBe("走进瓯越农耕文化");
    await e2e.shot(page, "club-refused");

    await page.getByLabel("市、县（市、区）").fill("温州市瑞安市");
    await chooseOption(page, page.locator(".el-select").filter({ has: page.getByRole("combobox", { name: "适合学段" }) }), "初中");
    await page.getByLabel("单位名称").fill("瑞安市实验中学");
    await page.getByLabel("负责人", { exact: true }).fill("林晓东");
    await page.getByLabel("负责人联系方式").fill("13857700099");
    await page.getByLabel("管理员", { exact: true }).fill("陈晓明");
    await page.getByLabel("管理员联系方式").fill("0577-65800001");
    await page.getByRole("button", { name: "添加成员" }).click();
    await page.getByLabel("成员1姓名").fill("王丽华");
    await page.getByLabel("成员1单位").fill("瑞安市实验中学");
    await page.getByLabel("成员1职务或职称").fill("一级教师");
    await page.getByLabel("成员1建设分工").fill("课程设计");
    await page.getByText("少年农学院（农业、生物、自然等方向）").click();
    await page.getByLabel("开设时间").fill("2023年5月至12月，每周三下午");
    await page.getByLabel("面向对象").fill("瑞安市初中学生");
    await page.getByLabel("活动内容").fill("农耕文化考察、种植实践与成果展示。");
    await page.getByLabel("进度安排", { exact: true }).first().fill("5月启动，6—10月实践，11月展示。");
    await page.getByLabel("具体措施").fill("与本地农业园区合作，线上线下结合。");
    await page.locator(".el-form-item").filter({ hasText: /^进度安排/ }).last().locator("textarea").fill("按月开展一次线下活动，每周线上交流。");
    await page.getByRole("button", { name: "添加课时" }).click();
    await page.getByLabel("课时1名称").fill("认识瓯越农具");
    await page.getByLabel("课时1主讲教师").fill("王丽华");
    await page.getByLabel("课时1单位").fill("瑞安市实验中学");
    await page.getByLabel("课时1手机").fill("13857700002");
    await page.getByLabel("选择扫描件文件").setInputFiles({ name: "登记表.png", mimeType: "image/png", buffer: PNG });
    await page.getByText("登记表.png").waitFor();
    await page.getByRole("button", { name: "提交登记" }).click();
    await confirmBox(page, "确认提交");
    await page.getByText("提交于").waitFor();
    await e2e.shot(page, "club-submitted");
    await nav(page, "社团空间登记", /\/clubs$/);
    await row(page, "走进瓯越农耕文化").getByText("已提交").waitFor();
    await page.context().close();
  });
});
