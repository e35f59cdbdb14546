import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, GqlResponseError, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, campaignInput, current, fullForm, makeTeachers, review, testCampaign } from "./pipeline-helpers.js";

type Teacher = Client & { phone: string };

describeEachDb("quotas", (variant) => {
  let server: TestServer;
  let admin: Client, raCounty: Client, wzCity: Client;
  let teachers: Teacher[];

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, raCounty, wzCity] = await Promise.all(["prov_admin", "ra_county", "wz_city"].map((a) => loginAs(server.url, a)));
    teachers = (await makeTeachers(server.db, 52, "3303810001", "qt", server.url)) as Teacher[];
  });
  afterAll(() => server?.stop());

  const form = (t: Teacher, i: number) => fullForm(t.phone, { personInCharge: `测试教师${i}` });

  async function bucket(c: Client, campaignId: string, key: string) {
    const q = await c.gql(`query($c: ID!) { quotas(campaignId: $c) { key used cap baseCap remaining } }`, { c: campaignId });
    return q.quotas.find((b: { key: string }) => b.key === key);
  }

  async function codeOf(p: Promise<unknown>) {
    try {
      await p;
    } catch (e) {
      if (e instanceof GqlResponseError) return { code: e.code, message: e.errors[0]!.message };
      throw e;
    }
    return { code: "OK", message: "" };
  }

  it("lets exactly 10 of 50 concurrent recommendations through a quota of 10", async () => {
    const campaignId = await testCampaign(admin, 2030, (i) => {
      i.categories.find((c: { code: string }) => c.code === "TEACHING_SPACE").quota.perCity["330300"] = 10;
    });
    const pending: { id: string; version: number }[] = [];
    for (const [i, t] of teachers.slice(0, 50).entries()) {
      const app = await applyAndSubmit(t, campaignId, "TEACHING_SPACE", form(t, i));
      pending.push(await review(raCounty, "recommendApplication", app));
    }
    expect(pending.every((a: any) => a.state === "PENDING")).toBe(true);

    const results = await Promise.all(pending.map((a) => codeOf(review(wzCity, "recommendApplication", a))));
    const ok = results.filter((r) => r.code === "OK");
    const refused = results.filter((r) => r.code !== "OK");
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(new Set(refused.map((r) => r.code))).toEqual(new Set(["QUOTA_EXCEEDED"]));
    expect(refused[0]!.message).toMatch(/温州市推荐至省级的「优秀教学空间」名额已用完（已推荐10个，上限10个）/);

    expect(await bucket(wzCity, campaignId, "TEACHING_SPACE/CITY/330300")).toMatchObject({ used: 10, cap: 10, remaining: 0 });
    const rows = await server.db.one<{ at_province: number; places: number }>(
      `SELECT (SELECT count(*)::int FROM application WHERE campaign_id = $1 AND state = 'AT_PROVINCE') AS at_province,
              (SELECT count(*)::int FROM quota_place WHERE campaign_id = $1 AND released_at IS NULL) AS places`,
      [campaignId],
    );
    expect(rows).toEqual({ at_province: 10, places: 10 });

    // A withdrawn recommendation gives its place back; a rejection further up does not.
    const atProvince = (await admin.gql(`query($c: ID!) { reviewQueue(campaignId: $c, limit: 50) { items { id version } } }`, { c: campaignId })).reviewQueue.items;
    expect(atProvince).toHaveLength(10);
    await review(wzCity, "withdrawRecommendation", atProvince[0]);
    expect(await bucket(wzCity, campaignId, "TEACHING_SPACE/CITY/330300")).toMatchObject({ used: 9 });
    const waiting = (await wzCity.gql(`query($c: ID!) { reviewQueue(campaignId: $c, limit: 50) { items { id version } } }`, { c: campaignId })).reviewQueue.items;
    expect(waiting).toHaveLength(41);
    await review(wzCity, "recommendApplication", waiting.find((w: { id: string }) => w.id !== atProvince[0].id));
    expect(await bucket(wzCity, campaignId, "TEACHING_SPACE/CITY/330300")).toMatchObject({ used: 10 });
    await review(admin, "rejectApplication", atProvince[1], `reason: "不符合申报条件"`);
    expect(await bucket(wzCity, campaignId, "TEACHING_SPACE/CITY/330300")).toMatchObject({ used: 10 });

    // "In principle": the province raises the cap with a reason (audited), never below the campaign's number.
    expect((await codeOf(admin.gql(`mutation($c: ID!) { overrideQuota(campaignId: $c, bucketKey: "TEACHING_SPACE/CITY/330300", cap: 9, reason: "x") { cap } }`, { c: campaignId }))).code).toBe("BAD_INPUT");
    expect((await codeOf(admin.gql(`mutation($c: ID!) { overrideQuota(campaignId: $c, bucketKey: "TEACHING_SPACE/CITY/330300", cap: 12, reason: "") { cap } }`, { c: campaignId }))).code).toBe("BAD_INPUT");
    expect(await wzCity.errorCode(`mutation($c: ID!) { overrideQuota(campaignId: $c, bucketKey: "TEACHING_SPACE/CITY/330300", cap: 12, reason: "x") { cap } }`, { c: campaignId })).toBe("FORBIDDEN");
    const o = await admin.gql(`mutation($c: ID!) { overrideQuota(campaignId: $c, bucketKey: "TEACHING_SPACE/CITY/330300", cap: 11, reason: "温州市申报数量多、质量高") { cap baseCap used unitName } }`, { c: campaignId });
    expect(o.overrideQuota).toEqual({ cap: 11, baseCap: 10, used: 10, unitName: "温州市" });
    const more = (await wzCity.gql(`query($c: ID!) { reviewQueue(campaignId: $c, limit: 50) { items { id version } } }`, { c: campaignId })).reviewQueue.items;
    await review(wzCity, "recommendApplication", more[0]);
    expect((await codeOf(review(wzCity, "recommendApplication", more[1]))).code).toBe("QUOTA_EXCEEDED");
    const audit = await server.db.one<{ reason: string }>(`SELECT reason FROM audit_log WHERE action = 'QUOTA_OVERRIDE' AND target_id = $1`, [campaignId]);
    expect(audit!.reason).toBe("温州市申报数量多、质量高");
  });

  it("lets exactly one of two reviewers acting at once win; the other gets a conflict", async () => {
    const campaignId = await testCampaign(admin, 2031);
    const app = await applyAndSubmit(teachers[0]!, campaignId, "TEACHING_SPACE", form(teachers[0]!, 0));
    // A second reviewer of 瑞安市, granted by the city.
    const ids = await wzCity.gql(`{ u: users(search: "qt051") { items { id } } c: searchUnits(query: "330381") { id } }`);
    await wzCity.gql(`mutation($u: ID!, $c: ID!) { grantRole(userId: $u, role: COUNTY_REVIEWER, unitId: $c) { id } }`, { u: ids.u.items[0].id, c: ids.c[0].id });
    const reviewer2 = await (await loginAs(server.url, "qt051")).as("COUNTY_REVIEWER");

    const [a, b] = await Promise.all([
      codeOf(review(raCounty, "recommendApplication", app)),
      codeOf(review(reviewer2, "returnApplication", app, `comment: "请补充材料"`)),
    ]);
    expect([a.code, b.code].sort()).toEqual(["CONFLICT", "OK"]);
    const after = await current(raCounty, app.id);
    expect(after.history.filter((h: { action: string }) => h.action !== "submit")).toHaveLength(1);
  });

  it("lets a city split its places into county sub-quotas that cap county recommendations", async () => {
    const campaignId = await testCampaign(admin, 2032, (i) => {
      i.categories.find((c: { code: string }) => c.code === "TEACHING_SPACE").quota.perCity["330300"] = 5;
    });
    const apps = [];
    for (const [i, t] of teachers.slice(0, 3).entries()) apps.push(await applyAndSubmit(t, campaignId, "TEACHING_SPACE", form(t, i)));
    // A recommendation made before any allocation still counts once the county gets a sub-quota.
    apps[0] = await review(raCounty, "recommendApplication", apps[0]);

    const units = await admin.gql(`{ ra: searchUnits(query: "330381") { id } lc: searchUnits(query: "330302") { id } hz: searchUnits(query: "330106") { id } }`);
    const allocate = (c: Client, allocations: { countyId: string; places: number }[]) =>
      c.gql(`mutation($c: ID!, $a: [SubQuotaInput!]!) { setCountySubQuotas(campaignId: $c, categoryCode: "TEACHING_SPACE", allocations: $a) { key used cap } }`, { c: campaignId, a: allocations });
    expect((await codeOf(allocate(wzCity, [{ countyId: units.ra[0].id, places: 4 }, { countyId: units.lc[0].id, places: 2 }]))).code).toBe("BAD_INPUT");
    expect((await codeOf(allocate(wzCity, [{ countyId: units.hz[0].id, places: 1 }]))).code).toBe("BAD_INPUT");
    expect(await raCounty.errorCode(`mutation($c: ID!, $a: [SubQuotaInput!]!) { setCountySubQuotas(campaignId: $c, categoryCode: "TEACHING_SPACE", allocations: $a) { key } }`, { c: campaignId, a: [] })).toBe("FORBIDDEN");

    const r = await allocate(wzCity, [{ countyId: units.ra[0].id, places: 2 }, { countyId: units.lc[0].id, places: 3 }]);
    expect(r.setCountySubQuotas.find((b: { key: string }) => b.key === "TEACHING_SPACE/COUNTY/330381/sub-quota")).toMatchObject({ used: 1, cap: 2 });

    await review(raCounty, "recommendApplication", apps[1]);
    const third = await codeOf(review(raCounty, "recommendApplication", apps[2]));
    expect(third.code).toBe("QUOTA_EXCEEDED");
    expect(third.message).toMatch(/瑞安市设区市分配的「优秀教学空间」县级名额已用完（已推荐2个，上限2个）/);
    expect((await current(raCounty, apps[2].id)).state).toBe("SUBMITTED");

    // A return at the city gives back the county's place too: the application restarts at the county.
    const atCity = await current(wzCity, apps[0].id);
    await review(wzCity, "returnApplication", atCity, `comment: "请修改"`);
    expect(await bucket(raCounty, campaignId, "TEACHING_SPACE/COUNTY/330381/sub-quota")).toMatchObject({ used: 1 });
    await review(raCounty, "recommendApplication", await current(raCounty, apps[2].id));

    // The allocation can never drop below what a county already used.
    expect(await codeOf(allocate(wzCity, [{ countyId: units.ra[0].id, places: 1 }]))).toEqual({
      code: "QUOTA_BELOW_USED",
      message: "「瑞安市」已推荐2个，不能将名额调低到1个（不得少于已推荐的2个）",
    });
  });

  it("caps lecturer recommendations at 2 per county", async () => {
    const campaignId = await testCampaign(admin, 2033);
    const apps = [];
    for (const [i, t] of teachers.slice(0, 3).entries()) apps.push(await applyAndSubmit(t, campaignId, "LECTURER_SPACE", form(t, i)));
    await review(raCounty, "recommendApplication", apps[0]);
    await review(raCounty, "recommendApplication", apps[1]);
    const third = await codeOf(review(raCounty, "recommendApplication", apps[2]));
    expect(third.code).toBe("QUOTA_EXCEEDED");
    expect(third.message).toMatch(/瑞安市推荐至设区市的「优秀讲师空间」名额已用完/);
    const q = await raCounty.gql(`query($c: ID!) { quotas(campaignId: $c, categoryCode: "LECTURER_SPACE") { key used cap scope } }`, { c: campaignId });
    expect(q.quotas).toHaveLength(2);
    expect(q.quotas).toEqual(expect.arrayContaining([
      { key: "LECTURER_SPACE/COUNTY/330381", used: 2, cap: 2, scope: "COUNTY" },
      { key: "LECTURER_SPACE/CITY/330300/from/330381", used: 0, cap: 2, scope: "FROM_COUNTY" },
    ]));
  });

  it("refuses to lower a campaign's quota below the places already used", async () => {
    const campaignId = await testCampaign(admin, 2034);
    const app = await applyAndSubmit(teachers[0]!, campaignId, "TEACHING_SPACE", form(teachers[0]!, 0));
    await review(wzCity, "recommendApplication", await review(raCounty, "recommendApplication", app));
    const i = await campaignInput(admin, campaignId);
    i.categories.find((c: { code: string }) => c.code === "TEACHING_SPACE").quota.perCity["330300"] = 0;
    const r = await codeOf(admin.gql(`mutation($id: ID!, $i: CampaignInput!) { updateCampaign(id: $id, input: $i) { id } }`, { id: campaignId, i }));
    expect(r.code).toBe("QUOTA_BELOW_USED");
    expect(r.message).toBe("温州市推荐至省级的「优秀教学空间」名额已推荐1个，不能将名额调低到0个（不得少于已推荐的1个）");
  });
});
