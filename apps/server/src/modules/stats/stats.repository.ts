import { DEFAULT_RULE_SET } from "@zjh/domain/activity/index";
import type { Db, Sql } from "../../db/data-source.js";
import type { UnitRow } from "../auth/authorize.js";
import type { Period } from "../activity/utils/period.util.js";
import { afterSql, keyColumns, orderBySql, sortTerms, type SortTerm } from "../../common/sort.js";
import { fill, sqlQueries } from "../../db/repository.js";
import { ACTIVITY_UNIT_STATS_THRESHOLDS } from "./stats-threshold.repository.js";
import type { SchoolRankingSortField, TeacherActivitySortField } from "./stats.types.js";

/**
 * The statistics queries (SQL only; authorization and GraphQL mapping are in stats.service.ts).
 * They read the per-account period totals (activity_total), never raw events. The population is
 * the roster: users with the TEACHER role whose home unit is in the unit's subtree. Locked
 * teachers are left out (they keep their history), teachers without points count with 0, and
 * accounts with no user here belong to no unit. Above a school, unit figures are read from the
 * per-home-unit aggregates that triggers keep equal to the roster (see `perUnit`); the teacher
 * lists always read the roster.
 */

const RULES = DEFAULT_RULE_SET;

export const queries = sqlQueries({
  /** Per home unit of the roster, from the per-unit aggregates; then $3 overall target, $4 active percent. */
  perUnitFromAggregates: `
  per_unit AS (
    SELECT r.unit_id,
           sum(r.teachers)::int AS teachers,
           sum(r.locked)::int AS locked,
           coalesce(sum(a.points), 0)::float8 AS points,
           coalesce(sum(a.mobile), 0)::float8 AS mobile,
           coalesce(sum(a.active), 0)::int AS active,
           coalesce(sum(a.meeting), 0)::int AS meeting
      FROM stats_unit_roster r
      LEFT JOIN stats_unit_period a ON a.unit_id = r.unit_id AND a.unit_path = r.unit_path AND a.period = $2
     WHERE r.unit_path LIKE $1
     GROUP BY r.unit_id
  )`,
  /** Per home unit of the roster, read directly; $3 active minimum, $4 teacher target, then $5, $6 of schoolMet. */
  perUnitFromRoster: `
  per_unit AS (
    SELECT u.home_unit_id AS unit_id,
           count(*) FILTER (WHERE NOT u.locked)::int AS teachers,
           count(*) FILTER (WHERE u.locked)::int AS locked,
           coalesce(sum(a.points) FILTER (WHERE NOT u.locked), 0)::float8 AS points,
           coalesce(sum(a.mobile_points) FILTER (WHERE NOT u.locked), 0)::float8 AS mobile,
           count(*) FILTER (WHERE NOT u.locked AND coalesce(a.points, 0) >= $3::float8)::int AS active,
           count(*) FILTER (WHERE NOT u.locked AND coalesce(a.points, 0) >= $4::float8)::int AS meeting
      FROM app_user u
      LEFT JOIN activity_total a ON a.account = u.account AND a.period = $2
     WHERE u.unit_path LIKE $1
       AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
     GROUP BY u.home_unit_id
  )`,
  /** {overall}, {activePercent}: the parameters of the school target. */
  schoolMet: `(p.teachers > 0 AND p.points >= {overall}::float8 * p.teachers AND p.active * 100 >= {activePercent}::float8 * p.teachers)`,
  aggregate: `WITH {perUnit}
     SELECT {key} AS key,
            sum(p.teachers)::int AS teachers, sum(p.locked)::int AS locked, sum(p.points)::float8 AS points,
            sum(p.mobile)::float8 AS mobile, sum(p.active)::int AS active, sum(p.meeting)::int AS meeting,
            count(*) FILTER (WHERE o.kind IN ('SCHOOL','PRACTICE_BASE') AND p.teachers > 0)::int AS schools,
            count(*) FILTER (WHERE o.kind IN ('SCHOOL','PRACTICE_BASE') AND {schoolMet})::int AS schools_meeting
       FROM per_unit p JOIN org_unit o ON o.id = p.unit_id
      GROUP BY 1`,
  /** The key of aggregate by child unit ({part}: the child's path part). */
  aggregateByChild: `split_part(o.path, '/', {part})`,
  aggregateWhole: `''`,
  ranking: `WITH {perUnit},
          ranked AS (
            SELECT o.id, o.name, o.code, o.kind, o.county_id, o.city_id, p.teachers, p.points, p.active, p.meeting,
                   {schoolMet} AS met,
                   rank() OVER (ORDER BY p.points / p.teachers DESC) AS rank
              FROM per_unit p JOIN org_unit o ON o.id = p.unit_id
             WHERE o.kind IN ('SCHOOL','PRACTICE_BASE') AND p.teachers > 0
          )
          SELECT r.rank::text AS rank, count(*) OVER ()::text AS total, r.id::text AS id, r.name, r.code, r.kind,
                 co.name AS county_name, ci.name AS city_name, r.teachers, r.points, r.active, r.meeting, r.met
            FROM ranked r LEFT JOIN org_unit co ON co.id = r.county_id LEFT JOIN org_unit ci ON ci.id = r.city_id
           {belowTarget}
           ORDER BY {order}
           {paging}`,
  rankingBelowTarget: `WHERE NOT r.met`,
  paging: `OFFSET {offset} LIMIT {limit}`,
  rankedCount: `SELECT count(*)::int AS n FROM ({ranking}) x`,
  /** Unlocked teachers of the scope with their points; $1 scope, $2 period, $3 teacher target. */
  teachers: `SELECT u.id::text AS id, u.account, u.name, o.id::text AS unit_id, o.name AS unit_name,
                 coalesce(a.points, 0) AS points, coalesce(a.mobile_points, 0) AS mobile, $3::float8 AS target
            FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id
            LEFT JOIN activity_total a ON a.account = u.account AND a.period = $2
           WHERE u.unit_path LIKE $1 AND NOT u.locked
             AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
             {belowTarget} {extra}`,
  teachersBelowTarget: `AND coalesce(a.points, 0) < $3::float8`,
  /** $4: home unit ids. */
  teachersOfHomes: `AND u.home_unit_id = ANY($4::bigint[])`,
  teachersPage: `SELECT * FROM ({teachers}) x ORDER BY {order} OFFSET {offset} LIMIT {limit}`,
  teacherCount: `SELECT count(*)::int AS n FROM ({teachers}) x`,
  teachersKeyset: `SELECT x.*, {keys} FROM ({teachers}) x
          {after}
          ORDER BY {order} LIMIT {limit}`,
  teacherHomes: `SELECT DISTINCT o.id::text AS id, o.path FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id
      WHERE u.unit_path LIKE $1 AND NOT u.locked ORDER BY o.path`,
  /** {direction}: ASC below target, else DESC. */
  teachersByHome: `SELECT x.* FROM ({teachers}) x
         JOIN org_unit o ON o.id = x.unit_id::bigint ORDER BY o.path, x.points {direction}, x.account`,
  childUnits: `SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit WHERE parent_id = $1 ORDER BY code NULLS LAST, name, id`,
  periodsOfAccount: `SELECT period FROM activity_total WHERE account = $1 AND points <> 0 ORDER BY period DESC`,
  periodsOfScope: `WITH RECURSIVE p(period) AS (
            SELECT max(period) FROM activity_total
            UNION ALL
            SELECT (SELECT max(t.period) FROM activity_total t WHERE t.period < p.period) FROM p WHERE p.period IS NOT NULL
          )
          SELECT p.period FROM p
           WHERE p.period IS NOT NULL
             AND EXISTS (SELECT 1 FROM activity_total a WHERE a.period = p.period AND a.unit_path LIKE $1 AND a.points <> 0)
           ORDER BY p.period DESC`,
  /** Sort keys of the school lists, over the ranked rows `r`. */
  schoolByRank: `r.rank`,
  schoolByMean: `r.points / r.teachers`,
  schoolByName: `r.name COLLATE "C"`,
  schoolByTeachers: `r.teachers`,
  schoolByActive: `r.active`,
  schoolByActiveRatio: `r.active::float8 / r.teachers`,
  schoolByPoints: `r.points`,
  schoolByShareMeeting: `r.meeting::float8 / r.teachers`,
  schoolByCode: `r.code COLLATE "C"`,
  schoolById: `r.id`,
  /** Sort keys of the teacher lists, over the rows `x` of teachers. */
  teacherByPoints: `x.points`,
  teacherByMobile: `x.mobile`,
  teacherByName: `x.name COLLATE "C"`,
  teacherByAccount: `x.account COLLATE "C"`,
  teacherBySchool: `x.unit_name COLLATE "C"`,
  teacherBySchoolId: `x.unit_id::bigint`,
});


