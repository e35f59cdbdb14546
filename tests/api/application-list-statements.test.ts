import { afterAll, beforeAll, expect, it } from "vitest";
import { applyAndSubmit, fullForm, testCampaign } from "./pipeline-helpers.js";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { statements } from "../support/statements.js";
import { makeTeachers } from "./pipeline-helpers.js";

// The lists of applications the web app asks for (applications/reviewQueue with each row's
// allowedActions, the quota places of each row) send as many statements for a long page as for
// a short one: every per-row field is batched for the request.
const ROW = `id title state currentLevel revision version allowedActions quotaPlaces { bucketKey level revision }
  applicant { id name account } applicantUnit { id name } county { id name } city { id name }`;
const LIST = `query($c: ID!, $limit: Int!) { applications(campaignId: $c, offset: 0, limit: $limit) { total items { ${ROW} } } }`;
const QUEUE = `query($c: ID!, $limit: Int!) { reviewQueue(campaignId: $c, offset: 0, limit: $limit) { total items { ${ROW} } } }`;
const N = 12;

type Teacher = Client & { phone: string };

describeEachDb("application lists: statements per page do not grow with the rows", (variant) => {
  let server: TestServer;
  let admin: Client, county: Client, city: Client;
  let campaignId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    admin = await loginAs(server.url, "prov_admin");
    [county, city] = await Promise.all(["ra_county", "wz_city"].map((a) => loginAs(server.url, a)));
    campaignId = await testCampaign(admin, 2041);
    const teachers = (await makeTeachers(server.db, N, "3303810001", "ls", server.url)) as Teacher[];
    for (const [i, t] of teachers.entries()) {
      const app = await applyAndSubmit(t, campaignId, "TEACHING_SPACE", fullForm(t.phone, { personInCharge: `测试教师${i}` }));
      // A third go on to the city (each holding a county place), so rows differ in state and places.
      if (i % 3 === 0) {
        await county.gql(`mutation($id: ID!, $v: Int!) { recommendApplication(id: $id, version: $v) { id } }`, { id: app.id, v: app.version });
      }
    }
  }, 300_000);
  afterAll(() => server?.stop());

  async function count(c: Client, query: string, limit: number): Promise<{ n: number; rows: number }> {
    let rows = 0;
    const seen = await statements(server.db, async () => {
      const d = await c.gql(query, { c: campaignId, limit });
      rows = (Object.values(d)[0] as { items: unknown[] }).items.length;
    });
    return { n: seen.length, rows };
  }

  for (const [who, query] of [
    ["the province's application list", LIST],
    ["the county's application list", LIST],
    ["the county's review queue", QUEUE],
    ["the city's application list", LIST],
  ] as const) {
    it(`${who}: 2 rows and ${N} rows cost the same statements`, async () => {
      const c = who.includes("province") ? admin : who.includes("county") ? county : city;
      await c.gql(query, { c: campaignId, limit: 1 });
      const short = await count(c, query, 2);
      const long = await count(c, query, 100);
      expect(short.rows).toBe(2);
      expect(long.rows).toBeGreaterThanOrEqual(who.includes("city") ? 4 : N - 4);
      expect(long.n, `${who}: ${short.n} statements for 2 rows, ${long.n} for ${long.rows}`).toBe(short.n);
    });
  }

  it("gives each row the same actions as the application's own page", async () => {
    const list = (await county.gql(LIST, { c: campaignId, limit: 100 })).applications.items as { id: string; allowedActions: string[] }[];
    expect(list.length).toBeGreaterThanOrEqual(N);
    for (const row of list) {
      const one = (await county.gql(`query($id: ID!) { application(id: $id) { allowedActions } }`, { id: row.id })).application;
      expect(row.allowedActions, row.id).toEqual(one.allowedActions);
    }
    expect(list.some((r) => r.allowedActions.includes("recommend"))).toBe(true);
    expect(list.some((r) => r.allowedActions.includes("withdrawRecommendation"))).toBe(true);
  });
});
