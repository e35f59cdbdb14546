import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, GqlResponseError, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { refusal, scoreAndSubmit, toProvince } from "./finalization-helpers.js";
import { applyAndSubmit, current, fullForm, review, sampleCase, testCampaign, CONSENT } from "./pipeline-helpers.js";

/**
 * Finalizing a category closes it, and publishing the results closes the campaign: nothing
 * reaches the province afterwards (also when a recommendation races the finalization), whatever
 * was left below the province ends as NOT_SELECTED through the pipeline ("终止评审"), and no
 * application is left in a state from which nobody can act.
 */
describeEachDb("closing the pipeline", (variant) => {
  let server: TestServer;
  let c: Record<string, Client>;
  let campaignId: string;
  const app: Record<string, string> = {};

  const TERMINAL = ["REJECTED", "FINALIZED", "NOT_SELECTED", "DISQUALIFIED", "WITHDRAWN"];

  beforeAll(async () => {
    server = await startTestServer(variant);
    const accounts = ["prov_admin", "ra_county", "lc_county", "xh_county", "wz_city", "hz_city", "expert_hz",
      "ra_teacher1", "ra_teacher2", "ra_teacher3", "ra_teacher4", "lc_teacher1", "hz_teacher1", "hz_teacher2"];
    const clients = await Promise.all(accounts.map((a) => loginAs(server.url, a)));
    c = Object.fromEntries(accounts.map((a, i) => [a, clients[i]!]));
    campaignId = await testCampaign(c.prov_admin!, 2042);

    const ra = { county: c.ra_county!, city: c.wz_city! };
    app.A = await toProvince(c.ra_teacher1!, "13857700001", campaignId, "到达省级的申报", ra);
    const b = await applyAndSubmit(c.ra_teacher2!, campaignId, "TEACHING_SPACE", fullForm("13857700002", { case: sampleCase("在设区市审核中的申报") }));
    app.B = (await review(c.ra_county!, "recommendApplication", b)).id;
    app.C = (await applyAndSubmit(c.ra_teacher3!, campaignId, "TEACHING_SPACE", fullForm("13857700003", { case: sampleCase("在县级审核中的申报") }))).id;
    const d = await applyAndSubmit(c.lc_teacher1!, campaignId, "TEACHING_SPACE", fullForm("13857700011", { county: "鹿城区", case: sampleCase("退回修改中的申报") }));
    app.D = (await review(c.lc_county!, "returnApplication", d, `comment: "请补充"`)).id;
    const e = await c.ra_teacher4!.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id version } }`, { c: campaignId });
    const saved = await c.ra_teacher4!.gql(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version } }`, {
      id: e.createApplication.id, v: e.createApplication.version, f: fullForm("13857700004", { case: sampleCase("尚未提交的草稿") }),
    });
    app.E = saved.saveApplicationDraft.id;
    app.F = (await applyAndSubmit(c.hz_teacher1!, campaignId, "LECTURER_SPACE", fullForm("13957100001", { county: "西湖区", case: sampleCase("讲师空间：县级审核中") }))).id;

    // The province reviews A: one expert from another city scores it, and the grades are previewed.
    const pool = await c.prov_admin!.gql(`query($c: ID!) { expertPool(campaignId: $c) { id account } }`, { c: campaignId });
    const hz = pool.expertPool.find((x: { account: string }) => x.account === "expert_hz").id;
    await c.prov_admin!.gql(`mutation($a: ID!, $e: ID!) { assignExpert(applicationId: $a, expertId: $e) { id } }`, { a: app.A, e: hz });
    await c.prov_admin!.gql(`mutation($c: ID!) { releaseAssignments(campaignId: $c) }`, { c: campaignId });
    await scoreAndSubmit(c.expert_hz!, app.A, 80);
    await c.prov_admin!.gql(`mutation($c: ID!) { applyGrades(campaignId: $c, categoryCode: "TEACHING_SPACE") { state } }`, { c: campaignId });
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
  const finalize = () =>
    c.prov_admin!.gql(`mutation($c: ID!) { finalizeCampaignCategory(campaignId: $c, categoryCode: "TEACHING_SPACE") { state } }`, { c: campaignId });
  const last = async (id: string) => (await current(c.prov_admin!, id)).history.at(-1);

  it("finalizing a category races a city recommendation: the recommendation never lands in a finalized category", async () => {
    const pending = await current(c.wz_city!, app.B!);
    const [fin, rec] = await Promise.all([outcome(finalize()), outcome(review(c.wz_city!, "recommendApplication", pending))]);
    if (fin === "OK") {
      // The finalization came first: the recommendation is refused and B's review ended.
      expect(["PIPELINE_CLOSED", "CONFLICT", "INVALID_TRANSITION"]).toContain(rec);
    } else {
      // The recommendation came first: the finalization refused to leave it behind; the province decides on it, then finalizes.
      expect({ fin, rec }).toEqual({ fin: "INVALID_TRANSITION", rec: "OK" });
      expect((await current(c.prov_admin!, app.B!)).state).toBe("AT_PROVINCE");
      await review(c.prov_admin!, "rejectApplication", await current(c.prov_admin!, app.B!), `reason: "未通过省级审核"`);
      await finalize();
    }
    const rows = await server.db.rows<{ state: string }>(`SELECT state FROM application WHERE campaign_id = $1 AND category_code = 'TEACHING_SPACE'`, [campaignId]);
    expect(rows.filter((r) => ["SUBMITTED", "PENDING", "AT_PROVINCE", "EXPERT_REVIEW", "RETURNED"].includes(r.state))).toEqual([]);
  });

  it("ends what was left below the province as NOT_SELECTED, with the reason in the history", async () => {
    expect((await current(c.prov_admin!, app.A!)).state).toBe("FINALIZED");
    for (const k of ["C", "D"]) {
      const a = await current(c.prov_admin!, app[k]!);
      expect(a.state, k).toBe("NOT_SELECTED");
      expect(await last(app[k]!)).toMatchObject({ action: "close", toState: "NOT_SELECTED", comment: "「优秀教学空间」已确定等次，未报送至省级的申报不再评审" });
    }
    // Nobody can move them any more: the county, the city, the applicant.
    expect((await refusal(review(c.ra_county!, "recommendApplication", await current(c.ra_county!, app.C!)))).code).toBe("INVALID_TRANSITION");
    expect((await refusal(c.lc_teacher1!.gql(`mutation($id: ID!, $v: Int!) { resubmitApplication(id: $id, version: $v, ${CONSENT}) { id } }`, { id: app.D, v: (await current(c.lc_teacher1!, app.D!)).version }))).code).toBe("INVALID_TRANSITION");
  });

  it("refuses any submission into a finalized category, naming it; a draft can still be withdrawn", async () => {
    const draft = await current(c.ra_teacher4!, app.E!);
    const r = await refusal(c.ra_teacher4!.gql(`mutation($id: ID!, $v: Int!) { submitApplication(id: $id, version: $v, ${CONSENT}) { id } }`, { id: app.E, v: draft.version }));
    expect(r).toMatchObject({ code: "PIPELINE_CLOSED", message: "「优秀教学空间」已确定等次，评审已结束，不能再提交" });
    expect((await c.ra_teacher4!.gql(`query($id: ID!) { application(id: $id) { allowedActions } }`, { id: app.E })).application.allowedActions).toEqual(["withdraw"]);
    await c.ra_teacher4!.gql(`mutation($id: ID!, $v: Int!) { withdrawApplication(id: $id, version: $v) { id } }`, { id: app.E, v: draft.version });
    expect((await current(c.ra_teacher4!, app.E!)).state).toBe("WITHDRAWN");
  });

  it("publication closes every category; afterwards nothing can be submitted, and every application is terminal or its applicant can act", async () => {
    await c.prov_admin!.gql(`mutation($c: ID!) { publishResults(campaignId: $c) { campaignId } }`, { c: campaignId });
    expect((await current(c.prov_admin!, app.F!)).state).toBe("NOT_SELECTED");
    expect(await last(app.F!)).toMatchObject({ action: "close", comment: "本次活动评审结果已发布，未报送至省级的申报不再评审" });

    const late = await refusal(applyAndSubmit(c.hz_teacher2!, campaignId, "LECTURER_SPACE", fullForm("13957100002", { county: "西湖区" })));
    expect(late).toMatchObject({ code: "PIPELINE_CLOSED", message: "本次活动的评审结果已发布，评审已结束，不能再提交" });

    const all = await server.db.rows<{ id: string; state: string; applicant: string }>(
      `SELECT a.id, a.state, u.account AS applicant FROM application a JOIN app_user u ON u.id = a.applicant_user_id WHERE a.campaign_id = $1`,
      [campaignId],
    );
    for (const a of all) {
      if (TERMINAL.includes(a.state)) continue;
      // Only drafts remain open; their applicant can withdraw them.
      expect(a.state).toBe("DRAFT");
      const who = c[a.applicant] ?? (await loginAs(server.url, a.applicant));
      expect((await who.gql(`query($id: ID!) { application(id: $id) { allowedActions } }`, { id: a.id })).application.allowedActions).toContain("withdraw");
    }
  });
});
