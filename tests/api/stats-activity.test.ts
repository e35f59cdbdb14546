import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

/**
 * Statistics over a known March 2018 (the demo seed's own events are in 2023): lessons earn 5
 * points each, at most 10 a day, so each teacher's month total is chosen exactly.
 *
 *   瑞安市实验中学 (A): ra_teacher1 40, ra_teacher2 10, ra_school_admin 0, ra_teacher_retired 100 (locked)
 *   瑞安市安阳实验小学 (B, in a district): ra_teacher3 35
 *   瑞安市塘下中学 (C): ra_teacher4 0
 *   温州: 鹿城 lc_teacher1 50, 瓯海 oh_teacher1 5, practice base pb_teacher1 20; 杭州: hz_teacher1 60
 */
const POINTS: Record<string, number> = {
  ra_teacher1: 40, ra_teacher2: 10, ra_teacher_retired: 100, ra_teacher3: 35, lc_teacher1: 50, oh_teacher1: 5, pb_teacher1: 20, hz_teacher1: 60,
};

function lessonsFor(account: string, points: number): string[] {
  const out: string[] = [];
  let n = 0;
  for (let day = 1; points > 0; day++) {
    for (let k = 0; k < 2 && points > 0; k++, points -= 5) {
      const at = `2018-03-${String(day).padStart(2, "0")}T0${8 + k}:00:00+08:00`;
      out.push(JSON.stringify({ id: `${account}-${++n}`, type: "lesson", userId: account, at, client: k ? "mobile" : "pc" }));
    }
  }
  return out;
}

const UNIT_FIELDS = `unit { code name } period teachers lockedTeachers activeTeachers activeRatio totalPoints meanPoints mobilePoints
  teachersMeetingTarget shareMeetingTarget teacherTarget overallTarget activeRatioTarget targetMet schools schoolsMeetingTarget`;
const RANKING = `query($p: String!, $u: ID) { schoolRanking(period: $p, scopeUnitId: $u, limit: 200) {
  scope { code } period total items { rank schoolCode schoolName kind countyName cityName teachers activeTeachers meanPoints totalPoints targetMet } } }`;
const BELOW_SCHOOLS = `query($p: String!, $u: ID) { belowTargetSchools(period: $p, unitId: $u, limit: 200) { total items { rank schoolCode meanPoints targetMet } } }`;
const TEACHERS = (op: string) => `query($p: String!, $u: ID) { ${op}(period: $p, unitId: $u, limit: 200) { period target total items { account name unitName points mobile active targetMet } } }`;

async function download(server: TestServer, c: Client, name: string, query: Record<string, string>) {
  const res = await fetch(`${server.url}/api/export/${name}.xlsx?${new URLSearchParams(query)}`, {
    headers: { authorization: `Bearer ${c.token}`, ...(c.actingRole ? { "x-acting-role": c.actingRole } : {}) },
  });
  if (res.status !== 200) return { status: res.status, rows: [] as unknown[][] };
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow((row, i) => {
    if (i > 3) rows.push((row.values as unknown[]).slice(1));
  });
  return { status: res.status, rows, header: (ws.getRow(3).values as unknown[]).slice(1) };
}

