import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, GqlResponseError, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, campaignInput, fullForm, makeTeachers, testCampaign } from "./pipeline-helpers.js";

type Teacher = Client & { phone: string };

const SUB = "TEACHING_SPACE/COUNTY/330381/sub-quota";
const RECOMMENDATIONS = 20;

/**
 * A city lowers a county's sub-quota (10 → 5) while the county fires 20 recommendations at once,
 * over real HTTP, round after round. After every round: the places used never exceed the cap, the
 * cap stored is the one allocated, the counter equals the recommendations standing, and nothing
 * answers INTERNAL_SERVER_ERROR (the allocation either wins — then at most 5 stand — or is refused
 * with QUOTA_BELOW_USED because more than 5 were already made).
 *
 * 100 rounds on PostgreSQL, where requests really run in parallel; 20 on embedded PGlite, which is
 * one session that runs transactions one after another (the race cannot interleave there, and each
 * round costs as much as on PostgreSQL, so more rounds would only add minutes).
 */
describeEachDb("quota allocation racing recommendations", (variant) => {
  const ROUNDS = variant === "postgres" ? 100 : 20;
  let server: TestServer;
  let admin: Client, raCounty: Client, wzCity: Client;
  let campaignId: string;
  let ids: string[];
  let raId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    admin = await loginAs(server.url, "prov_admin");
    [raCounty, wzCity] = await Promise.all(["ra_county", "wz_city"].map((a) => loginAs(server.url, a)));
    campaignId = await testCampaign(admin, 2040);
    const teachers = (await makeTeachers(server.db, RECOMMENDATIONS, "3303810001", "qr", server.url)) as Teacher[];
    ids = [];
    for (const [i, t] of teachers.entries()) {
      ids.push((await applyAndSubmit(t, campaignId, "TEACHING_SPACE", fullForm(t.phone, { personInCharge: `测试教师${i}` }))).id);
    }
    raId = (await admin.gql(`{ ra: searchUnits(query: "330381") { id } }`)).ra[0].id;
    await allocate(10);
  }, 300_000);
  afterAll(() => server?.stop());

  function allocate(places: number) {
    return wzCity.gql(`mutation($c: ID!, $a: [SubQuotaInput!]!) { setCountySubQuotas(campaignId: $c, categoryCode: "TEACHING_SPACE", allocations: $a) { key used cap } }`, {
      c: campaignId,
      a: [{ countyId: raId, places }],
    });
  }

  async function outcome(p: Promise<unknown>): Promise<string> {
    try {
      await p;
      return "OK";
    } catch (e) {
      if (e instanceof GqlResponseError) return String(e.code);
      throw e;
    }
  }

  /** Puts the 20 applications back at the county and the sub-quota back to 10 places, none used. */
  async function reset(): Promise<Map<string, number>> {
    await server.db.tx(async (tx) => {
      await tx.exec(`UPDATE application SET state = 'SUBMITTED', current_level = 'COUNTY', version = version + 1 WHERE id = ANY($1::bigint[])`, [ids]);
      await tx.exec(`UPDATE quota_place SET released_at = now() WHERE campaign_id = $1 AND released_at IS NULL`, [campaignId]);
      await tx.exec(`UPDATE quota_usage SET used = 0 WHERE campaign_id = $1`, [campaignId]);
      await tx.exec(`UPDATE quota_usage SET cap = 10, base_cap = 10 WHERE campaign_id = $1 AND bucket_key = $2`, [campaignId, SUB]);
      await tx.exec(`UPDATE quota_allocation SET places = 10 WHERE campaign_id = $1 AND category_code = 'TEACHING_SPACE'`, [campaignId]);
    });
    const rows = await server.db.rows<{ id: string; version: number }>(`SELECT id, version FROM application WHERE id = ANY($1::bigint[])`, [ids]);
    return new Map(rows.map((r) => [String(r.id), r.version]));
  }

  it(`keeps used ≤ cap and never answers a server error, ${ROUNDS} rounds`, async () => {
    const seen = { allocationWon: 0, allocationRefused: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const versions = await reset();
      // The allocation is sent at a different place among the recommendations each round.
      const at = round % (RECOMMENDATIONS + 1);
      const requests = ids.map((id) =>
        () => outcome(raCounty.gql(`mutation($id: ID!, $v: Int!) { recommendApplication(id: $id, version: $v) { id } }`, { id, v: versions.get(id) })),
      );
      requests.splice(at, 0, () => outcome(allocate(5)));
      const results = await Promise.all(requests.map((send) => send()));
      const [alloc] = results.splice(at, 1);
      const recs = results;
      const where = `round ${round}: allocation ${alloc}, recommendations ${recs.join(",")}`;
      expect(["OK", "QUOTA_BELOW_USED"], where).toContain(alloc);
      for (const r of recs) expect(["OK", "QUOTA_EXCEEDED"], where).toContain(r);

      const s = (await server.db.one<{ used: number; cap: number; places: number; standing: number; held: number }>(
        `SELECT q.used, q.cap,
                (SELECT places FROM quota_allocation WHERE campaign_id = $1 AND category_code = 'TEACHING_SPACE') AS places,
                (SELECT count(*)::int FROM application WHERE id = ANY($3::bigint[]) AND state = 'PENDING') AS standing,
                (SELECT count(*)::int FROM quota_place WHERE campaign_id = $1 AND bucket_key = $2 AND released_at IS NULL) AS held
           FROM quota_usage q WHERE q.campaign_id = $1 AND q.bucket_key = $2`,
        [campaignId, SUB, ids],
      ))!;
      expect(s.used, where).toBeLessThanOrEqual(s.cap);
      expect(s.cap, where).toBe(s.places);
      expect(s.standing, where).toBe(s.used);
      expect(s.held, where).toBe(s.used);
      expect(recs.filter((r) => r === "OK").length, where).toBe(s.used);
      if (alloc === "OK") {
        seen.allocationWon++;
        expect(s.cap, where).toBe(5);
      } else {
        seen.allocationRefused++;
        expect(s.cap, where).toBe(10);
        expect(s.used, where).toBeGreaterThan(5);
      }
    }
    // The same numbers through the API the city sees.
    const q = await wzCity.gql(`query($c: ID!) { quotas(campaignId: $c, categoryCode: "TEACHING_SPACE") { key used cap } }`, { c: campaignId });
    const row = await server.db.one<{ used: number; cap: number }>(`SELECT used, cap FROM quota_usage WHERE campaign_id = $1 AND bucket_key = $2`, [campaignId, SUB]);
    expect(q.quotas.find((b: { key: string }) => b.key === SUB)).toMatchObject({ used: row!.used, cap: row!.cap });
    process.stdout.write(`[quota-race ${variant}] ${ROUNDS} rounds: allocation first ${seen.allocationWon}, refused ${seen.allocationRefused}\n`);
  }, 1_200_000);

  it("keeps a city's quota when the province lowers it in the campaign configuration while the city recommends", async () => {
    const CITY = "TEACHING_SPACE/CITY/330300";
    const rounds = variant === "postgres" ? 15 : 5;
    let changed = 0;
    for (let round = 0; round < rounds; round++) {
      // All 20 wait at the city; the city's quota is back to 10, none used.
      await server.db.tx(async (tx) => {
        await tx.exec(`UPDATE application SET state = 'PENDING', current_level = 'CITY', version = version + 1 WHERE id = ANY($1::bigint[])`, [ids]);
        await tx.exec(`UPDATE quota_place SET released_at = now() WHERE campaign_id = $1 AND released_at IS NULL`, [campaignId]);
        await tx.exec(`UPDATE quota_usage SET used = 0 WHERE campaign_id = $1`, [campaignId]);
        await tx.exec(`UPDATE quota_usage SET cap = 10, base_cap = 10 WHERE campaign_id = $1 AND bucket_key = $2`, [campaignId, CITY]);
        await tx.exec(`UPDATE award_category SET quota = jsonb_set(quota, '{perCity,330300}', '10') WHERE campaign_id = $1 AND code = 'TEACHING_SPACE'`, [campaignId]);
      });
      const rows = await server.db.rows<{ id: string; version: number }>(`SELECT id, version FROM application WHERE id = ANY($1::bigint[])`, [ids]);
      const input = await campaignInput(admin, campaignId);
      input.categories.find((k: { code: string }) => k.code === "TEACHING_SPACE").quota.perCity["330300"] = 5;
      const requests = rows.map((r) => () => outcome(wzCity.gql(`mutation($id: ID!, $v: Int!) { recommendApplication(id: $id, version: $v) { id } }`, { id: r.id, v: r.version })));
      const at = (round * 7) % (RECOMMENDATIONS + 1);
      requests.splice(at, 0, () => outcome(admin.gql(`mutation($id: ID!, $i: CampaignInput!) { updateCampaign(id: $id, input: $i) { id } }`, { id: campaignId, i: input })));
      const results = await Promise.all(requests.map((send) => send()));
      const [change] = results.splice(at, 1);
      const where = `round ${round}: configuration ${change}, recommendations ${results.join(",")}`;
      expect(["OK", "QUOTA_BELOW_USED"], where).toContain(change);
      for (const r of results) expect(["OK", "QUOTA_EXCEEDED"], where).toContain(r);
      const q = (await server.db.one<{ used: number; cap: number; configured: number; standing: number }>(
        `SELECT q.used, q.cap, (SELECT (quota->'perCity'->>'330300')::int FROM award_category WHERE campaign_id = $1 AND code = 'TEACHING_SPACE') AS configured,
                (SELECT count(*)::int FROM application WHERE id = ANY($3::bigint[]) AND state = 'AT_PROVINCE') AS standing
           FROM quota_usage q WHERE q.campaign_id = $1 AND q.bucket_key = $2`,
        [campaignId, CITY, ids],
      ))!;
      expect(q.used, where).toBeLessThanOrEqual(q.cap);
      expect(q.cap, where).toBe(q.configured);
      expect(q.standing, where).toBe(q.used);
      expect(q.cap, where).toBe(change === "OK" ? 5 : 10);
      if (change === "OK") changed++;
    }
    process.stdout.write(`[quota-race ${variant}] configuration: ${rounds} rounds, lowered first ${changed}, refused ${rounds - changed}\n`);
  }, 600_000);

  it("refuses to lower a sub-quota below the places used, naming both numbers", async () => {
    const versions = await reset();
    for (const id of ids.slice(0, 7)) {
      await raCounty.gql(`mutation($id: ID!, $v: Int!) { recommendApplication(id: $id, version: $v) { id } }`, { id, v: versions.get(id) });
    }
    const r = await wzCity.gql(`mutation($c: ID!, $a: [SubQuotaInput!]!) { setCountySubQuotas(campaignId: $c, categoryCode: "TEACHING_SPACE", allocations: $a) { key } }`, {
      c: campaignId,
      a: [{ countyId: raId, places: 5 }],
    }).then(
      () => null,
      (e: GqlResponseError) => e,
    );
    expect(r?.code).toBe("QUOTA_BELOW_USED");
    expect(r?.errors[0]!.message).toBe("「瑞安市」已推荐7个，不能将名额调低到5个（不得少于已推荐的7个）");
    expect(r?.errors[0]!.extensions).toMatchObject({ used: 7, requested: 5 });
  });
});
