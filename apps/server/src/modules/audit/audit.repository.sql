-- Statements of audit.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- insert
INSERT INTO audit_log (actor_user_id, actor_role, actor_unit_id, action, target_type, target_id, reason, data)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
