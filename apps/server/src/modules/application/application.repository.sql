-- Statements of application.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- releasedAssignment
SELECT 1 FROM expert_assignment WHERE application_id = $1 AND expert_user_id = $2 AND state = 'RELEASED';

-- historyOf
SELECT r.id, r.application_id, r.revision, r.action, r.from_state, r.from_level, r.to_state, r.to_level, r.level, r.actor_user_id,
     u.name AS actor_name, u.account AS actor_account, r.actor_role, r.actor_unit_id, r.comment, r.grade, r.at
FROM review_action r JOIN app_user u ON u.id = r.actor_user_id WHERE r.application_id = ANY($1::bigint[]) ORDER BY r.id;

-- revisionsOf
SELECT r.application_id, r.revision, r.form, r.submitted_by, u.name AS submitter_name, u.account AS submitter_account, r.submitted_at
FROM application_revision r JOIN app_user u ON u.id = r.submitted_by WHERE r.application_id = ANY($1::bigint[]) ORDER BY r.revision;

-- workingForms
SELECT id, form FROM application WHERE id = ANY($1::bigint[]);

-- quotaPlacesOf
SELECT application_id, bucket_key, level, revision, taken_at, released_at FROM quota_place
WHERE application_id = ANY($1::bigint[]) ORDER BY id;
