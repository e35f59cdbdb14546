import { DomainError, RULE_LABELS, ruleLabel } from "@zjh/domain";
import { DEFAULT_RULE_SET, RULE_NAMES, isActiveSpace, meetsTeacherTarget } from "@zjh/domain/activity/index";
import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import { requireActing, requirePermission } from "../auth/authorize.js";
import { Permission } from "../auth/permissions.js";
import { ingestBatch } from "./activity-ingest.service.js";
import { IMPORT_JOB_KIND, type ImportJobResult } from "./activity-import.job.js";
import {
  ActivityImportJob, ActivityImportState, TeacherActivity,
  type ActivityDay, type ActivityIngestResult, type ActivityLedgerEntry, type ActivityMonth,
} from "./activity.types.js";
import { monthsOf, parsePeriod, yearPeriod, type Period } from "./utils/period.util.js";
import {
  activityDayRows, findImportJob, holderByAccount, holderById, holderByIdIn, importErrorCount, importErrorsPage, importJobCount,
  importJobsPage, ledgerCount, ledgerPageRows, yearTotals,
  type HolderRow, type ImportJobRow, type LedgerRow, type LedgerSort,
} from "./activity.repository.js";

export { ledgerSortTerms, type LedgerSort, type LedgerSortKey } from "./activity.repository.js";

const RULES = DEFAULT_RULE_SET;

// ---------------------------------------------------------------------------------------------
// Ingestion and import jobs (platform integration, province admins)

export async function ingestEvents(ctx: Ctx, lines: string[]): Promise<ActivityIngestResult> {
  requirePermission(ctx, Permission.ActivityIngest);
  return ingestBatch(ctx.db, lines);
}

type JobRow = ImportJobRow<ImportJobResult, ActivityImportState>;

