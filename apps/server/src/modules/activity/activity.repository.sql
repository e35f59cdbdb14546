-- Statements of activity.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- nextChunk
SELECT nextval('activity_chunk_seq')::text AS n;

-- storedIds
SELECT id FROM activity_event WHERE id = ANY($1::text[]);

-- copySavepoint
SAVEPOINT activity_copy;

-- releaseCopySavepoint
RELEASE SAVEPOINT activity_copy;

-- rollbackCopySavepoint
ROLLBACK TO SAVEPOINT activity_copy;

-- copyEvents
COPY {table} (id, seq, type, subject, task_id, at, day, raw, job_id) FROM STDIN;

-- createEventInbox
CREATE TEMP TABLE IF NOT EXISTS activity_event_in (
  id text, seq bigint, type text, subject text, task_id text, at timestamptz, day date, raw text, job_id bigint
) ON COMMIT DELETE ROWS;

-- insertFromInbox
INSERT INTO activity_event (id, seq, type, subject, task_id, at, day, raw, job_id)
SELECT id, seq, type, subject, task_id, at, day, raw::jsonb, job_id FROM activity_event_in ORDER BY id
ON CONFLICT (id) DO NOTHING RETURNING id;

-- insertEvents
INSERT INTO activity_event (id, seq, type, subject, task_id, at, day, raw, job_id)
SELECT id, seq, type, subject, task_id, at, day, raw::jsonb, $9::bigint
  FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::date[], $8::text[])
       AS x(id, seq, type, subject, task_id, at, day, raw)
 ORDER BY id
ON CONFLICT (id) DO NOTHING RETURNING id;

-- taskPublishers
SELECT task_id, publisher FROM activity_task WHERE task_id = ANY($1::text[]);

-- taskPublications
SELECT raw FROM activity_event WHERE task_id = ANY($1::text[]) AND type = 'task_published' ORDER BY seq;

-- setTaskPublishers
INSERT INTO activity_task (task_id, publisher) SELECT * FROM unnest($1::text[], $2::text[])
ON CONFLICT (task_id) DO UPDATE SET publisher = excluded.publisher;

-- taskFirstDays
SELECT task_id, min(day)::text AS day FROM activity_event WHERE task_id = ANY($1::text[]) GROUP BY task_id;

-- markDirty
INSERT INTO activity_dirty (account, from_day, ver) SELECT a, d, $3::bigint FROM unnest($1::text[], $2::date[]) AS x(a, d)
ON CONFLICT (account) DO UPDATE SET from_day = excluded.from_day, ver = excluded.ver WHERE excluded.from_day < activity_dirty.from_day;

-- owners
SELECT u.account, u.id AS user_id, u.unit_path, o.county_id, o.city_id,
     CASE WHEN o.kind IN ('SCHOOL','PRACTICE_BASE') THEN o.id END AS school_id
FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id WHERE u.account = ANY($1::text[]);

-- lockAccounts
SELECT pg_advisory_xact_lock(730001, h) FROM (SELECT DISTINCT hashtext(a) AS h FROM unnest($1::text[]) a ORDER BY h OFFSET 0) s;

-- takeDirty
SELECT account, from_day::text AS from_day FROM activity_dirty WHERE account = ANY($1::text[]) ORDER BY account FOR UPDATE;

-- clearDirty
DELETE FROM activity_dirty WHERE account = ANY($1::text[]);

-- accountEvents
SELECT raw FROM (
  SELECT e.seq, e.raw FROM activity_event e WHERE e.subject = ANY($1::text[])
  UNION ALL
  SELECT e.seq, e.raw FROM activity_task t JOIN activity_event e ON e.task_id = t.task_id WHERE t.publisher = ANY($1::text[])
) x ORDER BY seq;

-- deleteLedgerFrom
DELETE FROM activity_ledger l USING unnest($1::text[], $2::int[], $3::date[]) AS c(account, ord, day)
WHERE l.account = c.account AND (l.ord >= c.ord OR l.day >= c.day);

-- deleteDailyFrom
DELETE FROM activity_daily t USING unnest($1::text[], $2::date[]) AS c(account, day) WHERE t.account = c.account AND t.day >= c.day;

-- deleteTotalsFrom
DELETE FROM activity_total t USING unnest($1::text[], $2::text[], $3::text[]) AS c(account, month, year)
WHERE t.account = c.account AND (CASE WHEN length(t.period) = 4 THEN t.period >= c.year ELSE t.period >= c.month END);

-- insertLedger
INSERT INTO activity_ledger (account, ord, day, rule, points, mobile, event_id)
SELECT * FROM unnest($1::text[], $2::int[], $3::date[], $4::text[], $5::int[], $6::boolean[], $7::text[]);

-- insertDaily
INSERT INTO activity_daily (account, day, rule, year, month, points, mobile_points, user_id, school_id, county_id, city_id, unit_path)
SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::smallint[], $5::smallint[], $6::int[], $7::int[],
                     $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[]);

