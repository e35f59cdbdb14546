import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, GqlResponseError, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { APP_FIELDS, applyAndSubmit, current, fullForm, review, sampleCase, testCampaign, CONSENT } from "./pipeline-helpers.js";

async function codeOf(p: Promise<unknown>): Promise<{ code?: string; message: string; field?: string; violations?: { field: string; rule: string }[] }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GqlResponseError) {
      const x = e.errors[0]!;
      return { code: x.extensions?.code, message: x.message, field: x.extensions?.field, violations: x.extensions?.violations as never };
    }
    throw e;
  }
  throw new Error("expected an error");
}

describeEachDb("the review pipeline over HTTP", (variant) => {
  let server: TestServer;
  let admin: Client, teacher: Client, teacher2: Client, raCounty: Client, lcCounty: Client, wzCity: Client, hzCity: Client;
  let campaignId: string;
  let appId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, teacher, teacher2, raCounty, lcCounty, wzCity, hzCity] = await Promise.all(
      ["prov_admin", "ra_teacher1", "ra_teacher2", "ra_county", "lc_county", "wz_city", "hz_city"].map((a) => loginAs(server.url, a)),
    );
    campaignId = await testCampaign(admin, 2027);
  });
  afterAll(() => server?.stop());

  it("keeps a draft: partial saves pass, a bad field is refused by name and nothing saved is lost", async () => {
    const created = await teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id version state levels form { personInCharge mobile unitName } } }`, { c: campaignId });
    const app = created.createApplication;
    appId = app.id;
    expect(app.state).toBe("DRAFT");
    expect(app.levels).toEqual(["COUNTY", "CITY", "PROVINCE"]);
    expect(app.form).toMatchObject({ personInCharge: "陈晓明", mobile: "13857700001", unitName: "瑞安市实验中学" });

    const saved = await teacher.gql(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { version form { case { title } caseCharacters } } }`, {
      id: appId, v: app.version, f: { case: { title: "草稿标题" } },
    });
    expect(saved.saveApplicationDraft.form.case.title).toBe("草稿标题");

    const bad = await codeOf(teacher.gql(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id } }`, {
      id: appId, v: saved.saveApplicationDraft.version, f: { mobile: "12345", spaceUrl: "ftp://x" },
    }));
    expect(bad.code).toBe("BAD_INPUT");
    expect(bad.message).toMatch(/手机/);
    expect(bad.violations!.map((v) => v.field).sort()).toEqual(["mobile", "spaceUrl"]);
    const still = await current(teacher, appId);
    expect(still.title).toBe("草稿标题");

    // A save over a newer version (another tab) is refused, not merged.
    const stale = await codeOf(teacher.gql(`mutation($id: ID!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: 1, form: $f) { id } }`, { id: appId, f: { jobTitle: "x" } }));
    expect(stale.code).toBe("CONFLICT");
  });

  it("refuses to submit an incomplete form, naming each field and the case length rule", async () => {
    const a = await current(teacher, appId);
    const r = await codeOf(teacher.gql(`mutation($id: ID!, $v: Int!) { submitApplication(id: $id, version: $v, ${CONSENT}) { id } }`, { id: appId, v: a.version }));
    expect(r.code).toBe("BAD_INPUT");
    const fields = r.violations!.map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(["stage", "jobTitle", "spaceUrl", "case.summary"]));
    expect((await current(teacher, appId)).state).toBe("DRAFT");
  });

  it("refuses a mobile other than the one bound to the account, and a case outside 1000–3000 characters", async () => {
    let a = await current(teacher, appId);
    const save = async (f: Record<string, unknown>) =>
      (a = (await teacher.gql(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version } }`, { id: appId, v: a.version, f })).saveApplicationDraft);
    await save(fullForm("13900000000"));
    let r = await codeOf(teacher.gql(`mutation($id: ID!, $v: Int!) { submitApplication(id: $id, version: $v, ${CONSENT}) { id } }`, { id: appId, v: a.version }));
    expect(r.violations).toEqual([expect.objectContaining({ field: "mobile", rule: "boundMobile" })]);

    await save(fullForm("13857700001", { case: { ...sampleCase(), process: "太短", results: "太短" } }));
    r = await codeOf(teacher.gql(`mutation($id: ID!, $v: Int!) { submitApplication(id: $id, version: $v, ${CONSENT}) { id } }`, { id: appId, v: a.version }));
    expect(r.violations).toEqual([expect.objectContaining({ field: "case", rule: "caseLength" })]);
    expect(r.message).toMatch(/1000–3000/);

    await save(fullForm("13857700001"));
    const sub = await teacher.gql(`mutation($id: ID!, $v: Int!) { submitApplication(id: $id, version: $v, ${CONSENT}) { ${APP_FIELDS} } }`, { id: appId, v: a.version });
    expect(sub.submitApplication).toMatchObject({ state: "SUBMITTED", currentLevel: "COUNTY", revision: 1 });
  });

  it("hides the application from everyone outside its scope, with the same answer as a missing id", async () => {
    for (const c of [teacher2, lcCounty, hzCity]) {
      expect(await c.errorCode(`query($id: ID!) { application(id: $id) { id } }`, { id: appId })).toBe("NOT_FOUND");
      const list = await c.gql(`query($c: ID!) { applications(campaignId: $c, limit: 200) { items { id } total } }`, { c: campaignId });
      expect(list.applications.items.map((x: { id: string }) => x.id)).not.toContain(appId);
    }
    expect(await lcCounty.errorCode(`query { application(id: "999999999") { id } }`)).toBe("NOT_FOUND");
    const a = await current(teacher, appId);
    expect(await lcCounty.errorCode(`mutation($id: ID!, $v: Int!) { recommendApplication(id: $id, version: $v) { id } }`, { id: appId, v: a.version })).toBe("NOT_FOUND");
    const q = await lcCounty.gql(`query($c: ID!) { reviewQueue(campaignId: $c) { items { id } } }`, { c: campaignId });
    expect(q.reviewQueue.items).toEqual([]);
  });

  it("lets only the level it waits at act: the city cannot act on an application waiting at the county", async () => {
    const a = await current(wzCity, appId);
    const r = await codeOf(review(wzCity, "recommendApplication", a));
    expect(r.code).toBe("FORBIDDEN");
    expect(r.message).toMatch(/县（市、区）级/);
    expect(await teacher.errorCode(`mutation($id: ID!) { recommendApplication(id: $id, version: 1) { id } }`, { id: appId })).toBe("FORBIDDEN");
  });

  it("refuses a stale version (CONFLICT) and a stale revision (STALE_REVISION)", async () => {
    const a = await current(raCounty, appId);
    expect((await codeOf(review(raCounty, "recommendApplication", { ...a, version: a.version - 1 }))).code).toBe("CONFLICT");
    expect((await codeOf(review(raCounty, "recommendApplication", a, "revision: 7"))).code).toBe("STALE_REVISION");
  });

  it("recommends upward, lets the recommending level withdraw until the next acts, and returns with a comment", async () => {
    const queue = await raCounty.gql(`query($c: ID!) { reviewQueue(campaignId: $c) { items { id allowedActions } } }`, { c: campaignId });
    expect(queue.reviewQueue.items).toEqual([{ id: appId, allowedActions: ["recommend", "return", "reject"] }]);
    let a = await review(raCounty, "recommendApplication", await current(raCounty, appId), `comment: "同意推荐"`);
    expect(a).toMatchObject({ state: "PENDING", currentLevel: "CITY" });

    a = await review(wzCity, "recommendApplication", a);
    expect(a).toMatchObject({ state: "AT_PROVINCE", currentLevel: "PROVINCE" });
    const used = async () => {
      const q = await wzCity.gql(`query($c: ID!) { quotas(campaignId: $c, categoryCode: "TEACHING_SPACE") { key used cap } }`, { c: campaignId });
      return q.quotas.find((b: { key: string }) => b.key === "TEACHING_SPACE/CITY/330300");
    };
    expect(await used()).toMatchObject({ used: 1, cap: 75 });

    // The county's recommendation can no longer be withdrawn: the city has acted on it.
    expect((await codeOf(review(raCounty, "withdrawRecommendation", a))).code).toBe("FORBIDDEN");
    a = await review(wzCity, "withdrawRecommendation", a, `comment: "需再斟酌"`);
    expect(a).toMatchObject({ state: "PENDING", currentLevel: "CITY" });
    expect(await used()).toMatchObject({ used: 0 });

    const empty = await codeOf(review(wzCity, "returnApplication", a, `comment: "  "`));
    expect(empty).toMatchObject({ code: "BAD_INPUT", field: "comment" });
    a = await review(wzCity, "returnApplication", a, `comment: "请补充本学年的应用成效数据"`);
    expect(a).toMatchObject({ state: "RETURNED", currentLevel: null });
  });

  it("shows the applicant the status and the full history, and resubmission makes a new revision that restarts at the first level", async () => {
    const a = await current(teacher, appId);
    expect(a.history.map((h: { action: string }) => h.action)).toEqual(["submit", "recommend", "recommend", "withdrawRecommendation", "return"]);
    expect(a.history[4]).toMatchObject({ level: "CITY", comment: "请补充本学年的应用成效数据", actorRole: "CITY_REVIEWER", revision: 1 });

    const saved = await teacher.gql(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { version } }`, {
      id: appId, v: a.version, f: fullForm("13857700001", { case: sampleCase(undefined, "本学年学生参与率达到百分之九十五。") }),
    });
    const r2 = await review(teacher, "resubmitApplication", { id: appId, version: saved.saveApplicationDraft.version });
    expect(r2).toMatchObject({ state: "SUBMITTED", currentLevel: "COUNTY", revision: 2 });

    const d = await raCounty.gql(
      `query($id: ID!) { application(id: $id) { revisions { revision actions { action comment } form { case { results } } } } applicationDiff(id: $id) { field label before after } }`,
      { id: appId },
    );
    const [rev1, rev2] = d.application.revisions;
    expect(rev1.actions.map((x: { action: string }) => x.action)).toEqual(["submit", "recommend", "recommend", "withdrawRecommendation", "return"]);
    expect(rev2.actions.map((x: { action: string }) => x.action)).toEqual(["resubmit"]);
    expect(rev1.form.case.results).not.toMatch(/百分之九十五/);
    expect(d.applicationDiff).toEqual([expect.objectContaining({ field: "case.results", label: "案例·工作成效" })]);
    expect(d.applicationDiff[0].after).toMatch(/百分之九十五/);
  });

  it("rejects with a reason as final: the applicant can no longer resubmit", async () => {
    let a = await review(raCounty, "recommendApplication", await current(raCounty, appId));
    a = await review(wzCity, "rejectApplication", a, `reason: "案例与空间主页内容不一致"`);
    expect(a.state).toBe("REJECTED");
    const r = await codeOf(review(teacher, "resubmitApplication", a));
    expect(r.code).toBe("INVALID_TRANSITION");
    // A rejection further up does not give the county's place back (no sub-quota here: nothing to count).
    const mine = await teacher.gql(`query($c: ID!) { applications(campaignId: $c, mine: true) { items { id state stateLabel } } }`, { c: campaignId });
    expect(mine.applications.items).toEqual([{ id: appId, state: "REJECTED", stateLabel: "未通过审核" }]);
  });

  it("lets the province disqualify at any time, with a reason, audited", async () => {
    const app = await applyAndSubmit(teacher2, campaignId, "TEACHING_SPACE", fullForm("13857700002", { personInCharge: "王丽华" }));
    expect((await codeOf(review(raCounty, "disqualifyApplication", app, `reason: "x"`))).code).toBe("FORBIDDEN");
    const d = await review(admin, "disqualifyApplication", app, `reason: "案例内容存在版权问题，已下架"`);
    expect(d.state).toBe("DISQUALIFIED");
    const audit = await server.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'APPLICATION_DISQUALIFY' AND target_id = $1`, [app.id]);
    expect(audit!.n).toBe(1);
  });

  it("keeps the history append-only, also against direct SQL", async () => {
    await expect(server.db.exec(`UPDATE review_action SET comment = 'changed' WHERE application_id = $1`, [appId])).rejects.toThrow(/append-only/);
    await expect(server.db.exec(`DELETE FROM review_action WHERE application_id = $1`, [appId])).rejects.toThrow(/append-only/);
  });

  it("refuses a second live application in the same category", async () => {
    const r = await codeOf(teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id } }`, { c: campaignId }));
    expect(r.code).toBe("CONFLICT");
  });

  it("lets only the matching role apply in each category", async () => {
    const r = await codeOf(teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "SCHOOL") { id } }`, { c: campaignId }));
    expect(r.code).toBe("FORBIDDEN");
    expect(r.message).toMatch(/学校平台管理员/);
  });

  it("refuses actions past a stage deadline, and allows them again after an audited province extension", async () => {
    const id = await testCampaign(admin, 2028, (i) => {
      i.stages.find((s: { stage: string }) => s.stage === "APPLICATION").deadline = "2020-03-31";
    });
    const created = await teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id version } }`, { c: id });
    const saved = await teacher.gql(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version } }`, {
      id: created.createApplication.id, v: created.createApplication.version, f: fullForm("13857700001"),
    });
    const late = await codeOf(review(teacher, "submitApplication", saved.saveApplicationDraft));
    expect(late.code).toBe("DEADLINE_PASSED");
    expect(late.message).toMatch(/2020年3月31日/);

    const stage = await teacher.gql(`query($c: ID!) { campaign(id: $c) { stages { stage open effectiveDeadline } } }`, { c: id });
    expect(stage.campaign.stages.find((s: { stage: string }) => s.stage === "APPLICATION")).toMatchObject({ open: false, effectiveDeadline: "2020-03-31" });

    expect(await raCounty.errorCode(`mutation($c: ID!) { extendDeadline(campaignId: $c, stage: APPLICATION, until: "2099-01-01", reason: "x") { id } }`, { c: id })).toBe("FORBIDDEN");
    const noReason = await codeOf(admin.gql(`mutation($c: ID!) { extendDeadline(campaignId: $c, stage: APPLICATION, until: "2099-01-01", reason: " ") { id } }`, { c: id }));
    expect(noReason).toMatchObject({ code: "BAD_INPUT", field: "reason" });
    const ruian = await admin.gql(`{ searchUnits(query: "330381") { id name } }`);
    await admin.gql(`mutation($c: ID!, $u: ID!) { extendDeadline(campaignId: $c, stage: APPLICATION, until: "2099-01-01", reason: "瑞安市因台风影响延期", unitId: $u) { id until } }`, {
      c: id, u: ruian.searchUnits[0].id,
    });
    const ok = await review(teacher, "submitApplication", saved.saveApplicationDraft);
    expect(ok.state).toBe("SUBMITTED");
    const audit = await server.db.one<{ reason: string }>(`SELECT reason FROM audit_log WHERE action = 'DEADLINE_EXTEND' AND target_id = $1`, [id]);
    expect(audit!.reason).toBe("瑞安市因台风影响延期");

    // Outside 瑞安市 the deadline still holds.
    const lc = await loginAs(server.url, "lc_teacher1");
    const c2 = await lc.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id version } }`, { c: id });
    const s2 = await lc.gql(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version } }`, {
      id: c2.createApplication.id, v: c2.createApplication.version, f: fullForm("13857700011", { county: "鹿城区", unitName: "温州市广场路小学", personInCharge: "黄思琪" }),
    });
    expect((await codeOf(review(lc, "submitApplication", s2.saveApplicationDraft))).code).toBe("DEADLINE_PASSED");
  });

  it("lets a city set its own application deadline, never after its review deadline", async () => {
    const wz = await wzCity.gql(`{ searchUnits(query: "330300") { id } }`);
    const tooLate = await codeOf(wzCity.gql(`mutation($c: ID!, $u: ID!) { setUnitDeadline(campaignId: $c, stage: APPLICATION, unitId: $u, deadline: "2027-12-31") { id } }`, { c: campaignId, u: wz.searchUnits[0].id }));
    expect(tooLate).toMatchObject({ code: "BAD_INPUT", field: "deadline" });
    const d = await wzCity.gql(`mutation($c: ID!, $u: ID!) { setUnitDeadline(campaignId: $c, stage: APPLICATION, unitId: $u, deadline: "2027-06-30") { stages { stage deadline effectiveDeadline } } }`, { c: campaignId, u: wz.searchUnits[0].id });
    expect(d.setUnitDeadline.stages.find((s: { stage: string }) => s.stage === "APPLICATION")).toMatchObject({ deadline: "2027-09-30", effectiveDeadline: "2027-06-30" });
    const hz = await admin.gql(`{ searchUnits(query: "330100") { id } }`);
    expect(await wzCity.errorCode(`mutation($c: ID!, $u: ID!) { setUnitDeadline(campaignId: $c, stage: APPLICATION, unitId: $u, deadline: "2027-06-30") { id } }`, { c: campaignId, u: hz.searchUnits[0].id })).toBe("NOT_FOUND");
  });

  it("gives reviewers of the demo campaign a queue", async () => {
    const demo = (await raCounty.gql(`{ campaigns { id year } }`)).campaigns.find((c: { year: number }) => c.year === 2023);
    const q = await raCounty.gql(`query($c: ID!) { reviewQueue(campaignId: $c) { items { title state applicant { name } } total } }`, { c: demo.id });
    expect(q.reviewQueue.total).toBeGreaterThanOrEqual(3);
    const hz = await hzCity.gql(`query($c: ID!) { applications(campaignId: $c) { items { title county { name } } } }`, { c: demo.id });
    expect(hz.applications.items.every((a: { county: { name: string } | null }) => !a.county || a.county.name === "西湖区")).toBe(true);
  });
});
