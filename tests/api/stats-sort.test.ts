import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { csvOf, importTeachers } from "./import-helpers.js";

/**
 * Server-side sorting of the activity-statistics lists (school ranking, below-target schools,
 * teachers, below-target teachers, a teacher's points log) and of their Excel exports.
 *
 * 瑞安 (county 330381) gets eight more schools and 22 teachers by the teacher import, then March 2018
 * points by the platform batch (lessons: 5 points each, at most 10 a day; every second lesson of a
 * day from the mobile client). Means tie on purpose (莘塍 and 阁巷: 20; 湖岭 and 塘下: 0), names tie
 * (two 王芳), and one teacher (rs_t22) gets a story touching most rules, a deduction included.
 */
const RUIAN = "330381";
const SCHOOLS: [code: string, name: string, teachers: [name: string, points: number][]][] = [
  ["3303810201", "瑞安市飞云小学", [["王芳", 40], ["蔡明", 40], ["叶青", 0], ["金涛", 10]]],
  ["3303810202", "瑞安市莘塍中学", [["王芳", 20], ["潘悦", 20]]],
  ["3303810203", "瑞安市阁巷小学", [["董昊", 60], ["白露", 0], ["安然", 0]]],
  ["3303810204", "瑞安市马屿中学", [["钟毅", 5]]],
  ["3303810205", "瑞安市陶山小学", [["许诺", 30], ["郭靖", 30], ["黄蓉", 30], ["杨过", 15], ["曹操", 0]]],
  ["3303810206", "瑞安市湖岭中学", [["韩梅", 0], ["李雷", 0]]],
  ["3303810207", "瑞安市高楼小学", [["宋词", 35], ["唐诗", 35], ["元曲", 35]]],
  ["3303810208", "瑞安市仙降中学", [["吕布", 50], ["貂蝉", -1]]],
];
/** The demo seed's 瑞安 teachers (ra_school_admin and ra_teacher4 keep 0; the retired one is locked). */
const SEEDED: Record<string, number> = { ra_teacher1: 40, ra_teacher2: 10, ra_teacher3: 35, ra_teacher_retired: 100 };
/** Out of 瑞安: must never show up in 瑞安's lists, whatever the order. */
const ELSEWHERE: Record<string, number> = { lc_teacher1: 50, oh_teacher1: 5, hz_teacher1: 60 };
const STORY = "rs_t22";

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

const at = (day: number, hh: number, mm = 0) => `2018-03-${String(day).padStart(2, "0")}T${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}:00+08:00`;

/** Ten days of one account: logins, lessons, mobile use, spreads, a resource approved twice then deleted, a task, interactions. */
function story(account: string): string[] {
  const out: string[] = [];
  let n = 0;
  const add = (e: Record<string, unknown>) => out.push(JSON.stringify({ id: `${account}-s${++n}`, ...e }));
  for (let d = 1; d <= 10; d++) {
    add({ type: "login", userId: account, at: at(d, 7, 30), client: d % 2 ? "mobile" : "pc" });
    for (let k = 0; k < 3; k++) add({ type: "lesson", userId: account, at: at(d, 8 + k), client: "pc", minutes: 40 });
    for (let k = 0; k < 3; k++) add({ type: "mobile_op", userId: account, op: "message", at: at(d, 12, k), client: "mobile" });
    for (let k = 0; k < 2; k++) add({ type: "resource_spread", userId: `s${d * 10 + k}`, ownerId: account, resourceId: `${account}-r1`, action: "download", at: at(d, 13, k) });
    if (d === 3) for (let k = 0; k < 12; k++) add({ type: "interaction", userId: account, counterpartId: `p${k}`, at: at(d, 15, k) });
  }
  add({ type: "resource_review", ownerId: account, resourceId: `${account}-r1`, level: "county", outcome: "approved", at: at(2, 9, 30) });
  add({ type: "resource_review", ownerId: account, resourceId: `${account}-r1`, level: "city", outcome: "approved", at: at(4, 9, 30) });
  add({ type: "resource_deleted", ownerId: account, resourceId: `${account}-r1`, at: at(8, 9, 30) });
  add({ type: "task_published", userId: account, taskId: `${account}-k1`, at: at(5, 10) });
  for (let k = 0; k < 12; k++) add({ type: "task_engaged", taskId: `${account}-k1`, studentId: `st${k}`, at: at(5 + (k % 3), 18, k) });
  return out;
}

