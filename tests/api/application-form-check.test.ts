import { afterAll, beforeAll, expect, it } from "vitest";
import { type Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { current, fullForm, testCampaign, CONSENT } from "./pipeline-helpers.js";

const CHECK = `query($id: ID!, $f: ApplicationFormInput!) { applicationFormCheck(id: $id, form: $f) { field rule message } }`;

describeEachDb("checking an application form against the submission rules before saving", (variant) => {
  let server: TestServer;
  let admin: Client, teacher: Client, teacher2: Client, raCounty: Client, expert: Client;
  let appId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, teacher, teacher2, raCounty, expert] = await Promise.all(
      ["prov_admin", "ra_teacher1", "ra_teacher2", "ra_county", "expert_hz"].map((a) => loginAs(server.url, a)),
    );
    const campaignId = await testCampaign(admin, 2031);
    const created = await teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id } }`, { c: campaignId });
    appId = created.createApplication.id;
  });
  afterAll(() => server?.stop());

  it("returns every violation at once: a bad news link and a mobile other than the account's, and saves nothing", async () => {
    const before = await current(teacher, appId);
    const r = await teacher.gql(CHECK, { id: appId, f: fullForm("13900000000", { newsLinks: ["https://news.example.cn/ok", "news.example.cn/bad"], jobTitle: null }) });
    const found = r.applicationFormCheck.map((v: { field: string; rule: string }) => `${v.field}:${v.rule}`).sort();
    expect(found).toEqual(["jobTitle:required", "mobile:boundMobile", "newsLinks[1]:url"]);
    expect(r.applicationFormCheck.find((v: { field: string }) => v.field === "mobile").message).toContain("之江汇账号绑定的手机号码");
    const after = await current(teacher, appId);
    expect(after.version).toBe(before.version);
  });

  it("answers an empty list for a form that may be submitted, and submit then accepts it", async () => {
    const form = fullForm("13857700001");
    expect((await teacher.gql(CHECK, { id: appId, f: form })).applicationFormCheck).toEqual([]);
    const a = await current(teacher, appId);
    const saved = await teacher.gql(`mutation($id: ID!, $v: Int!, $f: ApplicationFormInput!) { saveApplicationDraft(id: $id, version: $v, form: $f) { version } }`, { id: appId, v: a.version, f: form });
    const sub = await teacher.gql(`mutation($id: ID!, $v: Int!) { submitApplication(id: $id, version: $v, ${CONSENT}) { state } }`, { id: appId, v: saved.saveApplicationDraft.version });
    expect(sub.submitApplication.state).toBe("SUBMITTED");
  });

  it("refuses outsiders: another teacher and a reviewer get NOT_FOUND, an expert FORBIDDEN, anonymous UNAUTHENTICATED", async () => {
    const f = fullForm("13857700001");
    expect(await teacher2.errorCode(CHECK, { id: appId, f })).toBe("NOT_FOUND");
    expect(await expert.errorCode(CHECK, { id: appId, f })).toBe("FORBIDDEN");
    expect(await raCounty.errorCode(CHECK, { id: appId, f })).toMatch(/^(NOT_FOUND|FORBIDDEN)$/);
    const anon = await loginAs(server.url, "ra_teacher3");
    anon.token = null;
    expect(await anon.errorCode(CHECK, { id: appId, f })).toBe("UNAUTHENTICATED");
  });
});
