import type { Sql } from "../db/data-source.js";
import { sqlQueries } from "../db/repository.js";

/** Leads every statement the runner itself sends (tests counting a request's statements skip them). */
export const RUNNER_SQL_TAG = "/* job-runner */";

/** A job as claimed by a runner. */
export interface ClaimedJobRow {
  id: string;
  kind: string;
  created_by: string | null;
  result: unknown;
  payload: unknown;
  attempts: number;
  taken_over: boolean;
}

export const queries = sqlQueries({
  enqueue: `INSERT INTO job (kind, state, created_by, result, payload, node) VALUES ($1, 'QUEUED', $2, $3::jsonb, $4::jsonb, $5) RETURNING id::text AS id`,
  // The oldest runnable job of a known kind for this node: queued, or running with a lapsed lease
  // (taken over). SKIP LOCKED: two runners never claim the same job.
  claim: `/* job-runner */ WITH next AS (
         SELECT id, state AS was FROM job
          WHERE kind = ANY($2::text[]) AND (node IS NULL OR node = $3)
            AND (state = 'QUEUED' OR (state = 'RUNNING' AND updated_at < now() - make_interval(secs => $4)))
          ORDER BY id
          LIMIT 1
          FOR UPDATE SKIP LOCKED
       )
       UPDATE job j SET state = 'RUNNING', worker = $1, attempts = j.attempts + 1, updated_at = now()
         FROM next WHERE j.id = next.id
       RETURNING j.id::text AS id, j.kind, j.created_by::text AS created_by, j.result, j.payload, j.attempts, next.was = 'RUNNING' AS taken_over`,
  heartbeat: `/* job-runner */ UPDATE job SET updated_at = now() WHERE id = $1 AND worker = $2 AND state = 'RUNNING'`,
  fail: `/* job-runner */ UPDATE job SET state = 'FAILED', error = $3, updated_at = now() WHERE id = $1 AND worker = $2 AND state = 'RUNNING'`,
});

/** Inserts a queued job; returns its id. */
export async function insertJob(
  sql: Sql,
  j: { kind: string; createdBy: string | null; result: string; payload: string; node: string | null },
): Promise<string> {
  const row = await sql.one<{ id: string }>(queries.enqueue, [j.kind, j.createdBy, j.result, j.payload, j.node]);
  return row!.id;
}

/** Claims the oldest runnable job of `kinds` for the worker (null: none). */
export function claimJob(sql: Sql, workerId: string, kinds: string[], node: string | null, leaseSeconds: number): Promise<ClaimedJobRow | undefined> {
  return sql.one<ClaimedJobRow>(queries.claim, [workerId, kinds, node, leaseSeconds]);
}

/** Renews the lease of a job the worker still runs. */
export async function heartbeatJob(sql: Sql, jobId: string, workerId: string): Promise<void> {
  await sql.exec(queries.heartbeat, [jobId, workerId]);
}

/** Marks a job the worker still runs FAILED with `error`. */
export async function failJob(sql: Sql, jobId: string, workerId: string, error: string): Promise<void> {
  await sql.exec(queries.fail, [jobId, workerId, error]);
}
