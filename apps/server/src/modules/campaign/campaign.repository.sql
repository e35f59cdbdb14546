-- Statements of campaign.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- categoryNames
SELECT campaign_id, code, name FROM award_category WHERE campaign_id = ANY($1::bigint[]);

-- campaignById
SELECT id, year, title, doc_no, issuer, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, status, levels, forms, finalization, created_at, updated_at FROM campaign WHERE id = $1;

-- stagesOf
SELECT stage, name, to_char(deadline, 'YYYY-MM-DD') AS deadline FROM campaign_stage WHERE campaign_id = $1 ORDER BY position;

-- unitDeadlinesOf
SELECT d.stage, d.unit_id, o.code, to_char(d.deadline, 'YYYY-MM-DD') AS deadline
FROM campaign_unit_deadline d JOIN org_unit o ON o.id = d.unit_id WHERE d.campaign_id = $1;

-- categoriesOf
SELECT code, name, applicant_kind, criteria, quota, rubric FROM award_category WHERE campaign_id = $1 ORDER BY position;

-- extensionsOf
SELECT e.id, e.stage, e.unit_id, o.code, to_char(e.until, 'YYYY-MM-DD') AS until, e.reason, e.created_by, e.created_at
FROM deadline_extension e LEFT JOIN org_unit o ON o.id = e.unit_id WHERE e.campaign_id = $1 ORDER BY e.id;

-- allCampaigns
SELECT id, year, title, doc_no, issuer, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, status, levels, forms, finalization, created_at, updated_at FROM campaign ORDER BY year DESC, id DESC;

-- publishedCampaigns
SELECT id, year, title, doc_no, issuer, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, status, levels, forms, finalization, created_at, updated_at FROM campaign WHERE status <> 'DRAFT' ORDER BY year DESC, id DESC;

-- insertCampaign
INSERT INTO campaign (year, title, doc_no, issuer, issued_on, status, levels, forms, finalization, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id;

-- updateCampaign
UPDATE campaign SET year = $2, title = $3, doc_no = $4, issuer = $5, issued_on = $6, levels = $7, forms = $8, finalization = $9, updated_at = now() WHERE id = $1;

-- deleteStagesNotIn
DELETE FROM campaign_stage WHERE campaign_id = $1 AND NOT (stage = ANY($2::text[]));

-- upsertStage
INSERT INTO campaign_stage (campaign_id, stage, name, position, deadline) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (campaign_id, stage) DO UPDATE SET name = EXCLUDED.name, position = EXCLUDED.position, deadline = EXCLUDED.deadline;

-- upsertConfiguredUnitDeadline
INSERT INTO campaign_unit_deadline (campaign_id, stage, unit_id, deadline) VALUES ($1, $2, $3, $4)
ON CONFLICT (campaign_id, stage, unit_id) DO UPDATE SET deadline = EXCLUDED.deadline;

-- categoriesNotIn
SELECT k.code, k.name, (SELECT count(*)::int FROM application a WHERE a.campaign_id = k.campaign_id AND a.category_code = k.code) AS n
FROM award_category k WHERE k.campaign_id = $1 AND NOT (k.code = ANY($2::text[]));

-- deleteCategoriesNotIn
DELETE FROM award_category WHERE campaign_id = $1 AND NOT (code = ANY($2::text[]));

-- upsertCategory
INSERT INTO award_category (campaign_id, code, name, applicant_kind, position, criteria, quota, rubric)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (campaign_id, code) DO UPDATE SET name = EXCLUDED.name, applicant_kind = EXCLUDED.applicant_kind,
  position = EXCLUDED.position, criteria = EXCLUDED.criteria, quota = EXCLUDED.quota, rubric = EXCLUDED.rubric;

-- setStageDeadline
UPDATE campaign_stage SET deadline = $3 WHERE campaign_id = $1 AND stage = $2;

-- touchCampaign
UPDATE campaign SET updated_at = now() WHERE id = $1;

-- setStatus
UPDATE campaign SET status = $2, updated_at = now() WHERE id = $1;

-- otherOpenCampaigns
SELECT title, year FROM campaign WHERE status = 'OPEN' AND id <> $1 ORDER BY year, id;

-- unitsWithoutReviewer
WITH held AS (
  SELECT DISTINCT o.city_id, o.county_id FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE r.role IN ('TEACHER', 'SCHOOL_ADMIN')
  UNION SELECT DISTINCT a.city_id, a.county_id FROM application a WHERE a.campaign_id = $1
  UNION SELECT o.id, NULL FROM org_unit o WHERE o.kind = 'CITY' AND o.code = ANY($2::text[])
), reviewers AS (
  SELECT r.role, r.unit_id FROM role_assignment r JOIN app_user u ON u.id = r.user_id AND NOT u.locked
   WHERE r.role IN ('COUNTY_REVIEWER', 'CITY_REVIEWER')
)
SELECT u.name, 'COUNTY' AS level, u.code FROM org_unit u
 WHERE u.id IN (SELECT county_id FROM held) AND NOT EXISTS (SELECT 1 FROM reviewers r WHERE r.role = 'COUNTY_REVIEWER' AND r.unit_id = u.id)
UNION ALL
SELECT u.name, 'CITY' AS level, u.code FROM org_unit u
 WHERE u.id IN (SELECT city_id FROM held) AND NOT EXISTS (SELECT 1 FROM reviewers r WHERE r.role = 'CITY_REVIEWER' AND r.unit_id = u.id)
ORDER BY level, code;

-- insertExtension
INSERT INTO deadline_extension (campaign_id, stage, unit_id, until, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at;

-- setUnitDeadline
INSERT INTO campaign_unit_deadline (campaign_id, stage, unit_id, deadline, set_by) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (campaign_id, stage, unit_id) DO UPDATE SET deadline = EXCLUDED.deadline, set_by = EXCLUDED.set_by, set_at = now();

-- deleteUnitDeadline
DELETE FROM campaign_unit_deadline WHERE campaign_id = $1 AND stage = $2 AND unit_id = $3;

-- contactExportRows
SELECT c.form, c.state, c.submitted_at, ci.name AS city_name, u.name AS unit_name, u.code AS unit_code
FROM regional_contact c JOIN org_unit ci ON ci.id = c.city_id JOIN org_unit u ON u.id = c.unit_id
WHERE {where} ORDER BY ci.code, u.code, c.id;

-- clubExportRows
SELECT r.form, r.state, r.submitted_at, u.name AS unit_name, u.code AS unit_code
FROM club_registration r JOIN org_unit u ON u.id = r.unit_id WHERE {where} ORDER BY r.unit_path, r.id;

-- demoCampaignId
SELECT id FROM campaign WHERE year = 2023 AND title = $1 ORDER BY id LIMIT 1;

-- insertDemoExtension
INSERT INTO deadline_extension (campaign_id, stage, until, reason, created_by) VALUES ($1, $2, $3, $4, $5);

-- auditDemoExtensions
INSERT INTO audit_log (actor_user_id, actor_role, action, target_type, target_id, reason, data) VALUES ($1, 'PROVINCE_ADMIN', 'DEADLINE_EXTEND', 'campaign', $2, $3, $4);
