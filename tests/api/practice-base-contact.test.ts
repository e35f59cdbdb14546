import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { exportSheet } from "../support/xlsx.js";
import { PDF } from "../fixtures/files/generate.js";
import { testCampaign } from "./pipeline-helpers.js";

async function uploadScan(server: TestServer, c: Client): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([PDF]), "盖章扫描件.pdf");
  const res = await fetch(`${server.url}/api/files?purpose=STAMPED_SCAN`, { method: "POST", headers: { authorization: `Bearer ${c.token}` }, body: form });
  return ((await res.json()) as { id: string }).id;
}

const FIELDS = `id kind kindLabel state version unitId contactName unitName note unit { name kind }`;
const SAVE = `mutation($c: ID!, $i: RegionalContactInput!, $id: ID, $v: Int) { saveRegionalContact(campaignId: $c, input: $i, id: $id, version: $v) { ${FIELDS} } }`;
const LIST = `query($c: ID!) { regionalContacts(campaignId: $c) { total items { ${FIELDS} } } }`;
const APPROVE = `mutation($id: ID!, $v: Int!) { approveRegionalContact(id: $id, version: $v) { ${FIELDS} } }`;

/** 附件1 填写说明2: "实践教育基地管理部门请在备注栏备注" — a city names the department managing its practice bases. */
describeEachDb("a city's practice-base management department as a contact", (variant) => {
  let server: TestServer;
  let admin: Client, wzCity: Client, hzCity: Client, lcCounty: Client, teacher: Client;
  let campaignId: string;
  let filesDir: string;
  let units: Record<string, string>;
  let contactId: string;

  const department = (scan: string, over: Record<string, unknown> = {}) => ({
    kind: "PRACTICE_BASE_DEPARTMENT",
    unitId: units.wz,
    contactName: "林晓峰",
    unitName: "温州市教育局基础教育处",
    jobTitle: "科长",
    officePhone: "0577-88960001",
    mobile: "13857700088",
    platformAccount: "lc_teacher1",
    postalAddress: "温州市鹿城区",
    note: "实践教育基地管理部门，负责温州市青少年科技实践教育基地",
    stampedScanFileId: scan,
    ...over,
  });

  beforeAll(async () => {
    filesDir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "zjh-pbdept-"));
    server = await startTestServer(variant, { FILES_DIR: filesDir });
    [admin, wzCity, hzCity, lcCounty, teacher] = await Promise.all(["prov_admin", "wz_city", "hz_city", "lc_county", "pb_teacher1"].map((a) => loginAs(server.url, a)));
    campaignId = await testCampaign(admin, 2037);
    const u = await admin.gql(`{ wz: searchUnits(query: "330300") { id } lc: searchUnits(query: "330302") { id } }`);
    units = { wz: u.wz[0].id, lc: u.lc[0].id };
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("a department represents the city and says so in the note; a county or a missing note is refused by name", async () => {
    const toCounty = await wzCity.raw(SAVE, { c: campaignId, i: department(await uploadScan(server, wzCity), { unitId: units.lc }) });
    expect(toCounty.errors?.[0]?.extensions).toMatchObject({ code: "BAD_INPUT", field: "unitId" });
    expect(toCounty.errors?.[0]?.message).toContain("设区市");
    const noNote = await wzCity.raw(SAVE, { c: campaignId, i: department(await uploadScan(server, wzCity), { note: " " }) });
    expect(noNote.errors?.[0]?.extensions).toMatchObject({ code: "BAD_INPUT", field: "note" });
    expect(noNote.errors?.[0]?.message).toContain("备注");

    const c = (await wzCity.gql(SAVE, { c: campaignId, i: department(await uploadScan(server, wzCity)) })).saveRegionalContact;
    expect(c).toMatchObject({ kind: "PRACTICE_BASE_DEPARTMENT", kindLabel: "实践教育基地管理部门", state: "SUBMITTED", unit: { name: "温州市", kind: "CITY" }, unitName: "温州市教育局基础教育处" });
    contactId = c.id;
  });

  it("outsiders neither see nor file nor approve it: another city, a county, a teacher, the city itself approving", async () => {
    expect((await hzCity.gql(LIST, { c: campaignId })).regionalContacts.total).toBe(0);
    expect(await hzCity.errorCode(SAVE, { c: campaignId, i: department("1") })).toBe("NOT_FOUND");
    expect(await lcCounty.errorCode(SAVE, { c: campaignId, i: department("1") })).toBe("FORBIDDEN");
    expect(await teacher.errorCode(LIST, { c: campaignId })).toBe("FORBIDDEN");
    const v = (await wzCity.gql(LIST, { c: campaignId })).regionalContacts.items.find((x: { id: string }) => x.id === contactId).version;
    for (const c of [wzCity, hzCity, teacher]) expect(["FORBIDDEN", "NOT_FOUND"]).toContain(await c.errorCode(APPROVE, { id: contactId, v }));
  });

  it("the province sees it among the contacts and approves it like any contact, without granting a reviewer role", async () => {
    const list = (await admin.gql(LIST, { c: campaignId })).regionalContacts;
    const row = list.items.find((x: { id: string }) => x.id === contactId);
    expect(row).toMatchObject({ kind: "PRACTICE_BASE_DEPARTMENT", state: "SUBMITTED" });
    const approved = (await admin.gql(APPROVE, { id: contactId, v: row.version })).approveRegionalContact;
    expect(approved).toMatchObject({ state: "APPROVED", kind: "PRACTICE_BASE_DEPARTMENT" });

    const contact = await loginAs(server.url, "lc_teacher1");
    const me = await contact.gql(`{ me { roles { role } } notifications { items { kind title } } }`);
    expect(me.me.roles.map((r: { role: string }) => r.role)).toEqual(["TEACHER"]);
    expect(me.notifications.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "CONTACT_APPROVED", title: "已确认为实践教育基地管理部门联系人" })]));
    const grants = await server.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'ROLE_GRANT' AND data->>'contactId' = $1`, [contactId]);
    expect(grants!.n).toBe(0);
  });

  it("the contacts export names the kind, for the province and the city", async () => {
    for (const c of [admin, wzCity]) {
      const res = await fetch(`${server.url}/api/export/regional-contacts.xlsx?campaignId=${campaignId}`, { headers: { authorization: `Bearer ${c.token}` } });
      const s = await exportSheet(res);
      expect(s.rows).toEqual([
        expect.objectContaining({ 设区市: "温州市", 联系人: "林晓峰", 所属单位: "温州市教育局基础教育处", 备注: "实践教育基地管理部门，负责温州市青少年科技实践教育基地", 联系人类别: "实践教育基地管理部门", 状态: "已通过" }),
      ]);
    }
    const res = await fetch(`${server.url}/api/export/regional-contacts.xlsx?campaignId=${campaignId}`, { headers: { authorization: `Bearer ${hzCity.token}` } });
    expect((await exportSheet(res)).rows).toEqual([]);
  });
});
