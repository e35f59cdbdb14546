import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PDF } from "../fixtures/files/generate.js";
import { testCampaign } from "../api/pipeline-helpers.js";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

/**
 * The account-change rule (H1) on its third path: approving a regional contact grants the named
 * account a reviewer role, so the approver must outrank every role that account already holds,
 * where it is held — as for grantRole, resetPassword and the teacher import.
 */

const SAVE = `mutation($c: ID!, $i: RegionalContactInput!) { saveRegionalContact(campaignId: $c, input: $i) { id version state } }`;
const APPROVE = `mutation($id: ID!, $v: Int!) { approveRegionalContact(id: $id, version: $v) { id state } }`;

describeEachDb("contact approval follows the account-change rule", (variant) => {
  let server: TestServer;
  let admin: Client, wzCity: Client;
  let campaignId: string, ohId: string, lcId: string;
  let filesDir: string;

  async function scan(): Promise<string> {
    const form = new FormData();
    form.append("file", new Blob([PDF]), "盖章扫描件.pdf");
    const res = await fetch(`${server.url}/api/files?purpose=STAMPED_SCAN`, { method: "POST", headers: { authorization: `Bearer ${wzCity.token}` }, body: form });
    return ((await res.json()) as { id: string }).id;
  }

  async function contactFor(unitId: string, account: string) {
    const input = {
      unitId, contactName: "吴志强", unitName: "教育技术中心", jobTitle: "主任", officePhone: "0577-88905096", mobile: "13857700021",
      platformAccount: account, postalAddress: "温州市", note: null, stampedScanFileId: await scan(),
    };
    return (await wzCity.gql(SAVE, { c: campaignId, i: input })).saveRegionalContact as { id: string; version: number };
  }

  const rolesOf = async (account: string) =>
    (await server.db.rows<{ role: string }>(`SELECT r.role FROM role_assignment r JOIN app_user u ON u.id = r.user_id WHERE u.account = $1 ORDER BY r.role`, [account])).map((r) => r.role);

  beforeAll(async () => {
    filesDir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "zjh-contact-rule-"));
    server = await startTestServer(variant, { FILES_DIR: filesDir });
    [admin, wzCity] = await Promise.all(["prov_admin", "wz_city"].map((a) => loginAs(server.url, a)));
    campaignId = await testCampaign(admin, 2027);
    const u = await admin.gql(`{ oh: searchUnits(query: "330304") { id } lc: searchUnits(query: "330302") { id } }`);
    [ohId, lcId] = [u.oh[0].id, u.lc[0].id];
    // A second province administrator (as `pnpm admin create` would make one): a teacher of 鹿城区.
    await server.db.exec(
      `INSERT INTO role_assignment (user_id, role, unit_id)
       SELECT u.id, 'PROVINCE_ADMIN', p.id FROM app_user u, org_unit p WHERE u.account = 'lc_teacher1' AND p.parent_id IS NULL`,
    );
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("refuses to approve a contact whose account holds a role the approver does not outrank; nothing is granted", async () => {
    expect(await rolesOf("lc_teacher1")).toEqual(["PROVINCE_ADMIN", "TEACHER"]);
    const c = await contactFor(lcId, "lc_teacher1");
    const r = await admin.raw(APPROVE, { id: c.id, v: c.version });
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(r.errors?.[0]?.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await rolesOf("lc_teacher1")).toEqual(["PROVINCE_ADMIN", "TEACHER"]);
    const state = (await admin.gql(`query($c: ID!) { regionalContacts(campaignId: $c) { items { id state } } }`, { c: campaignId })).regionalContacts.items.find((x: { id: string }) => x.id === c.id);
    expect(state.state).toBe("SUBMITTED");
  });

  it("approves a contact whose account holds only roles below the province", async () => {
    const c = await contactFor(ohId, "oh_teacher1");
    expect((await admin.gql(APPROVE, { id: c.id, v: c.version })).approveRegionalContact.state).toBe("APPROVED");
    expect(await rolesOf("oh_teacher1")).toEqual(["COUNTY_REVIEWER", "TEACHER"]);
  });
});
