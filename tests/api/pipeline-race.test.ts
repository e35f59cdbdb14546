import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, GqlResponseError, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, fullForm, makeTeachers, review, testCampaign } from "./pipeline-helpers.js";

type Teacher = Client & { phone: string };

/**
 * Everyone who may act on one application acts at once, on the version they all loaded: two
 * county reviewers (recommend, return, reject) and the applicant (withdraw). Exactly one
 * transition happens, the others are refused with CONFLICT (or INVALID_TRANSITION), never a
 * server error; the history holds exactly one entry after the submission, and the quota counter
 * matches the recommendations standing. Then the same at the city: a recommendation to the
 * province racing the county's withdrawal of its recommendation.
 */
describeEachDb("one transition when everyone acts at once", (variant) => {
  const ROUNDS = variant === "postgres" ? 12 : 4;
  let server: TestServer;
  let raCounty: Client, reviewer2: Client, wzCity: Client;
  let teachers: Teacher[];
  let campaignId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    const admin = await loginAs(server.url, "prov_admin");
    [raCounty, wzCity] = await Promise.all(["ra_county", "wz_city"].map((a) => loginAs(server.url, a)));
    campaignId = await testCampaign(admin, 2043);
    teachers = (await makeTeachers(server.db, ROUNDS * 2 + 1, "3303810001", "pr", server.url)) as Teacher[];
    // The last one is also a second reviewer of 瑞安市 (granted by the city).
    teachers.pop();
    const account = `pr${String(ROUNDS * 2).padStart(3, "0")}`;
    const ids = await wzCity.gql(`query($a: String!) { u: users(search: $a) { items { id } } c: searchUnits(query: "330381") { id } }`, { a: account });
    await wzCity.gql(`mutation($u: ID!, $c: ID!) { grantRole(userId: $u, role: COUNTY_REVIEWER, unitId: $c) { id } }`, { u: ids.u.items[0].id, c: ids.c[0].id });
    reviewer2 = await (await loginAs(server.url, account)).as("COUNTY_REVIEWER");
  }, 300_000);
  afterAll(() => server?.stop());

  async function outcome(p: Promise<unknown>): Promise<string> {
    try {
      await p;
      return "OK";
    } catch (e) {
      if (e instanceof GqlResponseError) return String(e.code);
      throw e;
    }
  }
  const historyAfterSubmit = async (id: string) =>
    (await server.db.rows<{ action: string }>(`SELECT action FROM review_action WHERE application_id = $1 AND action <> 'submit' ORDER BY id`, [id])).map((r) => r.action);

  it(`at the county: recommend, return, reject and withdraw at once, ${ROUNDS} rounds`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const t = teachers[round]!;
      const app = await applyAndSubmit(t, campaignId, "TEACHING_SPACE", fullForm(t.phone, { personInCharge: `测试教师${round}` }));
      const all = await Promise.all([
        outcome(review(raCounty, "recommendApplication", app)),
        outcome(review(reviewer2, "returnApplication", app, `comment: "请补充"`)),
        outcome(review(reviewer2, "rejectApplication", app, `reason: "不符合条件"`)),
        outcome(t.gql(`mutation($id: ID!, $v: Int!) { withdrawApplication(id: $id, version: $v) { id } }`, { id: app.id, v: app.version })),
      ]);
      const where = `round ${round}: ${all.join(",")}`;
      expect(all.filter((r) => r === "OK"), where).toHaveLength(1);
      for (const r of all.filter((x) => x !== "OK")) expect(["CONFLICT", "INVALID_TRANSITION"], where).toContain(r);
      expect(await historyAfterSubmit(app.id), where).toHaveLength(1);
    }
  }, 600_000);

  it(`at the city: a recommendation to the province races the county's withdrawal, ${ROUNDS} rounds`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const t = teachers[ROUNDS + round]!;
      const submitted = await applyAndSubmit(t, campaignId, "TEACHING_SPACE", fullForm(t.phone, { personInCharge: `测试教师${ROUNDS + round}` }));
      const pending = await review(raCounty, "recommendApplication", submitted);
      const [rec, wd] = await Promise.all([
        outcome(review(wzCity, "recommendApplication", pending)),
        outcome(review(raCounty, "withdrawRecommendation", pending)),
      ]);
      const where = `round ${round}: recommend ${rec}, withdraw ${wd}`;
      expect([rec, wd].filter((r) => r === "OK"), where).toHaveLength(1);
      const h = await historyAfterSubmit(pending.id);
      expect(h, where).toEqual(["recommend", rec === "OK" ? "recommend" : "withdrawRecommendation"]);
    }
    // The city's counter equals the applications it has standing at the province.
    const s = (await server.db.one<{ used: number; standing: number }>(
      `SELECT (SELECT used FROM quota_usage WHERE campaign_id = $1 AND bucket_key = 'TEACHING_SPACE/CITY/330300') AS used,
              (SELECT count(*)::int FROM application WHERE campaign_id = $1 AND state = 'AT_PROVINCE') AS standing`,
      [campaignId],
    ))!;
    expect(s.used ?? 0).toBe(s.standing);
  }, 600_000);
});
