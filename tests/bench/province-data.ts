// Province-scale data set for the benchmarks: the real Zhejiang org tree (seeded by the server),
// schools under every county, teachers with accounts and TEACHER roles, one school admin per
// school, a reviewer per county and per city, experts, a year of activity (per account-day-rule
// rows and their month/year totals, as the ingestion stores them), and applications of the 2023
// campaign in every pipeline state with their revisions, review history, quota places and notices.
//
// Deterministic: the same options (seed included) give the same rows, ids included. Bulk tables are
// loaded with COPY; the unit statistics (stats_unit_roster, stats_unit_period) are kept by the
// database's own triggers, which fire on COPY as on any insert. Applications go through the
// server's own pipeline code (applyTransition: the state machine, deadlines, form validation,
// history, quota places, notifications), one transaction per application, so every invariant the
// pipeline keeps holds (quota counters equal to the places taken, one live application per
// applicant and category, …). Usage: tests/bench/province-generate.ts, docs/benchmarks.md.
import { createRequire } from "node:module";
import pg from "pg";
import { CURRENT_CONSENT_VERSION } from "../../libs/domain/src/consent/consent.js";
import type { Db, Tx } from "../../apps/server/src/db/data-source.js";
import type { LoadedCampaign } from "../../apps/server/src/modules/campaign/campaign.service.js";
import type { ApplicationFormData, ApplicationRow } from "../../apps/server/src/modules/application/application.service.js";
import type { PipelineActor } from "../../apps/server/src/modules/application/pipeline.service.js";
import type { PipelineAction } from "../../apps/server/src/modules/campaign/domain.js";
// @ts-ignore -- plain ES module shared with the import benchmark (same schools and teachers)
import { teacherRows } from "./import-generate.mjs";

const requireServer = createRequire(new URL("../../apps/server/package.json", import.meta.url));
const copyStreams = requireServer("pg-copy-streams") as { from(sql: string): NodeJS.WritableStream };

export interface ProvinceOptions {
  teachers: number;
  schools: number;
  applications: number;
  /** Mean number of active days in the year of a teacher who has any activity. */
  activeDays: number;
  /** The activity year (the demo campaign is 2023's). */
  year: number;
  seed: number;
  /** How many counties file a regional application (default: 0.5% of the applications). */
  regions?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export const FULL: Omit<ProvinceOptions, "log"> = { teachers: 600_000, schools: 10_000, applications: 15_000, activeDays: 12, year: 2023, seed: 7 };
export const SMALL: Omit<ProvinceOptions, "log"> = { teachers: 2_000, schools: 50, applications: 200, activeDays: 12, year: 2023, seed: 7 };

/** The password of every generated account: the demo accounts' documented password (README). */
export const GENERATED_PASSWORD = "Demo@2023";

/**
 * The server code the generator runs. The test passes the sources (compiled by Vitest with
 * decorator metadata); the command line loads the built server (apps/server/dist), because tsx
 * drops the decorator metadata TypeGraphQL needs when the modules are loaded.
 */
export interface ServerModules {
  openDb: typeof import("../../apps/server/src/db/data-source.js").openDb;
  seed: typeof import("../../apps/server/src/db/seed.js").seed;
  hashPassword: typeof import("../../apps/server/src/modules/auth/password.js").hashPassword;
  demoCampaignId: typeof import("../../apps/server/src/modules/campaign/campaign.seed.js").demoCampaignId;
  loadCampaign: typeof import("../../apps/server/src/modules/campaign/campaign.service.js").loadCampaign;
  unitKey: typeof import("../../apps/server/src/modules/campaign/unit-key.util.js").unitKey;
  demoCase: typeof import("../../apps/server/src/modules/application/application.seed.js").demoCase;
  insertApplication: typeof import("../../apps/server/src/modules/application/application.service.js").insertApplication;
  applyTransition: typeof import("../../apps/server/src/modules/application/pipeline.service.js").applyTransition;
}

/** The built server's modules (run `pnpm --filter @zjh/domain build && pnpm --filter @zjh/server build` first). */
export async function builtServerModules(): Promise<ServerModules> {
  const m = (p: string) => import(new URL(`../../apps/server/dist/${p}.js`, import.meta.url).href);
  requireServer("reflect-metadata");
  return {
    openDb: (await m("db/data-source")).openDb,
    seed: (await m("db/seed")).seed,
    hashPassword: (await m("modules/auth/password")).hashPassword,
    demoCampaignId: (await m("modules/campaign/campaign.seed")).demoCampaignId,
    loadCampaign: (await m("modules/campaign/campaign.service")).loadCampaign,
    unitKey: (await m("modules/campaign/unit-key.util")).unitKey,
    demoCase: (await m("modules/application/application.seed")).demoCase,
    insertApplication: (await m("modules/application/application.service")).insertApplication,
    applyTransition: (await m("modules/application/pipeline.service")).applyTransition,
  };
}

/** mulberry32, as the other generators. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const esc = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined ? "\\N" : typeof v === "string" ? v.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!) : String(v);
const line = (...cols: (string | number | boolean | null | undefined)[]) => cols.map(esc).join("\t") + "\n";

/** Streams COPY text lines into `table (columns)`; returns the number of rows. */
async function copyInto(client: pg.Client, table: string, columns: string, rows: Iterable<string>): Promise<number> {
  const stream = client.query(copyStreams.from(`COPY ${table} (${columns}) FROM STDIN`) as never) as unknown as NodeJS.WritableStream;
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", () => resolve());
    stream.on("error", reject);
  });
  let n = 0;
  let buf = "";
  for (const r of rows) {
    buf += r;
    n++;
    if (buf.length > 1 << 20) {
      if (!stream.write(buf)) await new Promise((r) => stream.once("drain", r));
      buf = "";
    }
  }
  stream.end(buf);
  await done;
  return n;
}

