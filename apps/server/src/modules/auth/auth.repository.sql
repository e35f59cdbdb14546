-- Statements of auth.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- rolesOfUser
SELECT r.id AS assignment_id, r.role, r.unit_id, o.path AS unit_path, o.kind AS unit_kind, o.name AS unit_name
 FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id
WHERE r.user_id = $1 ORDER BY r.id;

-- sessionByTokenHash
SELECT s.user_id, u.account, u.name, u.home_unit_id, u.unit_path, s.acting_assignment_id
 FROM user_session s JOIN app_user u ON u.id = s.user_id
WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.locked;

-- takeAttempt
INSERT INTO login_throttle AS t (key, failures, window_start) VALUES ($1, 1, now())
ON CONFLICT (key) DO UPDATE SET
  failures = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN 1
                  WHEN t.failures < $2 THEN t.failures + 1 ELSE t.failures END,
  blocked_until = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN NULL
                       WHEN t.failures < $2 THEN t.blocked_until
                       ELSE t.window_start + make_interval(secs => $3) END,
  window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN now() ELSE t.window_start END
RETURNING CASE WHEN t.blocked_until > now() THEN ceil(extract(epoch FROM t.blocked_until - now()))::int END AS wait;

-- sweepThrottle
DELETE FROM login_throttle WHERE window_start < now() - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now());

-- giveBack
UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = ANY($1::text[]) AND blocked_until IS NULL;

-- passwordHashByAccount
SELECT id, password_hash FROM app_user WHERE account = $1;

-- passwordHashById
SELECT password_hash FROM app_user WHERE id = $1;

-- lockLoginUser
SELECT password_hash, locked, last_acting_assignment_id AS last_acting FROM app_user WHERE id = $1 FOR UPDATE;

-- lockBlockedWait
SELECT max(ceil(extract(epoch FROM blocked_until - now())))::int AS wait FROM
 (SELECT blocked_until FROM login_throttle WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE) b
WHERE blocked_until > now();

-- createSession
INSERT INTO user_session (token_hash, user_id, acting_assignment_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4));

-- clearAccountThrottle
DELETE FROM login_throttle WHERE key = $1 OR left(key, length($2)) = $2;

-- deleteSession
DELETE FROM user_session WHERE token_hash = $1;

-- setSessionActing
UPDATE user_session SET acting_assignment_id = $2 WHERE token_hash = $1;

-- setLastActing
UPDATE app_user SET last_acting_assignment_id = $2 WHERE id = $1;

-- setPasswordHash
UPDATE app_user SET password_hash = $2, updated_at = now() WHERE id = $1;

-- deleteOtherSessions
DELETE FROM user_session WHERE user_id = $1 AND token_hash <> $2;

-- deleteUserSessions
DELETE FROM user_session WHERE user_id = $1;