export interface Targets {
  /** A teacher meets the period's target with at least this many points. */
  teacher: number;
  /** A school (or any unit) meets the overall-activity target with a mean of at least this. */
  overall: number;
  /** Percent of active spaces a school needs. */
  activePercent: number;
  /** Points that make a space active. */
  activeMin: number;
}

/** A month's overall-activity target is the yearly one scaled like the teacher targets (300 → 30). */
export function targetsOf(p: Period): Targets {
  const t = RULES.targets;
  return {
    teacher: p.kind === "month" ? t.teacherMonthly : t.teacherYearly,
    overall: p.kind === "month" ? (t.schoolYearlyMean * t.teacherMonthly) / t.teacherYearly : t.schoolYearlyMean,
    activePercent: t.schoolActivePercent,
    activeMin: t.activeMinPoints,
  };
}

export { ACTIVITY_UNIT_STATS_THRESHOLDS, syncUnitStatsThresholds, type UnitStatsThresholds } from "./stats-threshold.repository.js";

/**
 * Whether a scope's statistics read the per-unit aggregates: every scope above a school (region,
 * city, county, district), when the targets are those the aggregates were counted with. A
 * school's own statistics read its roster directly (a few dozen teachers).
 */
export function readsAggregates(unit: UnitRow, p: Period, t: Targets): boolean {
  const a = ACTIVITY_UNIT_STATS_THRESHOLDS;
  return (
    unit.kind !== "SCHOOL" &&
    unit.kind !== "PRACTICE_BASE" &&
    t.activeMin === a.activeMin &&
    t.teacher === (p.kind === "month" ? a.teacherMonthly : a.teacherYearly)
  );
}

