// The province-scale benchmark data set (tests/bench/province-data.ts), built at a small scale into
// a throwaway PostgreSQL database: the real server started on it must find the data usable and
// consistent, and a second build with the same seed must give the same rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../apps/server/src/config.js";
import { openDb, type Db } from "../../apps/server/src/db/data-source.js";
import { seed } from "../../apps/server/src/db/seed.js";
import { startServer, type RunningServer } from "../../apps/server/src/app.js";
import { demoCampaignId } from "../../apps/server/src/modules/campaign/campaign.seed.js";
import { loadCampaign } from "../../apps/server/src/modules/campaign/campaign.service.js";
import { unitKey } from "../../apps/server/src/modules/campaign/unit-key.util.js";
import { demoCase } from "../../apps/server/src/modules/application/application.seed.js";
import { insertApplication } from "../../apps/server/src/modules/application/application.service.js";
import { applyTransition } from "../../apps/server/src/modules/application/pipeline.service.js";
import { hashPassword } from "../../apps/server/src/modules/auth/password.js";
import { buildProvinceData, GENERATED_PASSWORD, rowChecksums, SMALL, type ServerModules } from "../bench/province-data.js";
import { loginAs } from "../support/client.js";
import { createThrowawayDatabase, pgReachable } from "../support/pg.js";

const PG = await pgReachable();
if (!PG) process.stderr.write("\n[tests] PostgreSQL at 127.0.0.1:5432 is not reachable: the province data set test is SKIPPED.\n\n");

const server: ServerModules = { openDb, seed, hashPassword, demoCampaignId, loadCampaign, unitKey, demoCase, insertApplication, applyTransition };
const WAITING = ["SUBMITTED", "PENDING", "AT_PROVINCE"];

