import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import { requireActing, requirePermission, requireUnitInScope, type UnitRow } from "../auth/authorize.js";
import { Permission, roleHas } from "../auth/permissions.js";
import { OrgUnit } from "../org/org.types.js";
import { parsePeriod, type Period } from "../activity/utils/period.util.js";
import { keyValues } from "../../common/sort.js";
import {
  aggregate, childUnits, defaultSchoolSort, defaultTeacherSort, periodsWithPoints, rankedCount, rankedSchools, targetsOf, teacherCount,
  teacherHomes, teacherKeysetRows, teacherPage, teacherSortTerms, teachersOfHomes,
  type AggRow, type RankRow, type SchoolSort, type Targets, type TeacherRow, type TeacherSort,
} from "./stats.repository.js";
import { ActivityPeriods, RankedSchool, TeacherActivityRow, UnitActivity } from "./stats.types.js";

// Activity statistics for the caller's scope: authorization, then the queries of stats.repository.ts.

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
    childUnits(ctx.db, unit.id),
  ]);
  const byChild = new Map(rows.map((r) => [r.key, r]));
  return children.map((c) => toUnitActivity(c, p, t, byChild.get(String(c.id))));
}

/**
 * The years and the latest month with points, for the pages' default period: a role without
 * statistics (teacher, expert) sees only its own account (unitId is not used); the others their
 * scope, or the given unit inside it (outside: NOT_FOUND).
 */
export async function activityPeriods(ctx: Ctx, unitId: string | null | undefined): Promise<ActivityPeriods> {
  const acting = requirePermission(ctx, Permission.ActivityOwn);
  const own = !roleHas(acting.role, Permission.ActivityStats);
  const param = own ? ctx.auth!.account : (await scopeUnit(ctx, unitId)).path + "%";
  const rows = await periodsWithPoints(ctx.db, own ? "account" : "scope", param);
  const years = rows.filter((r) => r.period.length === 4).map((r) => Number(r.period));
  const latestMonth = rows.find((r) => r.period.length === 7)?.period ?? null;
  return Object.assign(new ActivityPeriods(), { years, latestMonth });
}

// ---------------------------------------------------------------------------------------------
// School ranking and below-target schools

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
  sort: SchoolSort = defaultSchoolSort(belowTarget),
) {
  requirePermission(ctx, Permission.ActivityStats);
  const p = parsePeriod(period);
  const pg = checkPage(page);
  const unit = await scopeUnit(ctx, scopeUnitId);
  const rows = await rankedSchools(ctx.db, unit, p, targetsOf(p), { belowTarget, page: pg, sort });
  // The total from the rows, or when the requested page is past the end, counted.
  const total = rows.length ? Number(rows[0]!.total) : await rankedCount(ctx.db, unit, p, targetsOf(p), belowTarget);
  return { scope: OrgUnit.from(unit), period: p.key, items: rows.map(toRankedSchool), total };
}

// ---------------------------------------------------------------------------------------------
// Teachers of a unit, and those below target

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

/**
 * Teachers of a unit (default: the acting scope) with their points, in `sort` order (default: most
 * points first; below the target, fewest first).
 */
export async function teacherActivityPage(
  ctx: Ctx,
  unitId: string | null | undefined,
  period: string,
  belowTarget: boolean,
  page: { offset: number; limit: number },
  sort: TeacherSort = defaultTeacherSort(belowTarget),
) {
  requirePermission(ctx, Permission.ActivityStats);
  const p = parsePeriod(period);
  const { offset, limit } = checkPage(page);
  const unit = await scopeUnit(ctx, unitId);
  const t = targetsOf(p);
  const [rows, count] = await Promise.all([
    teacherPage(ctx.db, unit, p, t, belowTarget, sort, offset, limit),
    teacherCount(ctx.db, unit, p, t, belowTarget),
  ]);
  return { period: p.key, target: t.teacher, items: rows.map((r) => toTeacherRow(r, t)), total: count ?? 0 };
}

/** Rows per query of a sorted teacher export. */
const EXPORT_CHUNK = 20_000;

/**
 * Every teacher row of a scope for an export, with memory bounded at province scale. In a list's
 * order (`sort`, as on screen): keyset pages of the same ORDER BY. Without one (exports that
 * predate sorting): school by school (a few hundred schools per query), each school's teachers
 * most points first (below target: fewest first).
 */
export async function* teacherRowsForExport(
  ctx: Ctx,
  unit: UnitRow,
  p: Period,
  belowTarget: boolean,
  sort?: TeacherSort,
): AsyncGenerator<TeacherActivityRow> {
  const t = targetsOf(p);
  if (sort) {
    const terms = teacherSortTerms(sort);
    let after: unknown[] | null = null;
    for (;;) {
      const rows = await teacherKeysetRows(ctx.db, unit, p, t, belowTarget, terms, after, EXPORT_CHUNK);
      for (const r of rows) yield toTeacherRow(r, t);
      if (rows.length < EXPORT_CHUNK) return;
      after = keyValues(terms, rows[rows.length - 1]!);
    }
  }
  const homes = await teacherHomes(ctx.db, unit);
  for (let i = 0; i < homes.length; i += 300) {
    const ids = homes.slice(i, i + 300).map((h) => h.id);
    const rows = await teachersOfHomes(ctx.db, unit, p, t, belowTarget, ids);
    for (const r of rows) yield toTeacherRow(r, t);
  }
}