// ------------------------------------------------------------------------------------------------
// Expected orders, computed here from the rows the server returns (code-point order for text, as
// the server sorts names with COLLATE "C").

type Cmp<T> = (a: T, b: T) => number;
const text: Cmp<string> = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const num: Cmp<number> = (a, b) => a - b;
const big: Cmp<string> = (a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

function sortedBy<T>(rows: T[], key: Cmp<T>, desc: boolean, tie: Cmp<T>): T[] {
  return [...rows].sort((a, b) => (desc ? -key(a, b) : key(a, b)) || tie(a, b));
}

interface School {
  rank: number;
  schoolId: string;
  schoolCode: string;
  schoolName: string;
  countyName: string | null;
  teachers: number;
  activeTeachers: number;
  activeRatio: number;
  meanPoints: number;
  totalPoints: number;
  shareMeetingTarget: number;
}
const SCHOOL_KEYS: Record<string, Cmp<School>> = {
  rank: (a, b) => num(a.rank, b.rank),
  meanPoints: (a, b) => num(a.meanPoints, b.meanPoints),
  name: (a, b) => text(a.schoolName, b.schoolName),
  teachers: (a, b) => num(a.teachers, b.teachers),
  activeTeachers: (a, b) => num(a.activeTeachers, b.activeTeachers),
  activeRatio: (a, b) => num(a.activeRatio, b.activeRatio),
  totalPoints: (a, b) => num(a.totalPoints, b.totalPoints),
  shareMeetingTarget: (a, b) => num(a.shareMeetingTarget, b.shareMeetingTarget),
};
const schoolTie: Cmp<School> = (a, b) => text(a.schoolCode, b.schoolCode);

interface Teacher {
  account: string;
  name: string;
  unitId: string;
  unitName: string;
  points: number;
  mobile: number;
}
const TEACHER_KEYS: Record<string, Cmp<Teacher>> = {
  points: (a, b) => num(a.points, b.points),
  mobile: (a, b) => num(a.mobile, b.mobile),
  name: (a, b) => text(a.name, b.name),
  account: (a, b) => text(a.account, b.account),
  school: (a, b) => text(a.unitName, b.unitName) || big(a.unitId, b.unitId),
};
const teacherTie: Cmp<Teacher> = (a, b) => text(a.account, b.account);

interface Entry {
  seq: number;
  rule: string;
  points: number;
  eventId: string;
}
const RULE_ORDER = ["login", "profile", "mobile_use", "spread", "submission", "lesson", "task", "interaction", "app"];
const LEDGER_KEYS: Record<string, Cmp<Entry>> = {
  time: (a, b) => num(a.seq, b.seq),
  points: (a, b) => num(a.points, b.points),
  rule: (a, b) => num(RULE_ORDER.indexOf(a.rule), RULE_ORDER.indexOf(b.rule)),
};
const ledgerTie: Cmp<Entry> = (a, b) => num(b.seq, a.seq);

// ------------------------------------------------------------------------------------------------

const SCHOOL_FIELDS = `rank schoolId schoolCode schoolName countyName teachers activeTeachers activeRatio meanPoints totalPoints shareMeetingTarget`;
const SCHOOL_LIST = (op: "schoolRanking" | "belowTargetSchools") => `
  query($p: String!, $u: ID, $s: SchoolRankingSortField, $d: Boolean, $o: Int, $l: Int) {
    list: ${op}(period: $p, ${op === "schoolRanking" ? "scopeUnitId" : "unitId"}: $u, sort: $s, desc: $d, offset: $o, limit: $l) {
      total items { ${SCHOOL_FIELDS} } } }`;
const TEACHER_LIST = (op: "teacherActivityPage" | "belowTargetTeachers") => `
  query($p: String!, $u: ID, $s: TeacherActivitySortField, $d: Boolean, $o: Int, $l: Int) {
    list: ${op}(period: $p, unitId: $u, sort: $s, desc: $d, offset: $o, limit: $l) {
      total items { account name unitId unitName points mobile } } }`;
const LEDGER = `query($a: String!, $s: LedgerSortField, $d: Boolean, $o: Int, $l: Int) {
  teacherActivity(account: $a, year: 2018) { ledger(month: "2018-03", sort: $s, desc: $d, offset: $o, limit: $l) { total items { seq rule points eventId } } } }`;

/** The whole list in one page, and the same list as two pages (page 1 + page 2). */
async function fetchBoth<T>(c: Client, query: string, vars: Record<string, unknown>, pick: (d: any) => { total: number; items: T[] }) {
  const full = pick(await c.gql(query, { ...vars, o: 0, l: 200 }));
  const half = Math.ceil(full.total / 2);
  const p1 = pick(await c.gql(query, { ...vars, o: 0, l: half }));
  const p2 = pick(await c.gql(query, { ...vars, o: half, l: half }));
  return { full: full.items, pages: [...p1.items, ...p2.items], total: full.total, p1: p1.items.length, p2: p2.items.length };
}

async function download(server: TestServer, c: Client, name: string, query: Record<string, string>) {
  const res = await fetch(`${server.url}/api/export/${name}.xlsx?${new URLSearchParams(query)}`, {
    headers: { authorization: `Bearer ${c.token}`, ...(c.actingRole ? { "x-acting-role": c.actingRole } : {}) },
  });
  if (res.status !== 200) return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string } }).error, rows: [] as unknown[][] };
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row, i) => {
    if (i > 3) rows.push((row.values as unknown[]).slice(1));
  });
  return { status: res.status, error: null, rows };
}