function toJob(r: JobRow): ActivityImportJob {
  const x = r.result ?? ({} as ImportJobResult);
  return Object.assign(new ActivityImportJob(), {
    id: r.id,
    state: r.state,
    fileName: x.fileName ?? "",
    bytes: x.bytes ?? 0,
    progress: Number(r.progress),
    processed: r.processed,
    lines: x.lines ?? null,
    valid: x.valid ?? null,
    stored: x.stored ?? null,
    duplicates: x.duplicates ?? null,
    errorCount: x.errorCount ?? null,
    accounts: x.accounts ?? null,
    unknownAccounts: x.unknownAccounts ?? null,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}

/** Import jobs are province-wide: every province admin sees every activity import. */
export async function getImportJob(ctx: Ctx, id: string): Promise<ActivityImportJob> {
  requirePermission(ctx, Permission.ActivityIngest);
  const row = /^\d{1,18}$/.test(id)
    ? await findImportJob<JobRow>(ctx.db, id, IMPORT_JOB_KIND)
    : undefined;
  if (!row) throw new DomainError("NOT_FOUND", "导入任务不存在", "id");
  return toJob(row);
}

export async function listImportJobs(ctx: Ctx, page: { offset: number; limit: number }) {
  requirePermission(ctx, Permission.ActivityIngest);
  const { offset, limit } = checkPage(page);
  const [rows, count] = await Promise.all([
    importJobsPage<JobRow>(ctx.db, IMPORT_JOB_KIND, offset, limit),
    importJobCount(ctx.db, IMPORT_JOB_KIND),
  ]);
  return { items: rows.map(toJob), total: count ?? 0 };
}

export async function importErrors(ctx: Ctx, jobId: string, page: { offset: number; limit: number }) {
  requirePermission(ctx, Permission.ActivityIngest);
  const { offset, limit } = checkPage(page);
  const [rows, count] = await Promise.all([
    importErrorsPage(ctx.db, jobId, offset, limit),
    importErrorCount(ctx.db, jobId),
  ]);
  return { items: rows.map((r) => ({ line: Number(r.line), message: r.message })), total: count ?? 0 };
}

// ---------------------------------------------------------------------------------------------
// A teacher's points

interface Holder {
  account: string;
  userId: string | null;
  name: string | null;
  unitName: string | null;
  locked: boolean;
}

async function activityOf(ctx: Ctx, who: Holder, year: number): Promise<TeacherActivity> {
  const rows = await yearTotals(ctx.db, who.account, year);
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  const y = byPeriod.get(String(year));
  const total = y?.points ?? 0;
  const mobile = y?.mobile_points ?? 0;
  const months: ActivityMonth[] = monthsOf(year).map((month) => {
    const m = byPeriod.get(month);
    const points = m?.points ?? 0;
    return { month, points, mobile: m?.mobile_points ?? 0, active: isActiveSpace(points, RULES), targetMet: meetsTeacherTarget(points, "month", RULES) };
  });
  return Object.assign(new TeacherActivity(), {
    ...who,
    year,
    total,
    mobile,
    mobileShare: total > 0 ? mobile / total : 0,
    rules: RULE_NAMES.map((rule, i) => ({ rule, label: RULE_LABELS[rule], points: y?.rule_points?.[i] ?? 0 })),
    months,
    monthTarget: RULES.targets.teacherMonthly,
    yearTarget: RULES.targets.teacherYearly,
    yearTargetMet: meetsTeacherTarget(total, "year", RULES),
    active: isActiveSpace(total, RULES),
  });
}

const toHolder = (r: HolderRow): Holder => ({ account: r.account, userId: r.user_id, name: r.name, unitName: r.unit_name, locked: r.locked });

/** The signed-in user's own points (whatever role they act in). */
export async function myActivity(ctx: Ctx, year: number): Promise<TeacherActivity> {
  requirePermission(ctx, Permission.ActivityOwn);
  const p = yearPeriod(year);
  const row = await holderById(ctx.db, ctx.auth!.userId);
  return activityOf(ctx, toHolder(row!), p.year);
}

/**
 * A teacher's points for an admin: by user id or by platform account, only for users whose home
 * unit is inside the acting role's unit (others: NOT_FOUND, as ids that do not exist). An account
 * with no user here is attributed to no unit, so only a province-level role sees it.
 */
export async function teacherActivity(ctx: Ctx, q: { userId?: string | null; account?: string | null }, year: number): Promise<TeacherActivity> {
  const acting = requirePermission(ctx, Permission.ActivityStats);
  const p = yearPeriod(year);
  const notFound = () => new DomainError("NOT_FOUND", "教师不存在或不在管辖范围内", q.userId ? "userId" : "account");
  if (!q.userId === !q.account) throw new DomainError("BAD_INPUT", "请提供 userId 或 account 之一", "userId");
  let row: HolderRow | undefined;
  if (q.userId) {
    if (!/^\d{1,18}$/.test(q.userId)) throw notFound();
    row = await holderByIdIn(ctx.db, q.userId, acting.unitPath);
  } else {
    const account = q.account!.trim();
    row = await holderByAccount(ctx.db, account);
    if (!row) {
      if (acting.unitKind !== "PROVINCE") throw notFound();
      return activityOf(ctx, { account, userId: null, name: null, unitName: null, locked: false }, p.year);
    }
    if (!row.unit_path.startsWith(acting.unitPath)) throw notFound();
  }
  if (!row) throw notFound();
  return activityOf(ctx, toHolder(row), p.year);
}

/**
 * Days of the year (or of one month of it) with points, from the per-day aggregates. Only called
 * on a TeacherActivity the caller was already allowed to read.
 */
export async function activityDays(ctx: Ctx, account: string, year: number, month: string | null): Promise<ActivityDay[]> {
  requireActing(ctx);
  const p: Period = month ? parsePeriod(month, "month") : yearPeriod(year);
  if (p.year !== year) throw new DomainError("BAD_INPUT", `字段 month 须在 ${year} 年内`, "month");
  return activityDayRows(ctx.db, account, p.from, p.until);
}

// ---------------------------------------------------------------------------------------------
// The points log

export function toLedgerEntry(r: LedgerRow): ActivityLedgerEntry {
  return {
    seq: r.ord,
    day: r.day,
    rule: r.rule,
    ruleLabel: ruleLabel(r.rule),
    points: r.points,
    mobile: r.mobile,
    eventId: r.event_id,
    eventType: r.event_type,
    eventAt: r.event_at,
  };
}

/**
 * Awards and deductions of an account in a period, in `sort` order (default newest first). Only
 * called on a TeacherActivity the caller was already allowed to read (its account is in scope).
 */
export async function ledgerPage(
  ctx: Ctx,
  account: string,
  year: number,
  month: string | null,
  page: { offset: number; limit: number },
  sort: LedgerSort = { sort: "time", desc: true },
) {
  requireActing(ctx);
  const { offset, limit } = checkPage(page);
  const p: Period = month ? parsePeriod(month, "month") : yearPeriod(year);
  if (p.year !== year) throw new DomainError("BAD_INPUT", `字段 month 须在 ${year} 年内`, "month");
  const [rows, count] = await Promise.all([
    ledgerPageRows(ctx.db, account, p.from, p.until, sort, offset, limit),
    ledgerCount(ctx.db, account, p.from, p.until),
  ]);
  return { items: rows.map(toLedgerEntry), total: count ?? 0 };
}