interface Unit {
  id: number;
  path: string;
  code: string;
  city_id: number;
  county_id: number | null;
}

const RULES = ["login", "profile", "mobile_use", "spread", "submission", "lesson", "task", "interaction", "app"] as const;
/** Extra rules an active day may bring besides the login: [rule index, points, mobile]. */
const EXTRAS: [number, number, boolean][] = [
  [2, 1, true],
  [2, 2, true],
  [3, 1, false],
  [3, 2, false],
  [4, 3, false],
  [5, 5, false],
  [5, 10, false],
  [6, 5, false],
  [7, 3, false],
  [7, 5, false],
  [8, 2, false],
];

/** Builds the whole data set into the (empty or freshly migrated) database at `url`. */
export async function buildProvinceData(server: ServerModules, url: string, o: ProvinceOptions): Promise<{ counts: Record<string, number>; states: Record<string, number>; seconds: Record<string, number> }> {
  const log = o.log ?? (() => undefined);
  const seconds: Record<string, number> = {};
  let t0 = performance.now();
  const step = (name: string) => {
    const t = performance.now();
    seconds[name] = Math.round(t - t0) / 1000;
    log(`${name}: ${seconds[name]!.toFixed(1)} s`);
    t0 = t;
  };

  // Commits of the build need not wait for the disk (a crash means building again); the setting
  // is the database's for the build's sessions and is reset at the end.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const dbName = (await client.query(`SELECT current_database() AS d`)).rows[0].d as string;
  await client.query(`ALTER DATABASE "${dbName}" SET synchronous_commit = off`);
  await client.query(`SET synchronous_commit = off`);
  // 1. Migrations through the server's own code path, then the org tree and demo data.
  const db = await server.openDb({ databaseUrl: url, poolSize: 2 });
  try {
    await server.seed(db, { demo: true });
    step("migrations and seed");
    const hash = await server.hashPassword(GENERATED_PASSWORD);

    // 2. Schools, from the import benchmark's generator (codes <county code><4 digits>); a code
    //    the seed already has (a demo school) is that unit, as the teacher import would find it.
    const counties = new Map<string, Unit & { name: string }>();
    for (const r of (await client.query(`SELECT id::int, path, code, name, city_id::int, county_id::int FROM org_unit WHERE kind = 'COUNTY'`)).rows) counties.set(r.code, r);
    const existing = new Map<string, Unit>();
    for (const r of (await client.query(`SELECT id::int, path, code, city_id::int, county_id::int FROM org_unit WHERE kind IN ('SCHOOL','PRACTICE_BASE') AND code IS NOT NULL`)).rows) existing.set(r.code, r);
    const rowsOf = () => teacherRows({ rows: o.teachers, seed: o.seed, schools: o.schools }) as Iterable<string[]>;
    const schools = new Map<string, Unit & { name: string }>();
    const newSchools: (Unit & { name: string; parent: number })[] = [];
    let nextUnit = Number((await client.query(`SELECT max(id) AS m FROM org_unit`)).rows[0].m) + 1;
    for (const r of rowsOf()) {
      const [, , , code, name, county] = r as [string, string, string, string, string, string];
      if (schools.has(code!)) continue;
      const found = existing.get(code!);
      if (found) {
        schools.set(code!, { ...found, name: name! });
        continue;
      }
      const c = counties.get(county!)!;
      const u = { id: nextUnit++, path: `${c.path}${nextUnit - 1}/`, code: code!, name: name!, city_id: c.city_id, county_id: c.id, parent: c.id };
      schools.set(code!, u);
      newSchools.push(u);
    }
    await client.query("BEGIN");
    await copyInto(client, "org_unit", "id, kind, code, name, parent_id, path, depth, city_id, county_id",
      newSchools.map((s) => line(s.id, "SCHOOL", s.code, s.name, s.parent, s.path, 3, s.city_id, s.county_id)));
    await client.query(`SELECT setval(pg_get_serial_sequence('org_unit', 'id'), (SELECT max(id) FROM org_unit))`);
    await client.query("COMMIT");
    step(`schools (${newSchools.length} new)`);

    // 3. Accounts: teachers (2% locked), a school admin per school, a reviewer per county and
    //    city, experts. Ids are assigned here so roles and totals can refer to them.
    let nextUser = Number((await client.query(`SELECT max(id) AS m FROM app_user`)).rows[0].m) + 1;
    const cities = (await client.query(`SELECT id::int, path, code, name FROM org_unit WHERE kind = 'CITY' ORDER BY code`)).rows as { id: number; path: string; code: string; name: string }[];
    const province = (await client.query(`SELECT id::int, path FROM org_unit WHERE kind = 'PROVINCE'`)).rows[0] as { id: number; path: string };
    interface Teacher { id: number; account: string; phone: string | null; school: Unit; locked: boolean }
    const teachers: Teacher[] = [];
    const users: string[] = [];
    const roles: string[] = [];
    const lockRand = rng(o.seed * 31 + 1);
    for (const r of rowsOf()) {
      const [account, name, phone, code, , , subject, stage] = r as string[];
      const s = schools.get(code!)!;
      const locked = lockRand() < 0.02;
      const t: Teacher = { id: nextUser++, account: account!, phone: phone || null, school: s, locked };
      teachers.push(t);
      users.push(line(t.id, t.account, name, t.phone, subject, stage, s.id, s.path, hash, locked, locked ? "调离" : null, locked ? "2023-09-01T00:00:00Z" : null));
      roles.push(line(t.id, "TEACHER", s.id));
    }
    const schoolAdmin = new Map<string, { id: number; phone: string }>();
    let k = 0;
    for (const s of schools.values()) {
      const id = nextUser++;
      const phone = `1990${String(++k).padStart(7, "0")}`;
      schoolAdmin.set(s.code, { id, phone });
      users.push(line(id, `sa${s.code}`, `${s.name}管理员`, phone, "信息技术", null, s.id, s.path, hash, false, null, null));
      roles.push(line(id, "SCHOOL_ADMIN", s.id));
    }
    const countyReviewer = new Map<number, number>();
    for (const c of counties.values()) {
      const id = nextUser++;
      countyReviewer.set(c.id, id);
      users.push(line(id, `cr${c.code}`, `${c.name}审核员`, `1980${c.code.slice(0, 6)}1`, null, null, c.id, c.path, hash, false, null, null));
      roles.push(line(id, "COUNTY_REVIEWER", c.id));
    }
    const cityReviewer = new Map<number, number>();
    for (const c of cities) {
      const id = nextUser++;
      cityReviewer.set(c.id, id);
      users.push(line(id, `cy${c.code}`, `${c.name}审核员`, `1970${c.code.slice(0, 6)}1`, null, null, c.id, c.path, hash, false, null, null));
      roles.push(line(id, "CITY_REVIEWER", c.id));
    }
    const schoolList = [...schools.values()];
    for (let e = 1; e <= 30; e++) {
      const id = nextUser++;
      const home = schoolList[(e * 7919) % schoolList.length]!;
      users.push(line(id, `ex${String(e).padStart(3, "0")}`, `评审专家${e}`, null, null, null, home.id, home.path, hash, false, null, null));
      roles.push(line(id, "EXPERT", province.id));
    }
    await client.query("BEGIN");
    const nUsers = await copyInto(client, "app_user", "id, account, name, phone, subject, stage, home_unit_id, unit_path, password_hash, locked, locked_reason, locked_at", users);
    await client.query(`SELECT setval(pg_get_serial_sequence('app_user', 'id'), (SELECT max(id) FROM app_user))`);
    await client.query("COMMIT");
    users.length = 0;
    step(`accounts (${nUsers})`);
    // Role ids in a fixed order; the TEACHER grants add the teachers to the unit statistics
    // (trigger stats_on_role, one statement).
    await client.query("BEGIN");
    const nRoles = await copyInto(client, "role_assignment", "user_id, role, unit_id", roles);
    await client.query("COMMIT");
    roles.length = 0;
    step(`role assignments (${nRoles})`);

    // 4. A year of activity: per account-day-rule rows and the month and year totals they sum to.
    // Generated twice with the same seed (the rows, then their totals): nothing is held in memory.
    const activity = (kind: "daily" | "total") => activityRows(o, teachers, kind);
    await client.query("BEGIN");
    const nDaily = await copyInto(client, "activity_daily", "account, day, rule, year, month, points, mobile_points, user_id, school_id, county_id, city_id, unit_path", activity("daily"));
    await client.query("COMMIT");
    step(`activity_daily (${nDaily})`);
    // The statement-level trigger adds these totals to the per-unit statistics.
    await client.query("BEGIN");
    const nTotals = await copyInto(client, "activity_total", "account, period, points, mobile_points, rule_points, user_id, school_id, county_id, city_id, unit_path", activity("total"));
    await client.query("COMMIT");
    step(`activity_total (${nTotals})`);
    await client.query(`ANALYZE`);

    // 5. Applications through the pipeline.
    const appStats = await buildApplications(server, db, o, { teachers, schools: schoolList, schoolAdmin, countyReviewer, cityReviewer, counties: [...counties.values()] });
    step(`applications (${appStats.applications}, ${appStats.transitions} transitions, ${appStats.quotaRefusals} quota refusals)`);

    await client.query(`ANALYZE`);
    step("analyze");
    const counts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) counts[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    const states: Record<string, number> = {};
    for (const r of (await client.query(`SELECT state, count(*)::int AS n FROM application GROUP BY 1 ORDER BY 2 DESC, 1`)).rows) states[r.state] = r.n;
    return { counts, states, seconds };
  } finally {
    await client.query(`ALTER DATABASE "${dbName}" RESET synchronous_commit`).catch(() => undefined);
    await client.end();
    await db.close();
  }
}

