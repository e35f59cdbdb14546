import { afterAll, beforeAll, expect, it } from "vitest";
import { type Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { current, fullForm, testCampaign, CONSENT } from "./pipeline-helpers.js";

const CREATE = `mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id version form { county } countyField { required label prefill } } }`;
const SAVE = `mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!) { submitApplication(id: $id, version: $v, ${CONSENT}) { state } }`;

/** 「县（市、区）」: a practice base hangs under the city and has no county; everyone else's is prefilled. */
describeEachDb("the application form's county field", (variant) => {
  let server: TestServer;
  let admin: Client, base: Client, teacher: Client;
  let campaignId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, base, teacher] = await Promise.all(["prov_admin", "pb_teacher1", "ra_teacher1"].map((a) => loginAs(server.url, a)));
    campaignId = await testCampaign(admin, 2032);
  });
  afterAll(() => server?.stop());

  it("a practice-base teacher: not required, shown as the city and prefilled with it; submits without a county", async () => {
    const app = (await base.gql(CREATE, { c: campaignId })).createApplication;
    expect(app.countyField).toEqual({ required: false, label: "所属设区市", prefill: "温州市" });
    expect(app.form.county).toBe("温州市");
    const saved = await base.gql(SAVE, { id: app.id, v: app.version, f: fullForm("13857700031", { county: null, unitName: "温州市青少年科技实践教育基地" }) });
    expect((await base.gql(SUBMIT, { id: app.id, v: saved.saveApplicationDraft.version })).submitApplication.state).toBe("SUBMITTED");
  });

  it("a school teacher: required, prefilled with the school's county; submitting without it names the field", async () => {
    const app = (await teacher.gql(CREATE, { c: campaignId })).createApplication;
    expect(app.countyField).toEqual({ required: true, label: "县（市、区）", prefill: "瑞安市" });
    expect(app.form.county).toBe("瑞安市");
    const saved = await teacher.gql(SAVE, { id: app.id, v: app.version, f: fullForm("13857700001", { county: null }) });
    const r = await teacher.raw(SUBMIT, { id: app.id, v: saved.saveApplicationDraft.version });
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_INPUT");
    expect(JSON.stringify(r.errors)).toContain("county");
    expect(JSON.stringify(r.errors)).toContain("县（市、区）");
    expect((await current(teacher, app.id)).state).toBe("DRAFT");
  });
});
