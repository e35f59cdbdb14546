-- Statements of contact.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- contactInScope
SELECT c.id, c.campaign_id, c.unit_id, c.city_id, c.unit_path, c.form, c.state, c.version, c.submitted_by, c.submitted_at,
c.reviewed_by, c.reviewed_at, c.review_comment, c.granted_assignment_id FROM regional_contact c WHERE c.id = $1 AND c.unit_path LIKE $2;

-- resubmitContact
UPDATE regional_contact c SET unit_id = $2, city_id = $3, unit_path = $4, form = $5, state = 'SUBMITTED', version = c.version + 1,
              submitted_by = $6, submitted_at = now(), reviewed_by = NULL, reviewed_at = NULL, review_comment = NULL
        WHERE c.id = $1 AND c.version = $7 RETURNING c.id, c.campaign_id, c.unit_id, c.city_id, c.unit_path, c.form, c.state, c.version, c.submitted_by, c.submitted_at,
c.reviewed_by, c.reviewed_at, c.review_comment, c.granted_assignment_id;

-- insertContact
INSERT INTO regional_contact AS c (campaign_id, unit_id, city_id, unit_path, form, submitted_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING c.id, c.campaign_id, c.unit_id, c.city_id, c.unit_path, c.form, c.state, c.version, c.submitted_by, c.submitted_at,
c.reviewed_by, c.reviewed_at, c.review_comment, c.granted_assignment_id;

-- grantRole
INSERT INTO role_assignment (user_id, role, unit_id, granted_by) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, role, unit_id) DO NOTHING RETURNING id;

-- existingAssignment
SELECT id FROM role_assignment WHERE user_id = $1 AND role = $2 AND unit_id = $3;

-- approveContact
UPDATE regional_contact c SET state = 'APPROVED', version = c.version + 1, reviewed_by = $2, reviewed_at = now(), granted_assignment_id = $3
      WHERE c.id = $1 AND c.version = $4 RETURNING c.id, c.campaign_id, c.unit_id, c.city_id, c.unit_path, c.form, c.state, c.version, c.submitted_by, c.submitted_at,
c.reviewed_by, c.reviewed_at, c.review_comment, c.granted_assignment_id;

-- rejectContact
UPDATE regional_contact c SET state = 'REJECTED', version = c.version + 1, reviewed_by = $2, reviewed_at = now(), review_comment = $3
      WHERE c.id = $1 AND c.version = $4 RETURNING c.id, c.campaign_id, c.unit_id, c.city_id, c.unit_path, c.form, c.state, c.version, c.submitted_by, c.submitted_at,
c.reviewed_by, c.reviewed_at, c.review_comment, c.granted_assignment_id;

-- listScopeWhere
c.campaign_id = $1 AND c.unit_path LIKE $2;

-- listStateWhere
AND c.state = $3;

-- listContacts
SELECT c.id, c.campaign_id, c.unit_id, c.city_id, c.unit_path, c.form, c.state, c.version, c.submitted_by, c.submitted_at,
c.reviewed_by, c.reviewed_at, c.review_comment, c.granted_assignment_id FROM regional_contact c WHERE {where} ORDER BY c.unit_path, c.id OFFSET {offset} LIMIT {limit};

-- countContacts
SELECT count(*)::int AS n FROM regional_contact c WHERE {where};
