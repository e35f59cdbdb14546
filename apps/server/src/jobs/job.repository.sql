-- Statements of job.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- enqueue
INSERT INTO job (kind, state, created_by, result, payload, node) VALUES ($1, 'QUEUED', $2, $3::jsonb, $4::jsonb, $5) RETURNING id::text AS id;

-- claim
/* job-runner */ WITH next AS (
  SELECT id, state AS was FROM job
   WHERE kind = ANY($2::text[]) AND (node IS NULL OR node = $3)
     AND (state = 'QUEUED' OR (state = 'RUNNING' AND updated_at < now() - make_interval(secs => $4)))
   ORDER BY id
   LIMIT 1
   FOR UPDATE SKIP LOCKED
)
UPDATE job j SET state = 'RUNNING', worker = $1, attempts = j.attempts + 1, updated_at = now()
  FROM next WHERE j.id = next.id
RETURNING j.id::text AS id, j.kind, j.created_by::text AS created_by, j.result, j.payload, j.attempts, next.was = 'RUNNING' AS taken_over;

-- heartbeat
/* job-runner */ UPDATE job SET updated_at = now() WHERE id = $1 AND worker = $2 AND state = 'RUNNING';

-- fail
/* job-runner */ UPDATE job SET state = 'FAILED', error = $3, updated_at = now() WHERE id = $1 AND worker = $2 AND state = 'RUNNING';
