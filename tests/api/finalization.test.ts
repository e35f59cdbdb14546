import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { changeScore, refusal, scoreAndSubmit, sheet, SHEET_FIELDS, toProvince, valuesFor } from "./finalization-helpers.js";
import { applyAndSubmit, fullForm, sampleCase, testCampaign } from "./pipeline-helpers.js";

const ASSIGNMENTS = `query($c: ID!, $s: ExpertAssignmentState, $a: ID) {
  expertAssignments(campaignId: $c, state: $s, applicationId: $a, limit: 200) {
    total items { id state origin application { id cityName } expert { id account cityName } scoreState scoreTotal } } }`;

const PROGRESS = `query($c: ID!, $f: Boolean) {
  scoringProgress(campaignId: $c, categoryCode: "TEACHING_SPACE", flagged: $f, limit: 200) {
    total spreadThreshold items { application { id title } assigned released submitted scores score spread flagged spreadReviewed } } }`;

const RANKING = `query($c: ID!) { categoryRanking(campaignId: $c, categoryCode: "TEACHING_SPACE", limit: 200) {
  total unscored scheme { mode bands { grade proportion } } finalization { state }
  items { rank score expertCount spread flagged grade application { id title } } } }`;

const CATEGORY = `campaignId categoryCode state total counts { grade count } entries { rank score grade application { id title state } }`;

