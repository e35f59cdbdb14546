import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, fullForm, testCampaign } from "./pipeline-helpers.js";

const CRITERIA = `criteria { id text status statusLabel detail reference parts { status detail parts { status detail } } }`;

interface Criterion {
  id: string;
  text: string;
  status: "MET" | "NOT_MET" | "NO_DATA";
  statusLabel: string;
  detail: string;
  reference: boolean;
  parts: { status: string; detail: string; parts: { status: string; detail: string }[] }[];
}

const byId = (items: Criterion[]) => Object.fromEntries(items.map((c) => [c.id, c]));
const statuses = (items: Criterion[]) => Object.fromEntries(items.map((c) => [c.id, c.status]));

interface LedgerEntry {
  day: string;
  rule: string;
  points: number;
}

/** Every entry of a user's points log in a year, through the API (pages of 200). */
async function fullLedger(c: Client, year: number): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  for (let offset = 0; ; offset += 200) {
    const d = await c.gql(`query($y: Int!, $o: Int!) { myActivity(year: $y) { ledger(offset: $o, limit: 200) { total items { day rule points } } } }`, { y: year, o: offset });
    out.push(...d.myActivity.ledger.items);
    if (out.length >= d.myActivity.ledger.total) return out;
  }
}

describeEachDb("the criteria checklist of an application", (variant) => {
  let server: TestServer;
  let admin: Client, raTeacher1: Client, raTeacher2: Client, raTeacher3: Client, raCounty: Client, schoolAdmin: Client, hzCity: Client, lcTeacher: Client, expert: Client;
  let demoCampaignId: string;

  /** The application of the signed-in applicant in a campaign and category, with its checklist. */
  async function ownApplication(c: Client, campaignId: string, category: string): Promise<{ id: string; criteria: Criterion[] }> {
    const d = await c.gql(`query($c: ID!) { applications(campaignId: $c, mine: true) { items { id categoryCode ${CRITERIA} } } }`, { c: campaignId });
    return d.applications.items.find((a: { categoryCode: string }) => a.categoryCode === category);
  }

  async function criteriaOf(c: Client, id: string): Promise<Criterion[]> {
    return (await c.gql(`query($id: ID!) { application(id: $id) { ${CRITERIA} } }`, { id })).application.criteria;
  }

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, raTeacher1, raTeacher2, raTeacher3, raCounty, schoolAdmin, hzCity, lcTeacher, expert] = await Promise.all(
      ["prov_admin", "ra_teacher1", "ra_teacher2", "ra_teacher3", "ra_county", "ra_school_admin", "hz_city", "lc_teacher1", "expert_hz"].map((a) => loginAs(server.url, a)),
    );
    await schoolAdmin.as("SCHOOL_ADMIN");
    const list = await admin.gql(`{ campaigns { id year } }`);
    demoCampaignId = list.campaigns.find((c: { year: number }) => c.year === 2023).id;
  });
  afterAll(() => server?.stop());

  it("marks a demo teacher's teaching space from their seeded 2023 activity, as their points log shows it", async () => {
    const app = await ownApplication(raTeacher3, demoCampaignId, "TEACHING_SPACE");
    const ledger = await fullLedger(raTeacher3, 2023);
    const me = (await raTeacher3.gql(`{ myActivity(year: 2023) { total } }`)).myActivity;

    const lessonsByDay = new Map<string, number>();
    for (const e of ledger.filter((x) => x.rule === "lesson")) lessonsByDay.set(e.day, (lessonsByDay.get(e.day) ?? 0) + 1);
    const lessons = [...lessonsByDay.values()].reduce((a, b) => a + b, 0);
    const cappedDays = [...lessonsByDay.values()].filter((n) => n * 5 >= 10).length;
    expect(lessons).toBeGreaterThanOrEqual(5);
    expect(ledger.some((e) => e.rule === "profile")).toBe(true);

    const c = byId(app.criteria);
    expect(app.criteria.map((x) => x.id)).toEqual([
      "TS_PROFILE", "TS_DISTINCT", "TS_SELECTED_SHOWN", "TS_VISITS", "TS_OLD_RESOURCES", "TS_LIBRARY", "TS_REVIEWS", "TS_TEACHING_CLIENT", "ACTIVITY_YEAR_TARGET",
    ]);
    expect(c.TS_PROFILE).toMatchObject({ status: "MET", statusLabel: "满足", detail: "空间档案信息完善：是", reference: false });
    expect(c.TS_TEACHING_CLIENT!.status).toBe("MET");
    expect(c.TS_TEACHING_CLIENT!.detail).toBe(
      `教学端备授课教学活动次数 ${lessons}（要求不少于5）` +
        (cappedDays ? `（按活跃度积分记录计为至少${lessons}次：有${cappedDays}天授课达到每日计分上限，超出上限的授课未计入）` : ""),
    );
    // The demo's resources are approved at county and city level only.
    expect(c.TS_LIBRARY).toMatchObject({ status: "NOT_MET", statusLabel: "未满足", detail: "本年度入选省级资源库资源数 0（要求不少于5）" });
    expect(c.TS_SELECTED_SHOWN).toMatchObject({ status: "NOT_MET", detail: "展示的省级及以上入选资源数 0（要求不少于1）" });
    expect(c.ACTIVITY_YEAR_TARGET).toMatchObject({
      status: me.total >= 300 ? "MET" : "NOT_MET",
      detail: `2023年度空间活跃度 ${me.total}（目标不少于300）`,
      reference: true,
    });
    // Visits, resource ages and the reviews a teacher did are not in the platform feed.
    expect(c.TS_VISITS).toMatchObject({ status: "NO_DATA", statusLabel: "暂无数据", detail: "年度空间访问量：暂无数据" });
    expect(c.TS_OLD_RESOURCES).toMatchObject({ status: "NO_DATA", detail: "超过5年的空间资源数：暂无数据" });
    expect(c.TS_REVIEWS).toMatchObject({ status: "NO_DATA", detail: "参与学科资源审核的评审数：暂无数据" });
    expect(c.TS_DISTINCT).toMatchObject({ status: "NO_DATA", detail: "无可计算数据，需评审人员人工核查" });

    // The county reviewer sees the same checklist on the same application.
    expect(await criteriaOf(raCounty, app.id)).toEqual(app.criteria);
  });

  it("counts province selections and credited lessons from ingested events, and never fails a teacher on lessons the daily cap hid", async () => {
    const campaignId = await testCampaign(admin, 2027);
    const at = (d: string, t = "09:00") => `2027-${d}T${t}:00+08:00`;
    const lines = [
      ...[1, 2, 3, 4, 5, 6].map((n) => ({ id: `cr-r${n}`, type: "resource_review", ownerId: "ra_teacher1", resourceId: `cr-res${n}`, level: "province", outcome: "approved", at: at(`03-0${n}`) })),
      { id: "cr-c1", type: "resource_review", ownerId: "ra_teacher1", resourceId: "cr-res1", level: "county", outcome: "approved", at: at("02-20") },
      { id: "cr-x1", type: "resource_review", ownerId: "ra_teacher1", resourceId: "cr-res9", level: "province", outcome: "rejected", at: at("03-09") },
      { id: "cr-d6", type: "resource_deleted", ownerId: "ra_teacher1", resourceId: "cr-res6", at: at("06-01") },
      { id: "cr-r7", type: "resource_review", ownerId: "ra_teacher1", resourceId: "cr-res7", level: "province", outcome: "approved", at: "2026-11-02T10:00:00+08:00" },
      // Three lessons on each of two days: the cap of 10 points a day credits two of each.
      ...["04-10", "04-11"].flatMap((d) => [8, 10, 14].map((h) => ({ id: `cr-l${d}-${h}`, type: "lesson", userId: "ra_teacher1", minutes: 40, at: at(d, `${String(h).padStart(2, "0")}:00`), client: "pc" }))),
    ].map((e) => JSON.stringify(e));
    const ingested = await admin.gql(`mutation($l: [String!]!) { ingestActivityEvents(lines: $l) { stored errors { line message } } }`, { l: lines });
    expect(ingested.ingestActivityEvents).toEqual({ stored: lines.length, errors: [] });

    const app = await applyAndSubmit(raTeacher1, campaignId, "TEACHING_SPACE", fullForm("13857700001"));
    let c = byId(await criteriaOf(raTeacher1, app.id));
    expect(c.TS_PROFILE!.status).toBe("MET"); // completed in the demo's 2023
    // cr-res1..5 selected in 2027 (cr-res6 deleted, cr-res9 rejected); cr-res7 was selected in 2026.
    expect(c.TS_LIBRARY).toMatchObject({ status: "MET", detail: "本年度入选省级资源库资源数 5（要求不少于5）" });
    expect(c.TS_SELECTED_SHOWN).toMatchObject({ status: "MET", detail: "展示的省级及以上入选资源数 6（要求不少于1）" });
    expect(c.TS_TEACHING_CLIENT).toMatchObject({
      status: "NO_DATA",
      detail: "教学端备授课教学活动次数 4（要求不少于5）；按活跃度积分记录计为至少4次：有2天授课达到每日计分上限，超出上限的授课未计入，需评审人员人工核查",
    });
    const total = (await raTeacher1.gql(`{ myActivity(year: 2027) { total } }`)).myActivity.total;
    expect(total).toBe(6 * 10 + 3 - 10 + 4 * 5);
    expect(c.ACTIVITY_YEAR_TARGET).toMatchObject({ status: "NOT_MET", detail: `2027年度空间活跃度 ${total}（目标不少于300）` });

    // A fifth credited lesson decides the criterion.
    const more = [{ id: "cr-l5", type: "lesson", userId: "ra_teacher1", minutes: 40, at: at("04-12"), client: "mobile" }].map((e) => JSON.stringify(e));
    await admin.gql(`mutation($l: [String!]!) { ingestActivityEvents(lines: $l) { stored } }`, { l: more });
    c = byId(await criteriaOf(raCounty, app.id));
    expect(c.TS_TEACHING_CLIENT).toMatchObject({
      status: "MET",
      detail: "教学端备授课教学活动次数 5（要求不少于5）（按活跃度积分记录计为至少5次：有2天授课达到每日计分上限，超出上限的授课未计入）",
    });
  });

  it("says NO_DATA for what depends on a year without activity data, and keeps what the earlier years decide", async () => {
    const campaignId = await testCampaign(admin, 2028);
    const app = await applyAndSubmit(raTeacher2, campaignId, "TEACHING_SPACE", fullForm("13857700002", { personInCharge: "王丽华" }));
    const items = await criteriaOf(raTeacher2, app.id);
    expect(statuses(items)).toEqual({
      TS_PROFILE: "MET", // ra_teacher2 completed the profile in 2023
      TS_DISTINCT: "NO_DATA",
      TS_SELECTED_SHOWN: "NOT_MET",
      TS_VISITS: "NO_DATA",
      TS_OLD_RESOURCES: "NO_DATA",
      TS_LIBRARY: "NO_DATA",
      TS_REVIEWS: "NO_DATA",
      TS_TEACHING_CLIENT: "NO_DATA",
      ACTIVITY_YEAR_TARGET: "NO_DATA",
    });
    expect(byId(items).TS_LIBRARY!.detail).toBe("本年度入选省级资源库资源数：暂无数据");
    expect(byId(items).ACTIVITY_YEAR_TARGET!.detail).toBe("2028年度空间活跃度：暂无数据");
  });

  it("computes a school's and a region's teacher ratios as the activity statistics count them, leaving student and online data to reviewers", async () => {
    const teachersOf = async (unitId: string) => {
      const page = (await raCounty.gql(`query($u: ID!) { teacherActivityPage(period: "2023", unitId: $u, limit: 200) { total items { userId } } }`, { u: unitId })).teacherActivityPage;
      expect(page.items.length).toBe(page.total);
      let onClient = 0;
      for (const t of page.items) {
        const a = (await raCounty.gql(`query($u: ID!) { teacherActivity(year: 2023, userId: $u) { rules { rule points } } }`, { u: t.userId })).teacherActivity;
        if (a.rules.find((r: { rule: string }) => r.rule === "lesson").points > 0) onClient++;
      }
      const u = (await raCounty.gql(`query($u: ID!) { unitActivity(period: "2023", unitId: $u) { teachers activeTeachers } }`, { u: unitId })).unitActivity;
      return { teachers: u.teachers as number, active: u.activeTeachers as number, onClient };
    };
    const pct = (n: number, d: number) => `${Number(((n / d) * 100).toFixed(2))}%`;

    const school = await schoolAdmin.gql(`query($c: ID!) { applications(campaignId: $c, mine: true) { items { id categoryCode applicantUnitId ${CRITERIA} } } }`, { c: demoCampaignId });
    const sApp = school.applications.items.find((a: { categoryCode: string }) => a.categoryCode === "SCHOOL");
    const s = await teachersOf(sApp.applicantUnitId);
    expect(s.teachers).toBe(3); // the retired (locked) teacher is left out
    const sc = byId(sApp.criteria);
    expect(sc.SC_ACTIVE!.parts.map((p) => [p.status, p.detail])).toEqual([
      [s.active * 10 >= s.teachers * 7 ? "MET" : "NOT_MET", `教师活跃空间比率 ${pct(s.active, s.teachers)}（${s.active}/${s.teachers}，要求不低于70%）`],
      ["NO_DATA", "活跃学生空间数：暂无数据"],
    ]);
    expect(sc.SC_ADOPTION!.parts[0]!.parts[3]).toEqual({
      status: s.onClient * 10 >= s.teachers * 6 ? "MET" : "NOT_MET",
      detail: `利用教学端备授课的教师比例 ${pct(s.onClient, s.teachers)}（${s.onClient}/${s.teachers}，要求不低于60%）`,
    });
    expect(sc.SC_MANAGER).toMatchObject({ status: "NO_DATA", detail: "有专人负责空间管理：暂无数据" });
    expect(sApp.criteria.some((x: Criterion) => x.reference)).toBe(false);

    const region = await raCounty.gql(`query($c: ID!) { applications(campaignId: $c, mine: true) { items { id categoryCode applicantUnitId ${CRITERIA} } } }`, { c: demoCampaignId });
    const rApp = region.applications.items.find((a: { categoryCode: string }) => a.categoryCode === "REGION");
    const r = await teachersOf(rApp.applicantUnitId);
    expect(r.teachers).toBe(5);
    const rc = byId(rApp.criteria);
    expect(rc.RG_TEACHING_CLIENT).toMatchObject({
      status: r.onClient * 2 >= r.teachers ? "MET" : "NOT_MET",
      detail: `利用教学端备授课的教师比例 ${pct(r.onClient, r.teachers)}（${r.onClient}/${r.teachers}，要求不低于50%）`,
    });
    expect(rc.RG_ACTIVE!.parts[0]!.detail).toBe(`教师活跃空间比率 ${pct(r.active, r.teachers)}（${r.active}/${r.teachers}，要求不低于60%）`);
    expect(rc.RG_ONLINE!.status).toBe("NO_DATA");
    expect(rc.RG_LECTURER_TEAM!.status).toBe("NO_DATA");
  });

  it("computes the checklist of every row of a reviewer's list, teachers, schools and regions together", async () => {
    const d = await raCounty.gql(`query($c: ID!) { applications(campaignId: $c, limit: 30) { total items { id applicantKind categoryCode ${CRITERIA} } } }`, { c: demoCampaignId });
    expect(d.applications.items.length).toBe(d.applications.total);
    expect(new Set(d.applications.items.map((a: { applicantKind: string }) => a.applicantKind))).toEqual(new Set(["TEACHER", "SCHOOL", "REGION"]));
    for (const a of d.applications.items) {
      expect(a.criteria.length).toBeGreaterThan(0);
      expect(a.criteria).toEqual(await criteriaOf(raCounty, a.id));
    }
  });

  it("is not readable outside the application's scope: NOT_FOUND, and lists leave other regions out", async () => {
    const app = await ownApplication(raTeacher3, demoCampaignId, "TEACHING_SPACE");
    const read = (c: Client, id: string) => c.errorCode(`query($id: ID!) { application(id: $id) { id ${CRITERIA} } }`, { id });
    for (const outsider of [hzCity, lcTeacher]) {
      expect(await read(outsider, app.id)).toBe("NOT_FOUND");
      // The same answer as for an id that does not exist.
      expect(await read(outsider, "999999999")).toBe("NOT_FOUND");
    }
    // Experts read applications only through their released assignments, whatever the id.
    expect(await read(expert, app.id)).toBe(await read(expert, "999999999"));

    const hz = await hzCity.gql(`query($c: ID!) { applications(campaignId: $c, limit: 30) { items { id cityId applicant { account } ${CRITERIA} } } }`, { c: demoCampaignId });
    const hzCityId = (await hzCity.gql(`{ me { actingRole { unit { id } } } }`)).me.actingRole.unit.id;
    expect(hz.applications.items.length).toBeGreaterThan(0);
    for (const a of hz.applications.items) {
      expect(a.applicant.account).not.toMatch(/^(ra|lc|oh)_/);
      expect(a.cityId).toBe(hzCityId);
      expect(a.criteria.length).toBeGreaterThan(0);
    }
    expect(hz.applications.items.map((a: { id: string }) => a.id)).not.toContain(app.id);
  });
});
