import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, GqlResponseError, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, current, fullForm, review, testCampaign } from "./pipeline-helpers.js";

/**
 * Nobody reviews their own application: the applicant, or anyone listed on it (its person in
 * charge, by the mobile bound to their account), is refused every review action with
 * CONFLICT_OF_INTEREST and is offered none; another reviewer of the unit decides, or — when every
 * reviewer of the unit is a party — the level above.
 */
describeEachDb("conflict of interest", (variant) => {
  let server: TestServer;
  let admin: Client, raCounty: Client, wzCity: Client;
  let campaignId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, raCounty, wzCity] = await Promise.all(["prov_admin", "ra_county", "wz_city"].map((a) => loginAs(server.url, a)));
    campaignId = await testCampaign(admin, 2041);
    // ra_teacher1 (a teacher of 瑞安市实验中学) is also a reviewer of 瑞安市, beside ra_county.
    await wzCity.gql(`mutation($u: ID!, $c: ID!) { grantRole(userId: $u, role: COUNTY_REVIEWER, unitId: $c) { id } }`, {
      u: await userId("ra_teacher1"),
      c: await unitId("330381"),
    });
  });
  afterAll(() => server?.stop());

  async function unitId(code: string): Promise<string> {
    return (await admin.gql(`query($q: String!) { searchUnits(query: $q) { id } }`, { q: code })).searchUnits[0].id;
  }
  async function userId(account: string): Promise<string> {
    return String((await server.db.one<{ id: string }>(`SELECT id FROM app_user WHERE account = $1`, [account]))!.id);
  }
  async function actions(c: Client, id: string): Promise<string[]> {
    return (await c.gql(`query($id: ID!) { application(id: $id) { allowedActions } }`, { id })).application.allowedActions;
  }
  async function refusal(p: Promise<unknown>) {
    try {
      await p;
    } catch (e) {
      if (e instanceof GqlResponseError) return { code: e.code, message: e.errors[0]!.message };
      throw e;
    }
    return { code: "OK", message: "" };
  }

  it("refuses a teacher who is also the county's reviewer every review action on their own application; another county reviewer decides", async () => {
    const teacher = await loginAs(server.url, "ra_teacher1");
    const selfReviewer = await (await loginAs(server.url, "ra_teacher1")).as("COUNTY_REVIEWER");
    const app = await applyAndSubmit(teacher, campaignId, "TEACHING_SPACE", fullForm("13857700001"));

    expect(await actions(selfReviewer, app.id)).toEqual([]);
    for (const [mutation, args] of [
      ["recommendApplication", ""],
      ["returnApplication", `comment: "请修改"`],
      ["rejectApplication", `reason: "不符合条件"`],
    ] as const) {
      const r = await refusal(review(selfReviewer, mutation, app, args));
      expect(r.code, mutation).toBe("CONFLICT_OF_INTEREST");
      expect(r.message).toMatch(/申报人或申报材料所列人员，须回避/);
    }
    expect((await current(raCounty, app.id)).state).toBe("SUBMITTED");

    // The other reviewer of 瑞安市 decides; the conflicted one cannot withdraw that recommendation either.
    expect(await actions(raCounty, app.id)).toEqual(["recommend", "return", "reject"]);
    const pending = await review(raCounty, "recommendApplication", app);
    expect(pending.state).toBe("PENDING");
    expect(await actions(selfReviewer, app.id)).toEqual([]);
    expect((await refusal(review(selfReviewer, "withdrawRecommendation", pending))).code).toBe("CONFLICT_OF_INTEREST");
    expect(await actions(raCounty, app.id)).toEqual(["withdrawRecommendation"]);
  });

  it("lets the city decide for a county whose only reviewer is the applicant", async () => {
    // 瓯海区 (330304) has no reviewer in the demo; its teacher becomes its only one.
    await wzCity.gql(`mutation($u: ID!, $c: ID!) { grantRole(userId: $u, role: COUNTY_REVIEWER, unitId: $c) { id } }`, {
      u: await userId("oh_teacher1"),
      c: await unitId("330304"),
    });
    const teacher = await loginAs(server.url, "oh_teacher1");
    const selfReviewer = await (await loginAs(server.url, "oh_teacher1")).as("COUNTY_REVIEWER");
    const app = await applyAndSubmit(teacher, campaignId, "TEACHING_SPACE", fullForm("13857700021", { county: "瓯海区", unitName: "温州市瓯海区实验小学" }));

    expect((await refusal(review(selfReviewer, "recommendApplication", app))).code).toBe("CONFLICT_OF_INTEREST");
    expect(await actions(wzCity, app.id)).toEqual(["recommend", "return", "reject"]);
    // It is in the city's review queue (and in no other city's); the county's own reviewer still lists it, with no action.
    const queue = async (who: Client) =>
      (await who.gql(`query($c: ID!) { reviewQueue(campaignId: $c, limit: 100) { items { id allowedActions } } }`, { c: campaignId })).reviewQueue.items;
    expect(await queue(wzCity)).toContainEqual({ id: app.id, allowedActions: ["recommend", "return", "reject"] });
    expect((await queue(await loginAs(server.url, "hz_city"))).map((x: { id: string }) => x.id)).not.toContain(app.id);
    expect((await queue(selfReviewer)).map((x: { id: string }) => x.id)).toContain(app.id);
    const pending = await review(wzCity, "recommendApplication", app);
    expect(pending).toMatchObject({ state: "PENDING", currentLevel: "CITY" });
    expect(pending.history.at(-1)).toMatchObject({ action: "recommend", level: "COUNTY", actorRole: "CITY_REVIEWER" });
    // The recommendation counts against the county's places, as any county recommendation.
    const q = await wzCity.gql(`query($c: ID!) { quotas(campaignId: $c, categoryCode: "TEACHING_SPACE") { key used } }`, { c: campaignId });
    expect(q.quotas.find((b: { key: string }) => b.key === "TEACHING_SPACE/CITY/330300")).toMatchObject({ used: 0 });
    // Now at the city, the city reviews it as usual (and may withdraw the recommendation it made for the county).
    expect(await actions(wzCity, app.id)).toEqual(["recommend", "return", "reject", "withdrawRecommendation"]);
    // Another city never steps in.
    const hzCity = await loginAs(server.url, "hz_city");
    expect((await refusal(review(hzCity, "recommendApplication", app))).code).not.toBe("OK");
  });

  it("refuses a reviewer named as the person in charge of a school's application", async () => {
    await server.db.exec(`UPDATE app_user SET phone = '13857709999' WHERE account = 'ra_county'`);
    const schoolAdmin = await (await loginAs(server.url, "ra_school_admin")).as("SCHOOL_ADMIN");
    const app = await applyAndSubmit(schoolAdmin, campaignId, "SCHOOL", fullForm("13857709999", { personInCharge: "瑞安市教育技术中心审核员" }));
    expect(app.state).toBe("SUBMITTED");
    expect(await actions(raCounty, app.id)).toEqual([]);
    expect((await refusal(review(raCounty, "recommendApplication", app))).code).toBe("CONFLICT_OF_INTEREST");
    // 瑞安市's other reviewer (ra_teacher1) is not listed on it.
    const other = await (await loginAs(server.url, "ra_teacher1")).as("COUNTY_REVIEWER");
    expect(await actions(other, app.id)).toEqual(["recommend", "return", "reject"]);

    // At the province, an expert named on it cannot be assigned to score it.
    const atCity = await review(other, "recommendApplication", app);
    expect((await review(wzCity, "recommendApplication", atCity)).state).toBe("AT_PROVINCE");
    await server.db.exec(`UPDATE app_user SET phone = '13857709999' WHERE account = 'expert_hz'`);
    const pool = await admin.gql(`query($c: ID!) { expertPool(campaignId: $c) { id account } }`, { c: campaignId });
    const hz = pool.expertPool.find((x: { account: string }) => x.account === "expert_hz").id;
    const r = await admin.gql(`mutation($a: ID!, $e: ID!) { assignExpert(applicationId: $a, expertId: $e) { id } }`, { a: app.id, e: hz }).then(
      () => null,
      (e: GqlResponseError) => e,
    );
    expect(r?.code).toBe("EXPERT_CONFLICT");
    expect(r?.errors[0]!.extensions).toMatchObject({ reason: "SELF" });
  });
});
