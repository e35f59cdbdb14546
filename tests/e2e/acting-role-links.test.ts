import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fullForm, review, sampleCase, testCampaign } from "../api/pipeline-helpers.js";
import { JPEG, makeZip } from "../fixtures/files/generate.js";
import { loginAs } from "../support/client.js";
import { describeEachDb } from "../support/server.js";
import { chooseOption, startE2E, type E2E } from "./support/browser.js";

/**
 * Two tabs of one user in two roles: the attachment link of the school administrator's tab
 * downloads the file even after the other tab switched the session to the teacher role (who may
 * not see a colleague's application).
 */
describeEachDb("attachment links in the tab's acting role", (variant) => {
  let e2e: E2E;
  let appId: string;
  const TITLE = "两个标签页里的附件下载";
  const zip = makeZip([{ name: "课堂.jpg", data: JPEG, store: true }]);

  beforeAll(async () => {
    e2e = await startE2E("acting-role-links", variant);
    const [admin, teacher] = await Promise.all(["prov_admin", "ra_teacher1"].map((a) => loginAs(e2e.url, a)));
    const campaignId = await testCampaign(admin, 2038);
    const form = new FormData();
    form.append("file", new Blob([zip]), "活动照片.zip");
    const up = await fetch(`${e2e.url}/api/files?purpose=PHOTO_ZIP`, { method: "POST", headers: { authorization: `Bearer ${teacher.token}` }, body: form });
    const fileId = ((await up.json()) as { id: string }).id;
    const app = (await teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id version } }`, { c: campaignId })).createApplication;
    const saved = await teacher.gql(
      `mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version } }`,
      { id: app.id, v: app.version, f: fullForm("13857700001", { photoZipFileId: fileId, case: sampleCase(TITLE) }) },
    );
    await review(teacher, "submitApplication", saved.saveApplicationDraft);
    appId = app.id;
  });
  afterAll(() => e2e?.stop());

  it("downloads a colleague's attachment in the school administrator's tab after another tab switched to the teacher role", async () => {
    const page = await e2e.newPage();
    await e2e.login(page, "ra_school_admin");
    const nav = page.getByRole("navigation", { name: "主导航" });
    await chooseOption(page, page.getByTestId("role-switcher"), "学校平台管理员");
    await nav.getByText("教师管理", { exact: true }).waitFor();
    await page.goto(`${e2e.url}/applications/${appId}`);
    await page.getByRole("heading", { name: TITLE }).waitFor();

    // A second tab of the same browser switches the session to the teacher role.
    const other = await page.context().newPage();
    await other.goto(e2e.url + "/home");
    await other.getByTestId("user-name").waitFor();
    await chooseOption(other, other.getByTestId("role-switcher"), "教师");
    const session = () =>
      e2e.server.db.one<{ role: string }>(
        `SELECT r.role FROM user_session s JOIN role_assignment r ON r.id = s.acting_assignment_id JOIN app_user u ON u.id = s.user_id WHERE u.account = 'ra_school_admin'`,
      );
    await expect.poll(async () => (await session())?.role).toBe("TEACHER");

    const link = page.getByRole("link", { name: "活动照片.zip" });
    expect(await link.getAttribute("href")).toMatch(/^\/api\/files\/[0-9a-f]{32}\?actingRole=\d+$/);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("活动照片.zip");
    expect(fs.readFileSync((await download.path())!).equals(zip)).toBe(true);
    await page.context().close();
  });
});
