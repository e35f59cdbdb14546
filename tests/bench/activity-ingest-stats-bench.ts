// Statistics over ingested activity at province-like scale: the statistics queries the API runs
// (stats.repository.ts) against a raw SQL floor on the same data, in one run.
//
//   pnpm exec tsx tests/bench/activity-ingest-stats-bench.ts [--teachers 50000] [--schools 1000] [--runs 5] [--random-page-cost 1.1]
//
// Builds a throwaway PostgreSQL database (TEST_PG_URL) with the real Zhejiang org tree, `schools`
// schools spread over the counties, `teachers` teachers (2% locked) and one month (2023-03) and
// one year (2023) of period totals for 85% of them, as the ingestion writes them. Then times, as
// at the widest scope (the province), the median of `runs`:
//   unit        unitActivity(province, month)         floor: count and sum of the month's totals
//   children    childUnitsActivity(province, month)   floor: the same grouped by city
//   ranking     schoolRanking(province, month), page 1 floor: mean points per school, sorted
//   below       belowTargetTeachers(province, month), page 1
//   county      unitActivity(one county, month)        floor: the county's totals by county_id
//   city        unitActivity / schoolRanking of one city
// Above a school the service reads the per-unit aggregates (migration ActivityUnitStats); each
// of those queries is also timed reading the roster directly ("roster", the former service), and
// both answers are compared in full (the bench fails on any difference). Last, the cost the
// aggregates add to a rescoring write: the month and year totals of 500 teachers deleted and
// written again in one transaction (rolled back), with the triggers and without them.
import pg from "pg";
import { openDb, type Db } from "../../apps/server/src/db/data-source.js";
import { seed } from "../../apps/server/src/db/seed.js";
import { parsePeriod } from "../../apps/server/src/modules/activity/utils/period.util.js";
import type { UnitRow } from "../../apps/server/src/modules/auth/authorize.js";
import { isDeepStrictEqual } from "node:util";
import { aggregate, rankingQuery, targetsOf, teacherQuery } from "../../apps/server/src/modules/stats/stats.repository.js";
import { createThrowawayDatabase } from "../support/pg.js";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i === -1 ? dflt : Number(args[i + 1]);
};
const teachers = opt("--teachers", 50_000);
const schools = opt("--schools", 1_000);
const runs = opt("--runs", 5);
/** The planner's random_page_cost for the database (PostgreSQL's default is 4; 1.1 suits SSDs). */
const randomPageCost = opt("--random-page-cost", 4);