/**
 * A year of activity of the teachers (85% active at all; active days exponentially distributed
 * around `activeDays`, fewer in the winter and summer holidays): per active day a login point and
 * sometimes another rule's points, as activity_daily rows ("daily") or their month and year
 * totals ("total"), as COPY lines. The same options give the same rows in both passes.
 */
function* activityRows(o: ProvinceOptions, teachers: { id: number; account: string; school: Unit }[], kind: "daily" | "total"): Generator<string> {
  const actRand = rng(o.seed * 31 + 2);
  const daysInYear = (Date.UTC(o.year + 1, 0, 1) - Date.UTC(o.year, 0, 1)) / 86_400_000;
  const dayOf = (d: number) => new Date(Date.UTC(o.year, 0, 1) + d * 86_400_000);
  for (const t of teachers) {
    if (actRand() < 0.15) continue; // never active this year
    const n = Math.min(200, Math.max(1, Math.round(-Math.log(1 - actRand() * 0.999) * o.activeDays)));
    const days = new Set<number>();
    while (days.size < n) {
      const d = Math.floor(actRand() * daysInYear);
      const m = dayOf(d).getUTCMonth();
      if ((m === 1 || m === 6 || m === 7) && actRand() < 0.6) continue; // holidays are quieter
      days.add(d);
    }
    const month = new Map<number, { p: number; m: number; rp: number[] }>();
    const yearT = { p: 0, m: 0, rp: RULES.map(() => 0) };
    const s = t.school;
    for (const d of [...days].sort((a, b) => a - b)) {
      const date = dayOf(d);
      const mo = date.getUTCMonth() + 1;
      const iso = date.toISOString().slice(0, 10);
      const rows: [number, number, boolean][] = [[0, 1, false]];
      if (actRand() < 0.35) {
        const x = EXTRAS[Math.floor(actRand() * EXTRAS.length)]!;
        rows.push(x);
      }
      const mt = month.get(mo) ?? { p: 0, m: 0, rp: RULES.map(() => 0) };
      month.set(mo, mt);
      for (const [rule, points, mobile] of rows) {
        const mp = mobile ? points : 0;
        if (kind === "daily") yield (line(t.account, iso, RULES[rule], o.year, mo, points, mp, t.id, s.id, s.county_id, s.city_id, s.path));
        for (const acc of [mt, yearT]) {
          acc.p += points;
          acc.m += mp;
          acc.rp[rule]! += points;
        }
      }
    }
    if (kind === "daily") continue;
    const total = (period: string, a: { p: number; m: number; rp: number[] }) =>
      line(t.account, period, a.p, a.m, `{${a.rp.join(",")}}`, t.id, s.id, s.county_id, s.city_id, s.path);
    for (const [mo, a] of [...month].sort((x, y) => x[0] - y[0])) yield total(`${o.year}-${String(mo).padStart(2, "0")}`, a);
    yield total(String(o.year), yearT);
  }
}