describeEachDb("province finalization over HTTP", (variant) => {
  let server: TestServer;
  let admin: Client, wzCity: Client, raCounty: Client;
  const experts: Record<"hz" | "nb" | "jh" | "wz", Client> = {} as never;
  const expertIds: Record<string, string> = {};
  let campaignId: string;
  /** Applications at the province by name: A1–A5 from 温州, A6–A7 from 杭州; A8 stays at 瑞安's county review. */
  const app: Record<string, string> = {};
  const title = (k: string) => `空间应用案例${k}`;

  beforeAll(async () => {
    server = await startTestServer(variant);
    const accounts = ["prov_admin", "wz_city", "hz_city", "ra_county", "lc_county", "xh_county",
      "ra_teacher1", "ra_teacher2", "ra_teacher3", "ra_teacher4", "lc_teacher1", "pb_teacher1", "hz_teacher1", "hz_teacher2",
      "expert_hz", "expert_nb", "expert_jh", "expert_wz"];
    const c = Object.fromEntries(await Promise.all(accounts.map(async (a) => [a, await loginAs(server.url, a)] as const)));
    admin = c.prov_admin!;
    wzCity = c.wz_city!;
    raCounty = c.ra_county!;
    for (const k of ["hz", "nb", "jh", "wz"] as const) experts[k] = c[`expert_${k}`]!;
    campaignId = await testCampaign(admin, 2031);

    // Platform activity of ra_teacher1 in the campaign year: the computed rubric items come from it.
    const at = (d: string, h = "08") => `2031-03-${d}T${h}:00:00+08:00`;
    const events = [
      { id: "fz-login-1", type: "login", userId: "ra_teacher1", at: at("01"), client: "mobile" },
      ...["02", "03", "04"].map((d) => ({ id: `fz-lesson-${d}`, type: "lesson", userId: "ra_teacher1", minutes: 40, at: at(d, "09"), client: "mobile" })),
      { id: "fz-lesson-short", type: "lesson", userId: "ra_teacher1", minutes: 5, at: at("05", "09"), client: "mobile" },
      ...["a", "b", "c", "d"].map((p) => ({ id: `fz-int-${p}`, type: "interaction", userId: "ra_teacher1", counterpartId: `p-${p}`, at: at("06", "10") })),
    ];
    await admin.gql(`mutation($l: [String!]!) { ingestActivityEvents(lines: $l) { stored } }`, { l: events.map((e) => JSON.stringify(e)) });

    const wz = { city: wzCity };
    const ra = { county: raCounty, city: wzCity };
    const hz = { county: c.xh_county!, city: c.hz_city! };
    app.A1 = await toProvince(c.ra_teacher1!, "13857700001", campaignId, title("A1"), ra);
    app.A2 = await toProvince(c.ra_teacher2!, "13857700002", campaignId, title("A2"), ra);
    app.A3 = await toProvince(c.ra_teacher3!, "13857700003", campaignId, title("A3"), ra);
    app.A4 = await toProvince(c.lc_teacher1!, "13857700011", campaignId, title("A4"), { county: c.lc_county!, city: wzCity });
    app.A5 = await toProvince(c.pb_teacher1!, "13857700031", campaignId, title("A5"), wz);
    app.A6 = await toProvince(c.hz_teacher1!, "13957100001", campaignId, title("A6"), hz);
    app.A7 = await toProvince(c.hz_teacher2!, "13957100002", campaignId, title("A7"), hz);
    app.A8 = (await applyAndSubmit(c.ra_teacher4!, campaignId, "TEACHING_SPACE", fullForm("13857700004", { case: sampleCase(title("A8")) }))).id;

    const pool = await admin.gql(`query($c: ID!) { expertPool(campaignId: $c) { id account cityName load } }`, { c: campaignId });
    for (const e of pool.expertPool) expertIds[e.account.replace("expert_", "")] = e.id;
  });
  afterAll(() => server?.stop());

  it("gives the expert demo accounts work in the demo campaign, never from their own city", async () => {
    const hz = (await experts.hz.gql(`{ myAssignments(limit: 50) { items { state application { title cityName state } } } }`)).myAssignments.items;
    expect(hz).toEqual([{ state: "RELEASED", application: { title: "科技实践基地的空间课程群建设", cityName: "温州市", state: "EXPERT_REVIEW" } }]);
    expect((await experts.wz.gql(`{ myAssignments { total } }`)).myAssignments.total).toBe(0);
  });

  it("lists the province's experts with their city", async () => {
    const pool = await admin.gql(`query($c: ID!) { expertPool(campaignId: $c) { account cityName load locked } }`, { c: campaignId });
    expect(pool.expertPool.map((e: { account: string }) => e.account).sort()).toEqual(["expert_hz", "expert_jh", "expert_nb", "expert_wz"]);
    expect(pool.expertPool.find((e: { account: string }) => e.account === "expert_wz").cityName).toBe("温州市");
  });

  it("refuses an expert from the applicant's city, school, or the applicant themself when assigning", async () => {
    const assign = (a: string, e: string) => admin.gql(`mutation($a: ID!, $e: ID!) { assignExpert(applicationId: $a, expertId: $e) { id state } }`, { a, e });

    const city = await refusal(assign(app.A1!, expertIds.wz!));
    expect(city.code).toBe("EXPERT_CONFLICT");
    expect(city.ext.reason).toBe("SAME_CITY");
    expect(city.field).toBe("expertId");
    expect(city.message).toContain("温州专家·蒋老师");
    expect(city.message).toContain(title("A1"));
    expect(city.message).toContain("本设区市");
    expect(city.message).toContain("温州市");

    // expert_hz works at 杭州市学军小学, where hz_teacher1 (A6) teaches.
    const school = await refusal(assign(app.A6!, expertIds.hz!));
    expect(school.code).toBe("EXPERT_CONFLICT");
    expect(school.ext.reason).toBe("SAME_SCHOOL");
    expect(school.message).toContain("本校");

    // hz_teacher2 is named an expert too; they may never score their own application (A7).
    const users = await admin.gql(`{ users(search: "hz_teacher2", unitId: null) { items { id } } me { homeUnit { id } } }`);
    const userId = users.users.items[0].id;
    const granted = await admin.gql(`mutation($u: ID!, $o: ID!) { grantRole(userId: $u, role: EXPERT, unitId: $o) { id } }`, { u: userId, o: users.me.homeUnit.id });
    try {
      const self = await refusal(assign(app.A7!, userId));
      expect(self.code).toBe("EXPERT_CONFLICT");
      expect(self.ext.reason).toBe("SELF");
      expect(self.message).toContain("本人");
    } finally {
      await admin.gql(`mutation($id: ID!) { revokeRole(assignmentId: $id) }`, { id: granted.grantRole.id });
    }

    // Nothing was created by the refusals.
    expect((await admin.gql(ASSIGNMENTS, { c: campaignId })).expertAssignments.total).toBe(0);
  });

  it("refuses to assign an application that is not at the province, or someone who is not an expert", async () => {
    const notThere = await refusal(admin.gql(`mutation($a: ID!, $e: ID!) { assignExpert(applicationId: $a, expertId: $e) { id } }`, { a: app.A8, e: expertIds.jh }));
    expect(notThere.code).toBe("INVALID_TRANSITION");
    const users = await admin.gql(`{ users(search: "ra_county") { items { id } } }`);
    const notExpert = await refusal(admin.gql(`mutation($a: ID!, $e: ID!) { assignExpert(applicationId: $a, expertId: $e) { id } }`, { a: app.A1, e: users.users.items[0].id }));
    expect(notExpert.code).toBe("NOT_FOUND");
  });

  it("plans balanced draft assignments without conflicts, and replans them", async () => {
    const plan = await admin.gql(
      `mutation($c: ID!) { autoAssignExperts(campaignId: $c, categoryCode: "TEACHING_SPACE", expertsPerApplication: 2) {
         expertsPerApplication applications created kept removed unfilled { missing } loads { expert { account } load } } }`,
      { c: campaignId },
    );
    const p = plan.autoAssignExperts;
    expect(p).toMatchObject({ expertsPerApplication: 2, applications: 7, created: 14, kept: 0, removed: 0, unfilled: [] });
    // 温州's five applications can only go to the three experts outside 温州; 杭州's two to the
    // three outside 杭州: the planner reaches the best possible spread.
    const loads = Object.fromEntries(p.loads.map((l: { expert: { account: string }; load: number }) => [l.expert.account, l.load]));
    expect(loads).toEqual({ expert_hz: 4, expert_nb: 4, expert_jh: 4, expert_wz: 2 });

    const list = (await admin.gql(ASSIGNMENTS, { c: campaignId })).expertAssignments;
    expect(list.total).toBe(14);
    for (const x of list.items) {
      expect(x.state).toBe("DRAFT");
      expect(x.origin).toBe("AUTO");
      expect(x.expert.cityName).not.toBe(x.application.cityName);
    }
    const perApp = new Map<string, Set<string>>();
    for (const x of list.items) perApp.set(x.application.id, (perApp.get(x.application.id) ?? new Set()).add(x.expert.id));
    expect([...perApp.values()].map((s) => s.size)).toEqual([2, 2, 2, 2, 2, 2, 2]);

    // A draft can be taken back without a reason.
    const ok = await admin.gql(`mutation($id: ID!) { unassignExpert(assignmentId: $id) }`, { id: list.items[0].id });
    expect(ok.unassignExpert).toBe(true);

    // The campaign's setting (3 experts) replaces the automatic drafts.
    const again = (await admin.gql(`mutation($c: ID!) { autoAssignExperts(campaignId: $c) { created kept removed unfilled { missing } } }`, { c: campaignId })).autoAssignExperts;
    expect(again).toEqual({ created: 21, kept: 0, removed: 13, unfilled: [] });
  });

  it("shows experts nothing before the release", async () => {
    const mine = await experts.nb.gql(`query($c: ID!) { myAssignments(campaignId: $c) { total items { id } } }`, { c: campaignId });
    expect(mine.myAssignments.total).toBe(0);
    const hidden = await refusal(sheet(experts.nb, app.A1!));
    expect(hidden.code).toBe("NOT_FOUND");
  });

  it("releases the assignments: the applications enter expert review, recorded in their history", async () => {
    const n = await admin.gql(`mutation($c: ID!) { releaseAssignments(campaignId: $c) }`, { c: campaignId });
    expect(n.releaseAssignments).toBe(21);
    const a = await admin.gql(`query($id: ID!) { application(id: $id) { state history { action toState actorRole } } }`, { id: app.A1 });
    expect(a.application.state).toBe("EXPERT_REVIEW");
    expect(a.application.history.at(-1)).toMatchObject({ action: "startExpertReview", toState: "EXPERT_REVIEW", actorRole: "PROVINCE_ADMIN" });

    const nb = (await experts.nb.gql(`query($c: ID!) { myAssignments(campaignId: $c, limit: 50) { total items { state application { id } } } }`, { c: campaignId })).myAssignments;
    expect(nb.total).toBe(7);
    const notes = (await experts.nb.gql(`{ notifications { items { kind body campaignId } } }`)).notifications.items;
    expect(notes.find((n: { kind: string; campaignId: string }) => n.kind === "EXPERT_ASSIGNED" && n.campaignId === campaignId).body).toContain("7件申报");
    const wz = (await experts.wz.gql(`query($c: ID!) { myAssignments(campaignId: $c, limit: 50) { total items { application { id cityName } } } }`, { c: campaignId })).myAssignments;
    expect(wz.items.map((x: { application: { id: string } }) => x.application.id).sort()).toEqual([app.A6, app.A7].sort());
    expect(wz.items.every((x: { application: { cityName: string } }) => x.application.cityName === "杭州市")).toBe(true);
  });

  it("answers NOT_FOUND for applications not assigned to the expert, exactly as for ids that do not exist", async () => {
    const notMine = await refusal(sheet(experts.wz, app.A1!));
    const missing = await refusal(sheet(experts.wz, "987654321"));
    expect(notMine.code).toBe("NOT_FOUND");
    expect(notMine).toEqual(missing);
    const save = await refusal(experts.wz.gql(`mutation($a: ID!) { saveScore(applicationId: $a, scores: [], version: 0) { version } }`, { a: app.A1 }));
    expect(save.code).toBe("NOT_FOUND");
  });

  it("reworks released assignments: taking one back needs a reason, a new one stays hidden until released", async () => {
    const mine = async () => (await experts.wz.gql(`{ myAssignments(limit: 50) { items { application { id } } } }`)).myAssignments.items.map((x: { application: { id: string } }) => x.application.id);
    const x = (await admin.gql(ASSIGNMENTS, { c: campaignId, a: app.A7 })).expertAssignments.items.find((i: { expert: { account: string } }) => i.expert.account === "expert_wz");
    const noReason = await refusal(admin.gql(`mutation($id: ID!) { unassignExpert(assignmentId: $id) }`, { id: x.id }));
    expect(noReason).toMatchObject({ code: "BAD_INPUT", field: "reason" });
    await admin.gql(`mutation($id: ID!) { unassignExpert(assignmentId: $id, reason: "专家临时回避，改期评审") }`, { id: x.id });
    expect(await mine()).toEqual([app.A6]);
    const logged = await server.db.one<{ reason: string }>(`SELECT reason FROM audit_log WHERE action = 'EXPERT_UNASSIGN' AND target_id = $1`, [app.A7]);
    expect(logged!.reason).toBe("专家临时回避，改期评审");

    const again = await admin.gql(`mutation($a: ID!, $e: ID!) { assignExpert(applicationId: $a, expertId: $e) { state origin expert { account } } }`, { a: app.A7, e: expertIds.wz });
    expect(again.assignExpert).toEqual({ state: "DRAFT", origin: "MANUAL", expert: { account: "expert_wz" } });
    expect(await mine()).toEqual([app.A6]);
    expect((await refusal(sheet(experts.wz, app.A7!))).code).toBe("NOT_FOUND");

    expect((await admin.gql(`mutation($c: ID!) { releaseAssignments(campaignId: $c) }`, { c: campaignId })).releaseAssignments).toBe(1);
    expect((await mine()).sort()).toEqual([app.A6, app.A7].sort());
  });

  it("prefills the computed items from platform data and lets the expert score the rest", async () => {
    const s = await sheet(experts.hz, app.A1!);
    expect(s.state).toBeNull();
    expect(s.version).toBe(0);
    expect(s.rubricName).toBe("特色空间评价标准");
    const line = (id: string) => s.lines.find((l: { itemId: string }) => l.itemId === id);
    // Three days with ≥10 minutes of mobile teaching (the 5-minute day does not count): 1.5 points.
    expect(line("CLASSROOM")).toMatchObject({ computedStatus: "COMPUTED", computedValue: 1.5, value: 1.5, origin: "COMPUTED", editable: false });
    expect(line("INTERACTION")).toMatchObject({ computedStatus: "COMPUTED", computedValue: 2, editable: false });
    expect(line("YEARLY_POINTS")).toMatchObject({ computedStatus: "COMPUTED", computedValue: 10, editable: false });
    expect(line("MICRO_COURSE")).toMatchObject({ computedStatus: "NO_DATA", value: null, editable: true });
    expect(line("CASE")).toMatchObject({ computedStatus: "EXPERT", editable: true, max: 5 });
    expect(s.missing).toContain("CASE");
    expect(s.total).toBeNull();

    // Another teacher without platform data: nothing is guessed.
    const other = await sheet(experts.hz, app.A2!);
    expect(other.lines.find((l: { itemId: string }) => l.itemId === "CLASSROOM")).toMatchObject({ computedStatus: "NO_DATA", editable: true });
  });

  it("saves drafts, refuses wrong entries by field, submits and locks the score", async () => {
    let s = await sheet(experts.hz, app.A1!);
    const saved = await experts.hz.gql(
      `mutation($a: ID!, $v: Int!) { saveScore(applicationId: $a, scores: [{ itemId: "CASE", value: 4.5 }], version: $v) { ${SHEET_FIELDS} } }`,
      { a: app.A1, v: s.version },
    );
    s = saved.saveScore;
    expect(s).toMatchObject({ state: "DRAFT", version: 1, total: null });
    expect(s.lines.find((l: { itemId: string }) => l.itemId === "CASE").value).toBe(4.5);

    const computed = await refusal(experts.hz.gql(`mutation($a: ID!, $v: Int!) { saveScore(applicationId: $a, scores: [{ itemId: "CLASSROOM", value: 18 }], version: $v) { version } }`, { a: app.A1, v: s.version }));
    expect(computed).toMatchObject({ code: "BAD_INPUT", field: "scores.CLASSROOM" });
    expect(computed.message).toContain("课堂教学");
    const range = await refusal(experts.hz.gql(`mutation($a: ID!, $v: Int!) { saveScore(applicationId: $a, scores: [{ itemId: "CASE", value: 7 }], version: $v) { version } }`, { a: app.A1, v: s.version }));
    expect(range).toMatchObject({ code: "BAD_INPUT", field: "scores.CASE" });
    expect(range.message).toContain("0到5分");
    const stale = await refusal(experts.hz.gql(`mutation($a: ID!) { saveScore(applicationId: $a, scores: [], version: 0) { version } }`, { a: app.A1 }));
    expect(stale.code).toBe("CONFLICT");
    const incomplete = await refusal(experts.hz.gql(`mutation($a: ID!, $v: Int!) { submitScore(applicationId: $a, version: $v) { version } }`, { a: app.A1, v: s.version }));
    expect(incomplete.code).toBe("BAD_INPUT");
    expect(incomplete.message).toContain("请填写「精品资源」的得分");
    expect((await sheet(experts.hz, app.A1!)).lines.find((l: { itemId: string }) => l.itemId === "CASE").value).toBe(4.5);

    const submitted = await scoreAndSubmit(experts.hz, app.A1!, 50);
    expect(submitted).toMatchObject({ state: "SUBMITTED", total: 50, missing: [] });
    expect(submitted.history).toEqual([expect.objectContaining({ kind: "SUBMIT", newTotal: 50, reason: null })]);

    const locked = await refusal(experts.hz.gql(`mutation($a: ID!, $v: Int!) { saveScore(applicationId: $a, scores: [{ itemId: "CASE", value: 1 }], version: $v) { version } }`, { a: app.A1, v: submitted.version }));
    expect(locked.code).toBe("SCORE_LOCKED");
    const again = await refusal(experts.hz.gql(`mutation($a: ID!, $v: Int!) { submitScore(applicationId: $a, version: $v) { version } }`, { a: app.A1, v: submitted.version }));
    expect(again.code).toBe("SCORE_LOCKED");

    // The province sees the submitted total; a submitted score keeps its assignment.
    const x = (await admin.gql(ASSIGNMENTS, { c: campaignId, a: app.A1 })).expertAssignments.items.find((i: { expert: { account: string } }) => i.expert.account === "expert_hz");
    expect(x).toMatchObject({ state: "RELEASED", scoreState: "SUBMITTED", scoreTotal: 50 });
    const keep = await refusal(admin.gql(`mutation($id: ID!) { unassignExpert(assignmentId: $id, reason: "调整") }`, { id: x.id }));
    expect(keep.code).toBe("SCORE_LOCKED");
  });

  it("changes a submitted score only with a reason, and keeps the old and new values in the history", async () => {
    const s = await sheet(experts.hz, app.A1!);
    const noReason = await refusal(experts.hz.gql(
      `mutation($a: ID!, $s: [ScoreItemInput!]!, $v: Int!) { changeSubmittedScore(applicationId: $a, scores: $s, reason: "  ", version: $v) { version } }`,
      { a: app.A1, s: valuesFor(s.lines, 51), v: s.version },
    ));
    expect(noReason).toMatchObject({ code: "BAD_INPUT", field: "reason" });
    const changed = await changeScore(experts.hz, app.A1!, 52, "复核案例材料后上调");
    expect(changed.total).toBe(52);
    expect(changed.history.map((h: { kind: string }) => h.kind)).toEqual(["SUBMIT", "CHANGE"]);
    expect(changed.history[1]).toMatchObject({ oldTotal: 50, newTotal: 52, reason: "复核案例材料后上调", changedByName: "杭州专家·沈教授" });

    const views = await admin.gql(`query($a: ID!) { expertScores(applicationId: $a) { expert { account } state total history { kind reason } } }`, { a: app.A1 });
    const hz = views.expertScores.find((v: { expert: { account: string } }) => v.expert.account === "expert_hz");
    expect(hz).toMatchObject({ state: "SUBMITTED", total: 52 });
    expect(hz.history[1].reason).toBe("复核案例材料后上调");
    // The history is append-only in the database itself.
    await expect(server.db.exec(`UPDATE expert_score_change SET reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(server.db.exec(`DELETE FROM expert_score_change`)).rejects.toThrow(/append-only/);
  });

  it("lets exactly one of two saves on the same version win", async () => {
    const save = () => experts.wz.gql(`mutation($a: ID!) { saveScore(applicationId: $a, scores: [{ itemId: "CASE", value: 3 }], version: 0) { version } }`, { a: app.A6 });
    const results = await Promise.allSettled([save(), save()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(await refusal(Promise.reject(lost.reason))).toMatchObject({ code: "CONFLICT" });
    expect((await sheet(experts.wz, app.A6!)).version).toBe(1);
  });

  it("filters an expert's task list by scoring state on the server, with counts over every page", async () => {
    const q = `query($c: ID!, $p: ScoreProgressFilter, $o: Int!, $l: Int!) {
      myAssignments(campaignId: $c, progress: $p, offset: $o, limit: $l) { total counts { all submitted draft notStarted } items { scoreState application { id } } }
    }`;
    const list = async (c: typeof experts.hz, p: string, limit = 50, offset = 0) => (await c.gql(q, { c: campaignId, p, o: offset, l: limit })).myAssignments;
    for (const expert of [experts.hz, experts.wz]) {
      const all = await list(expert, "ALL");
      const todo = await list(expert, "TODO");
      const done = await list(expert, "DONE");
      const ids = (page: { items: { application: { id: string } }[] }) => page.items.map((i) => i.application.id).sort();
      // The two filtered lists split the whole list, and the counts agree with them.
      expect([...ids(todo), ...ids(done)].sort()).toEqual(ids(all));
      expect(done.items.every((i: { scoreState: string | null }) => i.scoreState === "SUBMITTED")).toBe(true);
      expect(todo.items.every((i: { scoreState: string | null }) => i.scoreState !== "SUBMITTED")).toBe(true);
      expect(all.counts).toEqual({ all: all.total, submitted: done.total, draft: todo.items.filter((i: { scoreState: string | null }) => i.scoreState === "DRAFT").length, notStarted: todo.items.filter((i: { scoreState: string | null }) => !i.scoreState).length });
      // Counts cover every page, whatever the page size and filter.
      expect((await list(expert, "DONE", 1)).counts).toEqual(all.counts);
    }
    // hz submitted A1; wz saved a draft of A6.
    expect((await list(experts.hz, "DONE")).items.map((i: { application: { id: string } }) => i.application.id)).toContain(app.A1);
    expect((await list(experts.hz, "TODO")).items.map((i: { application: { id: string } }) => i.application.id)).not.toContain(app.A1);
    const wz = await list(experts.wz, "TODO");
    expect(wz.items.find((i: { application: { id: string } }) => i.application.id === app.A6)).toMatchObject({ scoreState: "DRAFT" });
    expect(wz.counts.draft).toBeGreaterThanOrEqual(1);
    expect((await refusal(experts.hz.gql(`{ myAssignments(progress: LATER) { total } }`))).code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("aggregates by the mean, dropping the highest and lowest of three or more, and flags a wide spread", async () => {
    // A1: hz 52 (already), nb 50, jh 55 → 52. A2: 60, 70, 90 → 70 (spread 30 > 15: flagged).
    await scoreAndSubmit(experts.nb, app.A1!, 50);
    await scoreAndSubmit(experts.jh, app.A1!, 55);
    await scoreAndSubmit(experts.hz, app.A2!, 60);
    await scoreAndSubmit(experts.nb, app.A2!, 70);
    await scoreAndSubmit(experts.jh, app.A2!, 90);
    const totals: Record<string, [number, number, number]> = { A3: [80, 82, 85], A4: [75, 78, 79], A5: [40, 45, 50] };
    for (const [k, [a, b, c]] of Object.entries(totals)) {
      await scoreAndSubmit(experts.hz, app[k]!, a);
      await scoreAndSubmit(experts.nb, app[k]!, b);
      await scoreAndSubmit(experts.jh, app[k]!, c);
    }
    const h: Record<string, [number, number, number]> = { A6: [95, 96, 97], A7: [65, 66, 67] };
    for (const [k, [a, b, c]] of Object.entries(h)) {
      await scoreAndSubmit(experts.nb, app[k]!, a);
      await scoreAndSubmit(experts.jh, app[k]!, b);
      if (k === "A6") await scoreAndSubmit(experts.wz, app[k]!, c);
    }

    const p = (await admin.gql(PROGRESS, { c: campaignId })).scoringProgress;
    expect(p.spreadThreshold).toBe(15);
    const row = (k: string) => p.items.find((i: { application: { id: string } }) => i.application.id === app[k]);
    expect(row("A2")).toMatchObject({ assigned: 3, released: 3, submitted: 3, scores: [60, 70, 90], score: 70, spread: 30, flagged: true, spreadReviewed: false });
    expect(row("A1")).toMatchObject({ scores: [50, 52, 55], score: 52, flagged: false });
    expect(row("A7")).toMatchObject({ submitted: 2, scores: [65, 66], score: 65.5 });
    const flagged = (await admin.gql(PROGRESS, { c: campaignId, f: true })).scoringProgress;
    expect(flagged.items.map((i: { application: { id: string } }) => i.application.id)).toEqual([app.A2]);
  });

  it("ranks by aggregated score and grades by proportions, refusing a scheme over 100%", async () => {
    const bad = await refusal(admin.gql(
      `mutation($c: ID!) { setGradingScheme(campaignId: $c, grading: { mode: PROPORTIONS, bands: [{ grade: "一等", proportion: 0.6 }, { grade: "二等", proportion: 0.6 }] }) { mode } }`,
      { c: campaignId },
    ));
    expect(bad).toMatchObject({ code: "BAD_INPUT", field: "grading.bands" });
    expect(bad.message).toContain("不能超过100%");
    const missing = await refusal(admin.gql(
      `mutation($c: ID!) { setGradingScheme(campaignId: $c, grading: { mode: PROPORTIONS, bands: [{ grade: "一等" }] }) { mode } }`,
      { c: campaignId },
    ));
    expect(missing).toMatchObject({ code: "BAD_INPUT", field: "grading.bands[0].proportion" });

    // By minimum scores: the best band whose minimum the score reaches.
    const unordered = await refusal(admin.gql(
      `mutation($c: ID!) { setGradingScheme(campaignId: $c, grading: { mode: THRESHOLDS, bands: [{ grade: "一等", minScore: 60 }, { grade: "二等", minScore: 80 }] }) { mode } }`,
      { c: campaignId },
    ));
    expect(unordered).toMatchObject({ code: "BAD_INPUT", field: "grading.bands[1].minScore" });
    await admin.gql(
      `mutation($c: ID!) { setGradingScheme(campaignId: $c, grading: { mode: THRESHOLDS, bands: [{ grade: "一等", minScore: 80 }, { grade: "二等", minScore: 60 }] }) { mode } }`,
      { c: campaignId },
    );
    const byThreshold = (await admin.gql(RANKING, { c: campaignId })).categoryRanking.items.map((e: { score: number; grade: string | null }) => [e.score, e.grade]);
    expect(byThreshold).toEqual([[96, "一等"], [82, "一等"], [78, "二等"], [70, "二等"], [65.5, "二等"], [52, null], [45, null]]);

    const set = await admin.gql(
      `mutation($c: ID!) { setGradingScheme(campaignId: $c, grading: { mode: PROPORTIONS, bands: [
         { grade: "一等", proportion: 0.15 }, { grade: "二等", proportion: 0.3 }, { grade: "三等", proportion: 0.3 }] }) { mode rounding bands { grade proportion } } }`,
      { c: campaignId },
    );
    expect(set.setGradingScheme).toMatchObject({ mode: "PROPORTIONS", rounding: "HALF_UP" });

    const r = (await admin.gql(RANKING, { c: campaignId })).categoryRanking;
    expect(r.total).toBe(7);
    expect(r.unscored).toBe(0);
    expect(r.finalization).toBeNull();
    // 7 entries at 15/30/30 %: band ends at 1, 3 and 5 (cumulative, rounded half up).
    const order = r.items.map((e: { application: { id: string }; rank: number; score: number; grade: string | null }) => [
      Object.entries(app).find(([, id]) => id === e.application.id)![0], e.rank, e.score, e.grade,
    ]);
    expect(order).toEqual([
      ["A6", 1, 96, "一等"],
      ["A3", 2, 82, "二等"],
      ["A4", 3, 78, "二等"],
      ["A2", 4, 70, "三等"],
      ["A7", 5, 65.5, "三等"],
      ["A1", 6, 52, null],
      ["A5", 7, 45, null],
    ]);
  });

  it("refuses to finalize before a preview, with scores missing, with an unreviewed wide spread, or on a stale preview", async () => {
    const fin = () => admin.gql(`mutation($c: ID!) { finalizeCampaignCategory(campaignId: $c, categoryCode: "TEACHING_SPACE") { ${CATEGORY} } }`, { c: campaignId });
    const preview = () => admin.gql(`mutation($c: ID!) { applyGrades(campaignId: $c, categoryCode: "TEACHING_SPACE") { ${CATEGORY} } }`, { c: campaignId });

    const first = await refusal(fin());
    expect(first.code).toBe("INVALID_TRANSITION");
    expect(first.message).toContain("等次预览");
    const early = await refusal(admin.gql(`mutation($c: ID!) { publishResults(campaignId: $c) { campaignId } }`, { c: campaignId }));
    expect(early.code).toBe("INVALID_TRANSITION");
    expect(early.message).toContain("「优秀教学空间」7件");

    const pv = (await preview()).applyGrades;
    expect(pv.state).toBe("PREVIEW");
    expect(pv.counts).toEqual([{ grade: "一等", count: 1 }, { grade: "二等", count: 2 }, { grade: "三等", count: 2 }, { grade: null, count: 2 }]);

    const incomplete = await refusal(fin());
    expect(incomplete.code).toBe("INVALID_TRANSITION");
    expect(incomplete.message).toContain("未全部提交");
    expect(incomplete.message).toContain(title("A7"));

    await scoreAndSubmit(experts.wz, app.A7!, 67);
    await preview();
    const spread = await refusal(fin());
    expect(spread.code).toBe("INVALID_TRANSITION");
    expect(spread.message).toContain("复核");
    expect(spread.message).toContain(title("A2"));

    const reviewed = await admin.gql(`mutation($a: ID!) { reviewSpread(applicationId: $a, note: "经专家组复议，维持评分") { flagged spreadReviewed } }`, { a: app.A2 });
    expect(reviewed.reviewSpread).toEqual({ flagged: true, spreadReviewed: true });

    // A score changed after the preview makes it stale.
    await changeScore(experts.nb, app.A5!, 46, "更正计分错误");
    const stale = await refusal(fin());
    expect(stale.code).toBe("STALE_REVISION");
  });

  it("finalizes the category through the pipeline: grades, NOT_SELECTED, history, and locks the scores", async () => {
    await admin.gql(`mutation($c: ID!) { applyGrades(campaignId: $c, categoryCode: "TEACHING_SPACE") { state } }`, { c: campaignId });
    // Two province admins finalizing at once: one does it, the other is told it is already done.
    const admin2 = await loginAs(server.url, "prov_admin");
    const fin = (c: Client) => c.gql(`mutation($c: ID!) { finalizeCampaignCategory(campaignId: $c, categoryCode: "TEACHING_SPACE") { ${CATEGORY} } }`, { c: campaignId });
    const both = await Promise.allSettled([fin(admin), fin(admin2)]);
    const won = both.filter((r): r is PromiseFulfilledResult<any> => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const other = await refusal(Promise.reject((both.find((r) => r.status === "rejected") as PromiseRejectedResult).reason));
    expect(other.code).toBe("INVALID_TRANSITION");
    expect(other.message).toContain("已确定等次");
    const done = won[0]!.value.finalizeCampaignCategory;
    expect(done.state).toBe("FINAL");
    const byKey = Object.fromEntries(done.entries.map((e: { application: { id: string; state: string }; grade: string | null }) => [
      Object.entries(app).find(([, id]) => id === e.application.id)![0], [e.application.state, e.grade],
    ]));
    expect(byKey).toEqual({
      A6: ["FINALIZED", "一等"], A3: ["FINALIZED", "二等"], A4: ["FINALIZED", "二等"], A2: ["FINALIZED", "三等"], A7: ["FINALIZED", "三等"],
      A1: ["NOT_SELECTED", null], A5: ["NOT_SELECTED", null],
    });
    const a6 = await admin.gql(`query($id: ID!) { application(id: $id) { state grade history { action grade toState } } }`, { id: app.A6 });
    expect(a6.application).toMatchObject({ state: "FINALIZED", grade: "一等" });
    expect(a6.application.history.at(-1)).toEqual({ action: "finalize", grade: "一等", toState: "FINALIZED" });
    const a1 = await admin.gql(`query($id: ID!) { application(id: $id) { history { action toState } } }`, { id: app.A1 });
    expect(a1.application.history.at(-1)).toEqual({ action: "notSelect", toState: "NOT_SELECTED" });

    const locked = await refusal(changeScore(experts.hz, app.A1!, 53, "再次调整"));
    expect(locked.code).toBe("SCORE_LOCKED");
    const again = await refusal(admin.gql(`mutation($c: ID!) { applyGrades(campaignId: $c, categoryCode: "TEACHING_SPACE") { state } }`, { c: campaignId }));
    expect(again.code).toBe("INVALID_TRANSITION");
    const r = (await admin.gql(RANKING, { c: campaignId })).categoryRanking;
    expect(r.finalization.state).toBe("FINAL");
  });

  it("names excellent organizing units and instructors", async () => {
    const units = await admin.gql(`{ searchUnits(query: "瑞安市", limit: 5) { id name kind } }`);
    const ruian = units.searchUnits.find((u: { kind: string }) => u.kind === "COUNTY");
    const added = await admin.gql(`mutation($c: ID!, $u: ID!) { addExcellentUnit(campaignId: $c, unitId: $u, reason: "组织有力") { id reason unit { name code } } }`, { c: campaignId, u: ruian.id });
    expect(added.addExcellentUnit).toMatchObject({ reason: "组织有力", unit: { name: "瑞安市", code: "330381" } });
    const dup = await refusal(admin.gql(`mutation($c: ID!, $u: ID!) { addExcellentUnit(campaignId: $c, unitId: $u) { id } }`, { c: campaignId, u: ruian.id }));
    expect(dup.code).toBe("CONFLICT");
    const upd = await admin.gql(`mutation($id: ID!) { updateExcellentUnit(id: $id, reason: "组织工作扎实，推荐质量高") { reason } }`, { id: added.addExcellentUnit.id });
    expect(upd.updateExcellentUnit.reason).toBe("组织工作扎实，推荐质量高");

    const users = await admin.gql(`{ users(search: "ra_school_admin") { items { id } } }`);
    const person = await admin.gql(`mutation($c: ID!, $u: ID!) { addExcellentInstructor(campaignId: $c, input: { userId: $u, reason: "指导教师空间建设" }) { id name userId unit { name } } }`, { c: campaignId, u: users.users.items[0].id });
    expect(person.addExcellentInstructor).toMatchObject({ name: "林晓东", unit: { name: "瑞安市实验中学" } });
    const named = await admin.gql(`mutation($c: ID!, $u: ID!) { addExcellentInstructor(campaignId: $c, input: { name: "赵老师", unitId: $u }) { id name } }`, { c: campaignId, u: ruian.id });
    const noName = await refusal(admin.gql(`mutation($c: ID!) { addExcellentInstructor(campaignId: $c, input: { reason: "x" }) { id } }`, { c: campaignId }));
    expect(noName).toMatchObject({ code: "BAD_INPUT", field: "name" });
    expect((await admin.gql(`mutation($id: ID!) { removeExcellentInstructor(id: $id) }`, { id: named.addExcellentInstructor.id })).removeExcellentInstructor).toBe(true);
    const list = await admin.gql(`query($c: ID!) { excellentUnits(campaignId: $c) { unit { name } } excellentInstructors(campaignId: $c) { name } }`, { c: campaignId });
    expect(list.excellentUnits).toEqual([{ unit: { name: "瑞安市" } }]);
    expect(list.excellentInstructors).toEqual([{ name: "林晓东" }]);
  });

  it("publishes once, and the published list is readable without login and carries no contact data", async () => {
    const anonymous = new Client(server.url);
    const before = await refusal(anonymous.gql(`query($c: ID!) { publishedResults(campaignId: $c) { title } }`, { c: campaignId }));
    expect(before.code).toBe("NOT_FOUND");

    const pub = await admin.gql(`mutation($c: ID!) { publishResults(campaignId: $c) { campaignId publishedAt publishedByName } }`, { c: campaignId });
    expect(pub.publishResults.publishedByName).toBe("省平台管理员");
    const twice = await refusal(admin.gql(`mutation($c: ID!) { publishResults(campaignId: $c) { campaignId } }`, { c: campaignId }));
    expect(twice.code).toBe("CONFLICT");
    const audit = await server.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'RESULTS_PUBLISH' AND target_id = $1`, [campaignId]);
    expect(audit!.n).toBe(1);

    const r = await anonymous.raw(
      `query($c: ID!) { publishedCampaigns { campaignId title } publishedResults(campaignId: $c) { title docNo publishedAt
         entries { grade categoryName title applicantName unitName unitCode cityName countyName }
         excellentUnits { unitName unitCode cityName reason } excellentInstructors { name unitName reason } } }`,
      { c: campaignId },
    );
    expect(r.errors).toBeUndefined();
    const list = r.data.publishedResults;
    expect(r.data.publishedCampaigns.map((c: { campaignId: string }) => c.campaignId)).toContain(campaignId);
    expect(list).toMatchObject({ title: "测试活动2031", docNo: "测试〔2031〕1号" });
    expect(list.entries.map((e: { title: string; grade: string }) => [e.title, e.grade])).toEqual([
      [title("A6"), "一等"], [title("A3"), "二等"], [title("A4"), "二等"], [title("A2"), "三等"], [title("A7"), "三等"],
    ]);
    expect(list.entries[0]).toEqual({
      grade: "一等", categoryName: "优秀教学空间", title: title("A6"), applicantName: "刘雨桐", unitName: "杭州市学军小学", unitCode: "3301060001",
      cityName: "杭州市", countyName: "西湖区",
    });
    expect(list.excellentUnits).toEqual([{ unitName: "瑞安市", unitCode: "330381", cityName: "温州市", reason: "组织工作扎实，推荐质量高" }]);
    expect(list.excellentInstructors).toEqual([{ name: "林晓东", unitName: "瑞安市实验中学", reason: "指导教师空间建设" }]);
    // No phone numbers anywhere in the public answer.
    expect(JSON.stringify(r.data)).not.toMatch(/1[3-9]\d{9}/);
  });

  it("exports the published list in the printed layout, and the province's tables", async () => {
    const teacher = await loginAs(server.url, "ra_teacher1");
    const get = (c: Client, path: string) => fetch(server.url + path, { headers: { authorization: `Bearer ${c.token}` } });
    const res = await get(teacher, `/api/export/published-results.xlsx?campaignId=${campaignId}`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getRow(1).getCell(1).value)).toBe("测试活动2031（测试〔2031〕1号）评审结果");
    expect(String(ws.getRow(2).getCell(1).value)).toMatch(/发布日期：\d{4}-\d{2}-\d{2}/);
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual(["序号", "类别", "等次", "案例（空间）名称", "申报人", "单位", "单位代码", "设区市", "县（市、区）"]);
    expect((ws.getRow(4).values as unknown[]).slice(1)).toEqual([1, "优秀教学空间", "一等", title("A6"), "刘雨桐", "杭州市学军小学", "3301060001", "杭州市", "西湖区"]);
    expect(ws.rowCount).toBe(3 + 5);

    const ranking = await get(admin, `/api/export/ranking.xlsx?campaignId=${campaignId}&categoryCode=TEACHING_SPACE`);
    expect(ranking.status).toBe(200);
    const rb = new ExcelJS.Workbook();
    await rb.xlsx.load(Buffer.from(await ranking.arrayBuffer()) as never);
    const rs = rb.worksheets[0]!;
    expect(String(rs.getRow(1).getCell(1).value)).toContain("「优秀教学空间」评审排名与等次");
    expect(rs.rowCount).toBe(3 + 7);
    expect((rs.getRow(4).values as unknown[]).slice(1, 4)).toEqual([1, 96, "一等"]);

    for (const name of ["expert-assignments", "scoring-progress", "expert-score-sheets"]) {
      const r = await get(admin, `/api/export/${name}.xlsx?campaignId=${campaignId}`);
      expect(r.status, name).toBe(200);
    }
    const mine = await get(experts.wz, `/api/export/my-score-sheets.xlsx?campaignId=${campaignId}`);
    expect(mine.status).toBe(200);
    const mb = new ExcelJS.Workbook();
    await mb.xlsx.load(Buffer.from(await mine.arrayBuffer()) as never);
    const ms = mb.worksheets[0]!;
    expect(String(ms.getRow(2).getCell(1).value)).toContain("评审专家：温州专家·蒋老师");
    // Two applications × (11 items + a total line).
    expect(ms.rowCount).toBe(3 + 2 * 12);

    // Outsiders: a city reviewer cannot export the province's tables; an expert without work in the campaign gets NOT_FOUND.
    expect((await get(wzCity, `/api/export/ranking.xlsx?campaignId=${campaignId}&categoryCode=TEACHING_SPACE`)).status).toBe(403);
    expect((await get(teacher, `/api/export/expert-assignments.xlsx?campaignId=${campaignId}`)).status).toBe(403);
  });

  it("refuses outsiders: other roles are FORBIDDEN, and experts see only their own released work", async () => {
    expect(await wzCity.errorCode(`query($c: ID!) { scoringProgress(campaignId: $c) { total } }`, { c: campaignId })).toBe("FORBIDDEN");
    expect(await experts.jh.errorCode(`query($c: ID!) { expertAssignments(campaignId: $c) { total } }`, { c: campaignId })).toBe("FORBIDDEN");
    expect(await admin.errorCode(`query($a: ID!) { scoreSheet(applicationId: $a) { total } }`, { a: app.A1 })).toBe("FORBIDDEN");
    expect(await new Client(server.url).errorCode(`mutation($c: ID!) { releaseAssignments(campaignId: $c) }`, { c: campaignId })).toBe("UNAUTHENTICATED");
    const wz = (await experts.wz.gql(`{ myAssignments(limit: 50) { items { application { id } } } }`)).myAssignments.items;
    expect(wz.map((x: { application: { id: string } }) => x.application.id).sort()).toEqual([app.A6, app.A7].sort());
    const views = await refusal(admin.gql(`query($a: ID!) { expertScores(applicationId: $a) { total } }`, { a: "987654321" }));
    expect(views.code).toBe("NOT_FOUND");
  });
});
