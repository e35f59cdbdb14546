import { Permission } from "../auth/permissions.js";
import { requireActing, requireUnitInScope } from "../auth/authorize.js";
import { type ExportColumn, type ExportSpec } from "../export/export.registry.js";
import { parsePeriod } from "../activity/utils/period.util.js";
import { sortFromQuery } from "../../common/sort.js";
import { defaultSchoolSort, defaultTeacherSort, rankedSchools, targetsOf } from "./stats.repository.js";
import { childUnitsActivity, teacherRowsForExport, toRankedSchool } from "./stats.service.js";
import { SchoolRankingSortField, TeacherActivitySortField, type RankedSchool, type TeacherActivityRow, type UnitActivity } from "./stats.types.js";

/** This module's Excel exports (listed in modules/export/exports.ts). */
export const statsExports: ExportSpec[] = [];

/**
 * Every statistics list exports with the same filters (unitId, period), scope and order (sort,
 * desc: the keys of its GraphQL list) as its screen.
 */

const yesNo = (b: boolean) => (b ? "是" : "否");
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const round1 = (x: number) => Math.round(x * 10) / 10;

async function subtitle(ctx: Parameters<typeof requireUnitInScope>[0], q: Record<string, string>, key = "unitId") {
  const unit = await requireUnitInScope(ctx, q[key] || requireActing(ctx).unitId);
  return `${unit.name}　统计周期：${parsePeriod(q.period ?? "").key}`;
}

const SCHOOL_COLUMNS: ExportColumn[] = [
  { header: "排名", key: "rank", width: 8, format: "number" },
  { header: "学校", key: "schoolName", width: 30 },
  { header: "学校代码", key: "schoolCode", width: 14 },
  { header: "所属县（市、区）", key: "countyName", width: 16 },
  { header: "所属设区市", key: "cityName", width: 12 },
  { header: "在册教师数", key: "teachers", width: 10, format: "number" },
  { header: "活跃空间数", key: "activeTeachers", width: 10, format: "number" },
  { header: "活跃空间比例", key: "activeRatioText", width: 12 },
  { header: "整体活跃度（人均积分）", key: "meanPointsRounded", width: 14, format: "number" },
  { header: "积分合计", key: "totalPoints", width: 12, format: "number" },
  { header: "个人达标人数", key: "teachersMeetingTarget", width: 12, format: "number" },
  { header: "个人达标比例", key: "shareText", width: 12 },
  { header: "学校达标", key: "metText", width: 10 },
];

function schoolRow(s: RankedSchool): Record<string, unknown> {
  return { ...s, activeRatioText: pct(s.activeRatio), meanPointsRounded: round1(s.meanPoints), shareText: pct(s.shareMeetingTarget), metText: yesNo(s.targetMet) };
}

function registerSchools(name: string, title: string, belowTarget: boolean, unitKey: string) {
  statsExports.push({
    name,
    title,
    permission: Permission.ActivityStats,
    columns: SCHOOL_COLUMNS,
    subtitle: (ctx, q) => subtitle(ctx, q, unitKey),
    async rows(ctx, q) {
      const p = parsePeriod(q.period ?? "");
      const s = sortFromQuery(q, Object.values(SchoolRankingSortField));
      const unit = await requireUnitInScope(ctx, q[unitKey] || requireActing(ctx).unitId);
      const d = defaultSchoolSort(belowTarget);
      const rows = await rankedSchools(ctx.db, unit, p, targetsOf(p), { belowTarget, sort: { sort: s.sort ?? d.sort, desc: s.desc ?? d.desc } });
      return rows.map((r) => schoolRow(toRankedSchool(r)));
    },
  });
}

registerSchools("activity-school-ranking", "学校空间活跃度排名", false, "scopeUnitId");
registerSchools("activity-below-target-schools", "活跃度未达标学校名单", true, "unitId");

const TEACHER_COLUMNS: ExportColumn[] = [
  { header: "师训账号", key: "account", width: 18 },
  { header: "姓名", key: "name", width: 12 },
  { header: "所在学校", key: "unitName", width: 30 },
  { header: "积分", key: "points", width: 10, format: "number" },
  { header: "移动端积分", key: "mobile", width: 12, format: "number" },
  { header: "活跃空间", key: "activeText", width: 10 },
  { header: "个人达标", key: "metText", width: 10 },
];

function registerTeachers(name: string, title: string, belowTarget: boolean) {
  statsExports.push({
    name,
    title,
    permission: Permission.ActivityStats,
    columns: TEACHER_COLUMNS,
    subtitle: (ctx, q) => subtitle(ctx, q),
    async *rows(ctx, q) {
      const p = parsePeriod(q.period ?? "");
      const s = sortFromQuery(q, Object.values(TeacherActivitySortField));
      const unit = await requireUnitInScope(ctx, q.unitId || requireActing(ctx).unitId);
      const d = defaultTeacherSort(belowTarget);
      // Without sort or desc: school by school, as before sorting existed.
      const sort = s.sort === undefined && s.desc === undefined ? undefined : { sort: s.sort ?? d.sort, desc: s.desc ?? d.desc };
      for await (const t of teacherRowsForExport(ctx, unit, p, belowTarget, sort)) {
        yield { ...(t as TeacherActivityRow), activeText: yesNo(t.active), metText: yesNo(t.targetMet) };
      }
    },
  });
}

registerTeachers("activity-teachers", "教师空间活跃度统计", false);
registerTeachers("activity-below-target-teachers", "活跃度未达标教师名单", true);

statsExports.push({
  name: "activity-units",
  title: "下级单位空间活跃度统计",
  permission: Permission.ActivityStats,
  columns: [
    { header: "单位", key: "unitName", width: 28 },
    { header: "单位代码", key: "unitCode", width: 14 },
    { header: "学校数", key: "schools", width: 8, format: "number" },
    { header: "达标学校数", key: "schoolsMeetingTarget", width: 10, format: "number" },
    { header: "在册教师数", key: "teachers", width: 10, format: "number" },
    { header: "锁定教师数", key: "lockedTeachers", width: 10, format: "number" },
    { header: "活跃空间数", key: "activeTeachers", width: 10, format: "number" },
    { header: "活跃空间比例", key: "activeRatioText", width: 12 },
    { header: "整体活跃度（人均积分）", key: "meanPointsRounded", width: 14, format: "number" },
    { header: "积分合计", key: "totalPoints", width: 12, format: "number" },
    { header: "移动端积分占比", key: "mobileShareText", width: 12 },
    { header: "个人达标人数", key: "teachersMeetingTarget", width: 12, format: "number" },
    { header: "个人达标比例", key: "shareText", width: 12 },
    { header: "整体达标", key: "metText", width: 10 },
  ],
  subtitle: (ctx, q) => subtitle(ctx, q),
  async rows(ctx, q) {
    const list: UnitActivity[] = await childUnitsActivity(ctx, q.unitId || null, q.period ?? "");
    return list.map((u) => ({
      ...u,
      unitName: u.unit.name,
      unitCode: u.unit.code,
      activeRatioText: pct(u.activeRatio),
      meanPointsRounded: round1(u.meanPoints),
      mobileShareText: pct(u.mobileShare),
      shareText: pct(u.shareMeetingTarget),
      metText: yesNo(u.targetMet),
    }));
  },
});
