-- Statements of stats-threshold.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- read
SELECT active_min AS "activeMin", teacher_monthly AS "teacherMonthly", teacher_yearly AS "teacherYearly" FROM stats_unit_threshold;

-- lockWriters
SELECT pg_advisory_xact_lock(730002, 0);

-- write
INSERT INTO stats_unit_threshold (one, active_min, teacher_monthly, teacher_yearly) VALUES (true, $1, $2, $3)
ON CONFLICT (one) DO UPDATE SET active_min = excluded.active_min, teacher_monthly = excluded.teacher_monthly,
                                teacher_yearly = excluded.teacher_yearly;

-- recomputeAll
SELECT stats_refresh_units(coalesce((SELECT array_agg(DISTINCT home_unit_id) FROM app_user), '{}'));
