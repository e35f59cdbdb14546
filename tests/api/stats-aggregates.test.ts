import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { csvOf, importTeachers } from "./import-helpers.js";

/**
 * Province, city and county statistics read per-unit aggregates kept by triggers. After every kind
 * of roster change (lock, unlock, transfer across counties and cities by import, revoke and
 * re-grant of TEACHER, late events that rescore), every statistics query at province, city,
 * county and school scope must give exactly the figures computed here from the roster by plain
 * SQL, and the aggregate tables must equal their recomputation.
 */

const SCOPES = ["330000", "330300", "330100", "330381", "330302", "3303810001", "3303020001"];
const PERIODS = ["2018-03", "2018", "2023"];

function lessons(account: string, points: number, month = "03", from = 1, tag = ""): string[] {
  const out: string[] = [];
  let n = 0;
  for (let day = from; points > 0; day++) {
    for (let k = 0; k < 2 && points > 0; k++, points -= 5) {
      const at = `2018-${month}-${String(day).padStart(2, "0")}T0${8 + k}:00:00+08:00`;
      out.push(JSON.stringify({ id: `${account}-${month}${tag}-${++n}`, type: "lesson", userId: account, at, client: k ? "mobile" : "pc" }));
    }
  }
  return out;
}

const UNIT_FIELDS = `unit { id code } teachers lockedTeachers activeTeachers totalPoints meanPoints mobilePoints teachersMeetingTarget targetMet schools schoolsMeetingTarget`;
const RANK_FIELDS = `total items { rank schoolId schoolCode teachers activeTeachers totalPoints meanPoints teachersMeetingTarget targetMet }`;

interface RosterRow {
  unit_id: string;
  path: string;
  kind: string;
  code: string | null;
  locked: boolean;
  points: number;
  mobile: number;
}

interface Figures {
  teachers: number;
  lockedTeachers: number;
  activeTeachers: number;
  totalPoints: number;
  mobilePoints: number;
  teachersMeetingTarget: number;
  schools: number;
  schoolsMeetingTarget: number;
  targetMet: boolean;
}

