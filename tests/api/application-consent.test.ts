import { afterAll, beforeAll, expect, it } from "vitest";
import { CURRENT_CONSENT_VERSION, currentConsent } from "../../libs/domain/src/consent/consent.js";
import { type Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { exportSheet } from "../support/xlsx.js";
import { current, fullForm, review, testCampaign } from "./pipeline-helpers.js";

const CREATE = `mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id version } }`;
const SAVE = `mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $k: String) { submitApplication(id: $id, version: $v, consentVersion: $k) { id state version revision } }`;
const RESUBMIT = `mutation($id: ID!, $v: Int!, $k: String) { resubmitApplication(id: $id, version: $v, consentVersion: $k) { id state version revision } }`;
const CONSENTS = `query($id: ID!) { application(id: $id) { revision consents { revision version text acceptedAt acceptedBy { id name account } } revisions { revision submittedAt } } }`;

/** 参赛须知: every (re)submission carries the applicant's acceptance of the current wording, recorded with it. */
describeEachDb("the 参赛须知 consent of a submission", (variant) => {
  let server: TestServer;
  let admin: Client, teacher: Client, raCounty: Client, wzCity: Client, hzCity: Client, otherTeacher: Client;
  let campaignId: string;
  let appId: string;
  const get = (c: Client, url: string) => fetch(server.url + url, { headers: { authorization: `Bearer ${c.token}` } });

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, teacher, raCounty, wzCity, hzCity, otherTeacher] = await Promise.all(
      ["prov_admin", "ra_teacher1", "ra_county", "wz_city", "hz_city", "ra_teacher2"].map((a) => loginAs(server.url, a)),
    );
    campaignId = await testCampaign(admin, 2036);
    const created = (await teacher.gql(CREATE, { c: campaignId })).createApplication;
    appId = (await teacher.gql(SAVE, { id: created.id, v: created.version, f: fullForm("13857700001") })).saveApplicationDraft.id;
  });
  afterAll(() => server?.stop());

  const refusal = async (c: Client, q: string, vars: Record<string, unknown>) => (await c.raw(q, vars)).errors?.[0];

  it("refuses a submission without the consent (CONSENT_REQUIRED, naming the field) or with an outdated wording (CONSENT_OUTDATED)", async () => {
    const v = (await current(teacher, appId)).version;
    for (const k of [null, "", "  "]) {
      const e = await refusal(teacher, SUBMIT, { id: appId, v, k });
      expect(e).toMatchObject({ extensions: { code: "CONSENT_REQUIRED", field: "consentVersion" } });
      expect(e.message).toContain("参赛须知");
    }
    const omitted = await refusal(teacher, `mutation($id: ID!, $v: Int!) { submitApplication(id: $id, version: $v) { id } }`, { id: appId, v });
    expect(omitted?.extensions?.code).toBe("CONSENT_REQUIRED");
    const old = await refusal(teacher, SUBMIT, { id: appId, v, k: "2022-01" });
    expect(old).toMatchObject({ extensions: { code: "CONSENT_OUTDATED", field: "consentVersion", currentVersion: CURRENT_CONSENT_VERSION } });
    // Nothing happened: still a draft, no acceptance recorded.
    const a = await current(teacher, appId);
    expect(a).toMatchObject({ state: "DRAFT", version: v });
    expect((await teacher.gql(CONSENTS, { id: appId })).application.consents).toEqual([]);
  });

  it("records who accepted which wording when, with the submitted revision, in the submission's transaction", async () => {
    const v = (await current(teacher, appId)).version;
    const sub = (await teacher.gql(SUBMIT, { id: appId, v, k: CURRENT_CONSENT_VERSION })).submitApplication;
    expect(sub).toMatchObject({ state: "SUBMITTED", revision: 1 });
    const d = (await teacher.gql(CONSENTS, { id: appId })).application;
    expect(d.consents).toEqual([
      {
        revision: 1,
        version: CURRENT_CONSENT_VERSION,
        text: currentConsent().text,
        acceptedAt: d.revisions[0].submittedAt,
        acceptedBy: { id: expect.any(String), name: expect.any(String), account: "ra_teacher1" },
      },
    ]);
    expect(d.consents[0].text).toContain("同意所上传资源内容免费向全省师生开放");
  });

  it("reviewers in scope see it; an outsider (another city, another teacher) gets NOT_FOUND", async () => {
    for (const c of [raCounty, wzCity, admin]) {
      const d = (await c.gql(CONSENTS, { id: appId })).application;
      expect(d.consents).toHaveLength(1);
      expect(d.consents[0].acceptedBy.account).toBe("ra_teacher1");
    }
    for (const c of [hzCity, otherTeacher]) {
      expect((await refusal(c, CONSENTS, { id: appId }))?.extensions?.code).toBe("NOT_FOUND");
    }
  });

  it("a resubmission after a return needs the consent again and records it for the new revision", async () => {
    let a = await current(raCounty, appId);
    a = await review(raCounty, "returnApplication", a, `comment: "请补充数据"`);
    expect(a.state).toBe("RETURNED");
    const v = (await current(teacher, appId)).version;
    expect((await refusal(teacher, RESUBMIT, { id: appId, v, k: null }))?.extensions?.code).toBe("CONSENT_REQUIRED");
    expect((await refusal(teacher, RESUBMIT, { id: appId, v, k: "2023-01" }))?.extensions?.code).toBe("CONSENT_OUTDATED");
    expect((await current(teacher, appId)).state).toBe("RETURNED");
    const r = (await teacher.gql(RESUBMIT, { id: appId, v, k: CURRENT_CONSENT_VERSION })).resubmitApplication;
    expect(r).toMatchObject({ state: "SUBMITTED", revision: 2 });
    const d = (await wzCity.gql(CONSENTS, { id: appId })).application;
    expect(d.consents.map((c: { revision: number; version: string }) => [c.revision, c.version])).toEqual([[1, CURRENT_CONSENT_VERSION], [2, CURRENT_CONSENT_VERSION]]);
    expect(d.consents[1].acceptedAt).toBe(d.revisions[1].submittedAt);
  });

  it("the applications export has 同意开放 and 同意时间 columns", async () => {
    const s = await exportSheet(await get(wzCity, `/api/export/applications.xlsx?campaignId=${campaignId}`));
    expect(s.headers).toEqual(expect.arrayContaining(["同意开放", "同意时间"]));
    const row = s.rows.find((r) => String(r["申报编号"]) === appId)!;
    expect(row["同意开放"]).toBe(`是（${CURRENT_CONSENT_VERSION}版）`);
    expect(row["同意时间"]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    // A draft in the owner's own export has not accepted anything yet.
    const draft = (await otherTeacher.gql(CREATE, { c: campaignId })).createApplication;
    const own = await exportSheet(await get(otherTeacher, `/api/export/applications.xlsx?campaignId=${campaignId}`));
    const drow = own.rows.find((r) => String(r["申报编号"]) === draft.id)!;
    expect(drow["同意开放"]).toBe("否");
    expect(drow["同意时间"]).toBeUndefined();
  });
});
