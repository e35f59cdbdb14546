import { DEFAULT_RULE_SET } from "@zjh/domain/activity/index";
import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import type { Sql } from "../../db/data-source.js";
import { requireActing, requirePermission, requireUnitInScope, type UnitRow } from "../auth/authorize.js";
import { Permission } from "../auth/permissions.js";
import { OrgUnit } from "../org/org.types.js";
import { parsePeriod, type Period } from "../activity/utils/period.util.js";
import { RankedSchool, TeacherActivityRow, UnitActivity } from "./stats.types.js";

/**
 * Activity statistics, always read from the per-account period totals (activity_total), never
 * from raw events. The population is the roster: users with the TEACHER role whose home unit is
 * in the unit's subtree. Locked teachers are left out (they keep their history), teachers
 * without points count with 0, and accounts with no user here belong to no unit.
 */

const RULES = DEFAULT_RULE_SET;

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

/**
 * Per home unit of the roster: unlocked and locked teachers, points, active and target-meeting
 * teachers. Parameters: $1 scope path pattern, $2 period key, $3 active minimum, $4 teacher target.
 */
const PER_UNIT = `
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
  )`;

/** A school meets the target: $5 overall target, $6 active percent (integer arithmetic, as the domain does). */
const SCHOOL_MET = `(p.teachers > 0 AND p.points >= $5::float8 * p.teachers AND p.active * 100 >= $6::float8 * p.teachers)`;

