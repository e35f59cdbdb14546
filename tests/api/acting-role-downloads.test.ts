import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { JPEG, makeZip } from "../fixtures/files/generate.js";
import { fullForm, review, sampleCase, testCampaign } from "./pipeline-helpers.js";

/**
 * Downloads (attachments, Excel exports) in the role a browser tab acts in. `ra_school_admin`
 * holds SCHOOL_ADMIN and TEACHER; a session starts in TEACHER, and another tab's role switch
 * changes the session's default, so a plain link must name its tab's role (`actingRole`).
 */
describeEachDb("downloads in the tab's acting role", (variant) => {
  let server: TestServer;
  let filesDir: string;
  let admin: Client, teacher: Client, both: Client, county: Client;
  let roles: Record<string, string>;
  let campaignId: string;
  let fileId: string;
  let zip: Buffer;
  const TITLE = "以空间为中心的单元教学实践（附件下载）";

  /** A GET as a browser sends it: the session cookie, plus what the link or the fetch adds. */
  const get = (c: Client, url: string, headers: Record<string, string> = {}) =>
    fetch(server.url + url, { headers: { cookie: `zjh_session=${c.token}`, ...headers } });

  beforeAll(async () => {
    filesDir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "zjh-files-"));
    server = await startTestServer(variant, { FILES_DIR: filesDir });
    [admin, teacher, both, county] = await Promise.all(["prov_admin", "ra_teacher1", "ra_school_admin", "ra_county"].map((a) => loginAs(server.url, a)));
    const me = (await both.gql(`{ me { roles { id role } actingRole { role } } }`)).me;
    expect(me.actingRole.role).toBe("TEACHER");
    roles = Object.fromEntries(me.roles.map((r: { id: string; role: string }) => [r.role, r.id]));

    campaignId = await testCampaign(admin, 2037);
    zip = makeZip([{ name: "课堂.jpg", data: JPEG, store: true }]);
    const form = new FormData();
    form.append("file", new Blob([zip]), "活动照片.zip");
    const up = await fetch(`${server.url}/api/files?purpose=PHOTO_ZIP`, { method: "POST", headers: { authorization: `Bearer ${teacher.token}` }, body: form });
    expect(up.status).toBe(201);
    fileId = ((await up.json()) as { id: string }).id;
    const app = (await teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id version } }`, { c: campaignId })).createApplication;
    const saved = await teacher.gql(
      `mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version } }`,
      { id: app.id, v: app.version, f: fullForm("13857700001", { photoZipFileId: fileId, case: sampleCase(TITLE) }) },
    );
    await review(teacher, "submitApplication", saved.saveApplicationDraft);
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("serves an attachment to the role named by the link, and refuses it to the role that may not see it", async () => {
    const url = `/api/files/${fileId}`;
    // The session's default role (TEACHER) does not see a colleague's application.
    expect((await get(both, url)).status).toBe(404);
    const asAdmin = await get(both, `${url}?actingRole=${roles.SCHOOL_ADMIN}`);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.headers.get("content-disposition")).toMatch(/attachment/);
    expect(Buffer.from(await asAdmin.arrayBuffer()).equals(zip)).toBe(true);
    expect((await get(both, `${url}?actingRole=${roles.TEACHER}`)).status).toBe(404);

    // Another tab switches the session's default to SCHOOL_ADMIN: a link of a TEACHER tab still
    // answers as a teacher.
    await both.gql(`mutation($a: ID!) { switchRole(assignmentId: $a) { id } }`, { a: roles.SCHOOL_ADMIN });
    expect((await get(both, url)).status).toBe(200);
    expect((await get(both, `${url}?actingRole=${roles.TEACHER}`)).status).toBe(404);
    // The header (fetch) still decides when both are given.
    expect((await get(both, `${url}?actingRole=${roles.SCHOOL_ADMIN}`, { "x-acting-role": roles.TEACHER })).status).toBe(404);
    await both.gql(`mutation($a: ID!) { switchRole(assignmentId: $a) { id } }`, { a: roles.TEACHER });
  });

  it("takes only one of the user's own roles from the link: another user's assignment gives no role, not a wider one", async () => {
    const countyRole = (await county.gql(`{ me { actingRole { id } } }`)).me.actingRole.id;
    expect((await get(both, `/api/files/${fileId}?actingRole=${countyRole}`)).status).toBe(404);
    expect((await get(both, `/api/files/${fileId}?actingRole=abc`)).status).toBe(404);
    // The county reviewer itself sees it, with or without naming its role.
    expect((await get(county, `/api/files/${fileId}?actingRole=${countyRole}`)).status).toBe(200);
  });

  async function exportTitles(res: Response): Promise<string[]> {
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(3).values as unknown[]).indexOf("案例标题");
    const titles: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 3) titles.push(String(row.getCell(header).value ?? ""));
    });
    return titles;
  }

  it("exports a list in the acting role's scope: the fetch's header or the link's parameter", async () => {
    const url = `/api/export/applications.xlsx?campaignId=${campaignId}`;
    // Session default TEACHER: only the user's own applications (none).
    expect(await exportTitles(await get(both, url))).toEqual([]);
    // The web app fetches exports with the tab's header.
    expect(await exportTitles(await get(both, url, { "x-acting-role": roles.SCHOOL_ADMIN }))).toEqual([TITLE]);
    // A plain link names the role the same way as an attachment link; it is not a list filter.
    expect(await exportTitles(await get(both, `${url}&actingRole=${roles.SCHOOL_ADMIN}`))).toEqual([TITLE]);
    expect(await exportTitles(await get(both, `${url}&actingRole=${roles.TEACHER}`))).toEqual([]);
    // Not one of the user's roles: no role at all, refused.
    const countyRole = (await county.gql(`{ me { actingRole { id } } }`)).me.actingRole.id;
    const refused = await get(both, `${url}&actingRole=${countyRole}`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  });
});
