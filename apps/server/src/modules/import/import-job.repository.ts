import type { Sql } from "../../db/data-source.js";
import { fill, sqlQueries } from "../../db/repository.js";

/** A teacher import's `job` row as the import screens show it (`result` is the job's own JSON). */
export interface JobRow<R = unknown> {
  id: string;
  state: string;
  progress: number;
  processed: number;
  total: number | null;
  result: R | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

export const JOB_COLUMNS = "id, state, progress, processed, total, result, error, created_at, updated_at";

/** A row error of an import, as stored. */
export interface StoredError {
  row_no: number;
  field: string;
  message: string;
}

export const queries = sqlQueries({
  failStale: `UPDATE job SET state = 'FAILED', error = $3, updated_at = now()
      WHERE created_by = $1 AND kind = $2 AND state = 'RUNNING' AND updated_at < now() - make_interval(secs => $4)`,
  ownJob: `SELECT ${JOB_COLUMNS} FROM job WHERE id = $1 AND created_by = $2 AND kind = $3`,
  latestJobs: `SELECT ${JOB_COLUMNS} FROM job WHERE created_by = $1 AND kind = $2 ORDER BY id DESC LIMIT {limit}`,
  storedErrors: `SELECT row_no, field, message FROM import_error WHERE job_id = $1 ORDER BY row_no, seq OFFSET {offset} LIMIT {limit}`,
  failJob: `UPDATE job SET state = 'FAILED', error = $2, updated_at = now() WHERE id = $1`,
  saveProgress: `UPDATE job SET state = $2, progress = $3, processed = $4, total = $5, result = $6::jsonb, error = $7, updated_at = now() WHERE id = $1`,
  insertErrors: `INSERT INTO import_error (job_id, seq, row_no, field, message) SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[])`,
});

/** Fails the user's RUNNING jobs of this kind not updated for `leaseSeconds`, with `error`. */
export async function failStaleJobs(sql: Sql, userId: string, kind: string, error: string, leaseSeconds: number): Promise<void> {
  await sql.exec(queries.failStale, [userId, kind, error, leaseSeconds]);
}

/** A job of this kind created by the user. */
export function findOwnJob<R>(sql: Sql, id: string, userId: string, kind: string): Promise<JobRow<R> | undefined> {
  return sql.one<JobRow<R>>(queries.ownJob, [id, userId, kind]);
}

/** The user's latest jobs of this kind, newest first (`limit` checked by the caller). */
export function latestJobs<R>(sql: Sql, userId: string, kind: string, limit: number): Promise<JobRow<R>[]> {
  return sql.rows<JobRow<R>>(fill(queries.latestJobs, { limit }), [userId, kind]);
}

/** Stored errors of a job, in row order (`offset`, `limit` checked by the caller). */
export function storedErrors(sql: Sql, jobId: string, offset: number, limit: number): Promise<StoredError[]> {
  return sql.rows<StoredError>(fill(queries.storedErrors, { offset, limit }), [jobId]);
}

export async function failJob(sql: Sql, jobId: string, error: string): Promise<void> {
  await sql.exec(queries.failJob, [jobId, error]);
}

export async function saveJobProgress(
  sql: Sql, jobId: string, p: { state: string; progress: number; processed: number; total: number | null; result: unknown; error: string | null },
): Promise<void> {
  await sql.exec(queries.saveProgress, [jobId, p.state, p.progress, p.processed, p.total, JSON.stringify(p.result), p.error]);
}

/** Stores row errors with their sequence numbers in one statement. */
export async function insertErrors(sql: Sql, jobId: string, seqs: number[], errors: { row: number; field: string; message: string }[]): Promise<void> {
  await sql.exec(queries.insertErrors, [jobId, seqs, errors.map((e) => e.row), errors.map((e) => e.field), errors.map((e) => e.message)]);
}
