import { DomainError } from "@zjh/domain";
import fs from "node:fs";
import type { Db, Sql } from "../../db/data-source.js";
import { enqueueJob, type JobKind } from "../../jobs/job-runner.js";
import { logger } from "../../logger.js";
import {
  clearImportErrors, failImportJob, finishImportJob, recordImportErrors, restartImportJob, setImportRescoreProgress,
  setImportStoreProgress, storeEvents, unknownAccountCount,
} from "./activity.repository.js";
import { copyTailOf } from "./activity-line.parser.js";
import { drainDirtyAccounts, prepareLines, retrying } from "./activity-ingest.service.js";
import { LineSplitter } from "./utils/line-splitter.util.js";

/**
 * The nightly-dump import as a job (the `job` table, kind 'activity-import'): the uploaded file is
 * read as a stream in chunks of lines; each chunk is validated, stored and its refused lines
 * recorded in one transaction; then every account the file changed is rescored. Progress is
 * written as it goes and polled through GraphQL. Re-running a job is safe (events are idempotent),
 * which is how a job interrupted by a restart resumes.
 */
export const IMPORT_JOB_KIND = "activity-import";
/** Lines per stored chunk (one transaction each) on PostgreSQL. */
export const IMPORT_CHUNK_LINES = 50_000;
/**
 * On the embedded database a transaction holds the only session, so every request waits for the
 * chunk being written: smaller chunks keep the application responsive during an import.
 */
export const EMBEDDED_IMPORT_CHUNK_LINES = 10_000;
/** Refused lines kept per job; the count goes on beyond it. */
export const MAX_STORED_ERRORS = 100_000;
/** Share of the progress bar for storing; the rest is rescoring. */
const STORE_SHARE = 0.7;

export interface ImportJobResult {
  fileName: string;
  bytes: number;
  lines?: number;
  valid?: number;
  stored?: number;
  duplicates?: number;
  errorCount?: number;
  accounts?: number;
  unknownAccounts?: number;
}

/** Queues the import of an uploaded file (kept on this node's disk until the job is done). */
export function createImportJob(sql: Sql, userId: string, r: ImportJobResult & { file: string }, node: string): Promise<string> {
  const { file, ...result } = r;
  return enqueueJob(sql, { kind: IMPORT_JOB_KIND, createdBy: userId, result, payload: { file }, node });
}

export interface StoredFile {
  lines: number;
  valid: number;
  stored: number;
  errorCount: number;
  /** Accounts marked for rescoring. */
  accounts: Set<string>;
}

/**
 * The store phase of an import: reads the file as a stream in chunks of lines; each chunk is
 * validated, stored and its refused lines recorded (with a job) in one transaction. Validation of
 * the next chunk (JavaScript) runs while the database writes the previous one; chunks still reach
 * the database one at a time, in file order. Rescoring is left to the caller.
 */
export async function storeEventFile(db: Db, file: string, opts: { jobId: string | null; bytes: number; copy?: boolean }): Promise<StoredFile> {
  const { jobId } = opts;
  const copy = opts.copy ?? db.kind === "postgres";
  const chunkLines = db.kind === "postgres" ? IMPORT_CHUNK_LINES : EMBEDDED_IMPORT_CHUNK_LINES;
  const totals = { lines: 0, valid: 0, stored: 0, errorCount: 0 };
  const accounts = new Set<string>();
  let pending: { text: string; line: number }[] = [];
  let bytesRead = 0;
  let inflight: Promise<void> = Promise.resolve();

  const store = async (chunk: ReturnType<typeof prepareLines>, progress: number, lines: number) => {
    const keep = jobId ? chunk.errors.slice(0, Math.max(0, MAX_STORED_ERRORS - totals.errorCount)) : [];
    totals.errorCount += chunk.errors.length;
    const r = await retrying(() =>
      db.tx(async (tx) => {
        const stored = chunk.events.length ? await storeEvents(tx, chunk.events, { copy, jobId }) : null;
        if (keep.length) {
          await recordImportErrors(tx, jobId, keep);
        }
        if (jobId) await setImportStoreProgress(tx, jobId, progress, lines);
        return stored;
      }),
    );
    if (r) {
      totals.stored += r.stored;
      for (const a of r.accounts) accounts.add(a);
    }
  };
  const flush = async () => {
    const chunk = prepareLines(pending);
    pending = [];
    if (copy) for (const e of chunk.events) copyTailOf(e);
    totals.valid += chunk.valid;
    const progress = opts.bytes > 0 ? (STORE_SHARE * bytesRead) / opts.bytes : 0;
    const lines = totals.lines;
    await inflight;
    inflight = store(chunk, progress, lines);
    inflight.catch(() => undefined);
  };

  const splitter = new LineSplitter(MAX_LINE_CHARS, (n) => new DomainError("FILE_REJECTED", `第${n}行超过${MAX_LINE_CHARS / 1024 / 1024}M个字符，不是每行一个事件的JSON Lines文件，已停止导入`, "file"));
  const onLine = (text: string, line: number) => {
    pending.push({ text, line });
    totals.lines = line;
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    bytesRead += (chunk as Buffer).length;
    splitter.push(chunk as Buffer, onLine);
    if (pending.length >= chunkLines) await flush();
  }
  splitter.end(onLine);
  if (pending.length) await flush();
  await inflight;
  return { ...totals, accounts };
}

/** Longest JSON Lines line read (characters): one event is a few hundred. */
export const MAX_LINE_CHARS = 1024 * 1024;

/** The job kind (listed in jobs/job-kinds.ts); a job taken over from a stopped process runs again. */
export const activityImportJob: JobKind = {
  kind: IMPORT_JOB_KIND,
  run: (db, job) => runImportJob(db, job.id, job.result as ImportJobResult, (job.payload as { file?: string } | null)?.file),
};

async function runImportJob(db: Db, jobId: string, info: ImportJobResult, file: string | undefined): Promise<void> {
  await restartImportJob(db, jobId);
  try {
    if (!file || !fs.existsSync(file)) throw new Error("uploaded file is missing");
    await clearImportErrors(db, jobId);
    const { accounts, ...totals } = await storeEventFile(db, file, { jobId, bytes: info.bytes });
    const marked = accounts.size;
    await drainDirtyAccounts(db, async (done, left) => {
      const share = marked + left > 0 ? Math.min(1, done / Math.max(marked, done + left)) : 1;
      await setImportRescoreProgress(db, jobId, STORE_SHARE + (1 - STORE_SHARE) * share);
    });
    const unknown = await unknownAccountCount(db, [...accounts]);
    const result: ImportJobResult = {
      fileName: info.fileName,
      bytes: info.bytes,
      lines: totals.lines,
      valid: totals.valid,
      stored: totals.stored,
      duplicates: totals.valid - totals.stored,
      errorCount: totals.errorCount,
      accounts: marked,
      unknownAccounts: unknown ?? 0,
    };
    await finishImportJob(db, jobId, totals.lines, result);
    fs.rmSync(file, { force: true });
    logger.info({ jobId, ...result }, "activity import done");
  } catch (err) {
    logger.error({ err, jobId }, "activity import failed");
    await failImportJob(
      db,
      jobId,
      (err as Error).message === "uploaded file is missing" ? "上传的文件已不存在，请重新上传" : err instanceof DomainError ? err.message : "导入失败，已入库的事件保留；请重新上传该文件继续（重复事件会被忽略）",
    ).catch(() => undefined);
  }
}
