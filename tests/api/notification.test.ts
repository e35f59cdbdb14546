import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, fullForm, review, testCampaign } from "./pipeline-helpers.js";

interface Note {
  id: string;
  kind: string;
  title: string;
  body: string;
  applicationId: string | null;
  readAt: string | null;
}

async function notes(c: Client): Promise<{ items: Note[]; unread: number }> {
  const d = await c.gql(`{ notifications(limit: 200) { items { id kind title body applicationId readAt } unread total } }`);
  return d.notifications;
}

/** The Beijing calendar date `days` from now. */
function shanghaiDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
}

describeEachDb("notifications", (variant) => {
  let server: TestServer;
  let admin: Client, teacher: Client, raCounty: Client, wzCity: Client, lcCounty: Client;

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, teacher, raCounty, wzCity, lcCounty] = await Promise.all(["prov_admin", "ra_teacher1", "ra_county", "wz_city", "lc_county"].map((a) => loginAs(server.url, a)));
  });
  afterAll(() => server?.stop());

  it("tells the applicant and the reviewers of every transition that concerns them, never the actor", async () => {
    const campaignId = await testCampaign(admin, 2027);
    const lcBefore = (await notes(lcCounty)).items.length;
    let app = await applyAndSubmit(teacher, campaignId, "TEACHING_SPACE", fullForm("13857700001"));
    const countyNew = (await notes(raCounty)).items.filter((n) => n.applicationId === app.id);
    expect(countyNew).toEqual([expect.objectContaining({ kind: "APPLICATION_SUBMIT", title: "有新的申报待审核" })]);

    app = await review(raCounty, "recommendApplication", app, `comment: "同意推荐"`);
    expect((await notes(wzCity)).items.filter((n) => n.applicationId === app.id)).toEqual([expect.objectContaining({ kind: "APPLICATION_RECOMMEND", title: "有新的推荐申报待审核" })]);
    app = await review(wzCity, "returnApplication", app, `comment: "请补充课堂实录"`);

    const t = (await notes(teacher)).items.filter((n) => n.applicationId === app.id).map((n) => n.title);
    expect(t).toEqual(["申报被退回修改", "申报已获推荐"]);
    const returned = (await notes(teacher)).items.find((n) => n.title === "申报被退回修改")!;
    expect(returned.body).toMatch(/温州市（设区市级）退回修改：请补充课堂实录。请修改后重新提交/);
    // The county that recommended it hears of the return; the city that returned it hears nothing of its own act.
    expect((await notes(raCounty)).items.filter((n) => n.applicationId === app.id).map((n) => n.title)).toEqual(["申报被退回修改", "有新的申报待审核"]);
    expect((await notes(wzCity)).items.filter((n) => n.applicationId === app.id)).toHaveLength(1);
    expect((await notes(lcCounty)).items.length).toBe(lcBefore);
  });

  it("marks only one's own notifications read", async () => {
    const mine = await notes(teacher);
    expect(mine.unread).toBeGreaterThan(0);
    const others = await notes(raCounty);
    const n = await teacher.gql(`mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, { ids: [mine.items[0]!.id, others.items[0]!.id] });
    expect(n.markNotificationsRead).toBe(1);
    expect((await notes(raCounty)).items.find((x) => x.id === others.items[0]!.id)!.readAt).toBeNull();
    await teacher.gql(`mutation { markNotificationsRead }`);
    expect((await notes(teacher)).unread).toBe(0);
    const unread = await teacher.gql(`{ notifications(unreadOnly: true) { total } }`);
    expect(unread.notifications.total).toBe(0);
  });

  it("reminds applicants with drafts and reviewers with waiting applications as deadlines approach, once", async () => {
    const campaignId = await testCampaign(admin, 2028, (i) => {
      i.stages.find((s: { stage: string }) => s.stage === "APPLICATION").deadline = shanghaiDate(1);
      i.stages.find((s: { stage: string }) => s.stage === "COUNTY_REVIEW").deadline = shanghaiDate(2);
    });
    await applyAndSubmit(teacher, campaignId, "TEACHING_SPACE", fullForm("13857700001"));
    const lc = await loginAs(server.url, "lc_teacher1");
    await lc.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "LECTURER_SPACE") { id } }`, { c: campaignId });

    expect(await raCounty.errorCode(`mutation($c: ID!) { sendDeadlineReminders(campaignId: $c) }`, { c: campaignId })).toBe("FORBIDDEN");
    const sent = await admin.gql(`mutation($c: ID!) { sendDeadlineReminders(campaignId: $c) }`, { c: campaignId });
    expect(sent.sendDeadlineReminders).toBe(2);
    const again = await admin.gql(`mutation($c: ID!) { sendDeadlineReminders(campaignId: $c) }`, { c: campaignId });
    expect(again.sendDeadlineReminders).toBe(0);

    const lcNotes = (await notes(lc)).items.filter((n) => n.kind === "DEADLINE_APPROACHING");
    expect(lcNotes).toHaveLength(1);
    expect(lcNotes[0]!.body).toMatch(/尚未提交/);
    const county = (await notes(raCounty)).items.filter((n) => n.kind === "DEADLINE_APPROACHING");
    expect(county).toHaveLength(1);
    expect(county[0]!.body).toMatch(/您有1件申报待审核/);
    expect((await notes(teacher)).items.filter((n) => n.kind === "DEADLINE_APPROACHING")).toHaveLength(0);
  });
});
