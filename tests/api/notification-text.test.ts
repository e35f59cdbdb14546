import { DOUBLED_PUNCTUATION } from "../../libs/domain/src/text.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, current, fullForm, review, testCampaign } from "./pipeline-helpers.js";

const NOTES = `{ notifications(limit: 200) { items { kind title body } } }`;
const REMIND = `mutation($a: ID!) { remindExperts(applicationId: $a) }`;

describeEachDb("notification texts and the province's reminders to experts", (variant) => {
  let server: TestServer;
  let admin: Client, teacher: Client, raCounty: Client, wzCity: Client;

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, teacher, raCounty, wzCity] = await Promise.all(["prov_admin", "ra_teacher1", "ra_county", "wz_city"].map((a) => loginAs(server.url, a)));
  });
  afterAll(() => server?.stop());

  it("never doubles punctuation when a comment ending in 。 or ， is followed by the system's words", async () => {
    const campaignId = await testCampaign(admin, 2032);
    let app = await applyAndSubmit(teacher, campaignId, "TEACHING_SPACE", fullForm("13857700001"));
    app = await review(raCounty, "returnApplication", app, `comment: "请在“工作成效”中补充数据。"`);
    const returned = (await teacher.gql(NOTES)).notifications.items.find((n: { kind: string }) => n.kind === "APPLICATION_RETURN");
    expect(returned.body).toContain("请在“工作成效”中补充数据。请修改后重新提交");

    app = await review(teacher, "resubmitApplication", await current(teacher, app.id));
    app = await review(raCounty, "recommendApplication", app, `comment: "同意推荐，"`);
    app = await review(wzCity, "rejectApplication", app, `reason: "案例与空间主页内容不一致。"`);

    const all = await server.db.rows<{ title: string; body: string }>(`SELECT title, body FROM notification`);
    expect(all.length).toBeGreaterThan(4);
    const doubled = all.filter((n) => DOUBLED_PUNCTUATION.test(n.title) || DOUBLED_PUNCTUATION.test(n.body));
    expect(doubled).toEqual([]);
  });

  it("lets the province remind the experts who have not scored an application, once a day, by notification", async () => {
    const pending = await server.db.rows<{ application_id: string; account: string }>(
      `SELECT x.application_id, u.account FROM expert_assignment x JOIN app_user u ON u.id = x.expert_user_id
         JOIN application a ON a.id = x.application_id LEFT JOIN expert_score s ON s.assignment_id = x.id
        WHERE x.state = 'RELEASED' AND a.state = 'EXPERT_REVIEW' AND s.state IS DISTINCT FROM 'SUBMITTED' ORDER BY x.application_id, x.id`,
    );
    expect(pending.length).toBeGreaterThan(0);
    const appId = String(pending[0]!.application_id);
    const experts = pending.filter((p) => String(p.application_id) === appId).map((p) => p.account);

    expect((await admin.gql(REMIND, { a: appId })).remindExperts).toBe(experts.length);
    for (const account of experts) {
      const expert = await loginAs(server.url, account);
      const n = (await expert.gql(NOTES)).notifications.items.filter((x: { kind: string }) => x.kind === "EXPERT_SCORE_REMINDER");
      expect(n).toHaveLength(1);
      expect(n[0].body).toMatch(/^省级管理员提醒您：申报「.+」尚未提交评分，请在“我的评审任务”中完成评分$/);
    }
    // The same day again: nothing more is sent.
    expect((await admin.gql(REMIND, { a: appId })).remindExperts).toBe(0);
    const audit = await server.db.rows(`SELECT 1 FROM audit_log WHERE action = 'EXPERT_REMIND'`);
    expect(audit.length).toBe(2);
  });

  it("refuses everyone but the province, and applications not in expert review", async () => {
    const appId = String((await server.db.one<{ application_id: string }>(`SELECT application_id FROM expert_assignment WHERE state = 'RELEASED' LIMIT 1`))!.application_id);
    for (const account of ["wz_city", "ra_county", "ra_teacher1", "expert_hz"]) {
      expect(await (await loginAs(server.url, account)).errorCode(REMIND, { a: appId })).toBe("FORBIDDEN");
    }
    const anon = await loginAs(server.url, "ra_teacher2");
    anon.token = null;
    expect(await anon.errorCode(REMIND, { a: appId })).toBe("UNAUTHENTICATED");
    expect(await admin.errorCode(REMIND, { a: "999999" })).toBe("NOT_FOUND");
    const submitted = String((await server.db.one<{ id: string }>(`SELECT id FROM application WHERE state = 'SUBMITTED' LIMIT 1`))!.id);
    expect(await admin.errorCode(REMIND, { a: submitted })).toBe("INVALID_TRANSITION");
  });
});
