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

-- usersPage
SELECT id, account, name, phone, subject, stage, home_unit_id, unit_path, locked, locked_reason, locked_at, password_hash IS NOT NULL AS has_password FROM app_user u WHERE {where} ORDER BY {order}, id OFFSET {offset} LIMIT {limit};

-- usersCount
SELECT count(*)::int AS n FROM app_user u WHERE {where};

-- usersExport
SELECT u.account, u.name, o.name AS unit_name, o.code AS unit_code, u.subject, u.stage, u.phone,
     CASE WHEN u.locked THEN '已锁定' ELSE '正常' END AS status, u.locked_reason
FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id WHERE {where} ORDER BY u.unit_path, u.account;

-- userInScope
u.unit_path LIKE :scope;

-- userSearch
(u.account LIKE :search OR u.name LIKE :search);

-- userLocked
u.locked = :locked;

-- userHoldsRole
EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = :role);

-- heldRoles
SELECT r.role, o.path, o.name FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE r.user_id = $1 ORDER BY r.id;

-- insertAssignment
INSERT INTO role_assignment (user_id, role, unit_id, granted_by) VALUES ($1, $2, $3, $4)
ON CONFLICT (user_id, role, unit_id) DO NOTHING RETURNING id, user_id, role, granted_at, unit_id;

-- assignmentInSubtree
SELECT r.id, r.user_id, r.role, r.granted_at, r.unit_id, o.kind AS unit_kind
 FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id
WHERE r.id = $1 AND o.path LIKE $2;

-- deleteAssignment
DELETE FROM role_assignment WHERE id = $1;

-- assignmentsOfUsers
SELECT r.id, r.user_id, r.role, r.granted_at, r.unit_id, o.kind, o.code, o.name, o.parent_id, o.path, o.depth, o.city_id, o.county_id
FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE r.user_id = ANY($1::bigint[]) ORDER BY r.id;

-- assignmentsPage
SELECT r.id, r.user_id, r.role, r.granted_at, r.unit_id, o.kind, o.code, o.name, o.parent_id, o.path, o.depth, o.city_id, o.county_id
 FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE {where}
ORDER BY o.path, r.role, r.id OFFSET {offset} LIMIT {limit};

-- assignmentsCount
SELECT count(*)::int AS n FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE {where};

-- assignmentsExport
SELECT o.name AS unit_name, o.code AS unit_code, o.kind AS unit_kind, r.role, u.account, u.name,
      CASE WHEN u.locked THEN '已锁定' ELSE '正常' END AS status, g.account AS granted_by, r.granted_at
 FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id JOIN app_user u ON u.id = r.user_id
 LEFT JOIN app_user g ON g.id = r.granted_by
WHERE {where} ORDER BY o.path, r.role, u.account;

-- assignmentInScope
o.path LIKE :scope;

-- assignmentOfRole
r.role = :role;

-- provinceRoot
SELECT id, path FROM org_unit WHERE kind = 'PROVINCE' AND parent_id IS NULL;

-- accountExists
SELECT 1 FROM app_user WHERE account = $1;

-- insertAdmin
INSERT INTO app_user (account, name, home_unit_id, unit_path, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id;

-- grantProvinceAdmin
INSERT INTO role_assignment (user_id, role, unit_id) VALUES ($1, 'PROVINCE_ADMIN', $2);

-- auditAdminCreated
INSERT INTO audit_log (action, target_type, target_id, data) VALUES ('ADMIN_CREATED_BY_COMMAND', 'user', $1, $2::jsonb);