async function build(db: Db) {
  await seed(db, { demo: false });
  // Schools round-robin over the counties, teachers round-robin over the schools.
  await db.exec(`
    WITH counties AS (SELECT id, path, depth, city_id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n FROM org_unit WHERE kind = 'COUNTY'),
    s AS (SELECT g, c.* FROM generate_series(0, ${schools - 1}) g JOIN counties c ON c.k = g % c.n)
    INSERT INTO org_unit (kind, code, name, parent_id, path, depth, city_id, county_id)
    SELECT 'SCHOOL', 'B' || lpad(g::text, 8, '0'), '基准学校' || g, id, path || 'b' || g || '/', depth + 1, city_id, id FROM s`);
  // Paths must hold ids; rewrite the placeholders now that the ids exist.
  await db.exec(`UPDATE org_unit SET path = regexp_replace(path, 'b[0-9]+/$', id || '/') WHERE kind = 'SCHOOL' AND code LIKE 'B%'`);
  await db.exec(`
    WITH sch AS (SELECT id, path, row_number() OVER (ORDER BY id) - 1 AS k FROM org_unit WHERE kind = 'SCHOOL' AND code LIKE 'B%')
    INSERT INTO app_user (account, name, home_unit_id, unit_path, locked)
    SELECT 'bt' || g, '教师' || g, sch.id, sch.path, g % 50 = 7 FROM generate_series(0, ${teachers - 1}) g JOIN sch ON sch.k = g % ${schools}`);
  await db.exec(`INSERT INTO role_assignment (user_id, role, unit_id) SELECT id, 'TEACHER', home_unit_id FROM app_user WHERE account LIKE 'bt%'`);
  for (const period of ["2023-03", "2023"]) {
    const scale = period.length === 4 ? 10 : 1;
    await db.exec(
      `INSERT INTO activity_total (account, period, points, mobile_points, rule_points, user_id, school_id, county_id, city_id, unit_path)
       SELECT u.account, $1, p, p / 3, ARRAY[p / 5, 0, p / 10, 0, 0, p / 2, 0, 0, p - p / 5 - p / 10 - p / 2], u.id, o.id, o.county_id, o.city_id, u.unit_path
         FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id,
              LATERAL (SELECT (floor(abs(hashtext(u.account || $1)) % 60) * $2)::int AS p) x
        WHERE u.account LIKE 'bt%' AND abs(hashtext(u.account)) % 100 < 85`,
      [period, scale],
    );
  }
  await db.exec(`ANALYZE`);
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const tmp = await createThrowawayDatabase();
{
  const c = new pg.Client({ connectionString: tmp.url });
  await c.connect();
  await c.query(`ALTER DATABASE ${tmp.url.replace(/^.*\//, "")} SET random_page_cost = ${Number(randomPageCost)}`);
  await c.end();
}
const db = await openDb({ databaseUrl: tmp.url });
try {
  const t0 = performance.now();
  await build(db);
  const buildMs = performance.now() - t0;
  const unitOf = async (where: string) =>
    (await db.one<UnitRow>(`SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit WHERE ${where} ORDER BY id LIMIT 1`))!;
  const province = await unitOf(`kind = 'PROVINCE'`);
  const county = await unitOf(`kind = 'COUNTY'`);
  const city = await unitOf(`kind = 'CITY'`);
  const month = parsePeriod("2023-03");
  const year = parsePeriod("2023");
  const page = { offset: 0, limit: 50 };
  const ranking = (unit: UnitRow, p: typeof month, roster = false) => {
    const q = rankingQuery(unit, p, targetsOf(p), { belowTarget: false, page, roster });
    return db.rows(q.sql, q.params);
  };
  const unitRows = (unit: UnitRow, p: typeof month, byChild: boolean, roster = false) =>
    aggregate(db, unit, p, targetsOf(p), byChild, roster).then((rs) => [...rs].sort((x, y) => (x.key < y.key ? -1 : 1)));
  const below = () =>
    db.rows(`SELECT * FROM (${teacherQuery(true)}) x ORDER BY points ASC, account OFFSET 0 LIMIT 50`, [province.path + "%", month.key, targetsOf(month).teacher]);
  /** Service and roster give the same answer (in full), then both are timed. */
  const both = async (name: string, fn: (roster: boolean) => Promise<unknown>) => {
    const [a, r] = [await fn(false), await fn(true)];
    if (!isDeepStrictEqual(a, r)) throw new Error(`${name}: the aggregates and the roster differ:\n${JSON.stringify(a).slice(0, 2000)}\n${JSON.stringify(r).slice(0, 2000)}`);
    return [await median(() => fn(false)), await median(() => fn(true))] as const;
  };
  const floor = (sql: string, params: unknown[] = []) => median(() => db.rows(sql, params));
  const rows: [string, number, number | null, number | null][] = [
    [
      "unitActivity(province, month)",
      ...(await both("unit", (r) => unitRows(province, month, false, r))),
      await floor(`SELECT count(*), sum(points) FROM activity_total WHERE period = '2023-03'`),
    ],
    [
      "childUnitsActivity(province, month)",
      ...(await both("children", (r) => unitRows(province, month, true, r))),
      await floor(`SELECT city_id, count(*), sum(points) FROM activity_total WHERE period = '2023-03' GROUP BY city_id`),
    ],
    [
      "schoolRanking(province, month), first page",
      ...(await both("ranking month", (r) => ranking(province, month, r))),
      await floor(`SELECT school_id, avg(points) AS m FROM activity_total WHERE period = '2023-03' GROUP BY school_id ORDER BY m DESC LIMIT 50`),
    ],
    [
      "schoolRanking(province, year), first page",
      ...(await both("ranking year", (r) => ranking(province, year, r))),
      await floor(`SELECT school_id, avg(points) AS m FROM activity_total WHERE period = '2023' GROUP BY school_id ORDER BY m DESC LIMIT 50`),
    ],
    ["belowTargetTeachers(province, month), first page", await median(below), null, null],
    [
      "unitActivity(city, month)",
      ...(await both("city", (r) => unitRows(city, month, false, r))),
      await floor(`SELECT count(*), sum(points) FROM activity_total WHERE period = '2023-03' AND city_id = $1`, [city.id]),
    ],
    [
      "schoolRanking(city, month), first page",
      ...(await both("city ranking", (r) => ranking(city, month, r))),
      await floor(`SELECT school_id, avg(points) AS m FROM activity_total WHERE period = '2023-03' AND city_id = $1 GROUP BY school_id ORDER BY m DESC LIMIT 50`, [city.id]),
    ],
    [
      "unitActivity(county, month)",
      ...(await both("county", (r) => unitRows(county, month, false, r))),
      await floor(`SELECT count(*), sum(points) FROM activity_total WHERE period = '2023-03' AND county_id = $1`, [county.id]),
    ],
  ];
  // A rescoring's write of 500 teachers' month and year totals (spread over the schools, as the
  // rescoring's account order spreads them), rolled back, with and without the aggregate triggers.
  const accounts = (await db.rows<{ account: string }>(`SELECT account FROM activity_total WHERE period = '2023' ORDER BY account LIMIT 500`)).map((r) => r.account);
  const rewrite = (withTriggers: boolean) =>
    db
      .tx(async (tx) => {
        if (!withTriggers) await tx.exec(`ALTER TABLE activity_total DISABLE TRIGGER USER`);
        await tx.exec(`CREATE TEMP TABLE keep ON COMMIT DROP AS SELECT * FROM activity_total WHERE account = ANY($1::text[])`, [accounts]);
        const t0 = performance.now();
        await tx.exec(`DELETE FROM activity_total WHERE account = ANY($1::text[])`, [accounts]);
        await tx.exec(`INSERT INTO activity_total SELECT * FROM keep`);
        const ms = performance.now() - t0;
        throw Object.assign(new Error("rollback"), { ms });
      })
      .catch((e: { ms?: number }) => {
        if (e.ms === undefined) throw e;
        return e.ms;
      });
  const writeTimes = async (withTriggers: boolean) => {
    const ts: number[] = [];
    for (let i = 0; i <= runs; i++) ts.push(await rewrite(withTriggers));
    ts.shift();
    ts.sort((a, b) => a - b);
    return ts[Math.floor(ts.length / 2)]!;
  };
  const [writeWith, writeWithout] = [await writeTimes(true), await writeTimes(false)];
  process.stdout.write(
    [
      `Activity statistics on PostgreSQL — ${teachers.toLocaleString("en-US")} teachers in ${schools.toLocaleString("en-US")} schools, ` +
        `random_page_cost ${randomPageCost}, median of ${runs} runs (data built in ${(buildMs / 1000).toFixed(1)} s)`,
      "",
      "| query | service (ms) | roster (ms) | floor (ms) | × floor |",
      "|---|---:|---:|---:|---:|",
      ...rows.map(
        ([name, ms, roster, floor]) =>
          `| ${name} | ${ms.toFixed(1)} | ${roster === null ? "–" : roster.toFixed(1)} | ${floor === null ? "–" : floor.toFixed(1)} | ${floor === null ? "–" : (ms / floor).toFixed(1)} |`,
      ),
      "",
      `Rescoring write of 500 teachers' totals (DELETE + INSERT): ${writeWith.toFixed(1)} ms with the aggregate triggers, ${writeWithout.toFixed(1)} ms without.`,
      "",
    ].join("\n"),
  );
} finally {
  await db.close();
  await tmp.drop();
}
