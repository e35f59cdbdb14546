-- Statements of computed-items.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- account
SELECT account FROM app_user WHERE id = $1;

-- yearlyTotal
SELECT points, mobile_points FROM activity_total WHERE account = $1 AND period = $2;

-- pointsRank
WITH grp AS (
  SELECT DISTINCT ON (u.id) u.id, t.points
    FROM application a JOIN app_user u ON u.id = a.applicant_user_id
    JOIN activity_total t ON t.account = u.account AND t.period = $3
   WHERE a.campaign_id = $1 AND a.category_code = $2 AND a.applicant_kind = 'TEACHER' AND a.state = ANY($4::text[]))
SELECT (SELECT count(*)::int FROM grp WHERE points > $5) + 1 AS rank, (SELECT count(*)::int FROM grp) AS size;

-- mobileLessonMinutes
SELECT to_char(day, 'YYYY-MM-DD') AS day,
      sum(CASE WHEN jsonb_typeof(raw->'minutes') = 'number' THEN (raw->>'minutes')::float8 ELSE 0 END)::float8 AS minutes
 FROM activity_event
WHERE subject = $1 AND type = 'lesson' AND raw->>'client' = 'mobile' AND day BETWEEN $2::date AND $3::date
GROUP BY day;

-- interactionsAndApproved
SELECT count(*) FILTER (WHERE type = 'interaction')::int AS interactions,
     count(DISTINCT raw->>'resourceId') FILTER (
       WHERE type = 'resource_review' AND raw->>'level' = 'province' AND raw->>'outcome' = 'approved'
         AND NOT EXISTS (SELECT 1 FROM activity_event d WHERE d.subject = $1 AND d.type = 'resource_deleted'
                          AND d.raw->>'resourceId' = activity_event.raw->>'resourceId' AND d.day <= $3::date))::int AS approved
FROM activity_event WHERE subject = $1 AND day BETWEEN $2::date AND $3::date;

-- taskStudents
SELECT (SELECT count(DISTINCT e.raw->>'studentId')::int FROM activity_event e WHERE e.task_id = t.task_id AND e.type = 'task_engaged') AS students
 FROM activity_task t
WHERE t.publisher = $1
  AND EXISTS (SELECT 1 FROM activity_event p WHERE p.task_id = t.task_id AND p.type = 'task_published' AND p.day BETWEEN $2::date AND $3::date);
