import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { PDF } from "../fixtures/files/generate.js";
import { testCampaign } from "../api/pipeline-helpers.js";

async function uploadScan(server: TestServer, c: Client): Promise<{ id: string; url: string }> {
  const form = new FormData();
  form.append("file", new Blob([PDF]), "盖章扫描件.pdf");
  const res = await fetch(`${server.url}/api/files?purpose=STAMPED_SCAN`, {
    method: "POST",
    headers: { authorization: `Bearer ${c.token}`, ...(c.actingRole ? { "x-acting-role": c.actingRole } : {}) },
    body: form,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; url: string };
}

function get(server: TestServer, c: Client, url: string): Promise<number> {
  return fetch(server.url + url, { headers: { authorization: `Bearer ${c.token}`, ...(c.actingRole ? { "x-acting-role": c.actingRole } : {}) } }).then((r) => r.status);
}

function clubForm(unitName: string, region: string, scan: string | null) {
  return {
    region, stage: "JUNIOR", unitName, leaderName: "林晓东", leaderPhone: "13857700009", adminName: "陈晓明", adminPhone: "0577-65812345",
    members: [{ name: "王丽华", unit: unitName, title: "数学教师", task: "课程设计" }], direction: "SCIENCE",
    plan: { time: "每周三下午", audience: "七、八年级学生", content: "编程与实验探究", schedule: "4月至12月", measures: "校内外导师结对指导" },
    theme: "校园气象站的数据探究", schedule: "4月组建团队，5月至11月开展活动，12月总结展示",
    lessons: [{ no: 1, title: "认识传感器", lecturer: "王丽华", unit: unitName, mobile: "13857700002" }],
    stampedScanFileId: scan,
  };
}

const SAVE_CLUB = `mutation($id: ID!, $v: Int!, $f: ClubRegistrationInput!) { saveClubRegistration(id: $id, version: $v, form: $f) { id version form { stampedScanFileId } } }`;
const SAVE_CONTACT = `mutation($c: ID!, $i: RegionalContactInput!) { saveRegionalContact(campaignId: $c, input: $i) { id stampedScan { id url } } }`;

describeEachDb("file access: attach only one's own files, download by permission and scope, unguessable ids", (variant) => {
  let server: TestServer;
  let admin: Client, wzCity: Client, hzCity: Client, schoolAdmin: Client, teacher: Client, expert: Client;
  let campaignId: string;
  let filesDir: string;
  let units: Record<string, string>;
  let clubScan: { id: string; url: string };
  let draftScan: { id: string; url: string };
  let contactScan: { id: string; url: string };

  beforeAll(async () => {
    filesDir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "zjh-access-"));
    server = await startTestServer(variant, { FILES_DIR: filesDir });
    [admin, wzCity, hzCity, schoolAdmin, teacher, expert] = await Promise.all(
      ["prov_admin", "wz_city", "hz_city", "ra_school_admin", "ra_teacher1", "expert_hz"].map((a) => loginAs(server.url, a)),
    );
    await schoolAdmin.as("SCHOOL_ADMIN");
    campaignId = await testCampaign(admin, 2027);
    const u = await admin.gql(`{ wz: searchUnits(query: "330300") { id } hz: searchUnits(query: "330100") { id } }`);
    units = { wz: u.wz[0].id, hz: u.hz[0].id };

    // 瑞安市实验中学 registers a club space with its stamped scan and submits it.
    clubScan = await uploadScan(server, schoolAdmin);
    let club = (await schoolAdmin.gql(`mutation($c: ID!) { createClubRegistration(campaignId: $c) { id version } }`, { c: campaignId })).createClubRegistration;
    club = (await schoolAdmin.gql(SAVE_CLUB, { id: club.id, v: club.version, f: clubForm("瑞安市实验中学", "瑞安市", clubScan.id) })).saveClubRegistration;
    await schoolAdmin.gql(`mutation($id: ID!, $v: Int!) { submitClubRegistration(id: $id, version: $v) { id } }`, { id: club.id, v: club.version });
    //温州 files a regional contact with its scan.
    contactScan = await uploadScan(server, wzCity);
    await wzCity.gql(SAVE_CONTACT, {
      c: campaignId,
      i: { unitId: units.wz, contactName: "张三", unitName: "温州市电化教育馆", jobTitle: "科长", officePhone: "0577-88905096", mobile: "13857700099", platformAccount: "wz_city", postalAddress: "温州市", stampedScanFileId: contactScan.id },
    });
    draftScan = await uploadScan(server, schoolAdmin);
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("names files by 128-bit random ids, not by sequential numbers", async () => {
    for (const f of [clubScan, contactScan, draftScan]) {
      expect(f.id).toMatch(/^[0-9a-f]{32}$/);
      expect(f.url).toBe(`/api/files/${f.id}`);
    }
    expect(new Set([clubScan.id, contactScan.id, draftScan.id]).size).toBe(3);
    // The internal sequence leads nowhere, not even for the uploader.
    for (const n of ["1", "2", "3"]) expect(await get(server, schoolAdmin, `/api/files/${n}`)).toBe(404);
  });

  it("refuses another unit's scan on one's own club registration (the 杭州 → 瑞安 theft), and the file stays out of reach", async () => {
    const own = (await hzCity.gql(`mutation($c: ID!) { createClubRegistration(campaignId: $c) { id version } }`, { c: campaignId })).createClubRegistration;
    const r = await hzCity.raw(SAVE_CLUB, { id: own.id, v: own.version, f: clubForm("杭州市教育局", "杭州市", clubScan.id) });
    expect(r.errors![0]!.extensions!.code).toBe("BAD_INPUT");
    expect((r.errors![0]!.extensions!.violations as { field: string; rule: string }[])[0]).toMatchObject({ field: "stampedScanFileId", rule: "file" });
    expect(await get(server, hzCity, clubScan.url)).toBe(404);
    // The draft keeps what it had: no link was made.
    const after = (await hzCity.gql(`query($id: ID!) { clubRegistration(id: $id) { version form { stampedScanFileId } } }`, { id: own.id })).clubRegistration;
    expect(after).toEqual({ version: own.version, form: { stampedScanFileId: null } });
  });

  it("refuses another city's scan on one's own regional contact", async () => {
    const r = await hzCity.raw(SAVE_CONTACT, {
      c: campaignId,
      i: { unitId: units.hz, contactName: "李四", unitName: "杭州市教育局", jobTitle: "科长", officePhone: "0571-88905096", mobile: "13857700098", platformAccount: "hz_city", postalAddress: "杭州市", stampedScanFileId: contactScan.id },
    });
    expect(r.errors![0]!.extensions!.code).toBe("BAD_INPUT");
    expect((r.errors![0]!.extensions!.violations as { field: string }[]).map((v) => v.field)).toContain("stampedScanFileId");
    expect(await get(server, hzCity, contactScan.url)).toBe(404);
  });

  it("serves a club scan only to roles that may read club registrations, in scope: not to the school's teachers", async () => {
    expect(await get(server, wzCity, clubScan.url)).toBe(200);
    expect(await get(server, admin, clubScan.url)).toBe(200);
    expect(await get(server, schoolAdmin, clubScan.url)).toBe(200);
    expect(await get(server, teacher, clubScan.url)).toBe(404);
    expect(await get(server, hzCity, clubScan.url)).toBe(404);
    expect(await get(server, expert, clubScan.url)).toBe(404);
  });

  it("serves a contact scan only to roles that may read contacts, in scope: not to experts", async () => {
    expect(await get(server, admin, contactScan.url)).toBe(200);
    expect(await get(server, wzCity, contactScan.url)).toBe(200);
    expect(await get(server, expert, contactScan.url)).toBe(404);
    expect(await get(server, teacher, contactScan.url)).toBe(404);
    expect(await get(server, hzCity, contactScan.url)).toBe(404);
  });

  it("keeps an unattached upload to its uploader", async () => {
    expect(await get(server, schoolAdmin, draftScan.url)).toBe(200);
    for (const c of [admin, wzCity, teacher, expert]) expect(await get(server, c, draftScan.url)).toBe(404);
  });
});
