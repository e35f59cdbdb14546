import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, campaignInput, current, fullForm, review, testCampaign } from "./pipeline-helpers.js";

describeEachDb("campaigns", (variant) => {
  let server: TestServer;
  let admin: Client, teacher: Client, raCounty: Client, wzCity: Client;

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, teacher, raCounty, wzCity] = await Promise.all(["prov_admin", "ra_teacher1", "ra_county", "wz_city"].map((a) => loginAs(server.url, a)));
  });
  afterAll(() => server?.stop());

  it("seeds the 2023 campaign of the notice as configurable demo data", async () => {
    const d = await teacher.gql(`{ campaigns { id year title docNo status levels caseMinChars caseMaxChars categories { code name applicantKind quota } stages { stage name deadline effectiveDeadline open } extensions { stage until reason } } }`);
    expect(d.campaigns).toHaveLength(1);
    const c = d.campaigns[0];
    expect(c).toMatchObject({ year: 2023, docNo: "浙教技中心〔2023〕27号", status: "OPEN", levels: ["COUNTY", "CITY", "PROVINCE"], caseMinChars: 1000, caseMaxChars: 3000 });
    expect(c.categories.map((k: { name: string }) => k.name)).toEqual(["优秀教学空间", "优秀讲师空间", "空间应用优秀学校", "空间应用优秀区域"]);
    expect(c.categories[0].quota.perCity["330300"]).toBe(75);
    expect(c.categories[2].quota).toMatchObject({ practiceBasePerCity: 3 });
    const contacts = c.stages.find((s: { stage: string }) => s.stage === "CONTACTS");
    // The real 2023 deadline stays in the configuration; the demo's audited extension keeps it open.
    expect(contacts).toMatchObject({ deadline: "2023-04-10", open: true });
    expect(c.extensions.length).toBeGreaterThan(0);
    expect(c.extensions[0].reason).toMatch(/演示/);
  });

  it("lets the province create, check, publish and close a campaign; drafts are invisible to everyone else", async () => {
    const base = await campaignInput(admin, (await admin.gql(`{ campaigns { id } }`)).campaigns[0].id);
    const bad = await admin.raw(`mutation($i: CampaignInput!) { createCampaign(input: $i) { id } }`, {
      i: { ...base, year: 1999, title: " ", caseMinChars: 4000, stages: [{ stage: "CONTACTS", name: "联系人", deadline: "2025-02-30" }] },
    });
    const fields = (bad.errors![0]!.extensions!.violations as { field: string }[]).map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(["year", "title", "stages[0].deadline", "forms.caseMinChars"]));

    const next = { ...base, year: 2027, title: "之江汇教育广场2027年空间建设与应用活动", docNo: "浙教技中心〔2027〕8号" };
    next.stages = next.stages.map((s: { deadline: string | null }) => ({ ...s, deadline: s.deadline?.replace("2023-", "2027-") ?? null }));
    next.categories = next.categories.filter((k: { code: string }) => k.code !== "REGION");
    next.categories[0].quota.perCity["330300"] = 80;
    const created = await admin.gql(`mutation($i: CampaignInput!) { createCampaign(input: $i) { id status categories { code quota } } }`, { i: next });
    const id = created.createCampaign.id;
    expect(created.createCampaign.status).toBe("DRAFT");
    expect(created.createCampaign.categories.map((k: { code: string }) => k.code)).toEqual(["TEACHING_SPACE", "LECTURER_SPACE", "SCHOOL"]);

    expect(await teacher.errorCode(`query($id: ID!) { campaign(id: $id) { id } }`, { id })).toBe("NOT_FOUND");
    expect((await wzCity.gql(`{ campaigns { id } }`)).campaigns.map((c: { id: string }) => c.id)).not.toContain(id);
    expect(await teacher.errorCode(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id } }`, { c: id })).toBe("NOT_FOUND");
    expect(await wzCity.errorCode(`mutation($id: ID!) { openCampaign(id: $id) { id } }`, { id })).toBe("FORBIDDEN");

    await admin.gql(`mutation($id: ID!) { openCampaign(id: $id) { id } }`, { id });
    expect((await wzCity.gql(`query($id: ID!) { campaign(id: $id) { title } }`, { id })).campaign.title).toMatch(/2027/);
    const q = await wzCity.gql(`query($c: ID!) { quotas(campaignId: $c, categoryCode: "TEACHING_SPACE") { key cap } }`, { c: id });
    expect(q.quotas.find((b: { key: string }) => b.key === "TEACHING_SPACE/CITY/330300").cap).toBe(80);

    const app = await applyAndSubmit(teacher, id, "TEACHING_SPACE", fullForm("13857700001"));
    await admin.gql(`mutation($id: ID!) { closeCampaign(id: $id) { id } }`, { id });
    const closed = await raCounty.raw(`mutation($id: ID!, $v: Int!) { recommendApplication(id: $id, version: $v) { id } }`, { id: app.id, v: app.version });
    expect(closed.errors![0]!.extensions!.code).toBe("INVALID_TRANSITION");
    expect(closed.errors![0]!.message).toMatch(/已结束/);
  });

  it("copies a campaign to the next year with its dates moved and refuses removing a category in use", async () => {
    const id = await testCampaign(admin, 2031);
    const c = await admin.gql(`query($id: ID!) { campaign(id: $id) { year status stages { stage deadline } } }`, { id });
    expect(c.campaign.stages.find((s: { stage: string }) => s.stage === "CITY_REVIEW").deadline).toBe("2031-09-30");
    await applyAndSubmit(teacher, id, "TEACHING_SPACE", fullForm("13857700001"));
    const input = await campaignInput(admin, id);
    input.categories = input.categories.filter((k: { code: string }) => k.code !== "TEACHING_SPACE");
    const r = await admin.raw(`mutation($id: ID!, $i: CampaignInput!) { updateCampaign(id: $id, input: $i) { id } }`, { id, i: input });
    expect(r.errors![0]!.extensions!.code).toBe("BAD_INPUT");
    expect(r.errors![0]!.message).toMatch(/已有1件申报，不能删除/);
  });

  it("takes region applications from a county reviewer to the city, and each role acts only in the role chosen", async () => {
    const id = await testCampaign(admin, 2032);
    const region = await raCounty.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "REGION") { id version levels applicantKind } }`, { c: id });
    expect(region.createApplication).toMatchObject({ levels: ["CITY", "PROVINCE"], applicantKind: "REGION" });

    // 林晓东 is school admin and teacher: as a teacher he applies for his space, as school admin for the school, never the other way round.
    const lin = await loginAs(server.url, "ra_school_admin");
    const asTeacher = await lin.raw(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "SCHOOL") { id } }`, { c: id });
    expect(asTeacher.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    await lin.as("SCHOOL_ADMIN");
    const school = await lin.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "SCHOOL") { id levels applicant { name } applicantUnit { name } } }`, { c: id });
    expect(school.createApplication).toMatchObject({ levels: ["COUNTY", "CITY", "PROVINCE"], applicantUnit: { name: "瑞安市实验中学" } });
    expect((await lin.raw(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id } }`, { c: id })).errors![0]!.extensions!.code).toBe("FORBIDDEN");

    // The school admin does not review teacher applications when the campaign has no school level.
    const t = await applyAndSubmit(teacher, id, "TEACHING_SPACE", fullForm("13857700001"));
    const r = await lin.raw(`mutation($id: ID!, $v: Int!) { recommendApplication(id: $id, version: $v) { id } }`, { id: t.id, v: t.version });
    expect(r.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    // But the school admin sees the school's submitted applications.
    const seen = await lin.gql(`query($c: ID!) { applications(campaignId: $c) { items { id } } }`, { c: id });
    expect(seen.applications.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([t.id, school.createApplication.id]));
  });

  it("lets the applicant withdraw before any recommendation, and tells the waiting level", async () => {
    const id = await testCampaign(admin, 2033);
    const app = await applyAndSubmit(teacher, id, "TEACHING_SPACE", fullForm("13857700001"));
    const w = await review(teacher, "withdrawApplication", app, `comment: "材料需要重新整理"`);
    expect(w.state).toBe("WITHDRAWN");
    const q = await raCounty.gql(`query($c: ID!) { reviewQueue(campaignId: $c) { total } notifications(limit: 5) { items { title applicationId } } }`, { c: id });
    expect(q.reviewQueue.total).toBe(0);
    expect(q.notifications.items.find((n: { applicationId: string }) => n.applicationId === app.id).title).toBe("申报已被申报人撤回");
    // A withdrawn application frees the category: the teacher may start again.
    const again = await teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id state } }`, { c: id });
    expect(again.createApplication.state).toBe("DRAFT");
    expect((await current(teacher, app.id)).history.map((h: { action: string }) => h.action)).toEqual(["submit", "withdraw"]);
  });
});
