import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../apps/server/src/db/data-source.js";
import { insertUnit } from "../../apps/server/src/db/seed.js";
import { Client, GqlResponseError, loginAs } from "../support/client.js";
import { DEMO } from "../support/demo.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, current, fullForm, review, testCampaign } from "./pipeline-helpers.js";

/**
 * Two pipeline paths over HTTP on both databases, beyond the default county → city → province:
 * - a campaign that wants school confirmation (SCHOOL first on a teacher's path): the school admin
 *   confirms (or returns) before the county can act, and a practice base's admin confirms for its
 *   teachers, whose path then goes straight to the city;
 * - practice-base schools, whose SCHOOL recommendations to the province have their own cap of 3
 *   per city (SCHOOL/CITY/<city>/practice-base), apart from the city's school places.
 */

const SCHOOL_LEVELS = ["SCHOOL", "COUNTY", "CITY", "PROVINCE"];

async function refusal(p: Promise<unknown>): Promise<{ code?: string; message: string; field?: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GqlResponseError) {
      const x = e.errors[0]!;
      return { code: x.extensions?.code, message: x.message, field: x.extensions?.field };
    }
    throw e;
  }
  throw new Error("expected the server to refuse");
}

async function queueIds(c: Client, campaignId: string): Promise<string[]> {
  const q = await c.gql(`query($c: ID!) { reviewQueue(campaignId: $c, limit: 100) { items { id } } }`, { c: campaignId });
  return q.reviewQueue.items.map((a: { id: string }) => a.id);
}

async function allowed(c: Client, id: string): Promise<string[]> {
  return (await c.gql(`query($id: ID!) { application(id: $id) { allowedActions } }`, { id })).application.allowedActions;
}

/**
 * School admins of practice bases under 温州市 (the seeded base and new ones), created in the
 * database directly as makeTeachers does: there is no self-service creation of units or accounts.
 */
