import { DomainError, TEACHER_IMPORT_LABELS, type TeacherImportField } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import type { Sql } from "../../db/data-source.js";
import { requireAuth } from "../auth/authorize.js";
import { JOB_LEASE_MS } from "../../jobs/job-runner.js";
import { ImportJob, ImportJobState, ImportMode, ImportPhase, ImportRowError } from "./import-job.types.js";
import { INTERRUPTED, TEACHER_IMPORT_KIND, type TeacherImportResult } from "./teacher-import.service.js";
import { failStaleJobs, findOwnJob, latestJobs, storedErrors, type JobRow as StoredJobRow } from "./import-job.repository.js";

type JobRow = StoredJobRow<TeacherImportResult> & { state: ImportJobState };

function toJob(r: JobRow): ImportJob {
  const x = r.result ?? ({} as Partial<TeacherImportResult>);
  return Object.assign(new ImportJob(), {
    id: String(r.id),
    jobId: String(r.id),
    state: r.state,
    phase: (x.phase ?? "QUEUED") as ImportPhase,
    mode: x.mode === "validOnly" ? ImportMode.VALID_ONLY : ImportMode.ALL,
    fileName: x.fileName ?? "",
    format: x.format ?? null,
    progress: Number(r.progress),
    processed: r.processed,
    total: r.total,
    refused: !!x.refused,
    rows: x.rows ?? 0,
    validRows: x.validRows ?? 0,
    created: x.created ?? 0,
    updated: x.updated ?? 0,
    unchanged: x.unchanged ?? 0,
    schoolsCreated: x.schoolsCreated ?? 0,
    schoolsRenamed: x.schoolsRenamed ?? 0,
    errorCount: x.errorCount ?? 0,
    errorRowCount: x.errorRows ?? 0,
    storedErrorCount: x.storedErrors ?? 0,
    errorReportUrl: `/api/export/import-errors.xlsx?jobId=${r.id}`,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: x.finishedAt ? new Date(x.finishedAt) : null,
  });
}

/**
 * Running jobs whose process stopped beating (lease expired) are failed at once, so nobody waits
 * for a runner to take them over (which would report them the same way).
 */
async function failStale(sql: Sql, userId: string): Promise<void> {
  await failStaleJobs(sql, userId, TEACHER_IMPORT_KIND, INTERRUPTED, JOB_LEASE_MS / 1000);
}

/**
 * An import job of the caller. Jobs belong to the user who uploaded the file; anyone else's job
 * is NOT_FOUND, the same answer as an id that does not exist.
 */
export async function requireOwnImportJob(ctx: Ctx, id: string, sql: Sql = ctx.db): Promise<JobRow> {
  const auth = requireAuth(ctx);
  if (!/^\d{1,18}$/.test(id)) throw new DomainError("NOT_FOUND", "导入任务不存在", "id");
  await failStale(sql, auth.userId);
  const row = (await findOwnJob<TeacherImportResult>(sql, id, auth.userId, TEACHER_IMPORT_KIND)) as JobRow | undefined;
  if (!row) throw new DomainError("NOT_FOUND", "导入任务不存在", "id");
  return row;
}

export async function getImportJob(ctx: Ctx, id: string): Promise<ImportJob> {
  return toJob(await requireOwnImportJob(ctx, id));
}

/** The caller's latest imports, newest first. */
export async function listImportJobs(ctx: Ctx, limit: number): Promise<ImportJob[]> {
  const auth = requireAuth(ctx);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new DomainError("BAD_INPUT", "limit 须在1到50之间", "limit");
  await failStale(ctx.db, auth.userId);
  const rows = (await latestJobs<TeacherImportResult>(ctx.db, auth.userId, TEACHER_IMPORT_KIND, limit)) as JobRow[];
  return rows.map(toJob);
}

export const columnLabel = (field: string): string =>
  TEACHER_IMPORT_LABELS[field as TeacherImportField] ?? (field === "header" ? "表头" : field === "file" ? "文件" : field);

export async function jobErrors(ctx: Ctx, job: ImportJob, offset: number, limit: number): Promise<ImportRowError[]> {
  if (!Number.isInteger(offset) || offset < 0) throw new DomainError("BAD_INPUT", "offset 不能为负数", "offset");
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new DomainError("BAD_INPUT", "每次最多显示1000条错误，完整列表请下载错误报告", "limit");
  const rows = await storedErrors(ctx.db, job.jobId, offset, limit);
  return rows.map((r) => Object.assign(new ImportRowError(), { row: r.row_no, field: r.field, column: columnLabel(r.field), message: r.message }));
}
