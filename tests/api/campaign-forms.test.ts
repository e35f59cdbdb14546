import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { PDF } from "../fixtures/files/generate.js";
import { testCampaign } from "./pipeline-helpers.js";

async function uploadScan(server: TestServer, c: Client): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([PDF]), "盖章扫描件.pdf");
  const res = await fetch(`${server.url}/api/files?purpose=STAMPED_SCAN`, {
    method: "POST",
    headers: { authorization: `Bearer ${c.token}`, ...(c.actingRole ? { "x-acting-role": c.actingRole } : {}) },
    body: form,
  });
  return ((await res.json()) as { id: string }).id;
}

const CONTACT = `id state version unitId contactName officePhone mobile platformAccount reviewComment stampedScan { id } unit { name }`;
const CLUB = `id state version unitId form { region unitName leaderName leaderPhone members { name } lessons { no title } direction stampedScanFileId }`;

function clubForm(scan: string | null) {
  return {
    region: "瑞安市",
    stage: "JUNIOR",
    unitName: "瑞安市实验中学",
    leaderName: "林晓东",
    leaderPhone: "13857700009",
    adminName: "陈晓明",
    adminPhone: "0577-65812345",
    members: [{ name: "王丽华", unit: "瑞安市实验中学", title: "数学教师", task: "课程设计" }],
    direction: "SCIENCE",
    plan: { time: "每周三下午", audience: "七、八年级学生", content: "编程与实验探究", schedule: "4月至12月", measures: "校内外导师结对指导" },
    theme: "校园气象站的数据探究",
    schedule: "4月组建团队，5月至11月开展活动，12月总结展示",
    lessons: [{ no: 1, title: "认识传感器", lecturer: "王丽华", unit: "瑞安市实验中学", mobile: "13857700002" }],
    stampedScanFileId: scan,
  };
}

