-- Statements of user.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- userById
SELECT id, account, name, phone, subject, stage, home_unit_id, unit_path, locked, locked_reason, locked_at, password_hash IS NOT NULL AS has_password FROM app_user WHERE id = $1;

-- userInSubtree
SELECT id, account, name, phone, subject, stage, home_unit_id, unit_path, locked, locked_reason, locked_at, password_hash IS NOT NULL AS has_password FROM app_user WHERE id = $1 AND unit_path LIKE $2;

-- identitiesById
SELECT id, account, name, locked FROM app_user WHERE id = ANY($1::bigint[]);

-- profileById
SELECT name, phone, stage FROM app_user WHERE id = $1;

-- accountByName
SELECT id, locked, unit_path FROM app_user WHERE account = $1;

-- lockForUpdate
SELECT id FROM app_user WHERE id = $1 FOR UPDATE;

-- setLocked
UPDATE app_user SET locked = $2, locked_reason = $3, locked_at = CASE WHEN $2 THEN now() END, updated_at = now()
WHERE id = $1 RETURNING id, account, name, phone, subject, stage, home_unit_id, unit_path, locked, locked_reason, locked_at, password_hash IS NOT NULL AS has_password;

-- resetPassword
UPDATE app_user SET password_hash = $2, failed_logins = 0, login_blocked_until = NULL, updated_at = now() WHERE id = $1;