interface AggRow {
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

function baseParams(unit: UnitRow, p: Period, t: Targets): unknown[] {
  return [unit.path + "%", p.key, t.activeMin, t.teacher, t.overall, t.activePercent];
}

/** Aggregates of the unit's subtree, as one row, or one row per child unit (keyed by child id). */
async function aggregate(sql: Sql, unit: UnitRow, p: Period, t: Targets, byChild: boolean): Promise<AggRow[]> {
  const key = byChild ? `split_part(o.path, '/', ${Number(unit.depth) + 3})` : `''`;
  return sql.rows<AggRow>(
    `WITH ${PER_UNIT}
     SELECT ${key} AS key,
            sum(p.teachers)::int AS teachers, sum(p.locked)::int AS locked, sum(p.points)::float8 AS points,
            sum(p.mobile)::float8 AS mobile, sum(p.active)::int AS active, sum(p.meeting)::int AS meeting,
            count(*) FILTER (WHERE o.kind IN ('SCHOOL','PRACTICE_BASE') AND p.teachers > 0)::int AS schools,
            count(*) FILTER (WHERE o.kind IN ('SCHOOL','PRACTICE_BASE') AND ${SCHOOL_MET})::int AS schools_meeting
       FROM per_unit p JOIN org_unit o ON o.id = p.unit_id
      GROUP BY 1`,
    baseParams(unit, p, t),
  );
}

function toUnitActivity(unit: UnitRow, p: Period, t: Targets, r: AggRow | undefined): UnitActivity {
  const teachers = r?.teachers ?? 0;
  const points = r?.points ?? 0;
  const active = r?.active ?? 0;
  const meeting = r?.meeting ?? 0;
  const mobile = r?.mobile ?? 0;
  return Object.assign(new UnitActivity(), {
    unit: OrgUnit.from(unit),
    period: p.key,
    teachers,
    lockedTeachers: r?.locked ?? 0,
    activeTeachers: active,
    activeRatio: teachers ? active / teachers : 0,
    totalPoints: points,
    meanPoints: teachers ? points / teachers : 0,
    mobilePoints: mobile,
    mobileShare: points > 0 ? mobile / points : 0,
    teachersMeetingTarget: meeting,
    shareMeetingTarget: teachers ? meeting / teachers : 0,
    teacherTarget: t.teacher,
    overallTarget: t.overall,
    activeRatioTarget: t.activePercent / 100,
    targetMet: teachers > 0 && points >= t.overall * teachers && active * 100 >= t.activePercent * teachers,
    schools: r?.schools ?? 0,
    schoolsMeetingTarget: r?.schools_meeting ?? 0,
  });
}

async function scopeUnit(ctx: Ctx, unitId: string | null | undefined): Promise<UnitRow> {
  return requireUnitInScope(ctx, unitId ?? requireActing(ctx).unitId);
}

export async function unitActivity(ctx: Ctx, unitId: string | null | undefined, period: string): Promise<UnitActivity> {
  requirePermission(ctx, Permission.ActivityStats);
  const p = parsePeriod(period);
  const unit = await scopeUnit(ctx, unitId);
  const t = targetsOf(p);
  const [row] = await aggregate(ctx.db, unit, p, t, false);
  return toUnitActivity(unit, p, t, row);
}

/** One row per child unit (counties of a city, schools of a county, …), in code order. */
export async function childUnitsActivity(ctx: Ctx, unitId: string | null | undefined, period: string): Promise<UnitActivity[]> {
  requirePermission(ctx, Permission.ActivityStats);
  const p = parsePeriod(period);
  const unit = await scopeUnit(ctx, unitId);
  const t = targetsOf(p);
  const [rows, children] = await Promise.all([
    aggregate(ctx.db, unit, p, t, true),
    ctx.db.rows<UnitRow>(
      `SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit WHERE parent_id = $1 ORDER BY code NULLS LAST, name, id`,
      [unit.id],
    ),
  ]);
  const byChild = new Map(rows.map((r) => [r.key, r]));
  return children.map((c) => toUnitActivity(c, p, t, byChild.get(String(c.id))));
}

// ---------------------------------------------------------------------------------------------
// School ranking and below-target schools

interface RankRow {
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

/**
 * Schools (and practice bases) with at least one unlocked teacher in the scope, ranked by overall
 * activity (mean points of unlocked teachers), highest first; equal means share a rank (1, 2, 2, 4).
 * `belowTarget` keeps only schools missing the school target, with their rank in the full ranking.
 */
export function rankingQuery(unit: UnitRow, p: Period, t: Targets, opts: { belowTarget: boolean; page?: { offset: number; limit: number } }) {
  const paging = opts.page ? `OFFSET ${opts.page.offset} LIMIT ${opts.page.limit}` : "";
  return {
    sql: `WITH ${PER_UNIT},
          ranked AS (
            SELECT o.id, o.name, o.code, o.kind, o.county_id, o.city_id, p.teachers, p.points, p.active, p.meeting,
                   ${SCHOOL_MET} AS met,
                   rank() OVER (ORDER BY p.points / p.teachers DESC) AS rank
              FROM per_unit p JOIN org_unit o ON o.id = p.unit_id
             WHERE o.kind IN ('SCHOOL','PRACTICE_BASE') AND p.teachers > 0
          )
          SELECT r.rank::text AS rank, count(*) OVER ()::text AS total, r.id::text AS id, r.name, r.code, r.kind,
                 co.name AS county_name, ci.name AS city_name, r.teachers, r.points, r.active, r.meeting, r.met
            FROM ranked r LEFT JOIN org_unit co ON co.id = r.county_id LEFT JOIN org_unit ci ON ci.id = r.city_id
           ${opts.belowTarget ? "WHERE NOT r.met" : ""}
           ORDER BY ${opts.belowTarget ? "r.rank DESC" : "r.rank"}, r.code NULLS LAST, r.id
           ${paging}`,
    params: baseParams(unit, p, t),
  };
}

export function toRankedSchool(r: RankRow): RankedSchool {
  return Object.assign(new RankedSchool(), {
    rank: Number(r.rank),
    schoolId: r.id,
    schoolName: r.name,
    schoolCode: r.code,
    kind: r.kind,
    countyName: r.county_name,
    cityName: r.city_name,
    teachers: r.teachers,
    activeTeachers: r.active,
    activeRatio: r.active / r.teachers,
    totalPoints: r.points,
    meanPoints: r.points / r.teachers,
    teachersMeetingTarget: r.meeting,
    shareMeetingTarget: r.meeting / r.teachers,
    targetMet: r.met,
  });
}

export async function schoolRanking(
  ctx: Ctx,
  scopeUnitId: string | null | undefined,
  period: string,
  page: { offset: number; limit: number },
  belowTarget = false,
) {
  requirePermission(ctx, Permission.ActivityStats);
  const p = parsePeriod(period);
  const pg = checkPage(page);
  const unit = await scopeUnit(ctx, scopeUnitId);
  const q = rankingQuery(unit, p, targetsOf(p), { belowTarget, page: pg });
  const rows = await ctx.db.rows<RankRow>(q.sql, q.params);
  const total = rows.length ? Number(rows[0]!.total) : await countRanked(ctx.db, unit, p, belowTarget);
  return { scope: OrgUnit.from(unit), period: p.key, items: rows.map(toRankedSchool), total };
}

/** The total when the requested page is past the end. */
async function countRanked(sql: Sql, unit: UnitRow, p: Period, belowTarget: boolean): Promise<number> {
  const q = rankingQuery(unit, p, targetsOf(p), { belowTarget });
  const r = await sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM (${q.sql}) x`, q.params);
  return r?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Teachers of a unit, and those below target

interface TeacherRow {
  id: string;
  account: string;
  name: string;
  unit_id: string;
  unit_name: string;
  points: number;
  mobile: number;
  total?: string;
}

export function toTeacherRow(r: TeacherRow, t: Targets): TeacherActivityRow {
  return Object.assign(new TeacherActivityRow(), {
    userId: String(r.id),
    account: r.account,
    name: r.name,
    unitId: String(r.unit_id),
    unitName: r.unit_name,
    points: r.points,
    mobile: r.mobile,
    active: r.points >= t.activeMin,
    targetMet: r.points >= t.teacher,
  });
}

/** Unlocked teachers of the scope with their points; $1 scope, $2 period, $3 teacher target. */
export function teacherQuery(belowTarget: boolean, extra = "") {
  return `SELECT u.id::text AS id, u.account, u.name, o.id::text AS unit_id, o.name AS unit_name,
                 coalesce(a.points, 0) AS points, coalesce(a.mobile_points, 0) AS mobile, $3::float8 AS target
            FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id
            LEFT JOIN activity_total a ON a.account = u.account AND a.period = $2
           WHERE u.unit_path LIKE $1 AND NOT u.locked
             AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
             ${belowTarget ? "AND coalesce(a.points, 0) < $3::float8" : ""} ${extra}`;
}

/** Teachers of a unit (default: the acting scope) with their points, most points first; or only those below the target, fewest first. */
export async function teachersActivity(
  ctx: Ctx,
  unitId: string | null | undefined,
  period: string,
  belowTarget: boolean,
  page: { offset: number; limit: number },
) {
  requirePermission(ctx, Permission.ActivityStats);
  const p = parsePeriod(period);
  const { offset, limit } = checkPage(page);
  const unit = await scopeUnit(ctx, unitId);
  const t = targetsOf(p);
  const params = [unit.path + "%", p.key, t.teacher];
  const order = belowTarget ? "points ASC, account" : "points DESC, account";
  const [rows, count] = await Promise.all([
    ctx.db.rows<TeacherRow>(`SELECT * FROM (${teacherQuery(belowTarget)}) x ORDER BY ${order} OFFSET ${offset} LIMIT ${limit}`, params),
    ctx.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM (${teacherQuery(belowTarget)}) x`, params),
  ]);
  return { period: p.key, target: t.teacher, items: rows.map((r) => toTeacherRow(r, t)), total: count?.n ?? 0 };
}

/**
 * Every teacher row of a scope for an export, school by school (a few hundred schools per query),
 * so memory stays bounded at province scale.
 */
export async function* teacherRowsForExport(ctx: Ctx, unit: UnitRow, p: Period, belowTarget: boolean): AsyncGenerator<TeacherActivityRow> {
  const t = targetsOf(p);
  const homes = await ctx.db.rows<{ id: string }>(
    `SELECT DISTINCT o.id::text AS id, o.path FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id
      WHERE u.unit_path LIKE $1 AND NOT u.locked ORDER BY o.path`,
    [unit.path + "%"],
  );
  for (let i = 0; i < homes.length; i += 300) {
    const ids = homes.slice(i, i + 300).map((h) => h.id);
    const rows = await ctx.db.rows<TeacherRow & { path: string }>(
      `SELECT x.* FROM (${teacherQuery(belowTarget, "AND u.home_unit_id = ANY($4::bigint[])")}) x
         JOIN org_unit o ON o.id = x.unit_id::bigint ORDER BY o.path, x.points ${belowTarget ? "ASC" : "DESC"}, x.account`,
      [unit.path + "%", p.key, t.teacher, ids],
    );
    for (const r of rows) yield toTeacherRow(r, t);
  }
}