export const COUNTED_TABLES = [
  "org_unit", "app_user", "role_assignment", "activity_daily", "activity_total", "stats_unit_roster", "stats_unit_period",
  "application", "application_revision", "review_action", "quota_usage", "quota_place", "notification",
];

type Step = PipelineAction & { by: "APPLICANT" | "COUNTY" | "CITY" | "PROVINCE" };

/**
 * The target state of each application, by weight, as the steps that lead there (applicant
 * steps and the reviewer of the level the application waits at).
 */
function planFor(rand: () => number, levels: string[]): Step[] {
  const submit: Step = { type: "submit", by: "APPLICANT" };
  const reviewers = levels.filter((l) => l !== "PROVINCE") as ("COUNTY" | "CITY")[];
  const up = (n: number): Step[] => reviewers.slice(0, n).map((l) => ({ type: "recommend", comment: "同意推荐。", by: l }));
  const toProvince = up(reviewers.length);
  const x = rand();
  const pendingDepth = 1 + Math.floor(rand() * Math.max(1, reviewers.length - 1));
  const at = (n: number) => (reviewers[n] ?? "PROVINCE") as Step["by"];
  if (x < 0.1) return []; // DRAFT
  if (x < 0.28) return [submit]; // SUBMITTED
  if (x < 0.4) return [submit, ...up(Math.min(pendingDepth, reviewers.length - 1))]; // PENDING (or SUBMITTED with one level)
  if (x < 0.48) return [submit, ...toProvince]; // AT_PROVINCE
  if (x < 0.52) return [submit, ...toProvince, { type: "startExpertReview", by: "PROVINCE" }];
  if (x < 0.55) return [submit, ...toProvince, { type: "startExpertReview", by: "PROVINCE" }, { type: "finalize", grade: ["一等", "二等", "三等"][Math.floor(rand() * 3)]!, by: "PROVINCE" }];
  if (x < 0.58) return [submit, ...toProvince, { type: "startExpertReview", by: "PROVINCE" }, { type: "notSelect", comment: "综合评分未达入选等次。", by: "PROVINCE" }];
  if (x < 0.66) return [submit, { type: "return", comment: "请补充空间应用成效的具体数据。", by: at(0) }]; // RETURNED
  if (x < 0.72) {
    // returned once, resubmitted (revision 2), sometimes recommended again
    const again = rand() < 0.5 ? up(1) : [];
    return [submit, { type: "return", comment: "案例“实施过程”部分过于简略，请补充。", by: at(0) }, { type: "resubmit", by: "APPLICANT" }, ...again];
  }
  if (x < 0.8) {
    const depth = Math.floor(rand() * (reviewers.length + 1));
    return [submit, ...up(depth), { type: "reject", reason: "申报材料与活动要求不符。", by: at(depth) }]; // REJECTED
  }
  if (x < 0.85) return rand() < 0.5 ? [{ type: "withdraw", comment: "个人原因撤回。", by: "APPLICANT" }] : [submit, { type: "withdraw", comment: "个人原因撤回。", by: "APPLICANT" }];
  if (x < 0.87) return [submit, ...toProvince, { type: "disqualify", reason: "经核查，案例存在抄袭。", by: "PROVINCE" }]; // DISQUALIFIED
  if (x < 0.9 && reviewers.length >= 1) return [submit, ...up(1), { type: "withdrawRecommendation", comment: "推荐有误，撤回重审。", by: reviewers[0]! }];
  return [submit]; // SUBMITTED
}