/**
 * Per home unit of the roster: unlocked and locked teachers, points, active and target-meeting
 * teachers, as the CTE `per_unit`, and its parameters ($1 scope path pattern, $2 period key, then
 * the school target's two parameters, whose numbers `schoolMet` takes).
 *
 * Directly from the roster: app_user with TEACHER joined to the period totals ($3 active minimum,
 * $4 teacher target). From the aggregates: the per-unit rows maintained by the triggers of
 * migration ActivityUnitStats (same figures; teachers without a total count in the roster row
 * only).
 */
function perUnit(unit: UnitRow, p: Period, t: Targets, roster = false): { cte: string; params: unknown[]; met: number } {
  if (!roster && readsAggregates(unit, p, t)) {
    return { cte: queries.perUnitFromAggregates, params: [unit.path + "%", p.key, t.overall, t.activePercent], met: 3 };
  }
  return { cte: queries.perUnitFromRoster, params: [unit.path + "%", p.key, t.activeMin, t.teacher, t.overall, t.activePercent], met: 5 };
}

/** A school meets the target: $n overall target, $n+1 active percent (integer arithmetic, as the domain does). */
function schoolMet(n: number): string {
  return fill(queries.schoolMet, { overall: `$${n}`, activePercent: `$${n + 1}` });
}

export interface AggRow {
  key: string;
  teachers: number;
  locked: number;
  points: number;
  mobile: number;
  active: number;
  meeting: number;
  schools: number;
  schools_meeting: number;
}

/**
 * Aggregates of the unit's subtree, as one row, or one row per child unit (keyed by child id).
 * `roster` reads the roster directly whatever the scope (the benchmark compares the two).
 */
export async function aggregate(sql: Sql, unit: UnitRow, p: Period, t: Targets, byChild: boolean, roster = false): Promise<AggRow[]> {
  const key = byChild ? fill(queries.aggregateByChild, { part: Number(unit.depth) + 3 }) : queries.aggregateWhole;
  const pu = perUnit(unit, p, t, roster);
  return sql.rows<AggRow>(fill(queries.aggregate, { perUnit: pu.cte, key, schoolMet: schoolMet(pu.met) }), pu.params);
}

export interface RankRow {
  rank: string;
  total: string;
  id: string;
  name: string;
  code: string | null;
  kind: string;
  county_name: string | null;
  city_name: string | null;
  teachers: number;
  points: number;
  active: number;
  meeting: number;
  met: boolean;
}