describe.skipIf(!PG)("province data set (small scale, PostgreSQL)", () => {
  let tmp: Awaited<ReturnType<typeof createThrowawayDatabase>>;
  let db: Db;
  let app: RunningServer;
  let url: string;
  let campaignId: string;
  let checksums: Record<string, string>;

  beforeAll(async () => {
    tmp = await createThrowawayDatabase();
    await buildProvinceData(server, tmp.url, SMALL);
    checksums = await rowChecksums(tmp.url);
    db = await openDb({ databaseUrl: tmp.url });
    app = await startServer({ ...loadConfig(process.env), port: 0, host: "127.0.0.1" }, db);
    url = app.url;
    campaignId = (await demoCampaignId(db))!;
  }, 900_000);

  afterAll(async () => {
    if (app) {
      await new Promise<void>((r) => app.httpServer.close(() => r()));
      await app.close().catch(() => undefined);
    }
    await db?.close().catch(() => undefined);
    await tmp?.drop();
  });

  it("has the scale asked for, applications in every state and history for each", async () => {
    const n = async (sql: string) => Number((await db.one<{ n: string }>(sql))!.n);
    expect(await n(`SELECT count(*) AS n FROM app_user u WHERE account LIKE 'zj%' AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')`)).toBe(SMALL.teachers);
    // The demo seed's own applications come on top of the generated ones.
    expect(await n(`SELECT count(*) AS n FROM application a JOIN app_user u ON u.id = a.applicant_user_id WHERE u.account ~ '^(zj|sa|cr)'`)).toBe(SMALL.applications);
    const states = (await db.rows<{ state: string }>(`SELECT DISTINCT state FROM application`)).map((r) => r.state).sort();
    expect(states).toEqual(["AT_PROVINCE", "DISQUALIFIED", "DRAFT", "EXPERT_REVIEW", "FINALIZED", "NOT_SELECTED", "PENDING", "REJECTED", "RETURNED", "SUBMITTED", "WITHDRAWN"]);
    // Every submitted application has its revisions and a history row per transition.
    expect(await n(`SELECT count(*) AS n FROM application a WHERE a.state <> 'DRAFT' AND a.first_submitted_at IS NOT NULL
                      AND (SELECT count(*) FROM application_revision r WHERE r.application_id = a.id) <> a.revision`)).toBe(0);
    expect(await n(`SELECT count(*) AS n FROM application a WHERE a.version <> 1 + (SELECT count(*) FROM review_action h WHERE h.application_id = a.id)`)).toBe(0);
    expect(await n(`SELECT count(*) AS n FROM application WHERE revision = 2`)).toBeGreaterThan(0);
    // The day rows add up to the month and year totals.
    expect(await n(`SELECT count(*) AS n FROM activity_total t
                     WHERE t.points <> (SELECT coalesce(sum(d.points), 0) FROM activity_daily d WHERE d.account = t.account
                                          AND (CASE WHEN length(t.period) = 4 THEN d.year::text ELSE d.year || '-' || lpad(d.month::text, 2, '0') END) = t.period)`)).toBe(0);
  });

  it("lists a county's waiting applications in its reviewer's queue", async () => {
    const top = (await db.one<{ county_id: string; code: string }>(
      `SELECT a.county_id, o.code FROM application a JOIN org_unit o ON o.id = a.county_id
        WHERE a.campaign_id = $1 AND a.state = ANY($2::text[]) AND a.current_level = 'COUNTY'
        GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
      [campaignId, WAITING],
    ))!;
    const expected = (await db.rows<{ id: string }>(
      `SELECT id::text FROM application WHERE campaign_id = $1 AND state = ANY($2::text[]) AND current_level = 'COUNTY' AND county_id = $3 ORDER BY id`,
      [campaignId, WAITING, top.county_id],
    )).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    const reviewer = await (await loginAs(url, `cr${top.code}`, GENERATED_PASSWORD)).as("COUNTY_REVIEWER");
    const q = await reviewer.gql(`query($c: ID!) { reviewQueue(campaignId: $c, limit: 200) { total items { id state } } }`, { c: campaignId });
    expect(q.reviewQueue.total).toBe(expected.length);
    expect(q.reviewQueue.items.map((i: { id: string }) => i.id).sort()).toEqual([...expected].sort());
  });

  it("keeps every quota counter equal to the places recommendations hold", async () => {
    const wrong = await db.rows(
      `SELECT q.bucket_key, q.used, (SELECT count(*) FROM quota_place p WHERE p.campaign_id = q.campaign_id AND p.bucket_key = q.bucket_key AND p.released_at IS NULL) AS held
         FROM quota_usage q WHERE q.used <> (SELECT count(*) FROM quota_place p WHERE p.campaign_id = q.campaign_id AND p.bucket_key = q.bucket_key AND p.released_at IS NULL)`,
    );
    expect(wrong).toEqual([]);
    // Each place held was taken by a recommendation of its application at its level and revision,
    // and the application is still past that level.
    const stray = await db.rows(
      `SELECT p.id FROM quota_place p JOIN review_action h ON h.id = p.taken_by_action JOIN application a ON a.id = p.application_id
        WHERE p.released_at IS NULL AND (h.action <> 'recommend' OR h.application_id <> a.id OR h.level <> p.level OR p.revision <> a.revision
              OR a.state IN ('DRAFT','SUBMITTED','RETURNED','WITHDRAWN'))`,
    );
    expect(stray).toEqual([]);
    const places = Number((await db.one<{ n: string }>(`SELECT count(*) AS n FROM quota_place WHERE released_at IS NULL`))!.n);
    expect(places).toBeGreaterThan(0);
    // The county reviewer sees the same counters through the API.
    const top = (await db.one<{ unit_id: string; code: string }>(
      `SELECT q.unit_id, o.code FROM quota_usage q JOIN org_unit o ON o.id = q.unit_id WHERE o.kind = 'COUNTY' AND q.campaign_id = $1 ORDER BY q.used DESC, q.bucket_key LIMIT 1`,
      [campaignId],
    ))!;
    const reviewer = await (await loginAs(url, `cr${top.code}`, GENERATED_PASSWORD)).as("COUNTY_REVIEWER");
    const q = await reviewer.gql(`query($c: ID!) { quotas(campaignId: $c) { key used } }`, { c: campaignId });
    expect(q.quotas.length).toBeGreaterThan(0);
    for (const b of q.quotas as { key: string; used: number }[]) {
      const held = Number((await db.one<{ n: string }>(
        `SELECT count(*) AS n FROM quota_place WHERE campaign_id = $1 AND bucket_key = $2 AND released_at IS NULL`, [campaignId, b.key],
      ))!.n);
      expect(b.used, b.key).toBe(held);
    }
    expect(q.quotas.some((b: { used: number }) => b.used > 0)).toBe(true);
  });

  it("lets a generated teacher log in with the documented password", async () => {
    const t = (await db.one<{ account: string; name: string }>(
      `SELECT account, name FROM app_user WHERE account LIKE 'zj%' AND NOT locked ORDER BY id LIMIT 1`,
    ))!;
    const c = await loginAs(url, t.account, GENERATED_PASSWORD);
    const me = await c.gql(`{ me { account name roles { role } } }`);
    expect(me.me).toMatchObject({ account: t.account, name: t.name });
    expect(me.me.roles.map((r: { role: string }) => r.role)).toContain("TEACHER");
  });

  it("answers statistics with the totals a direct SQL sum gives", async () => {
    const admin = await loginAs(url, "prov_admin", GENERATED_PASSWORD);
    const sum = async (pathPrefix: string, period: string) =>
      (await db.one<{ teachers: string; active: string; points: string }>(
        `SELECT count(*) AS teachers, count(*) FILTER (WHERE coalesce(t.points, 0) >= 1) AS active, coalesce(sum(t.points), 0) AS points
           FROM app_user u LEFT JOIN activity_total t ON t.account = u.account AND t.period = $2
          WHERE NOT u.locked AND u.unit_path LIKE $1 AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')`,
        [pathPrefix + "%", period],
      ))!;
    const units = await db.rows<{ id: string; path: string }>(
      `(SELECT id::text, path FROM org_unit WHERE kind = 'PROVINCE') UNION ALL
       (SELECT o.id::text, o.path FROM org_unit o WHERE o.kind = 'COUNTY' ORDER BY (SELECT count(*) FROM app_user u WHERE u.unit_path LIKE o.path || '%') DESC, o.id LIMIT 1)`,
    );
    for (const u of units) {
      for (const period of [`${SMALL.year}`, `${SMALL.year}-03`]) {
        const r = await admin.gql(`query($u: ID, $p: String!) { unitActivity(unitId: $u, period: $p) { teachers activeTeachers totalPoints } }`, { u: u.id, p: period });
        const s = await sum(u.path, period);
        expect(r.unitActivity, `${u.path} ${period}`).toEqual({ teachers: Number(s.teachers), activeTeachers: Number(s.active), totalPoints: Number(s.points) });
        expect(Number(s.points)).toBeGreaterThan(0);
      }
    }
  });

  it("gives the same rows when built again with the same seed", async () => {
    const again = await createThrowawayDatabase();
    try {
      await buildProvinceData(server, again.url, SMALL);
      expect(await rowChecksums(again.url)).toEqual(checksums);
    } finally {
      await again.drop();
    }
  }, 900_000);

  it("leaves out the applicants the demo seed already filed for (every county files a regional application)", async () => {
    const again = await createThrowawayDatabase();
    try {
      const small = { ...SMALL, teachers: 300, schools: 10, applications: 120, activeDays: 2, regions: 1_000 };
      await buildProvinceData(server, again.url, small);
      const other = await openDb({ databaseUrl: again.url });
      try {
        const one = async (sql: string) => Number((await other.one<{ n: string }>(sql))!.n);
        // Every county holds exactly one regional application: the demo seed's or a generated one.
        expect(await one(`SELECT count(*) AS n FROM org_unit WHERE kind = 'COUNTY'`)).toBeGreaterThan(1);
        expect(await one(`SELECT count(DISTINCT applicant_unit_id) AS n FROM application WHERE applicant_kind = 'REGION'`)).toBe(
          await one(`SELECT count(*) AS n FROM org_unit WHERE kind = 'COUNTY'`),
        );
        expect(await one(`SELECT count(*) AS n FROM application WHERE applicant_kind = 'REGION'`)).toBe(
          await one(`SELECT count(DISTINCT applicant_unit_id) AS n FROM application WHERE applicant_kind = 'REGION'`),
        );
      } finally {
        await other.close();
      }
    } finally {
      await again.drop();
    }
  }, 900_000);
});
