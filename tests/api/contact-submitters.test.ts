import { afterAll, beforeAll, expect, it } from "vitest";
import { testCampaign } from "./pipeline-helpers.js";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { statements } from "../support/statements.js";

const LIST = `query($c: ID!, $limit: Int!) {
  regionalContacts(campaignId: $c, offset: 0, limit: $limit) { total items { id contactName submittedBy { id name account } } }
}`;

interface Item {
  id: string;
  contactName: string;
  submittedBy: { id: string; name: string; account: string };
}

describeEachDb("regional contacts name their submitters in one batched lookup", (variant) => {
  let server: TestServer;
  let admin: Client;
  let campaignId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    admin = await loginAs(server.url, "prov_admin");
    campaignId = await testCampaign(admin, 2027);
    // Twenty contacts of twenty cities and counties, each filed by a different account.
    await server.db.exec(
      `INSERT INTO regional_contact (campaign_id, unit_id, city_id, unit_path, form, submitted_by)
       SELECT $1, o.id, COALESCE(o.city_id, o.id), o.path, jsonb_build_object('contactName', '联系人' || o.n), u.id
         FROM (SELECT id, city_id, path, row_number() OVER (ORDER BY path) AS n FROM org_unit WHERE kind IN ('CITY', 'COUNTY')) o
         JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM app_user) u ON u.n = o.n
        WHERE o.n <= 20`,
      [campaignId],
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("names each submitter by account and name", async () => {
    const r = (await admin.gql(LIST, { c: campaignId, limit: 20 })).regionalContacts;
    expect(r.total).toBe(20);
    const ids: string[] = r.items.map((i: Item) => i.id);
    const want = await server.db.rows<{ id: string; user_id: string; name: string; account: string }>(
      `SELECT c.id, u.id AS user_id, u.name, u.account FROM regional_contact c JOIN app_user u ON u.id = c.submitted_by WHERE c.id = ANY($1::bigint[])`,
      [ids],
    );
    const byId = new Map(want.map((w) => [String(w.id), w]));
    expect(new Set(want.map((w) => String(w.user_id))).size).toBe(20);
    for (const i of r.items as Item[]) {
      const w = byId.get(i.id)!;
      expect(i.submittedBy).toEqual({ id: String(w.user_id), name: w.name, account: w.account });
    }
  });

  it("sends as many statements for 20 contacts as for 2 (no lookup per row)", async () => {
    // Warm up once (login state, campaign cache) so both counts see the same request.
    await admin.gql(LIST, { c: campaignId, limit: 1 });
    const two = await statements(server.db, () => admin.gql(LIST, { c: campaignId, limit: 2 }));
    const twenty = await statements(server.db, () => admin.gql(LIST, { c: campaignId, limit: 20 }));
    expect(two.filter((s) => /FROM app_user/.test(s))).toHaveLength(1);
    expect(twenty.filter((s) => /FROM app_user/.test(s))).toHaveLength(1);
    expect(twenty.length).toBe(two.length);
  });
});
