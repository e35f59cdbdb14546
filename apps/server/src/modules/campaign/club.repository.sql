-- Statements of club.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- scopeWhere
(r.unit_path LIKE :pathPattern AND (r.state <> 'DRAFT' OR r.unit_id = :unitId));

-- clubInScope
SELECT r.id, r.campaign_id, r.unit_id, r.city_id, r.county_id, r.unit_path, r.form, r.state, r.version, r.created_by, r.created_at, r.updated_at, r.submitted_at FROM club_registration r WHERE r.id = $1 AND {scope};

-- insertClub
INSERT INTO club_registration AS r (campaign_id, unit_id, city_id, county_id, unit_path, form, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING r.id, r.campaign_id, r.unit_id, r.city_id, r.county_id, r.unit_path, r.form, r.state, r.version, r.created_by, r.created_at, r.updated_at, r.submitted_at;

-- saveClubForm
UPDATE club_registration r SET form = $3, version = r.version + 1, updated_at = now() WHERE r.id = $1 AND r.version = $2 RETURNING r.id, r.campaign_id, r.unit_id, r.city_id, r.county_id, r.unit_path, r.form, r.state, r.version, r.created_by, r.created_at, r.updated_at, r.submitted_at;

-- submitClub
UPDATE club_registration r SET state = 'SUBMITTED', version = r.version + 1, submitted_at = now(), updated_at = now()
WHERE r.id = $1 AND r.version = $2 RETURNING r.id, r.campaign_id, r.unit_id, r.city_id, r.county_id, r.unit_path, r.form, r.state, r.version, r.created_by, r.created_at, r.updated_at, r.submitted_at;

-- listWhere
r.campaign_id = $1 AND {scope};

-- listClubs
SELECT r.id, r.campaign_id, r.unit_id, r.city_id, r.county_id, r.unit_path, r.form, r.state, r.version, r.created_by, r.created_at, r.updated_at, r.submitted_at FROM club_registration r WHERE {where} ORDER BY r.unit_path, r.id OFFSET {offset} LIMIT {limit};

-- countClubs
SELECT count(*)::int AS n FROM club_registration r WHERE {where};
