import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDb } from "../support/server.js";
import { chooseOption, confirmBox, startE2E, type E2E } from "./support/browser.js";

/** One demo account per role: what its workspace shows after logging in. */
const ROLES = [
  { account: "ra_teacher1", name: "陈晓明", unit: "瑞安市实验中学", role: "教师", menu: [] as string[], noMenu: ["用户管理", "组织机构"] },
  { account: "ra_county", name: "瑞安市教育技术中心审核员", unit: "瑞安市", role: "县（市、区）审核员", menu: ["组织机构", "用户管理", "角色权限分配"], noMenu: [] },
  { account: "wz_city", name: "温州市电教馆审核员", unit: "温州市", role: "设区市审核员", menu: ["组织机构", "用户管理"], noMenu: [] },
  { account: "prov_admin", name: "省平台管理员", unit: "浙江省", role: "省级管理员", menu: ["组织机构", "用户管理", "角色分配审计"], noMenu: [] },
  { account: "expert_hz", name: "杭州专家·沈教授", unit: "浙江省", role: "省级评审专家", menu: [], noMenu: ["用户管理"] },
];

describeEachDb("the app shell in a real browser", (variant) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E("foundation", variant);
  });
  afterAll(() => e2e?.stop());

  it("refuses a wrong password with the server's message and keeps the account typed", async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url + "/home");
    await page.waitForURL(/\/login/);
    await page.getByLabel("师训账号").fill("ra_teacher1");
    await page.getByLabel("密码", { exact: true }).fill("wrong-password");
    await page.getByRole("button", { name: "登 录" }).click();
    await expect.poll(() => page.getByTestId("login-error").textContent()).toContain("账号或密码错误");
    expect(await page.getByLabel("师训账号").inputValue()).toBe("ra_teacher1");
    await e2e.shot(page, "login-refused");
    await page.context().close();
  });

  it("refuses a locked (retired) account", async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url + "/login");
    await page.getByLabel("师训账号").fill("ra_teacher_retired");
    await page.getByLabel("密码", { exact: true }).fill("Demo@2023");
    await page.getByRole("button", { name: "登 录" }).click();
    await expect.poll(() => page.getByTestId("login-error").textContent()).toContain("已停用");
    await page.context().close();
  });

  for (const r of ROLES) {
    it(`logs ${r.account} in as ${r.role}, showing the unit and the role's navigation`, async () => {
      const page = await e2e.newPage();
      await e2e.login(page, r.account);
      expect(await page.getByTestId("user-name").textContent()).toContain(r.name);
      expect(await page.getByTestId("acting-unit").textContent()).toContain(r.unit);
      expect(await page.getByTestId("acting-role").textContent()).toContain(r.role);
      const nav = page.getByRole("navigation", { name: "主导航" });
      for (const m of r.menu) await expect.poll(() => nav.getByText(m, { exact: true }).count()).toBe(1);
      for (const m of r.noMenu) expect(await nav.getByText(m, { exact: true }).count()).toBe(0);
      await e2e.shot(page, `home-${r.account}`);
      // Logging out returns to the login page and the session is gone.
      await page.getByRole("button", { name: "用户菜单" }).click();
      await page.getByRole("menuitem", { name: "退出登录" }).click();
      await page.waitForURL(/\/login/);
      await page.goto(e2e.url + "/users");
      await page.waitForURL(/\/login/);
      await page.context().close();
    });
  }

  it("lets a user with two roles switch between them; the page and menu follow the acting role", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_school_admin");
    const nav = page.getByRole("navigation", { name: "主导航" });
    // A new session starts in the least-privileged role.
    expect(await nav.getByText("教师管理", { exact: true }).count()).toBe(0);
    await chooseOption(page, page.getByTestId("role-switcher"), "学校平台管理员");
    await nav.getByText("教师管理", { exact: true }).waitFor();
    await nav.getByText("教师管理", { exact: true }).click();
    await page.waitForURL(/\/users/);
    await page.getByRole("cell", { name: "ra_teacher2" }).waitFor();
    await e2e.shot(page, "school-admin-teachers");
    // The acting role survives a reload, and the server answers in that role.
    await page.reload();
    await page.getByRole("cell", { name: "ra_teacher2" }).waitFor();
    await chooseOption(page, page.getByTestId("role-switcher"), "教师");
    await page.waitForURL(/\/home/);
    expect(await nav.getByText("教师管理", { exact: true }).count()).toBe(0);
    // A page of the other role is not opened in the acting role: the tab goes home and offers
    // to switch to the role that may open it.
    await page.goto(e2e.url + "/users");
    await page.waitForURL(/\/home/);
    const offer = page.locator(".el-message-box");
    await offer.getByText(/打开「教师管理」需要以「学校平台管理员」/).waitFor();
    expect(await nav.getByText("教师管理", { exact: true }).count()).toBe(0);
    await e2e.shot(page, "switch-role-offer");
    await offer.getByRole("button", { name: "切换为学校平台管理员并打开" }).click();
    await page.waitForURL(/\/users$/);
    await page.getByRole("cell", { name: "ra_teacher2" }).waitFor();
    await page.context().close();
  });

  it("lets a school admin lock a teacher with a reason and unlock them again", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_school_admin");
    await chooseOption(page, page.getByTestId("role-switcher"), "学校平台管理员");
    // The switch is done once the school admin's menu is there.
    await page.getByRole("navigation", { name: "主导航" }).getByText("教师管理", { exact: true }).waitFor();
    await page.goto(e2e.url + "/users");
    const row = page.locator(".el-table__row").filter({ hasText: "ra_teacher2" });
    await row.waitFor();
    await row.getByRole("button", { name: "锁定 王丽华" }).click();
    const dialog = page.getByRole("dialog", { name: /锁定账号/ });
    await dialog.getByText("退休", { exact: true }).click();
    await dialog.getByRole("button", { name: "确认锁定" }).click();
    await row.getByText("已锁定").waitFor();
    await dialog.waitFor({ state: "hidden" });
    await e2e.shot(page, "users-locked");
    await row.getByRole("button", { name: "解锁 王丽华" }).click();
    await confirmBox(page, "确认解锁");
    await row.getByText("正常").waitFor();
    await page.context().close();
  });

  it("shows a county reviewer only their own county: no other county's units or users, not even by id", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_county");
    const lucheng = await e2e.server.db.one<{ id: string }>(`SELECT id FROM org_unit WHERE code = '330302'`);

    await page.goto(e2e.url + "/org");
    await page.getByRole("tree", { name: "单位树" }).getByText("瑞安市实验中学").waitFor();
    await e2e.shot(page, "org-ra-county");
    const search = page.getByRole("combobox", { name: "搜索单位" });
    await search.click();
    await search.fill("鹿城");
    await page.locator(".el-select-dropdown:visible").getByText(/没有匹配的单位/).waitFor();

    await page.goto(e2e.url + "/users");
    await page.getByRole("cell", { name: "ra_teacher1" }).waitFor();
    expect(await page.getByRole("cell", { name: "lc_teacher1" }).count()).toBe(0);
    await page.getByLabel("按账号或姓名搜索").fill("lc_");
    await page.getByRole("button", { name: "查询" }).click();
    await page.getByText("没有符合条件的用户").waitFor();
    await e2e.shot(page, "users-ra-county-search-other-county");

    // A hand-made link to the other county's users answers like an unknown unit.
    await page.goto(`${e2e.url}/users?unitId=${lucheng!.id}`);
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("不存在或不在管辖范围内");
    await page.context().close();
  });

  it("lets a city reviewer browse the org tree with counts and page through a county's schools", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "wz_city");
    await page.goto(e2e.url + "/org");
    const tree = page.getByRole("tree", { name: "单位树" });
    await tree.getByText("瑞安市", { exact: true }).click();
    await page.getByRole("cell", { name: "瑞安市实验中学" }).waitFor();
    await e2e.shot(page, "org-wz-city");
    await page.context().close();
  });

  it("shows the province the role assignment audit", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "prov_admin");
    await page.getByRole("navigation", { name: "主导航" }).getByText("角色分配审计").click();
    await page.getByRole("cell", { name: /温州市电教馆审核员/ }).waitFor();
    await e2e.shot(page, "role-audit");
    await page.context().close();
  });
});