describeEachDb("activity statistics", (variant) => {
  let server: TestServer;
  let province: Client;
  let county: Client;
  let city: Client;
  let schoolAdmin: Client;
  let teacher: Client;
  const unitIds: Record<string, string> = {};
  const userIds: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer(variant);
    province = await loginAs(server.url, "prov_admin");
    const lines = Object.entries(POINTS).flatMap(([a, p]) => lessonsFor(a, p));
    const r = await province.gql(`mutation($l: [String!]!) { ingestActivityEvents(lines: $l) { stored errors { line } } }`, { l: lines });
    expect(r.ingestActivityEvents).toEqual({ stored: lines.length, errors: [] });
    for (const code of ["330300", "330381", "330302", "3303810001", "3303810002", "3303810003", "3303020001", "3301060001"]) {
      const s = await province.gql(`query($q: String!) { searchUnits(query: $q, limit: 5) { id code } }`, { q: code });
      unitIds[code] = s.searchUnits.find((u: { code: string }) => u.code === code).id;
    }
    const users = await province.gql(`{ users(limit: 200) { items { id account } } }`);
    for (const u of users.users.items) userIds[u.account] = u.id;
    county = await loginAs(server.url, "ra_county");
    city = await loginAs(server.url, "wz_city");
    schoolAdmin = await (await loginAs(server.url, "ra_school_admin")).as("SCHOOL_ADMIN");
    teacher = await loginAs(server.url, "ra_teacher1");
  });
  afterAll(() => server?.stop());

  it("gives a county its overall activity, active-space ratio and share meeting the target, without locked teachers", async () => {
    const r = await county.gql(`query { unitActivity(period: "2018-03") { ${UNIT_FIELDS} } }`);
    expect(r.unitActivity).toEqual({
      unit: { code: "330381", name: "瑞安市" }, period: "2018-03",
      teachers: 5, lockedTeachers: 1, activeTeachers: 3, activeRatio: 0.6, totalPoints: 85, meanPoints: 17, mobilePoints: 40,
      teachersMeetingTarget: 2, shareMeetingTarget: 0.4, teacherTarget: 30, overallTarget: 30, activeRatioTarget: 0.15, targetMet: false,
      schools: 3, schoolsMeetingTarget: 1,
    });
    // The year: the same points, against the yearly targets.
    const y = await county.gql(`query { unitActivity(period: "2018") { period totalPoints teacherTarget overallTarget teachersMeetingTarget targetMet } }`);
    expect(y.unitActivity).toEqual({ period: "2018", totalPoints: 85, teacherTarget: 300, overallTarget: 300, teachersMeetingTarget: 0, targetMet: false });
  });

  it("gives a school admin their school, and each child unit of a county its own row", async () => {
    const s = await schoolAdmin.gql(`query { unitActivity(period: "2018-03") { unit { code } teachers totalPoints meanPoints activeTeachers } }`);
    expect(s.unitActivity.unit.code).toBe("3303810001");
    expect(s.unitActivity.teachers).toBe(3);
    expect(s.unitActivity.totalPoints).toBe(50);
    expect(s.unitActivity.meanPoints).toBeCloseTo(50 / 3, 10);

    const c = await county.gql(`query { childUnitsActivity(period: "2018-03") { unit { code kind } teachers totalPoints schools schoolsMeetingTarget targetMet } }`);
    const byCode = Object.fromEntries(c.childUnitsActivity.map((u: { unit: { code: string } }) => [u.unit.code, u]));
    expect(byCode["D330381001"]).toMatchObject({ unit: { kind: "DISTRICT" }, teachers: 1, totalPoints: 35, schools: 1, schoolsMeetingTarget: 1, targetMet: true });
    expect(byCode["3303810001"]).toMatchObject({ teachers: 3, totalPoints: 50, schools: 1, schoolsMeetingTarget: 0, targetMet: false });
    expect(byCode["3303810003"]).toMatchObject({ teachers: 1, totalPoints: 0 });

    const cityRows = await city.gql(`query { childUnitsActivity(period: "2018-03") { unit { code } teachers totalPoints } }`);
    const wz = Object.fromEntries(cityRows.childUnitsActivity.map((u: { unit: { code: string } }) => [u.unit.code, u]));
    expect(wz["330381"]).toMatchObject({ teachers: 5, totalPoints: 85 });
    expect(wz["330302"]).toMatchObject({ teachers: 1, totalPoints: 50 });
    expect(wz["PB3303000001"]).toMatchObject({ teachers: 1, totalPoints: 20 });
  });

  it("ranks schools by overall activity within the county, the city and the province", async () => {
    const inCounty = (await county.gql(RANKING, { p: "2018-03" })).schoolRanking;
    expect(inCounty.scope.code).toBe("330381");
    expect(inCounty.items.map((s: { rank: number; schoolCode: string }) => [s.rank, s.schoolCode])).toEqual([
      [1, "3303810002"], [2, "3303810001"], [3, "3303810003"],
    ]);
    expect(inCounty.items[0]).toMatchObject({ schoolName: "瑞安市安阳实验小学", countyName: "瑞安市", cityName: "温州市", teachers: 1, meanPoints: 35, targetMet: true });

    const inCity = (await city.gql(RANKING, { p: "2018-03" })).schoolRanking;
    expect(inCity.items.map((s: { schoolCode: string }) => s.schoolCode)).toEqual([
      "3303020001", "3303810002", "PB3303000001", "3303810001", "3303040001", "3303810003",
    ]);
    expect(inCity.total).toBe(6);

    const inProvince = (await province.gql(RANKING, { p: "2018-03" })).schoolRanking;
    expect(inProvince.items[0]).toMatchObject({ rank: 1, schoolCode: "3301060001", meanPoints: 60, cityName: "杭州市" });
    // Schools with equal overall activity share a rank.
    const zeros = inProvince.items.filter((s: { meanPoints: number }) => s.meanPoints === 0);
    expect(zeros.length).toBeGreaterThan(1);
    expect(new Set(zeros.map((s: { rank: number }) => s.rank)).size).toBe(1);

    // A province admin may rank within any county; a county reviewer only within its own.
    const lc = (await province.gql(RANKING, { p: "2018-03", u: unitIds["330302"] })).schoolRanking;
    expect(lc.items.map((s: { schoolCode: string }) => s.schoolCode)).toEqual(["3303020001"]);
    expect(await county.errorCode(RANKING, { p: "2018-03", u: unitIds["330300"] })).toBe("NOT_FOUND");
    expect(await county.errorCode(RANKING, { p: "2018-03", u: unitIds["330302"] })).toBe("NOT_FOUND");
  });

  it("lists schools and teachers below target, lowest first, only inside the caller's scope", async () => {
    const schools = (await county.gql(BELOW_SCHOOLS, { p: "2018-03" })).belowTargetSchools;
    expect(schools.items.map((s: { rank: number; schoolCode: string }) => [s.rank, s.schoolCode])).toEqual([[3, "3303810003"], [2, "3303810001"]]);

    const below = (await county.gql(TEACHERS("belowTargetTeachers"), { p: "2018-03" })).belowTargetTeachers;
    expect(below).toMatchObject({ period: "2018-03", target: 30, total: 3 });
    expect(below.items.map((t: { account: string; points: number }) => [t.account, t.points])).toEqual([
      ["ra_school_admin", 0], ["ra_teacher4", 0], ["ra_teacher2", 10],
    ]);
    const all = (await county.gql(TEACHERS("teacherActivityPage"), { p: "2018-03" })).teacherActivityPage;
    expect(all.items.map((t: { account: string }) => t.account)).toEqual(["ra_teacher1", "ra_teacher3", "ra_teacher2", "ra_school_admin", "ra_teacher4"]);
    expect(all.items[0]).toMatchObject({ name: "陈晓明", unitName: "瑞安市实验中学", points: 40, mobile: 20, active: true, targetMet: true });

    // The city sees 鹿城 and 瑞安 teachers; the county never sees outside 瑞安.
    const cityBelow = (await city.gql(TEACHERS("belowTargetTeachers"), { p: "2018" })).belowTargetTeachers;
    expect(cityBelow.items.map((t: { account: string }) => t.account)).toContain("lc_teacher1");
    expect(cityBelow.items.map((t: { account: string }) => t.account)).not.toContain("hz_teacher1");
    expect(await county.errorCode(TEACHERS("belowTargetTeachers"), { p: "2018-03", u: unitIds["330302"] })).toBe("NOT_FOUND");
    expect(await county.errorCode(BELOW_SCHOOLS, { p: "2018-03", u: unitIds["3303020001"] })).toBe("NOT_FOUND");
    expect(await county.errorCode(`query($u: ID) { unitActivity(period: "2018-03", unitId: $u) { teachers } }`, { u: unitIds["330302"] })).toBe("NOT_FOUND");
  });

  it("lets a teacher see only their own points and points log", async () => {
    const mine = await teacher.gql(`{ myActivity(year: 2018) {
      account total mobile mobileShare yearTargetMet rules { rule points } months { month points targetMet } days(month: "2018-03") { day points mobile }
      ledger(month: "2018-03", limit: 3) { total items { day rule ruleLabel points mobile eventId eventType } } } }`);
    expect(mine.myActivity).toMatchObject({ account: "ra_teacher1", total: 40, mobile: 20, mobileShare: 0.5, yearTargetMet: false });
    expect(mine.myActivity.rules.find((r: { rule: string }) => r.rule === "lesson").points).toBe(40);
    expect(mine.myActivity.months[2]).toEqual({ month: "2018-03", points: 40, targetMet: true });
    expect(mine.myActivity.ledger.total).toBe(8);
    expect(mine.myActivity.days).toEqual([1, 2, 3, 4].map((d) => ({ day: `2018-03-0${d}`, points: 10, mobile: 5 })));
    expect(mine.myActivity.ledger.items[0]).toEqual({
      day: "2018-03-04", rule: "lesson", ruleLabel: "课堂教学", points: 5, mobile: true, eventId: "ra_teacher1-8", eventType: "lesson",
    });
    expect(await teacher.errorCode(`query($u: ID) { teacherActivity(userId: $u, year: 2018) { total } }`, { u: userIds["ra_teacher2"] })).toBe("FORBIDDEN");
    expect(await teacher.errorCode(`query { unitActivity(period: "2018") { teachers } }`)).toBe("FORBIDDEN");
  });

  it("shows an admin a teacher of their scope, locked ones with their history, and nobody outside", async () => {
    const q = `query($u: ID) { teacherActivity(userId: $u, year: 2018) { account total locked ledger { total } } }`;
    expect((await schoolAdmin.gql(q, { u: userIds["ra_teacher_retired"] })).teacherActivity).toEqual({
      account: "ra_teacher_retired", total: 100, locked: true, ledger: { total: 20 },
    });
    expect(await schoolAdmin.errorCode(q, { u: userIds["ra_teacher3"] })).toBe("NOT_FOUND");
    expect(await county.errorCode(q, { u: userIds["lc_teacher1"] })).toBe("NOT_FOUND");
    expect(await county.errorCode(q, { u: "999999999" })).toBe("NOT_FOUND");
    expect(await county.errorCode(`query { teacherActivity(account: "lc_teacher1", year: 2018) { total } }`)).toBe("NOT_FOUND");
  });

  it("exports every list as xlsx with the rows of its screen and the same scope", async () => {
    const ranking = await download(server, county, "activity-school-ranking", { period: "2018-03" });
    expect(ranking.status).toBe(200);
    expect(ranking.header).toContain("整体活跃度（人均积分）");
    expect(ranking.rows.map((r) => [r[0], r[2]])).toEqual([[1, "3303810002"], [2, "3303810001"], [3, "3303810003"]]);
    expect((await download(server, county, "activity-school-ranking", { period: "2018-03", scopeUnitId: unitIds["330300"]! })).status).toBe(404);

    const belowSchools = await download(server, county, "activity-below-target-schools", { period: "2018-03" });
    expect(belowSchools.rows.map((r) => r[2])).toEqual(["3303810003", "3303810001"]);

    const below = await download(server, county, "activity-below-target-teachers", { period: "2018-03" });
    expect(below.rows.map((r) => [r[0], r[3]]).sort()).toEqual([["ra_school_admin", 0], ["ra_teacher2", 10], ["ra_teacher4", 0]]);
    const teachers = await download(server, city, "activity-teachers", { period: "2018-03" });
    expect(teachers.rows.map((r) => r[0]).sort()).toEqual(
      ["lc_teacher1", "oh_teacher1", "pb_teacher1", "ra_school_admin", "ra_teacher1", "ra_teacher2", "ra_teacher3", "ra_teacher4"],
    );

    const units = await download(server, county, "activity-units", { period: "2018-03" });
    const d = units.rows.find((r) => r[1] === "D330381001")!;
    expect(d[4]).toBe(1);
    expect(d[9]).toBe(35);

    const ledger = await download(server, teacher, "activity-my-ledger", { period: "2018-03" });
    expect(ledger.rows).toHaveLength(8);
    expect([0, 1, 2, 4].map((i) => ledger.rows[0]![i])).toEqual(["2018-03-01", "课堂教学", 5, "ra_teacher1-1"]);
    const other = await download(server, schoolAdmin, "activity-teacher-ledger", { period: "2018", userId: userIds["ra_teacher3"]! });
    expect(other.status).toBe(404);
    expect((await download(server, teacher, "activity-teachers", { period: "2018-03" })).status).toBe(403);
  });

  it("leaves a teacher out of school statistics once locked", async () => {
    await schoolAdmin.gql(`mutation($u: ID!) { lockUser(userId: $u, reason: "调离") { locked } }`, { u: userIds["ra_teacher2"] });
    const r = await county.gql(`query { unitActivity(period: "2018-03") { teachers lockedTeachers totalPoints activeTeachers } }`);
    expect(r.unitActivity).toEqual({ teachers: 4, lockedTeachers: 2, totalPoints: 75, activeTeachers: 2 });
    const ranking = (await county.gql(RANKING, { p: "2018-03" })).schoolRanking;
    expect(ranking.items.find((s: { schoolCode: string }) => s.schoolCode === "3303810001")).toMatchObject({ teachers: 2, totalPoints: 40, meanPoints: 20 });
  });

  it("has a demo year (2023) with teachers above and below the yearly target", async () => {
    const r = await province.gql(`query { unitActivity(period: "2023") { teachers activeTeachers teachersMeetingTarget totalPoints } }`);
    expect(r.unitActivity.totalPoints).toBeGreaterThan(1000);
    expect(r.unitActivity.teachersMeetingTarget).toBeGreaterThan(0);
    expect(r.unitActivity.teachersMeetingTarget).toBeLessThan(r.unitActivity.activeTeachers);
    const below = await province.gql(TEACHERS("belowTargetTeachers"), { p: "2023" });
    expect(below.belowTargetTeachers.items.map((t: { account: string }) => t.account)).toContain("ra_teacher4");
  });

  it("refuses a malformed period, naming the field and the rule", async () => {
    const r = await county.raw(`query { unitActivity(period: "2018-13") { teachers } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: "BAD_INPUT", field: "period" });
    expect(r.errors?.[0]?.message).toContain("YYYY-MM");
  });
});