describeEachDb("activity statistics from per-unit aggregates", (variant) => {
  let server: TestServer;
  let province: Client;
  const units = new Map<string, { id: string; path: string }>();

  beforeAll(async () => {
    server = await startTestServer(variant);
    province = await loginAs(server.url, "prov_admin");
    const points: Record<string, number> = {
      ra_teacher1: 40, ra_teacher2: 10, ra_teacher_retired: 100, ra_teacher3: 35, lc_teacher1: 50, oh_teacher1: 5, pb_teacher1: 20,
      hz_teacher1: 60, hz_teacher2: 30, expert_wz: 45,
    };
    await ingest([...Object.entries(points).flatMap(([a, p]) => lessons(a, p)), ...lessons("oh_teacher1", 20, "04", 1)]);
    const rows = await server.db.rows<{ id: string; code: string; path: string }>(`SELECT id::text AS id, code, path FROM org_unit WHERE code = ANY($1)`, [SCOPES]);
    for (const r of rows) units.set(r.code, r);
  });
  afterAll(() => server?.stop());

  async function ingest(lines: string[]) {
    const r = await province.gql(`mutation($l: [String!]!) { ingestActivityEvents(lines: $l) { stored errors { line } } }`, { l: lines });
    expect(r.ingestActivityEvents).toEqual({ stored: lines.length, errors: [] });
  }

  /** The roster straight from the tables: every TEACHER with home unit, lock and the period's total. */
  async function roster(period: string): Promise<RosterRow[]> {
    return server.db.rows<RosterRow>(
      `SELECT u.home_unit_id::text AS unit_id, o.path, o.kind, o.code, u.locked,
              coalesce(a.points, 0)::int AS points, coalesce(a.mobile_points, 0)::int AS mobile
         FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id
         LEFT JOIN activity_total a ON a.account = u.account AND a.period = $1
        WHERE u.id IN (SELECT user_id FROM role_assignment WHERE role = 'TEACHER')`,
      [period],
    );
  }

  function figures(rows: RosterRow[], prefix: string, period: string): Figures {
    const target = period.length === 4 ? 300 : 30;
    const overall = period.length === 4 ? 300 : 30;
    const mine = rows.filter((r) => r.path.startsWith(prefix));
    const open = mine.filter((r) => !r.locked);
    const sum = (xs: RosterRow[], f: (r: RosterRow) => number) => xs.reduce((s, r) => s + f(r), 0);
    const meets = (xs: RosterRow[]) =>
      xs.length > 0 && sum(xs, (r) => r.points) >= overall * xs.length && xs.filter((r) => r.points >= 1).length * 100 >= 15 * xs.length;
    const bySchool = new Map<string, RosterRow[]>();
    for (const r of open) if (r.kind === "SCHOOL" || r.kind === "PRACTICE_BASE") bySchool.set(r.unit_id, [...(bySchool.get(r.unit_id) ?? []), r]);
    return {
      teachers: open.length,
      lockedTeachers: mine.length - open.length,
      activeTeachers: open.filter((r) => r.points >= 1).length,
      totalPoints: sum(open, (r) => r.points),
      mobilePoints: sum(open, (r) => r.mobile),
      teachersMeetingTarget: open.filter((r) => r.points >= target).length,
      schools: bySchool.size,
      schoolsMeetingTarget: [...bySchool.values()].filter(meets).length,
      targetMet: meets(open),
    };
  }

  function ranking(rows: RosterRow[], prefix: string, period: string) {
    const target = period.length === 4 ? 300 : 30;
    const open = rows.filter((r) => r.path.startsWith(prefix) && !r.locked && (r.kind === "SCHOOL" || r.kind === "PRACTICE_BASE"));
    const bySchool = new Map<string, RosterRow[]>();
    for (const r of open) bySchool.set(r.unit_id, [...(bySchool.get(r.unit_id) ?? []), r]);
    const schools = [...bySchool.entries()].map(([id, xs]) => {
      const f = figures(xs, "", period);
      return {
        schoolId: id, schoolCode: xs[0]!.code, teachers: f.teachers, activeTeachers: f.activeTeachers, totalPoints: f.totalPoints,
        meanPoints: f.totalPoints / f.teachers, teachersMeetingTarget: xs.filter((r) => r.points >= target).length, targetMet: f.targetMet, rank: 0,
      };
    });
    for (const s of schools) s.rank = 1 + schools.filter((o) => o.meanPoints > s.meanPoints).length;
    const byCode = (a: (typeof schools)[0], b: (typeof schools)[0]) =>
      a.schoolCode === b.schoolCode ? Number(a.schoolId) - Number(b.schoolId) : (a.schoolCode ?? "\uffff") < (b.schoolCode ?? "\uffff") ? -1 : 1;
    const ranked = [...schools].sort((a, b) => a.rank - b.rank || byCode(a, b));
    const below = schools.filter((s) => !s.targetMet).sort((a, b) => b.rank - a.rank || byCode(a, b));
    return { ranked, below };
  }

  /** Every statistics query at every scope and period against the roster; the aggregate tables against their recomputation. */
  async function checkAll(step: string) {
    for (const period of PERIODS) {
      const rows = await roster(period);
      for (const code of SCOPES) {
        const unit = units.get(code)!;
        const where = `${step}: ${code} ${period}`;
        const r = await province.gql(
          `query($u: ID!, $p: String!) {
             unitActivity(unitId: $u, period: $p) { ${UNIT_FIELDS} }
             childUnitsActivity(unitId: $u, period: $p) { ${UNIT_FIELDS} }
             schoolRanking(scopeUnitId: $u, period: $p, limit: 200) { ${RANK_FIELDS} }
             belowTargetSchools(unitId: $u, period: $p, limit: 200) { ${RANK_FIELDS} }
           }`,
          { u: unit.id, p: period },
        );
        const expected = figures(rows, unit.path, period);
        expect(r.unitActivity, where).toMatchObject({ ...expected, meanPoints: expected.teachers ? expected.totalPoints / expected.teachers : 0 });
        const children = await server.db.rows<{ id: string; path: string }>(`SELECT id::text AS id, path FROM org_unit WHERE parent_id = $1`, [unit.id]);
        const childPath = new Map(children.map((c) => [c.id, c.path]));
        expect(r.childUnitsActivity.length, where).toBe(children.length);
        for (const c of r.childUnitsActivity) {
          const f = figures(rows, childPath.get(c.unit.id)!, period);
          expect(c, `${where} child ${c.unit.code}`).toMatchObject(f);
        }
        const { ranked, below } = ranking(rows, unit.path, period);
        expect(r.schoolRanking, where).toEqual({ total: ranked.length, items: ranked });
        expect(r.belowTargetSchools, where).toEqual({ total: below.length, items: below });
      }
    }
    const diff = await server.db.one<{ roster: number; periods: number }>(
      `WITH want_roster AS (
         SELECT u.home_unit_id AS unit_id, u.unit_path, count(*) FILTER (WHERE NOT u.locked)::int AS teachers, count(*) FILTER (WHERE u.locked)::int AS locked
           FROM app_user u WHERE u.id IN (SELECT user_id FROM role_assignment WHERE role = 'TEACHER') GROUP BY 1, 2),
       want_period AS (
         SELECT u.home_unit_id AS unit_id, u.unit_path, a.period, sum(a.points)::bigint AS points, sum(a.mobile_points)::bigint AS mobile,
                count(*) FILTER (WHERE a.points >= 1)::int AS active,
                count(*) FILTER (WHERE a.points >= CASE WHEN length(a.period) = 4 THEN 300 ELSE 30 END)::int AS meeting,
                count(*)::int AS totals
           FROM app_user u JOIN activity_total a ON a.account = u.account
          WHERE NOT u.locked AND u.id IN (SELECT user_id FROM role_assignment WHERE role = 'TEACHER') GROUP BY 1, 2, 3)
       SELECT (SELECT count(*)::int FROM ((SELECT * FROM want_roster EXCEPT SELECT unit_id, unit_path, teachers, locked FROM stats_unit_roster)
                                  UNION ALL (SELECT unit_id, unit_path, teachers, locked FROM stats_unit_roster EXCEPT SELECT * FROM want_roster)) x) AS roster,
              (SELECT count(*)::int FROM ((SELECT * FROM want_period EXCEPT SELECT unit_id, unit_path, period, points, mobile, active, meeting, totals FROM stats_unit_period)
                                  UNION ALL (SELECT unit_id, unit_path, period, points, mobile, active, meeting, totals FROM stats_unit_period EXCEPT SELECT * FROM want_period)) x) AS periods`,
    );
    expect(diff, step).toEqual({ roster: 0, periods: 0 });
  }

  const userOf = async (account: string) =>
    (await server.db.one<{ id: string; home: string }>(`SELECT id::text AS id, home_unit_id::text AS home FROM app_user WHERE account = $1`, [account]))!;

  it("matches the roster after ingestion", async () => {
    const n = await server.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM stats_unit_period WHERE period = '2018-03'`);
    expect(n!.n).toBeGreaterThan(5);
    await checkAll("ingested");
  });

  it("matches after a lock and an unlock", async () => {
    const t1 = await userOf("ra_teacher1");
    await province.gql(`mutation($u: ID!) { lockUser(userId: $u, reason: "调离") { locked } }`, { u: t1.id });
    await checkAll("locked ra_teacher1");
    const retired = await userOf("ra_teacher_retired");
    await province.gql(`mutation($u: ID!) { unlockUser(userId: $u) { locked } }`, { u: retired.id });
    await checkAll("unlocked ra_teacher_retired");
    await province.gql(`mutation($u: ID!) { unlockUser(userId: $u) { locked } }`, { u: t1.id });
    await checkAll("unlocked ra_teacher1");
  });

  it("matches after an import moves teachers to schools of other counties and cities", async () => {
    const job = await importTeachers(
      server.url,
      province,
      csvOf([
        ["lc_teacher1", "黄思琪", "13857700011", "3303810001", "瑞安市实验中学", "330381", "语文", "小学"],
        ["hz_teacher1", "刘雨桐", "13957100001", "3303810003", "瑞安市塘下中学", "330381", "语文", "小学"],
      ]),
    );
    expect(job).toMatchObject({ state: "DONE", updated: 2, errorCount: 0 });
    expect((await userOf("lc_teacher1")).home).toBe(units.get("3303810001")!.id);
    await checkAll("moved by import");
  });

  it("matches after TEACHER is revoked and granted again", async () => {
    const t = await userOf("ra_teacher3");
    const a = await server.db.one<{ id: string }>(`SELECT id::text AS id FROM role_assignment WHERE user_id = $1 AND role = 'TEACHER'`, [t.id]);
    expect(await province.gql(`mutation($a: ID!) { revokeRole(assignmentId: $a) }`, { a: a!.id })).toEqual({ revokeRole: true });
    await checkAll("revoked ra_teacher3");
    await province.gql(`mutation($u: ID!, $o: ID!) { grantRole(userId: $u, role: TEACHER, unitId: $o) { id } }`, { u: t.id, o: t.home });
    await checkAll("granted ra_teacher3");
    // An account of another role becomes a teacher with its points, then stops being one.
    const e = await userOf("expert_wz");
    const g = await province.gql(`mutation($u: ID!, $o: ID!) { grantRole(userId: $u, role: TEACHER, unitId: $o) { id } }`, { u: e.id, o: e.home });
    await checkAll("granted expert_wz");
    await province.gql(`mutation($a: ID!) { revokeRole(assignmentId: $a) }`, { a: g.grantRole.id });
    await checkAll("revoked expert_wz");
  });

  it("counts a user with several TEACHER assignments once, until the last one goes", async () => {
    // The API grants TEACHER only at the home school; the tables must not depend on that rule.
    const t = await userOf("ra_teacher3");
    const other = (await server.db.one<{ id: string }>(`SELECT id::text AS id FROM org_unit WHERE code = '3303810003'`))!.id;
    const second = (await server.db.one<{ id: string }>(
      `INSERT INTO role_assignment (user_id, role, unit_id) VALUES ($1, 'TEACHER', $2) RETURNING id::text AS id`, [t.id, other]))!.id;
    await checkAll("second TEACHER assignment");
    const first = await server.db.one<{ id: string }>(`SELECT id::text AS id FROM role_assignment WHERE user_id = $1 AND role = 'TEACHER' AND unit_id <> $2`, [t.id, other]);
    await province.gql(`mutation($a: ID!) { revokeRole(assignmentId: $a) }`, { a: first!.id });
    await checkAll("one of two TEACHER assignments revoked");
    await server.db.exec(`DELETE FROM role_assignment WHERE id = $1`, [second]);
    await checkAll("last TEACHER assignment revoked");
    // Two assignments of one user (and one of another) in one statement, then both removed in one.
    const e = await userOf("expert_wz");
    await server.db.exec(
      `INSERT INTO role_assignment (user_id, role, unit_id) VALUES ($1, 'TEACHER', $2), ($1, 'TEACHER', $3), ($4, 'TEACHER', $2)`,
      [e.id, e.home, other, t.id],
    );
    await checkAll("two TEACHER assignments in one statement");
    await server.db.exec(`DELETE FROM role_assignment WHERE user_id = $1 AND role = 'TEACHER'`, [e.id]);
    await checkAll("both removed in one statement");
  });

  it("matches after late events rescore moved, locked and unmoved teachers", async () => {
    const t2 = await userOf("ra_teacher2");
    await province.gql(`mutation($u: ID!) { lockUser(userId: $u, reason: "调离") { locked } }`, { u: t2.id });
    // Earlier days of March (late), a new month, and a teacher with no points so far.
    await ingest([
      ...lessons("ra_teacher1", 20, "03", 20, "late"),
      ...lessons("lc_teacher1", 15, "02", 1),
      ...lessons("ra_teacher2", 25, "03", 25, "late"),
      ...lessons("ra_teacher4", 30, "03", 10),
      ...lessons("hz_teacher1", 5, "03", 28, "late"),
      ...lessons("nb_teacher1", 280, "04", 1),
      ...lessons("oh_teacher1", 30, "03", 15, "late"),
    ]);
    await checkAll("late events");
    await province.gql(`mutation($u: ID!) { unlockUser(userId: $u) { locked } }`, { u: t2.id });
    await checkAll("unlocked ra_teacher2 with late points");
  });
});