interface People {
  teachers: { id: number; account: string; phone: string | null; school: Unit; locked: boolean }[];
  schools: (Unit & { name: string })[];
  schoolAdmin: Map<string, { id: number; phone: string }>;
  countyReviewer: Map<number, number>;
  cityReviewer: Map<number, number>;
  counties: (Unit & { name: string })[];
}

async function buildApplications(server: ServerModules, db: Db, o: ProvinceOptions, p: People) {
  const { demoCampaignId, loadCampaign, unitKey, demoCase, insertApplication, applyTransition } = server;
  const rand = rng(o.seed * 31 + 3);
  const campaignId = (await demoCampaignId(db))!;
  const c: LoadedCampaign = (await loadCampaign(db, campaignId))!;
  const codes = new Map<number, string>();
  for (const r of await db.rows<{ id: string; code: string | null }>(`SELECT id, code FROM org_unit WHERE kind IN ('PROVINCE','CITY','COUNTY')`)) codes.set(Number(r.id), r.code!);
  const admin = (await db.one<{ user_id: string; unit_id: string }>(
    `SELECT r.user_id, r.unit_id FROM role_assignment r JOIN app_user u ON u.id = r.user_id WHERE u.account = 'prov_admin' AND r.role = 'PROVINCE_ADMIN'`,
  ))!;
  const province: PipelineActor = { userId: String(admin.user_id), role: "PROVINCE_ADMIN", unitId: String(admin.unit_id), unitKey: codes.get(Number(admin.unit_id))! };

  // Who applies: teachers with a bound mobile (teaching and lecturer spaces), school admins for
  // their school, county reviewers for their county; each at most once per category.
  const region = Math.min(p.counties.length, o.regions ?? Math.round(o.applications * 0.005));
  const school = Math.min(p.schools.length, Math.round(o.applications * 0.1));
  const applicants: { kind: "TEACHER" | "SCHOOL" | "REGION"; category: string; userId: number; unitId: number; unit: Unit; mobile: string | null; name: string }[] = [];
  const pickDistinct = <T,>(list: T[], n: number): T[] => {
    const idx = list.map((_, i) => i);
    for (let i = 0; i < Math.min(n, idx.length); i++) {
      const j = i + Math.floor(rand() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    return idx.slice(0, n).map((i) => list[i]!);
  };
  // The demo seed already filed some applications in this campaign (a county's regional one, a
  // school's, teachers'); one per applicant and category, so those applicants are left out.
  const taken = new Set(
    (
      await db.rows<{ kind: string; category_code: string; applicant_user_id: string; applicant_unit_id: string }>(
        `SELECT applicant_kind AS kind, category_code, applicant_user_id, applicant_unit_id FROM application WHERE campaign_id = $1`,
        [campaignId],
      )
    ).map((r) => (r.kind === "TEACHER" ? `user:${r.applicant_user_id}` : `${r.kind}:${r.applicant_unit_id}`)),
  );
  const counties = p.counties.filter((c) => !taken.has(`REGION:${c.id}`));
  const schools = p.schools.filter((s) => !taken.has(`SCHOOL:${s.id}`));
  for (const cty of pickDistinct(counties, Math.min(region, counties.length))) {
    applicants.push({ kind: "REGION", category: "REGION", userId: p.countyReviewer.get(cty.id)!, unitId: cty.id, unit: cty, mobile: `1980${cty.code.slice(0, 6)}1`, name: cty.name });
  }
  for (const s of pickDistinct(schools, Math.min(school, schools.length))) {
    const a = p.schoolAdmin.get(s.code)!;
    applicants.push({ kind: "SCHOOL", category: "SCHOOL", userId: a.id, unitId: s.id, unit: s, mobile: a.phone, name: s.name });
  }
  const eligible = p.teachers.filter((t) => t.phone && !t.locked && !taken.has(`user:${t.id}`));
  for (const t of pickDistinct(eligible, o.applications - applicants.length)) {
    applicants.push({ kind: "TEACHER", category: rand() < 0.7 ? "TEACHING_SPACE" : "LECTURER_SPACE", userId: t.id, unitId: t.school.id, unit: t.school, mobile: t.phone, name: t.account });
  }
  // Interleave the kinds (the order ids are given in).
  const order = pickDistinct(applicants, applicants.length);

  const actorFor = (by: Step["by"], a: (typeof applicants)[number], row: ApplicationRow): PipelineActor => {
    if (by === "PROVINCE") return province;
    if (by === "COUNTY") return { userId: String(p.countyReviewer.get(Number(row.county_id))), role: "COUNTY_REVIEWER", unitId: String(row.county_id), unitKey: codes.get(Number(row.county_id))! };
    if (by === "CITY") return { userId: String(p.cityReviewer.get(Number(row.city_id))), role: "CITY_REVIEWER", unitId: String(row.city_id), unitKey: codes.get(Number(row.city_id))! };
    const role = a.kind === "TEACHER" ? "TEACHER" : a.kind === "SCHOOL" ? "SCHOOL_ADMIN" : "COUNTY_REVIEWER";
    return { userId: String(a.userId), role, unitId: String(a.unitId), unitKey: unitKey({ id: a.unitId, code: a.unit.code }) };
  };

  let transitions = 0;
  let quotaRefusals = 0;
  /** Buckets found full: later plans stop before recommending there (saves a rolled-back try). */
  const full = new Set<string>();
  let n = 0;
  for (const a of order) {
    const caseSubject = a.kind === "TEACHER" ? "学科" : a.kind === "SCHOOL" ? "学校" : "区域";
    const title = `${a.name.slice(0, 20)}的空间建设与应用（${a.category === "LECTURER_SPACE" ? "讲师团" : caseSubject}）`;
    let plan: Step[] | null = null;
    for (let attempt = 0; ; attempt++) {
      let failedAt = -1;
      try {
        await db.tx(async (tx: Tx) => {
          let row = await insertApplication(tx, { campaign: c, categoryCode: a.category, userId: String(a.userId), unitId: String(a.unitId) });
          if (!plan) {
            plan = planFor(rand, row.levels);
            // Stop before a level whose places are known to be gone.
            const cut = plan.findIndex((s) => s.type === "recommend" && full.has(`${a.category}/${s.by}/${a.unit.county_id}/${a.unit.city_id}`));
            if (cut >= 0) plan = plan.slice(0, cut);
          }
          const draft = (await tx.one<{ form: ApplicationFormData }>(`SELECT form FROM application WHERE id = $1`, [row.id]))!.form;
          const form: ApplicationFormData = {
            ...draft,
            stage: a.kind === "REGION" ? "CROSS_STAGE" : a.kind === "SCHOOL" ? "PRIMARY" : (draft.stage ?? "PRIMARY"),
            jobTitle: a.kind === "TEACHER" ? "教师" : a.kind === "SCHOOL" ? "副校长" : "教育技术中心主任",
            mobile: a.mobile ?? draft.mobile,
            spaceUrl: `https://u${a.userId}.zjer.cn/`,
            case: demoCase(title, `${draft.unitName ?? ""}`, caseSubject),
            newsLinks: [],
          };
          await tx.exec(`UPDATE application SET form = $2, title = $3 WHERE id = $1`, [row.id, JSON.stringify(form), title]);
          for (let i = 0; i < plan.length; i++) {
            const s = plan[i]!;
            failedAt = i;
            const { by: _by, ...action } = s;
            // (Re)submissions accept the current 参赛须知, as the applicant does in the wizard.
            row = (await applyTransition(tx, row, action as PipelineAction, actorFor(s.by, a, row), { campaign: c, consentVersion: CURRENT_CONSENT_VERSION })).row;
          }
          failedAt = -1;
        });
        transitions += plan!.length;
        break;
      } catch (e) {
        const code = (e as { code?: string }).code;
        const step = failedAt >= 0 ? plan![failedAt]! : null;
        if (code === "QUOTA_EXCEEDED" && step && attempt < 3) {
          // The level's places are gone: this one stays waiting there, or is returned.
          quotaRefusals++;
          full.add(`${a.category}/${step.by}/${a.unit.county_id}/${a.unit.city_id}`);
          plan = plan!.slice(0, failedAt);
          continue;
        }
        throw new Error(`application ${n} (${a.kind} ${a.category}, step ${failedAt} ${step ? step.type : ""}): ${(e as Error).message}`);
      }
    }
    n++;
    if (n % 1000 === 0) o.log?.(`  ${n} applications`);
  }
  return { applications: n, transitions, quotaRefusals };
}

/**
 * One checksum per table over the columns that do not depend on the wall clock or on random
 * salts (timestamps and password hashes are left out), in a fixed order.
 */
export async function rowChecksums(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q: Record<string, string> = {
      org_unit: `SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit ORDER BY id`,
      app_user: `SELECT id, account, name, phone, subject, stage, home_unit_id, unit_path, locked, locked_reason FROM app_user ORDER BY id`,
      role_assignment: `SELECT id, user_id, role, unit_id FROM role_assignment ORDER BY id`,
      activity_daily: `SELECT * FROM activity_daily ORDER BY account, day, rule`,
      activity_total: `SELECT * FROM activity_total ORDER BY account, period`,
      stats_unit_roster: `SELECT * FROM stats_unit_roster ORDER BY unit_id, unit_path`,
      stats_unit_period: `SELECT * FROM stats_unit_period ORDER BY unit_id, period, unit_path`,
      application: `SELECT id, campaign_id, category_code, applicant_kind, applicant_user_id, applicant_unit_id, city_id, county_id, school_id, unit_path, levels, state, current_level, revision, version, grade, title, form FROM application ORDER BY id`,
      application_revision: `SELECT application_id, revision, form, submitted_by FROM application_revision ORDER BY application_id, revision`,
      review_action: `SELECT id, application_id, revision, action, from_state, from_level, to_state, to_level, level, actor_user_id, actor_role, actor_unit_id, comment, grade FROM review_action ORDER BY id`,
      quota_usage: `SELECT campaign_id, bucket_key, category_code, level, scope, unit_id, base_cap, cap, used FROM quota_usage ORDER BY campaign_id, bucket_key`,
      quota_place: `SELECT id, bucket_key, application_id, level, revision, taken_by_action, released_by_action, released_at IS NULL AS held FROM quota_place ORDER BY id`,
      notification: `SELECT id, user_id, kind, application_id FROM notification ORDER BY id`,
    };
    const out: Record<string, string> = {};
    for (const [table, sql] of Object.entries(q)) {
      out[table] = (await client.query(`SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '')), '') AS h FROM (${sql}) t`)).rows[0].h;
    }
    return out;
  } finally {
    await client.end();
  }
}