describeEachDb("sorting of the activity statistics lists", (variant) => {
  let server: TestServer;
  let province: Client;
  let county: Client;
  let dataDir: string;
  const unitIds: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zjh-stats-sort-"));
    server = await startTestServer(variant, { DATA_DIR: dataDir });
    province = await loginAs(server.url, "prov_admin");
    county = await loginAs(server.url, "ra_county");

    let n = 0;
    const points: Record<string, number> = { ...SEEDED, ...ELSEWHERE };
    const rows = SCHOOLS.flatMap(([code, school, teachers]) =>
      teachers.map(([name, p]) => {
        const account = `rs_t${String(++n).padStart(2, "0")}`;
        if (p >= 0) points[account] = p;
        return [account, name, "", code, school, RUIAN, "", ""];
      }),
    );
    const job = await importTeachers(server.url, county, csvOf(rows));
    expect(job).toMatchObject({ state: "DONE", created: 22, schoolsCreated: 8, errorCount: 0 });

    const lines = [...Object.entries(points).flatMap(([a, p]) => lessonsFor(a, p)), ...story(STORY)];
    const r = await province.gql(`mutation($l: [String!]!) { ingestActivityEvents(lines: $l) { stored errors { line message } } }`, { l: lines });
    expect(r.ingestActivityEvents).toEqual({ stored: lines.length, errors: [] });

    for (const code of ["330302", "3303020001"]) {
      const s = await province.gql(`query($q: String!) { searchUnits(query: $q, limit: 5) { id code } }`, { q: code });
      unitIds[code] = s.searchUnits.find((u: { code: string }) => u.code === code).id;
    }
  });
  afterAll(async () => {
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("orders the school ranking by every key both ways across pages, and keeps each school's rank by overall activity", async () => {
    const ranking = (await county.gql(SCHOOL_LIST("schoolRanking"), { p: "2018-03", l: 200 })).list as { total: number; items: School[] };
    expect(ranking.total).toBe(11);
    // The default is the 通报 order: by rank, ties by code.
    expect(ranking.items).toEqual(sortedBy(ranking.items, SCHOOL_KEYS.rank!, false, schoolTie));
    const rankOf = new Map(ranking.items.map((s) => [s.schoolCode, s.rank]));
    // The data has ties: equal means share a rank.
    expect(rankOf.get("3303810202")).toBe(rankOf.get("3303810203"));
    expect(rankOf.get("3303810206")).toBe(rankOf.get("3303810003"));

    for (const [key, cmp] of Object.entries(SCHOOL_KEYS)) {
      const orders: string[][] = [];
      for (const desc of [false, true]) {
        const { full, pages, p1, p2 } = await fetchBoth<School>(county, SCHOOL_LIST("schoolRanking"), { p: "2018-03", s: key, d: desc }, (d) => d.list);
        const label = `${key} ${desc ? "desc" : "asc"}`;
        expect([p1, p2], label).toEqual([6, 5]);
        expect(pages, label).toEqual(full);
        expect(full.map((s) => s.schoolCode), label).toEqual(sortedBy(ranking.items, cmp, desc, schoolTie).map((s) => s.schoolCode));
        for (const s of full) expect(s.rank, `${label} ${s.schoolCode}`).toBe(rankOf.get(s.schoolCode));
        orders.push(full.map((s) => s.schoolCode));
      }
      // Each key really reorders the list (the data is chosen so): asc and desc differ from each other.
      expect(orders[0], key).not.toEqual(orders[1]);
    }
  });

  it("orders the below-target schools by every key both ways across pages, with their rank in the whole ranking", async () => {
    const ranking = (await county.gql(SCHOOL_LIST("schoolRanking"), { p: "2018-03", l: 200 })).list as { items: School[] };
    const rankOf = new Map(ranking.items.map((s) => [s.schoolCode, s.rank]));
    const below = (await county.gql(SCHOOL_LIST("belowTargetSchools"), { p: "2018-03", l: 200 })).list as { total: number; items: School[] };
    expect(below.total).toBe(8);
    // The default stays lowest first (rank descending, ties by code).
    expect(below.items).toEqual(sortedBy(below.items, SCHOOL_KEYS.rank!, true, schoolTie));

    for (const [key, cmp] of Object.entries(SCHOOL_KEYS)) {
      for (const desc of [false, true]) {
        const { full, pages, p1, p2 } = await fetchBoth<School>(county, SCHOOL_LIST("belowTargetSchools"), { p: "2018-03", s: key, d: desc }, (d) => d.list);
        const label = `${key} ${desc ? "desc" : "asc"}`;
        expect([p1, p2], label).toEqual([4, 4]);
        expect(pages, label).toEqual(full);
        expect(full.map((s) => s.schoolCode), label).toEqual(sortedBy(below.items, cmp, desc, schoolTie).map((s) => s.schoolCode));
        for (const s of full) expect(s.rank, `${label} ${s.schoolCode}`).toBe(rankOf.get(s.schoolCode));
      }
    }
  });

  it("orders the teachers and the below-target teachers by every key both ways across pages", async () => {
    for (const op of ["teacherActivityPage", "belowTargetTeachers"] as const) {
      const all = (await county.gql(TEACHER_LIST(op), { p: "2018-03", l: 200 })).list as { total: number; items: Teacher[] };
      expect(all.total).toBe(op === "teacherActivityPage" ? 27 : 14);
      // Defaults unchanged: most points first; below target, fewest first; ties by account.
      expect(all.items).toEqual(sortedBy(all.items, TEACHER_KEYS.points!, op === "teacherActivityPage", teacherTie));
      for (const [key, cmp] of Object.entries(TEACHER_KEYS)) {
        const orders: string[][] = [];
        for (const desc of [false, true]) {
          const { full, pages } = await fetchBoth<Teacher>(county, TEACHER_LIST(op), { p: "2018-03", s: key, d: desc }, (d) => d.list);
          const label = `${op} ${key} ${desc ? "desc" : "asc"}`;
          expect(pages, label).toEqual(full);
          expect(full.map((t) => t.account), label).toEqual(sortedBy(all.items, cmp, desc, teacherTie).map((t) => t.account));
          orders.push(full.map((t) => t.account));
        }
        expect(orders[0], `${op} ${key}`).not.toEqual(orders[1]);
      }
    }
    // The two 王芳 are told apart by account, in both directions.
    const byName = (await county.gql(TEACHER_LIST("teacherActivityPage"), { p: "2018-03", s: "name", d: true, l: 200 })).list.items as Teacher[];
    expect(byName.filter((t) => t.name === "王芳").map((t) => t.account)).toEqual(["rs_t01", "rs_t05"]);
  });

  it("orders a teacher's points log by time, points and rule both ways across pages", async () => {
    const log = (await county.gql(LEDGER, { a: STORY, l: 200 })).teacherActivity.ledger as { total: number; items: Entry[] };
    expect(log.total).toBeGreaterThan(40);
    // Default: newest first.
    expect(log.items).toEqual(sortedBy(log.items, LEDGER_KEYS.time!, true, ledgerTie));
    expect(log.items.some((e) => e.points < 0)).toBe(true);
    expect(new Set(log.items.map((e) => e.rule)).size).toBeGreaterThanOrEqual(6);
    for (const [key, cmp] of Object.entries(LEDGER_KEYS)) {
      for (const desc of [false, true]) {
        const { full, pages } = await fetchBoth<Entry>(county, LEDGER, { a: STORY, s: key, d: desc }, (d) => d.teacherActivity.ledger);
        const label = `${key} ${desc ? "desc" : "asc"}`;
        expect(pages, label).toEqual(full);
        expect(full.map((e) => e.seq), label).toEqual(sortedBy(log.items, cmp, desc, ledgerTie).map((e) => e.seq));
      }
    }
  });

  it("refuses a sort key outside the list's keys, in the API and in the exports, naming the parameter", async () => {
    expect(await county.errorCode(SCHOOL_LIST("schoolRanking"), { p: "2018-03", s: "schoolName" })).toBe("BAD_USER_INPUT");
    expect(await county.errorCode(SCHOOL_LIST("belowTargetSchools"), { p: "2018-03", s: "r.name; DROP TABLE app_user" })).toBe("BAD_USER_INPUT");
    expect(await county.errorCode(TEACHER_LIST("teacherActivityPage"), { p: "2018-03", s: "rank" })).toBe("BAD_USER_INPUT");
    expect(await county.errorCode(LEDGER, { a: STORY, s: "day" })).toBe("BAD_USER_INPUT");
    expect(await county.errorCode(`{ schoolRanking(period: "2018-03", sort: unit) { total } }`)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await county.errorCode(SCHOOL_LIST("schoolRanking"), { p: "2018-03", d: "yes" })).toBe("BAD_USER_INPUT");

    for (const [name, q] of [
      ["activity-school-ranking", { period: "2018-03", sort: "points" }],
      ["activity-below-target-schools", { period: "2018-03", sort: "rank DESC" }],
      ["activity-teachers", { period: "2018-03", sort: "constructor" }],
      ["activity-below-target-teachers", { period: "2018-03", sort: "meanPoints" }],
      ["activity-teacher-ledger", { period: "2018-03", account: STORY, sort: "seq" }],
    ] as const) {
      const r = await download(server, county, name, q);
      expect(r.status, name).toBe(400);
      expect(r.error, name).toMatchObject({ code: "BAD_USER_INPUT" });
      expect(r.error!.message, name).toContain("排序字段");
    }
    const r = await download(server, county, "activity-school-ranking", { period: "2018-03", sort: "name", desc: "1" });
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(r.error!.message).toContain("desc");
  });

  it("keeps the scope whatever the order: a county reviewer cannot sort their way into another county", async () => {
    for (const key of Object.keys(SCHOOL_KEYS)) {
      for (const desc of [false, true]) {
        expect(await county.errorCode(SCHOOL_LIST("schoolRanking"), { p: "2018-03", u: unitIds["330302"], s: key, d: desc })).toBe("NOT_FOUND");
        expect(await county.errorCode(SCHOOL_LIST("belowTargetSchools"), { p: "2018-03", u: unitIds["3303020001"], s: key, d: desc })).toBe("NOT_FOUND");
        // Their own lists hold 瑞安's schools only, at either end of every order.
        const own = (await county.gql(SCHOOL_LIST("schoolRanking"), { p: "2018-03", s: key, d: desc, l: 200 })).list.items as School[];
        expect(new Set(own.map((s) => s.countyName))).toEqual(new Set(["瑞安市"]));
      }
    }
    for (const key of Object.keys(TEACHER_KEYS)) {
      for (const desc of [false, true]) {
        expect(await county.errorCode(TEACHER_LIST("teacherActivityPage"), { p: "2018-03", u: unitIds["330302"], s: key, d: desc })).toBe("NOT_FOUND");
        const own = (await county.gql(TEACHER_LIST("teacherActivityPage"), { p: "2018-03", s: key, d: desc, l: 200 })).list.items as Teacher[];
        const accounts = own.map((t) => t.account);
        for (const a of [...Object.keys(ELSEWHERE), "ra_teacher_retired"]) expect(accounts, `${key} ${desc}`).not.toContain(a);
      }
    }
    expect(await county.errorCode(LEDGER, { a: "lc_teacher1", s: "points", d: false })).toBe("NOT_FOUND");
    for (const [name, q] of [
      ["activity-school-ranking", { period: "2018-03", scopeUnitId: unitIds["330302"]!, sort: "name", desc: "true" }],
      ["activity-teachers", { period: "2018-03", unitId: unitIds["330302"]!, sort: "points", desc: "false" }],
      ["activity-teacher-ledger", { period: "2018-03", account: "lc_teacher1", sort: "points", desc: "true" }],
    ] as const) {
      expect((await download(server, county, name, q)).status, name).toBe(404);
    }
  });

  it("exports each list in the order of its screen", async () => {
    const cases: [string, string, Record<string, string>, (d: any) => string[], number][] = [];
    for (const [key, desc] of [["activeRatio", true], ["name", false], ["rank", false], ["totalPoints", false]] as const) {
      const d = await county.gql(SCHOOL_LIST("schoolRanking"), { p: "2018-03", s: key, d: desc, l: 200 });
      cases.push(["activity-school-ranking", key, { desc: String(desc) }, () => d.list.items.map((s: School) => s.schoolCode), 2]);
      const b = await county.gql(SCHOOL_LIST("belowTargetSchools"), { p: "2018-03", s: key, d: desc, l: 200 });
      cases.push(["activity-below-target-schools", key, { desc: String(desc) }, () => b.list.items.map((s: School) => s.schoolCode), 2]);
    }
    for (const [key, desc] of [["school", true], ["name", false], ["mobile", true], ["points", false]] as const) {
      const d = await county.gql(TEACHER_LIST("teacherActivityPage"), { p: "2018-03", s: key, d: desc, l: 200 });
      cases.push(["activity-teachers", key, { desc: String(desc) }, () => d.list.items.map((t: Teacher) => t.account), 0]);
      const b = await county.gql(TEACHER_LIST("belowTargetTeachers"), { p: "2018-03", s: key, d: desc, l: 200 });
      cases.push(["activity-below-target-teachers", key, { desc: String(desc) }, () => b.list.items.map((t: Teacher) => t.account), 0]);
    }
    for (const [key, desc] of [["points", false], ["rule", true], ["time", true]] as const) {
      const d = await county.gql(LEDGER, { a: STORY, s: key, d: desc, l: 200 });
      cases.push(["activity-teacher-ledger", key, { desc: String(desc), account: STORY }, () => d.teacherActivity.ledger.items.map((e: Entry) => e.eventId), 4]);
    }
    for (const [name, sort, extra, expected, column] of cases) {
      const r = await download(server, county, name, { period: "2018-03", sort, ...extra });
      expect(r.status, `${name} ${sort}`).toBe(200);
      expect(r.rows.map((row) => row[column]), `${name} ${sort} ${extra.desc}`).toEqual(expected(null));
    }
    // The ranking export keeps the rank by overall activity in its first column, in any order.
    const ranking = (await county.gql(SCHOOL_LIST("schoolRanking"), { p: "2018-03", l: 200 })).list.items as School[];
    const byName = await download(server, county, "activity-school-ranking", { period: "2018-03", sort: "name", desc: "true" });
    for (const row of byName.rows) expect(row[0]).toBe(ranking.find((s) => s.schoolCode === row[2])!.rank);
  });
});