/** Sort keys of the school lists, as SQL over the ranked rows `r` (fixed text: input never reaches it). */
const SCHOOL_SORT: Record<SchoolRankingSortField, readonly string[]> = {
  rank: [queries.schoolByRank],
  meanPoints: [queries.schoolByMean],
  name: [queries.schoolByName],
  teachers: [queries.schoolByTeachers],
  activeTeachers: [queries.schoolByActive],
  activeRatio: [queries.schoolByActiveRatio],
  totalPoints: [queries.schoolByPoints],
  shareMeetingTarget: [queries.schoolByShareMeeting],
};
/** Schools with equal keys: by code (codes are unique; schools without one last), then id. */
const SCHOOL_TIES: readonly SortTerm[] = [{ sql: queries.schoolByCode, desc: false }, { sql: queries.schoolById, desc: false }];

export interface SchoolSort {
  sort: SchoolRankingSortField;
  desc: boolean;
}

/** The ranking's own order (rank 1 first), and the below-target list's (lowest first). */
export function defaultSchoolSort(belowTarget: boolean): SchoolSort {
  return { sort: "rank" as SchoolRankingSortField, desc: belowTarget };
}

/**
 * Schools (and practice bases) with at least one unlocked teacher in the scope, ranked by overall
 * activity (mean points of unlocked teachers), highest first; equal means share a rank (1, 2, 2, 4).
 * `belowTarget` keeps only schools missing the school target, with their rank in the full ranking.
 * The rows come in `sort` order (default: by rank; below target, lowest first); the rank is
 * always the one by overall activity, whatever the order.
 */
export function rankingQuery(
  unit: UnitRow,
  p: Period,
  t: Targets,
  opts: { belowTarget: boolean; page?: { offset: number; limit: number }; sort?: SchoolSort; roster?: boolean },
) {
  const paging = opts.page ? fill(queries.paging, { offset: opts.page.offset, limit: opts.page.limit }) : "";
  const sort = opts.sort ?? defaultSchoolSort(opts.belowTarget);
  const pu = perUnit(unit, p, t, opts.roster);
  return {
    sql: fill(queries.ranking, {
      perUnit: pu.cte,
      schoolMet: schoolMet(pu.met),
      belowTarget: opts.belowTarget ? queries.rankingBelowTarget : "",
      order: orderBySql(sortTerms(SCHOOL_SORT, sort.sort, sort.desc, SCHOOL_TIES)),
      paging,
    }),
    params: pu.params,
  };
}

/** The ranked schools of `rankingQuery`, in its order. */
export function rankedSchools(sql: Sql, unit: UnitRow, p: Period, t: Targets, opts: Parameters<typeof rankingQuery>[3]): Promise<RankRow[]> {
  const q = rankingQuery(unit, p, t, opts);
  return sql.rows<RankRow>(q.sql, q.params);
}

/** How many schools `rankingQuery` ranks (without paging). */
export async function rankedCount(sql: Sql, unit: UnitRow, p: Period, t: Targets, belowTarget: boolean): Promise<number> {
  const q = rankingQuery(unit, p, t, { belowTarget });
  const r = await sql.one<{ n: number }>(fill(queries.rankedCount, { ranking: q.sql }), q.params);
  return r?.n ?? 0;
}

export interface TeacherRow {
  id: string;
  account: string;
  name: string;
  unit_id: string;
  unit_name: string;
  points: number;
  mobile: number;
  total?: string;
}

/** Sort keys of the teacher lists, as SQL over the rows `x` of teacherQuery (fixed text). */
const TEACHER_SORT: Record<TeacherActivitySortField, readonly string[]> = {
  points: [queries.teacherByPoints],
  mobile: [queries.teacherByMobile],
  name: [queries.teacherByName],
  account: [queries.teacherByAccount],
  school: [queries.teacherBySchool, queries.teacherBySchoolId],
};
/** Teachers with equal keys: by account (unique). */
const TEACHER_TIES: readonly SortTerm[] = [{ sql: queries.teacherByAccount, desc: false }];

export interface TeacherSort {
  sort: TeacherActivitySortField;
  desc: boolean;
}

