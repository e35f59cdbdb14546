-- Statements of job-gauges.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- openJobs
SELECT kind, state, count(*)::int AS jobs,
  EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest_seconds,
  EXTRACT(EPOCH FROM now() - min(updated_at))::float8 AS stalest_seconds
FROM job WHERE state IN ('QUEUED', 'RUNNING')
GROUP BY kind, state;