async function practiceBaseAdmins(db: Db, baseUrl: string, n: number): Promise<(Client & { unitCode: string; unitName: string })[]> {
  const city = await db.one<{ id: string; path: string; depth: number; city_id: string | null; county_id: string | null }>(
    `SELECT id, path, depth, city_id, county_id FROM org_unit WHERE code = '330300'`,
  );
  const hash = await db.one<{ password_hash: string }>(`SELECT password_hash FROM app_user WHERE account = $1`, [DEMO.TEACHER]);
  const out: (Client & { unitCode: string; unitName: string })[] = [];
  for (let i = 1; i <= n; i++) {
    const code = `PB330300000${i}`;
    let base = await db.one<{ id: string; path: string; name: string }>(`SELECT id, path, name FROM org_unit WHERE code = $1`, [code]);
    if (!base) {
      const name = `温州市第${i}实践教育基地`;
      const u = await insertUnit(db, { kind: "PRACTICE_BASE", code, name }, city!);
      base = { id: u.id, path: u.path, name };
    }
    const account = `pb_admin${i}`;
    const user = await db.one<{ id: string }>(
      `INSERT INTO app_user (account, name, phone, home_unit_id, unit_path, password_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [account, `基地管理员${i}`, `1395770010${i}`, base.id, base.path, hash!.password_hash],
    );
    await db.exec(`INSERT INTO role_assignment (user_id, role, unit_id) VALUES ($1, 'SCHOOL_ADMIN', $2)`, [user!.id, base.id]);
    const c = (await (await loginAs(baseUrl, account)).as("SCHOOL_ADMIN")) as Client & { unitCode: string; unitName: string };
    c.unitCode = code;
    c.unitName = base.name;
    out.push(c);
  }
  return out;
}

describeEachDb("pipeline paths: school confirmation and practice-base quotas", (variant) => {
  let server: TestServer;
  let admin: Client, teacher: Client, teacher2: Client, pbTeacher: Client, schoolAdmin: Client, raCounty: Client, wzCity: Client;
  let bases: (Client & { unitCode: string; unitName: string })[];

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, teacher, teacher2, pbTeacher, schoolAdmin, raCounty, wzCity] = await Promise.all(
      [DEMO.PROVINCE_ADMIN, DEMO.TEACHER, "ra_teacher2", "pb_teacher1", DEMO.SCHOOL_ADMIN, DEMO.COUNTY_REVIEWER, DEMO.CITY_REVIEWER].map((a) => loginAs(server.url, a)),
    );
    await schoolAdmin.as("SCHOOL_ADMIN");
    bases = await practiceBaseAdmins(server.db, server.url, 4);
  });
  afterAll(() => server?.stop());

  it("holds a teacher's application at the school until the school admin confirms it; only then can the county act", async () => {
    const campaignId = await testCampaign(admin, 2040, (i) => {
      i.levels = SCHOOL_LEVELS;
    });
    let app = await applyAndSubmit(teacher, campaignId, "TEACHING_SPACE", fullForm("13857700001"));
    expect(app).toMatchObject({ state: "SUBMITTED", currentLevel: "SCHOOL", levels: SCHOOL_LEVELS, revision: 1 });

    // Before the school confirms: not in the county's (or the city's) queue, and no action of theirs goes through.
    expect(await queueIds(raCounty, campaignId)).not.toContain(app.id);
    expect(await queueIds(wzCity, campaignId)).not.toContain(app.id);
    expect(await allowed(raCounty, app.id)).toEqual([]);
    const early = await refusal(review(raCounty, "recommendApplication", app));
    expect(early.code).toBe("FORBIDDEN");
    expect(early.message).toMatch(/学校的「学校平台管理员」/);
    expect((await refusal(review(raCounty, "returnApplication", app, `comment: "请修改"`))).code).toBe("FORBIDDEN");
    expect((await refusal(review(raCounty, "rejectApplication", app, `reason: "不符合条件"`))).code).toBe("FORBIDDEN");
    expect((await refusal(review(wzCity, "recommendApplication", app))).code).toBe("FORBIDDEN");
    const untouched = await current(teacher, app.id);
    expect(untouched).toMatchObject({ state: "SUBMITTED", currentLevel: "SCHOOL", version: app.version });
    expect(untouched.history.map((h: { action: string }) => h.action)).toEqual(["submit"]);

    // The school admin of the teacher's school has it in the queue and confirms it.
    expect(await queueIds(schoolAdmin, campaignId)).toEqual([app.id]);
    expect(await allowed(schoolAdmin, app.id)).toEqual(["recommend", "return", "reject"]);
    app = await review(schoolAdmin, "recommendApplication", app, `comment: "学校确认，同意报送"`);
    expect(app).toMatchObject({ state: "PENDING", currentLevel: "COUNTY" });
    expect(app.history.at(-1)).toMatchObject({
      action: "recommend", level: "SCHOOL", fromState: "SUBMITTED", toState: "PENDING", actorRole: "SCHOOL_ADMIN", comment: "学校确认，同意报送", revision: 1,
    });
    // School confirmation takes no quota place.
    const places = await raCounty.gql(`query($id: ID!) { application(id: $id) { quotaPlaces { bucketKey } } }`, { id: app.id });
    expect(places.application.quotaPlaces).toEqual([]);

    // Now it waits in the county's queue; the school may take its confirmation back until the county acts.
    expect(await queueIds(schoolAdmin, campaignId)).toEqual([]);
    expect(await queueIds(raCounty, campaignId)).toEqual([app.id]);
    expect(await allowed(raCounty, app.id)).toEqual(["recommend", "return", "reject"]);
    expect(await allowed(schoolAdmin, app.id)).toEqual(["withdrawRecommendation"]);
    app = await review(raCounty, "recommendApplication", app);
    expect(app).toMatchObject({ state: "PENDING", currentLevel: "CITY" });
    expect((await refusal(review(schoolAdmin, "withdrawRecommendation", app))).code).toBe("FORBIDDEN");
    expect(await queueIds(wzCity, campaignId)).toEqual([app.id]);
    expect(app.history.map((h: { action: string; level: string | null }) => [h.action, h.level])).toEqual([
      ["submit", null], ["recommend", "SCHOOL"], ["recommend", "COUNTY"],
    ]);
  });

  it("lets the school return it to the teacher; it never reaches the county, and the resubmitted revision starts at the school again", async () => {
    const campaignId = await testCampaign(admin, 2041, (i) => {
      i.levels = SCHOOL_LEVELS;
    });
    let app = await applyAndSubmit(teacher2, campaignId, "TEACHING_SPACE", fullForm("13857700002", { personInCharge: "王丽华" }));
    expect(app).toMatchObject({ state: "SUBMITTED", currentLevel: "SCHOOL" });

    const blank = await refusal(review(schoolAdmin, "returnApplication", app, `comment: "  "`));
    expect(blank).toMatchObject({ code: "BAD_INPUT", field: "comment" });
    expect(blank.message).toMatch(/请填写退回意见/);
    app = await review(schoolAdmin, "returnApplication", app, `comment: "请补充学校近一年的空间应用数据"`);
    expect(app).toMatchObject({ state: "RETURNED", currentLevel: null, revision: 1 });

    // The teacher sees the school's comment; the county never had it to act on.
    const seen = await current(teacher2, app.id);
    expect(seen.history.at(-1)).toMatchObject({ action: "return", level: "SCHOOL", actorRole: "SCHOOL_ADMIN", comment: "请补充学校近一年的空间应用数据", revision: 1 });
    expect(await queueIds(raCounty, campaignId)).not.toContain(app.id);
    expect((await refusal(review(raCounty, "recommendApplication", app))).code).toBe("INVALID_TRANSITION");

    // Revised and resubmitted: revision 2 waits at the school again, not at the county.
    const saved = await teacher2.gql(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version } }`, {
      id: app.id, v: seen.version, f: fullForm("13857700002", { personInCharge: "王丽华", jobTitle: "数学教研组长" }),
    });
    app = await review(teacher2, "resubmitApplication", saved.saveApplicationDraft);
    expect(app).toMatchObject({ state: "SUBMITTED", currentLevel: "SCHOOL", revision: 2 });
    expect(await queueIds(raCounty, campaignId)).not.toContain(app.id);
    expect((await refusal(review(raCounty, "recommendApplication", app))).code).toBe("FORBIDDEN");

    app = await review(schoolAdmin, "recommendApplication", app);
    expect(app).toMatchObject({ state: "PENDING", currentLevel: "COUNTY", revision: 2 });
    const queue = await raCounty.gql(`query($c: ID!) { reviewQueue(campaignId: $c) { items { id revision allowedActions } } }`, { c: campaignId });
    expect(queue.reviewQueue.items).toEqual([{ id: app.id, revision: 2, allowedActions: ["recommend", "return", "reject"] }]);
  });

  it("has a practice base's admin confirm its teacher's application, which then goes to the city (a base has no county)", async () => {
    const campaignId = await testCampaign(admin, 2042, (i) => {
      i.levels = SCHOOL_LEVELS;
    });
    const base = bases[0]!;
    expect(base.unitCode).toBe("PB3303000001");
    let app = await applyAndSubmit(
      pbTeacher, campaignId, "TEACHING_SPACE",
      fullForm("13857700031", { county: "温州市", unitName: "温州市青少年科技实践教育基地", personInCharge: "何志远" }),
    );
    expect(app).toMatchObject({ state: "SUBMITTED", currentLevel: "SCHOOL", levels: ["SCHOOL", "CITY", "PROVINCE"] });

    expect(await queueIds(wzCity, campaignId)).not.toContain(app.id);
    expect((await refusal(review(wzCity, "recommendApplication", app))).code).toBe("FORBIDDEN");
    // Another base's admin is not this application's school.
    expect(await queueIds(bases[1]!, campaignId)).toEqual([]);
    expect(await bases[1]!.errorCode(`query($id: ID!) { application(id: $id) { id } }`, { id: app.id })).toBe("NOT_FOUND");

    expect(await queueIds(base, campaignId)).toEqual([app.id]);
    app = await review(base, "recommendApplication", app);
    expect(app).toMatchObject({ state: "PENDING", currentLevel: "CITY" });
    expect(await queueIds(wzCity, campaignId)).toEqual([app.id]);

    // At the city a teacher's application from a base takes the city's own places (the city manages the base's quota).
    app = await review(wzCity, "recommendApplication", app);
    expect(app).toMatchObject({ state: "AT_PROVINCE", currentLevel: "PROVINCE" });
    const places = await wzCity.gql(`query($id: ID!) { application(id: $id) { quotaPlaces { bucketKey level releasedAt } } }`, { id: app.id });
    expect(places.application.quotaPlaces).toEqual([{ bucketKey: "TEACHING_SPACE/CITY/330300", level: "CITY", releasedAt: null }]);
  });

  it("caps practice-base school recommendations at 3 per city, counted apart from the city's school places", async () => {
    const campaignId = await testCampaign(admin, 2043);
    const pbBucket = "SCHOOL/CITY/330300/practice-base";
    const cityBucket = "SCHOOL/CITY/330300";
    const apps = [];
    for (const [i, b] of bases.entries()) {
      const app = await applyAndSubmit(b, campaignId, "SCHOOL", fullForm(`1395770010${i + 1}`, { county: "温州市", unitName: b.unitName, personInCharge: `基地管理员${i + 1}` }));
      expect(app).toMatchObject({ state: "SUBMITTED", currentLevel: "CITY", levels: ["CITY", "PROVINCE"] });
      apps.push(app);
    }
    // An ordinary school of 温州 comes through its county and counts in the city's school places.
    let school = await applyAndSubmit(schoolAdmin, campaignId, "SCHOOL", fullForm("13857700001", { personInCharge: "林晓东" }));
    expect(school.levels).toEqual(["COUNTY", "CITY", "PROVINCE"]);
    school = await review(raCounty, "recommendApplication", school);
    expect(school).toMatchObject({ state: "PENDING", currentLevel: "CITY" });

    const buckets = async (c: Client, unitId?: string) => {
      const q = await c.gql(`query($c: ID!, $u: ID) { quotas(campaignId: $c, categoryCode: "SCHOOL", unitId: $u) { key scope used cap remaining unitName } }`, { c: campaignId, u: unitId ?? null });
      return Object.fromEntries(q.quotas.filter((b: { key: string }) => b.key === pbBucket || b.key === cityBucket).map((b: { key: string }) => [b.key, b]));
    };
    expect((await buckets(wzCity))[pbBucket]).toMatchObject({ scope: "PRACTICE_BASE", used: 0, cap: 3, remaining: 3, unitName: "温州市" });

    // Up to the quota ...
    for (const a of apps.slice(0, 3)) expect(await review(wzCity, "recommendApplication", a)).toMatchObject({ state: "AT_PROVINCE" });
    // ... and the next one is refused with the stable code and a Chinese message naming the unit and the numbers.
    const fourth = await refusal(review(wzCity, "recommendApplication", apps[3]));
    expect(fourth.code).toBe("QUOTA_EXCEEDED");
    expect(fourth.message).toBe("温州市实践教育基地推荐至省级的「空间应用优秀学校」名额已用完（已推荐3个，上限3个）");
    const stuck = await current(wzCity, apps[3].id);
    expect(stuck).toMatchObject({ state: "SUBMITTED", currentLevel: "CITY", version: apps[3].version });
    expect(stuck.history.map((h: { action: string }) => h.action)).toEqual(["submit"]);

    // The city's own school places are untouched by the bases and still open.
    expect(await review(wzCity, "recommendApplication", school)).toMatchObject({ state: "AT_PROVINCE" });
    const city = await buckets(wzCity);
    expect(city[pbBucket]).toMatchObject({ used: 3, cap: 3, remaining: 0 });
    expect(city[cityBucket]).toMatchObject({ scope: "CITY", used: 1, cap: 10, remaining: 9 });
    const wz = await admin.gql(`{ searchUnits(query: "330300") { id } }`);
    const province = await buckets(admin, wz.searchUnits[0].id);
    expect(province[pbBucket]).toMatchObject({ used: 3, cap: 3 });
    expect(province[cityBucket]).toMatchObject({ used: 1, cap: 10 });

    // The counters agree with the places recorded per application.
    const rows = await server.db.rows<{ bucket_key: string; places: number; used: number }>(
      `SELECT q.bucket_key, q.used,
              (SELECT count(*)::int FROM quota_place p WHERE p.campaign_id = q.campaign_id AND p.bucket_key = q.bucket_key AND p.released_at IS NULL) AS places
         FROM quota_usage q WHERE q.campaign_id = $1 AND q.bucket_key = ANY($2::text[]) ORDER BY q.bucket_key`,
      [campaignId, [pbBucket, cityBucket]],
    );
    expect(rows).toEqual([
      { bucket_key: cityBucket, used: 1, places: 1 },
      { bucket_key: pbBucket, used: 3, places: 3 },
    ]);

    // A withdrawn recommendation gives a base's place back, and the fourth base gets it.
    const withdrawn = await review(wzCity, "withdrawRecommendation", await current(wzCity, apps[0].id));
    expect(withdrawn).toMatchObject({ state: "SUBMITTED", currentLevel: "CITY" });
    expect((await buckets(wzCity))[pbBucket]).toMatchObject({ used: 2, remaining: 1 });
    expect(await review(wzCity, "recommendApplication", await current(wzCity, apps[3].id))).toMatchObject({ state: "AT_PROVINCE" });
    expect((await buckets(wzCity))[pbBucket]).toMatchObject({ used: 3, remaining: 0 });
    expect((await refusal(review(wzCity, "recommendApplication", withdrawn))).code).toBe("QUOTA_EXCEEDED");
  });
});