/** Most points first; below target, fewest first. */
export function defaultTeacherSort(belowTarget: boolean): TeacherSort {
  return { sort: "points" as TeacherActivitySortField, desc: !belowTarget };
}

/** The ORDER BY terms of a teacher list (keyset paging of exports uses them too). */
export function teacherSortTerms(s: TeacherSort): SortTerm[] {
  return sortTerms(TEACHER_SORT, s.sort, s.desc, TEACHER_TIES);
}

/** Unlocked teachers of the scope with their points; $1 scope, $2 period, $3 teacher target. */
export function teacherQuery(belowTarget: boolean, extra = "") {
  return fill(queries.teachers, { belowTarget: belowTarget ? queries.teachersBelowTarget : "", extra });
}

/** A page of the unlocked teachers of the scope with their points, in `sort` order. */
export function teacherPage(sql: Sql, unit: UnitRow, p: Period, t: Targets, belowTarget: boolean, sort: TeacherSort, offset: number, limit: number): Promise<TeacherRow[]> {
  const order = orderBySql(teacherSortTerms(sort));
  return sql.rows<TeacherRow>(fill(queries.teachersPage, { teachers: teacherQuery(belowTarget), order, offset, limit }), [unit.path + "%", p.key, t.teacher]);
}

export async function teacherCount(sql: Sql, unit: UnitRow, p: Period, t: Targets, belowTarget: boolean): Promise<number | undefined> {
  return (await sql.one<{ n: number }>(fill(queries.teacherCount, { teachers: teacherQuery(belowTarget) }), [unit.path + "%", p.key, t.teacher]))?.n;
}

/**
 * Up to `limit` teachers in the order of `terms`, after the row whose key values are `after`
 * (keyset paging; null: from the start), with the key columns k0, k1, … (`keyValues`).
 */
export function teacherKeysetRows(
  sql: Sql, unit: UnitRow, p: Period, t: Targets, belowTarget: boolean, terms: SortTerm[], after: unknown[] | null, limit: number,
): Promise<(TeacherRow & Record<string, unknown>)[]> {
  const base = [unit.path + "%", p.key, t.teacher];
  return sql.rows(
    fill(queries.teachersKeyset, {
      keys: keyColumns(terms),
      teachers: teacherQuery(belowTarget),
      after: after ? `WHERE ${afterSql(terms, base.length + 1)}` : "",
      order: orderBySql(terms),
      limit,
    }),
    after ? [...base, ...after] : base,
  );
}

/** The home units (ids, in path order) of the unlocked users of a scope. */
export function teacherHomes(sql: Sql, unit: UnitRow): Promise<{ id: string }[]> {
  return sql.rows<{ id: string }>(queries.teacherHomes, [unit.path + "%"]);
}

/** The teachers of the given home units, by unit path, then most points first (below target: fewest first). */
export function teachersOfHomes(sql: Sql, unit: UnitRow, p: Period, t: Targets, belowTarget: boolean, ids: string[]): Promise<(TeacherRow & { path: string })[]> {
  return sql.rows<TeacherRow & { path: string }>(
    fill(queries.teachersByHome, { teachers: teacherQuery(belowTarget, queries.teachersOfHomes), direction: belowTarget ? "ASC" : "DESC" }),
    [unit.path + "%", p.key, t.teacher, ids],
  );
}

/** The child units of a unit, in code order. */
export function childUnits(sql: Sql, unitId: string): Promise<UnitRow[]> {
  return sql.rows<UnitRow>(queries.childUnits, [unitId]);
}

/**
 * The periods ('YYYY' and 'YYYY-MM') with points, latest first: of one account ($1 account, by the
 * primary key), or of the accounts whose home unit is in a subtree ($1 scope path pattern). For a
 * scope, the distinct periods of the whole table are walked one by one down the (period, …) index
 * (a few dozen), each checked for a row of the scope, so a province-wide table is never scanned as
 * a whole.
 */
export function periodsQuery(by: "account" | "scope"): string {
  return by === "account" ? queries.periodsOfAccount : queries.periodsOfScope;
}

/** The periods with points of an account, or of a scope (`param`: the account, or the scope's path pattern). */
export function periodsWithPoints(sql: Sql, by: "account" | "scope", param: string): Promise<{ period: string }[]> {
  return sql.rows<{ period: string }>(periodsQuery(by), [param]);
}