describeEachDb("regional contacts and club-space registrations", (variant) => {
  let server: TestServer;
  let admin: Client, wzCity: Client, hzCity: Client, lcCounty: Client, schoolAdmin: Client, teacher: Client;
  let campaignId: string;
  let filesDir: string;
  let units: Record<string, string>;

  beforeAll(async () => {
    filesDir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "zjh-forms-"));
    server = await startTestServer(variant, { FILES_DIR: filesDir });
    [admin, wzCity, hzCity, lcCounty, schoolAdmin, teacher] = await Promise.all(
      ["prov_admin", "wz_city", "hz_city", "lc_county", "ra_school_admin", "ra_teacher1"].map((a) => loginAs(server.url, a)),
    );
    await schoolAdmin.as("SCHOOL_ADMIN");
    campaignId = await testCampaign(admin, 2027);
    const u = await admin.gql(`{ oh: searchUnits(query: "330304") { id } wz: searchUnits(query: "330300") { id } }`);
    units = { oh: u.oh[0].id, wz: u.wz[0].id };
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("checks a contact field by field: phones, the account, the stamped scan", async () => {
    const r = await wzCity.raw(`mutation($c: ID!, $i: RegionalContactInput!) { saveRegionalContact(campaignId: $c, input: $i) { id } }`, {
      c: campaignId,
      i: { unitId: units.oh, contactName: "吴主任", unitName: "瓯海区教育技术中心", jobTitle: "主任", officePhone: "88905096", mobile: "1385770002", platformAccount: "no_such_account", postalAddress: "温州市瓯海区", stampedScanFileId: null },
    });
    const v = r.errors![0]!.extensions!.violations as { field: string; rule: string }[];
    expect(v.map((x) => `${x.field}:${x.rule}`).sort()).toEqual(["mobile:mobile", "officePhone:officePhone", "platformAccount:accountExists", "stampedScanFileId:required"]);
    expect(r.errors![0]!.message).toMatch(/办公电话/);
  });

  it("files a contact, lets the province send it back and then approve it, granting the reviewer role", async () => {
    const scan = await uploadScan(server, wzCity);
    const input = { unitId: units.oh, contactName: "吴志强", unitName: "瓯海区教育技术中心", jobTitle: "主任", officePhone: "0577-88905096", mobile: "13857700021", platformAccount: "oh_teacher1", postalAddress: "温州市瓯海区娄桥街道", note: null, stampedScanFileId: scan };
    let c = (await wzCity.gql(`mutation($c: ID!, $i: RegionalContactInput!) { saveRegionalContact(campaignId: $c, input: $i) { ${CONTACT} } }`, { c: campaignId, i: input })).saveRegionalContact;
    expect(c).toMatchObject({ state: "SUBMITTED", unit: { name: "瓯海区" }, stampedScan: { id: scan } });

    // Out of scope: another city neither sees it nor can act; county reviewers cannot file contacts.
    expect((await hzCity.gql(`query($c: ID!) { regionalContacts(campaignId: $c) { total } }`, { c: campaignId })).regionalContacts.total).toBe(0);
    expect(await lcCounty.errorCode(`mutation($c: ID!, $i: RegionalContactInput!) { saveRegionalContact(campaignId: $c, input: $i) { id } }`, { c: campaignId, i: input })).toBe("FORBIDDEN");
    expect(await hzCity.errorCode(`mutation($c: ID!, $i: RegionalContactInput!) { saveRegionalContact(campaignId: $c, input: $i) { id } }`, { c: campaignId, i: input })).toBe("NOT_FOUND");

    c = (await admin.gql(`mutation($id: ID!, $v: Int!) { rejectRegionalContact(id: $id, version: $v, reason: "扫描件不清晰，请重新扫描") { ${CONTACT} } }`, { id: c.id, v: c.version })).rejectRegionalContact;
    expect(c).toMatchObject({ state: "REJECTED", reviewComment: "扫描件不清晰，请重新扫描" });
    const notes = await wzCity.gql(`{ notifications(unreadOnly: true) { items { kind body } } }`);
    expect(notes.notifications.items[0]).toMatchObject({ kind: "CONTACT_REJECTED" });

    c = (await wzCity.gql(`mutation($c: ID!, $i: RegionalContactInput!, $id: ID, $v: Int) { saveRegionalContact(campaignId: $c, input: $i, id: $id, version: $v) { ${CONTACT} } }`, {
      c: campaignId, i: { ...input, stampedScanFileId: await uploadScan(server, wzCity) }, id: c.id, v: c.version,
    })).saveRegionalContact;
    expect(c.state).toBe("SUBMITTED");
    expect(await wzCity.errorCode(`mutation($id: ID!, $v: Int!) { approveRegionalContact(id: $id, version: $v) { id } }`, { id: c.id, v: c.version })).toBe("FORBIDDEN");
    c = (await admin.gql(`mutation($id: ID!, $v: Int!) { approveRegionalContact(id: $id, version: $v) { ${CONTACT} } }`, { id: c.id, v: c.version })).approveRegionalContact;
    expect(c.state).toBe("APPROVED");

    const contact = await loginAs(server.url, "oh_teacher1");
    const me = await contact.gql(`{ me { roles { role unit { name } } } notifications { items { kind } } }`);
    expect(me.me.roles).toEqual(expect.arrayContaining([{ role: "COUNTY_REVIEWER", unit: { name: "瓯海区" } }]));
    expect(me.notifications.items.map((n: { kind: string }) => n.kind)).toContain("CONTACT_APPROVED");
    const audit = await server.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'ROLE_GRANT' AND data->>'via' = 'regional_contact'`);
    expect(audit!.n).toBe(1);
    expect((await admin.gql(`query($c: ID!) { regionalContacts(campaignId: $c, state: APPROVED) { total } }`, { c: campaignId })).regionalContacts.total).toBe(1);

    const xlsx = async (c: Client, name: string) => {
      const res = await fetch(`${server.url}/api/export/${name}.xlsx?campaignId=${campaignId}`, { headers: { authorization: `Bearer ${c.token}` } });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      return wb.worksheets[0]!.getSheetValues().slice(4).filter(Boolean).map((r) => (r as unknown[]).slice(1));
    };
    expect(await xlsx(wzCity, "regional-contacts")).toEqual([
      ["温州市", "吴志强", "瓯海区", "330304", "瓯海区教育技术中心", "主任", "0577-88905096", "13857700021", "oh_teacher1", "温州市瓯海区娄桥街道", undefined, "区域活动联系人", "已通过", expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)],
    ]);
    expect(await xlsx(hzCity, "regional-contacts")).toEqual([]);
  });

  it("refuses contacts after the CONTACTS deadline", async () => {
    const late = await testCampaign(admin, 2029, (i) => {
      i.stages.find((s: { stage: string }) => s.stage === "CONTACTS").deadline = "2021-04-10";
    });
    const r = await wzCity.raw(`mutation($c: ID!, $i: RegionalContactInput!) { saveRegionalContact(campaignId: $c, input: $i) { id } }`, {
      c: late,
      i: { unitId: units.wz, contactName: "张三", unitName: "温州市电化教育馆", jobTitle: "科长", officePhone: "0577-88905096", mobile: "13857700099", platformAccount: "wz_city", postalAddress: "温州市", stampedScanFileId: await uploadScan(server, wzCity) },
    });
    expect(r.errors![0]!.extensions!.code).toBe("DEADLINE_PASSED");
  });

  it("registers a club space: drafts saved at any time, the whole form and the stamped scan required to submit", async () => {
    let club = (await schoolAdmin.gql(`mutation($c: ID!) { createClubRegistration(campaignId: $c) { ${CLUB} } }`, { c: campaignId })).createClubRegistration;
    expect(club).toMatchObject({ state: "DRAFT", form: { region: "瑞安市", unitName: "瑞安市实验中学" } });
    club = (await schoolAdmin.gql(`mutation($id: ID!, $v: Int!, $f: ClubRegistrationInput!) { saveClubRegistration(id: $id, version: $v, form: $f) { ${CLUB} } }`, {
      id: club.id, v: club.version, f: { theme: "草稿" },
    })).saveClubRegistration;
    const bad = await schoolAdmin.raw(`mutation($id: ID!, $v: Int!, $f: ClubRegistrationInput!) { saveClubRegistration(id: $id, version: $v, form: $f) { id } }`, {
      id: club.id, v: club.version, f: { ...clubForm(null), leaderPhone: "123", lessons: [{ no: 1, title: "a", mobile: "1" }, { no: 1, title: "b" }] },
    });
    const rules = (bad.errors![0]!.extensions!.violations as { field: string; rule: string }[]).map((v) => `${v.field}:${v.rule}`);
    expect(rules).toEqual(expect.arrayContaining(["leaderPhone:phone", "lessons[0].mobile:mobile", "lessons[1].no:unique"]));

    const early = await schoolAdmin.raw(`mutation($id: ID!, $v: Int!) { submitClubRegistration(id: $id, version: $v) { id } }`, { id: club.id, v: club.version });
    const missing = (early.errors![0]!.extensions!.violations as { field: string }[]).map((v) => v.field);
    expect(missing).toEqual(expect.arrayContaining(["leaderName", "members", "direction", "lessons", "stampedScanFileId"]));

    const scan = await uploadScan(server, schoolAdmin);
    club = (await schoolAdmin.gql(`mutation($id: ID!, $v: Int!, $f: ClubRegistrationInput!) { saveClubRegistration(id: $id, version: $v, form: $f) { ${CLUB} } }`, {
      id: club.id, v: club.version, f: clubForm(scan),
    })).saveClubRegistration;
    // Another unit's draft is invisible even to its city.
    expect(await wzCity.errorCode(`query($id: ID!) { clubRegistration(id: $id) { id } }`, { id: club.id })).toBe("NOT_FOUND");
    club = (await schoolAdmin.gql(`mutation($id: ID!, $v: Int!) { submitClubRegistration(id: $id, version: $v) { ${CLUB} } }`, { id: club.id, v: club.version })).submitClubRegistration;
    expect(club.state).toBe("SUBMITTED");

    const wz = await wzCity.gql(`query($c: ID!) { clubRegistrations(campaignId: $c) { items { id form { theme } } total } notifications { items { kind } } }`, { c: campaignId });
    expect(wz.clubRegistrations.items).toEqual([{ id: club.id, form: { theme: "校园气象站的数据探究" } }]);
    expect(wz.notifications.items.map((n: { kind: string }) => n.kind)).toContain("CLUB_REGISTERED");
    expect((await hzCity.gql(`query($c: ID!) { clubRegistrations(campaignId: $c) { total } }`, { c: campaignId })).clubRegistrations.total).toBe(0);
    expect(await lcCounty.errorCode(`query($id: ID!) { clubRegistration(id: $id) { id } }`, { id: club.id })).toBe("NOT_FOUND");
    expect(await teacher.errorCode(`mutation($c: ID!) { createClubRegistration(campaignId: $c) { id } }`, { c: campaignId })).toBe("FORBIDDEN");
    const again = await schoolAdmin.raw(`mutation($id: ID!, $v: Int!, $f: ClubRegistrationInput!) { saveClubRegistration(id: $id, version: $v, form: $f) { id } }`, { id: club.id, v: club.version, f: clubForm(scan) });
    expect(again.errors![0]!.extensions!.code).toBe("INVALID_TRANSITION");

    const file = await fetch(`${server.url}/api/files/${scan}`, { headers: { authorization: `Bearer ${wzCity.token}` } });
    expect(file.status).toBe(200);

    const res = await fetch(`${server.url}/api/export/club-registrations.xlsx?campaignId=${campaignId}`, { headers: { authorization: `Bearer ${wzCity.token}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const rows = wb.worksheets[0]!.getSheetValues().slice(4).filter(Boolean).map((r) => (r as unknown[]).slice(1, 6));
    expect(rows).toEqual([["瑞安市", "瑞安市实验中学", "3303810001", "初中", "少年科学院（信息技术、实验探究等方向）"]]);
  });

  it("refuses club registrations after the CLUB_REGISTRATION deadline", async () => {
    const late = await testCampaign(admin, 2030, (i) => {
      i.stages.find((s: { stage: string }) => s.stage === "CLUB_REGISTRATION").deadline = "2021-04-20";
    });
    let club = (await schoolAdmin.gql(`mutation($c: ID!) { createClubRegistration(campaignId: $c) { id version } }`, { c: late })).createClubRegistration;
    club = (await schoolAdmin.gql(`mutation($id: ID!, $v: Int!, $f: ClubRegistrationInput!) { saveClubRegistration(id: $id, version: $v, form: $f) { id version } }`, {
      id: club.id, v: club.version, f: clubForm(await uploadScan(server, schoolAdmin)),
    })).saveClubRegistration;
    const r = await schoolAdmin.raw(`mutation($id: ID!, $v: Int!) { submitClubRegistration(id: $id, version: $v) { id } }`, { id: club.id, v: club.version });
    expect(r.errors![0]!.extensions!.code).toBe("DEADLINE_PASSED");
    expect(r.errors![0]!.message).toMatch(/2021年4月20日/);
  });
});
