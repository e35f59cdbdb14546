-- Statements of publication.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- publication
SELECT p.campaign_id, p.published_at, u.name AS published_by_name FROM publication p JOIN app_user u ON u.id = p.published_by WHERE p.campaign_id = $1;

-- publishedAt
SELECT published_at FROM publication WHERE campaign_id = $1;

-- pendingByCategory
SELECT a.category_code, count(*)::int AS n FROM application a
WHERE a.campaign_id = $1 AND a.unit_path LIKE $2 AND a.state IN ('AT_PROVINCE','EXPERT_REVIEW') GROUP BY a.category_code ORDER BY a.category_code;

-- finalCategoryCount
SELECT count(*)::int AS n FROM finalization_category WHERE campaign_id = $1 AND state = 'FINAL';

-- insert
INSERT INTO publication (campaign_id, published_by) VALUES ($1, $2);

-- publishedCampaigns
SELECT c.id, c.year, c.title, c.doc_no, p.published_at FROM publication p JOIN campaign c ON c.id = p.campaign_id ORDER BY c.year DESC, p.published_at DESC;

-- unpublishedOpenCampaigns
SELECT c.id FROM campaign c WHERE c.status = 'OPEN' AND NOT EXISTS (SELECT 1 FROM publication p WHERE p.campaign_id = c.id) ORDER BY c.year DESC, c.id DESC;

-- publishedRows
SELECT
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name, r.rank, r.score
     FROM application a
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
     LEFT JOIN finalization_result r ON r.application_id = a.id
     LEFT JOIN finalization_category fc ON fc.campaign_id = a.campaign_id AND fc.category_code = a.category_code
    WHERE a.campaign_id = $1 AND a.state = 'FINALIZED' AND a.grade IS NOT NULL{category}
    ORDER BY k.position,
             (SELECT b.ord FROM jsonb_array_elements(fc.scheme->'bands') WITH ORDINALITY AS b(band, ord) WHERE b.band->>'grade' = a.grade),
             r.rank NULLS LAST, oc.code, a.id;

-- publishedOfCategory
a.category_code = $2;

-- excellentUnits
SELECT e.id AS x_id, e.campaign_id AS x_campaign_id, e.reason, e.created_at, e.updated_at, o.id, o.kind, o.code, o.name, o.parent_id, o.path, o.depth, o.city_id, o.county_id, oc.name AS city_name
 FROM excellent_unit e JOIN org_unit o ON o.id = e.unit_id LEFT JOIN org_unit oc ON oc.id = o.city_id
WHERE e.campaign_id = $1{only} ORDER BY o.path, e.id;

-- excellentInstructors
SELECT e.id AS x_id, e.campaign_id AS x_campaign_id, e.user_id, e.name AS person_name, e.reason, e.created_at, e.updated_at, o.id, o.kind, o.code, o.name, o.parent_id, o.path, o.depth, o.city_id, o.county_id, oc.name AS city_name
 FROM excellent_instructor e JOIN org_unit o ON o.id = e.unit_id LEFT JOIN org_unit oc ON oc.id = o.city_id
WHERE e.campaign_id = $1{only} ORDER BY o.path, e.name, e.id;

-- excellentInScope
o.path LIKE $2;

-- excellentWithId
e.id = $2;

-- insertExcellentUnit
INSERT INTO excellent_unit (campaign_id, unit_id, reason, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id, unit_id) DO NOTHING RETURNING id;

-- excellentUnitCampaign
SELECT e.campaign_id FROM excellent_unit e JOIN org_unit o ON o.id = e.unit_id WHERE e.id = $1 AND o.path LIKE $2;

-- updateExcellentUnit
UPDATE excellent_unit SET reason = $2, updated_at = now() WHERE id = $1;

-- deleteExcellentUnit
DELETE FROM excellent_unit WHERE id = $1;

-- sameInstructor
SELECT id FROM excellent_instructor WHERE campaign_id = $1 AND ((user_id IS NOT NULL AND user_id = $2) OR (user_id IS NULL AND $2::bigint IS NULL AND unit_id = $3 AND name = $4));

-- insertExcellentInstructor
INSERT INTO excellent_instructor (campaign_id, user_id, name, unit_id, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id;

-- excellentInstructorCampaign
SELECT e.campaign_id FROM excellent_instructor e JOIN org_unit o ON o.id = e.unit_id WHERE e.id = $1 AND o.path LIKE $2;

-- updateExcellentInstructor
UPDATE excellent_instructor SET user_id = $2, name = $3, unit_id = $4, reason = $5, updated_at = now() WHERE id = $1;

-- deleteExcellentInstructor
DELETE FROM excellent_instructor WHERE id = $1;
