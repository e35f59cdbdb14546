import { DomainError, eventTypeLabel } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { Permission } from "../auth/permissions.js";
import { type ExportColumn, type ExportSpec } from "../export/export.registry.js";
import { teacherActivity, toLedgerEntry } from "./activity.service.js";
import { importErrorsAfter, importJobExists, ledgerKeysetRows, ledgerSortTerms, type LedgerSort } from "./activity.repository.js";
import { LedgerSortField } from "./activity.types.js";
import { parsePeriod, type Period } from "./utils/period.util.js";
import { keyValues, sortFromQuery } from "../../common/sort.js";

/** This module's Excel exports (listed in modules/export/exports.ts). */
export const activityExports: ExportSpec[] = [];

const LEDGER_COLUMNS: ExportColumn[] = [
  { header: "日期", key: "day", width: 12 },
  { header: "规则", key: "ruleLabel", width: 20 },
  { header: "积分", key: "points", width: 8, format: "number" },
  { header: "移动端", key: "mobileText", width: 8 },
  { header: "事件编号", key: "eventId", width: 24 },
  { header: "事件类型", key: "eventTypeText", width: 14 },
  { header: "事件时间", key: "eventAt", width: 18, format: "datetime" },
];

/**
 * The sort of a ledger export (`sort`, `desc` as the screen's `ledger` field takes them); without
 * any, oldest first, as before sorting existed (the screen's default is newest first).
 */
function ledgerSortOf(q: Record<string, string>): LedgerSort {
  const s = sortFromQuery(q, Object.values(LedgerSortField));
  if (s.sort === undefined && s.desc === undefined) return { sort: "time", desc: false };
  return { sort: s.sort ?? "time", desc: s.desc ?? true };
}

/** The points log of an account in a period, in the given order, read in keyset pages of 5000. */
async function* ledgerRows(ctx: Ctx, account: string, p: Period, sort: LedgerSort) {
  const terms = ledgerSortTerms(sort);
  let after: unknown[] | null = null;
  for (;;) {
    const rows = await ledgerKeysetRows(ctx.db, account, p.from, p.until, terms, after);
    for (const r of rows) {
      const e = toLedgerEntry(r);
      yield { ...e, mobileText: e.mobile ? "是" : "", eventTypeText: e.eventType ? eventTypeLabel(e.eventType) : "" };
    }
    if (rows.length < 5000) return;
    after = keyValues(terms, rows[rows.length - 1]!);
  }
}

const periodOf = (q: Record<string, string>) => parsePeriod(q.period ?? q.year ?? "");

activityExports.push({
  name: "activity-my-ledger",
  title: "我的积分明细",
  permission: Permission.ActivityOwn,
  columns: LEDGER_COLUMNS,
  subtitle: (ctx, q) => `${ctx.auth!.name}（${ctx.auth!.account}）　统计周期：${periodOf(q).key}`,
  async *rows(ctx, q) {
    yield* ledgerRows(ctx, ctx.auth!.account, periodOf(q), ledgerSortOf(q));
  },
});

activityExports.push({
  name: "activity-teacher-ledger",
  title: "教师积分明细",
  permission: Permission.ActivityStats,
  columns: LEDGER_COLUMNS,
  async subtitle(ctx, q) {
    const t = await teacherActivity(ctx, { userId: q.userId || null, account: q.account || null }, periodOf(q).year);
    return `${t.name ?? ""}（${t.account}）　统计周期：${periodOf(q).key}`;
  },
  async *rows(ctx, q) {
    const p = periodOf(q);
    const sort = ledgerSortOf(q);
    // The same scope check as the teacherActivity screen (NOT_FOUND outside the caller's unit).
    const t = await teacherActivity(ctx, { userId: q.userId || null, account: q.account || null }, p.year);
    yield* ledgerRows(ctx, t.account, p, sort);
  },
});

activityExports.push({
  name: "activity-import-errors",
  title: "活跃度事件导入错误行",
  permission: Permission.ActivityIngest,
  columns: [
    { header: "行号", key: "line", width: 10, format: "number" },
    { header: "问题", key: "message", width: 80 },
  ],
  async *rows(ctx, q) {
    const jobId = q.jobId ?? "";
    const job = /^\d{1,18}$/.test(jobId) ? await importJobExists(ctx.db, jobId) : false;
    if (!job) throw new DomainError("NOT_FOUND", "导入任务不存在", "jobId");
    let after = 0;
    for (;;) {
      const rows = await importErrorsAfter(ctx.db, jobId, after);
      for (const r of rows) yield { line: Number(r.line), message: r.message };
      if (rows.length < 5000) return;
      after = Number(rows[rows.length - 1]!.line);
    }
  },
});