-- insertTotals
INSERT INTO activity_total (account, period, points, mobile_points, rule_points, user_id, school_id, county_id, city_id, unit_path)
SELECT a, p, pts, mob, r::int[], u, s, co, ci, pa
  FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[])
       AS x(a, p, pts, mob, r, u, s, co, ci, pa);

-- stampOwners
UPDATE {table} x SET user_id = u.id, unit_path = u.unit_path, county_id = o.county_id, city_id = o.city_id,
      school_id = CASE WHEN o.kind IN ('SCHOOL','PRACTICE_BASE') THEN o.id END
 FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id
WHERE u.account = x.account AND {filter}
  AND (x.user_id IS DISTINCT FROM u.id OR x.unit_path IS DISTINCT FROM u.unit_path);

-- stampAccounts
x.account = ANY($1::text[]);

-- stampUnowned
x.user_id IS NULL;

-- nextDirty
SELECT account FROM activity_dirty ORDER BY account LIMIT {limit};

-- dirtyCount
SELECT count(*)::int AS n FROM activity_dirty;

-- importErrorsInsert
INSERT INTO activity_import_error (job_id, line, message) SELECT $1, * FROM unnest($2::bigint[], $3::text[]) ON CONFLICT DO NOTHING;

-- importStoreProgress
UPDATE job SET progress = $2, processed = $3, updated_at = now() WHERE id = $1;

-- importRestart
UPDATE job SET progress = 0, processed = 0, error = NULL, updated_at = now() WHERE id = $1;

-- importErrorsClear
DELETE FROM activity_import_error WHERE job_id = $1;

-- importRescoreProgress
UPDATE job SET progress = $2, updated_at = now() WHERE id = $1;

-- unknownAccountCount
SELECT count(*)::int AS n FROM unnest($1::text[]) a WHERE NOT EXISTS (SELECT 1 FROM app_user u WHERE u.account = a);

-- importDone
UPDATE job SET state = 'DONE', progress = 1, processed = $2, total = $2, result = $3, updated_at = now() WHERE id = $1;

-- importFailed
UPDATE job SET state = 'FAILED', error = $2, updated_at = now() WHERE id = $1;

-- importJob
SELECT id::text AS id, state, progress, processed, result, error, created_at, updated_at FROM job WHERE id = $1 AND kind = $2;

-- importJobsPage
SELECT id::text AS id, state, progress, processed, result, error, created_at, updated_at FROM job WHERE kind = $1 ORDER BY created_at DESC, id DESC OFFSET {offset} LIMIT {limit};

-- importJobCount
SELECT count(*)::int AS n FROM job WHERE kind = $1;

-- importErrorsPage
SELECT line, message FROM activity_import_error WHERE job_id = $1 ORDER BY line OFFSET {offset} LIMIT {limit};

-- importErrorCount
SELECT count(*)::int AS n FROM activity_import_error WHERE job_id = $1;

-- importJobExists
SELECT 1 FROM job WHERE id = $1 AND kind = 'activity-import';

-- importErrorsAfter
SELECT line, message FROM activity_import_error WHERE job_id = $1 AND line > $2 ORDER BY line LIMIT 5000;

-- yearTotals
SELECT period, points, mobile_points, rule_points FROM activity_total
WHERE account = $1 AND (period = $2 OR period LIKE $2 || '-%');

-- holderById
SELECT u.account, u.id::text AS user_id, u.name, o.name AS unit_name, u.locked, u.unit_path
FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id WHERE u.id = $1;

-- holderByIdIn
SELECT u.account, u.id::text AS user_id, u.name, o.name AS unit_name, u.locked, u.unit_path
FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id WHERE u.id = $1 AND u.unit_path LIKE $2;

-- holderByAccount
SELECT u.account, u.id::text AS user_id, u.name, o.name AS unit_name, u.locked, u.unit_path
FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id WHERE u.account = $1;

-- days
SELECT day::text AS day, sum(points)::int AS points, sum(mobile_points)::int AS mobile FROM activity_daily
WHERE account = $1 AND day >= $2 AND day < $3 GROUP BY day HAVING sum(points) <> 0 ORDER BY day;

-- ledger
SELECT l.ord, l.day::text AS day, l.rule, l.points, l.mobile, l.event_id, e.type AS event_type, e.at AS event_at{extra}
 FROM activity_ledger l LEFT JOIN activity_event e ON e.id = l.event_id
WHERE l.account = $1 AND l.day >= $2 AND l.day < $3;

-- ledgerPage
{ledger} ORDER BY {order} OFFSET {offset} LIMIT {limit};

-- ledgerKeyset
{ledger} {after} ORDER BY {order} LIMIT 5000;

-- ledgerCount
SELECT count(*)::int AS n FROM activity_ledger l WHERE l.account = $1 AND l.day >= $2 AND l.day < $3;

-- ledgerByTime
l.ord;

-- ledgerByPoints
l.points;

-- ledgerByRule
coalesce(array_position(ARRAY['login','profile','mobile_use','spread','submission','lesson','task','interaction','app']::text[], l.rule), 10);
