-- Statements of import-job.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- failStale
UPDATE job SET state = 'FAILED', error = $3, updated_at = now()
WHERE created_by = $1 AND kind = $2 AND state = 'RUNNING' AND updated_at < now() - make_interval(secs => $4);

-- ownJob
SELECT id, state, progress, processed, total, result, error, created_at, updated_at FROM job WHERE id = $1 AND created_by = $2 AND kind = $3;

-- latestJobs
SELECT id, state, progress, processed, total, result, error, created_at, updated_at FROM job WHERE created_by = $1 AND kind = $2 ORDER BY id DESC LIMIT {limit};

-- storedErrors
SELECT row_no, field, message FROM import_error WHERE job_id = $1 ORDER BY row_no, seq OFFSET {offset} LIMIT {limit};

-- failJob
UPDATE job SET state = 'FAILED', error = $2, updated_at = now() WHERE id = $1;

-- saveProgress
UPDATE job SET state = $2, progress = $3, processed = $4, total = $5, result = $6::jsonb, error = $7, updated_at = now() WHERE id = $1;

-- insertErrors
INSERT INTO import_error (job_id, seq, row_no, field, message) SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[]);
