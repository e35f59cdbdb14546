-- Statements of finalization.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- lockCampaign
SELECT pg_advisory_xact_lock(740001, ($1::bigint % 2147483647)::int);

-- lockCampaignShared
SELECT pg_advisory_xact_lock_shared(740001, ($1::bigint % 2147483647)::int);

-- progressIn
a.campaign_id = :campaignId AND a.unit_path LIKE :scope AND a.state = ANY(:states::text[]);

-- progressOfCategory
a.category_code = :categoryCode;

-- progressOfApplication
a.id = :applicationId;

-- progressFlagged
(round((COALESCE(sc.totals[array_length(sc.totals, 1)] - sc.totals[1], 0))::numeric, 2) > :threshold::numeric) = true;

-- progressUnflagged
(round((COALESCE(sc.totals[array_length(sc.totals, 1)] - sc.totals[1], 0))::numeric, 2) > :threshold::numeric) = false;

-- progressRows
SELECT
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name,
       (SELECT count(*)::int FROM expert_assignment x WHERE x.application_id = a.id) AS assigned,
       (SELECT count(*)::int FROM expert_assignment x WHERE x.application_id = a.id AND x.state = 'RELEASED') AS released,
       sc.submitted, sc.totals, sc.scores_key, sr.scores_key AS review_key
  FROM application a
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS submitted,
           array_agg(s.total::float8 ORDER BY s.total) AS totals,
           string_agg(s.assignment_id || ':' || s.total, ',' ORDER BY s.assignment_id) AS scores_key
      FROM expert_score s WHERE s.application_id = a.id AND s.state = 'SUBMITTED'
  ) sc ON true
  LEFT JOIN spread_review sr ON sr.application_id = a.id WHERE {where} ORDER BY k.position, a.id {paging};

-- progressPaging
OFFSET {offset} LIMIT {limit};

-- progressCount
SELECT count(*)::int AS n FROM application a
 LEFT JOIN LATERAL (SELECT array_agg(s.total::float8 ORDER BY s.total) AS totals FROM expert_score s
                     WHERE s.application_id = a.id AND s.state = 'SUBMITTED') sc ON true
WHERE {where};

-- scoresInReview
SELECT
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name,
       (SELECT count(*)::int FROM expert_assignment x WHERE x.application_id = a.id) AS assigned,
       (SELECT count(*)::int FROM expert_assignment x WHERE x.application_id = a.id AND x.state = 'RELEASED') AS released,
       sc.submitted, sc.totals, sc.scores_key, sr.scores_key AS review_key
  FROM application a
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS submitted,
           array_agg(s.total::float8 ORDER BY s.total) AS totals,
           string_agg(s.assignment_id || ':' || s.total, ',' ORDER BY s.assignment_id) AS scores_key
      FROM expert_score s WHERE s.application_id = a.id AND s.state = 'SUBMITTED'
  ) sc ON true
  LEFT JOIN spread_review sr ON sr.application_id = a.id WHERE a.campaign_id = $1 AND a.category_code = $2 AND a.unit_path LIKE $3 AND a.state = 'EXPERT_REVIEW' ORDER BY a.id;

-- scoresOfApplication
SELECT
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name,
       (SELECT count(*)::int FROM expert_assignment x WHERE x.application_id = a.id) AS assigned,
       (SELECT count(*)::int FROM expert_assignment x WHERE x.application_id = a.id AND x.state = 'RELEASED') AS released,
       sc.submitted, sc.totals, sc.scores_key, sr.scores_key AS review_key
  FROM application a
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS submitted,
           array_agg(s.total::float8 ORDER BY s.total) AS totals,
           string_agg(s.assignment_id || ':' || s.total, ',' ORDER BY s.assignment_id) AS scores_key
      FROM expert_score s WHERE s.application_id = a.id AND s.state = 'SUBMITTED'
  ) sc ON true
  LEFT JOIN spread_review sr ON sr.application_id = a.id WHERE a.id = $1;

-- category
SELECT state, scheme, scores_key, previewed_at, finalized_at FROM finalization_category WHERE campaign_id = $1 AND category_code = $2;

-- results
SELECT
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name, r.score, r.expert_count, r.spread, r.flagged, r.rank, r.grade
     FROM finalization_result r JOIN application a ON a.id = r.application_id
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
    WHERE r.campaign_id = $1 AND r.category_code = $2 AND a.unit_path LIKE $3 ORDER BY r.rank, a.id;

-- setGradingScheme
UPDATE campaign SET finalization = jsonb_set(finalization, '{grading}', $2::jsonb), updated_at = now() WHERE id = $1;

-- deleteResults
DELETE FROM finalization_result WHERE campaign_id = $1 AND category_code = $2;

-- savePreview
INSERT INTO finalization_category (campaign_id, category_code, state, scheme, scores_key, previewed_by) VALUES ($1, $2, 'PREVIEW', $3, $4, $5)
ON CONFLICT (campaign_id, category_code) DO UPDATE SET scheme = EXCLUDED.scheme, scores_key = EXCLUDED.scores_key,
  previewed_by = EXCLUDED.previewed_by, previewed_at = now();

-- insertResults
INSERT INTO finalization_result (application_id, campaign_id, category_code, score, expert_count, spread, flagged, rank, grade)
SELECT r.app, $1, $2, r.score, r.n, r.spread, r.flagged, r.rank, r.grade
  FROM unnest($3::bigint[], $4::numeric[], $5::int[], $6::numeric[], $7::boolean[], $8::int[], $9::text[])
    AS r(app, score, n, spread, flagged, rank, grade);

-- saveSpreadReview
INSERT INTO spread_review (application_id, scores_key, note, reviewed_by) VALUES ($1, $2, $3, $4)
ON CONFLICT (application_id) DO UPDATE SET scores_key = EXCLUDED.scores_key, note = EXCLUDED.note, reviewed_by = EXCLUDED.reviewed_by, reviewed_at = now();

-- waitingTitles
SELECT COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title FROM application a
WHERE a.campaign_id = $1 AND a.category_code = $2 AND a.unit_path LIKE $3 AND a.state = 'AT_PROVINCE' ORDER BY a.id;

-- resultGrades
SELECT application_id, grade FROM finalization_result WHERE campaign_id = $1 AND category_code = $2 ORDER BY rank, application_id;

-- applicationsById
SELECT a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at FROM application a WHERE a.id = ANY($1::bigint[]) ORDER BY a.id;

-- markFinal
UPDATE finalization_category SET state = 'FINAL', finalized_by = $3, finalized_at = now() WHERE campaign_id = $1 AND category_code = $2;

-- assignmentExport
SELECT
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name, eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked, x.state AS x_state, x.origin AS x_origin, x.created_at AS x_created_at, x.released_at AS x_released_at
       FROM expert_assignment x JOIN application a ON a.id = x.application_id
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
       JOIN app_user eu ON eu.id = x.expert_user_id
JOIN org_unit eo ON eo.id = eu.home_unit_id
LEFT JOIN org_unit ec ON ec.id = eo.city_id
      WHERE {where} ORDER BY k.position, a.id, eu.name, x.id;

-- expertSheets
SELECT
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name, eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked, s.items, s.total, s.state AS s_state, s.submitted_at FROM expert_assignment x JOIN application a ON a.id = x.application_id
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
JOIN app_user eu ON eu.id = x.expert_user_id
JOIN org_unit eo ON eo.id = eu.home_unit_id
LEFT JOIN org_unit ec ON ec.id = eo.city_id
LEFT JOIN expert_score s ON s.assignment_id = x.id
      WHERE x.campaign_id = $1 AND x.expert_user_id = $2 AND x.state = 'RELEASED' ORDER BY k.position, a.id;

-- expertHasReleasedWork
SELECT 1 FROM expert_assignment WHERE campaign_id = $1 AND expert_user_id = $2 AND state = 'RELEASED' LIMIT 1;

-- submittedSheetsIn
x.campaign_id = :campaignId AND a.unit_path LIKE :scope AND s.state = 'SUBMITTED';

-- submittedSheetsOfCategory
a.category_code = :categoryCode;

-- submittedSheetsOfExpert
x.expert_user_id = :expertId;

-- submittedSheets
SELECT
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name, eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked, s.items, s.total, s.state AS s_state, s.submitted_at FROM expert_assignment x JOIN application a ON a.id = x.application_id
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
JOIN app_user eu ON eu.id = x.expert_user_id
JOIN org_unit eo ON eo.id = eu.home_unit_id
LEFT JOIN org_unit ec ON ec.id = eo.city_id
LEFT JOIN expert_score s ON s.assignment_id = x.id WHERE {where} ORDER BY eu.name, eu.id, k.position, a.id;

-- demoActor
SELECT r.user_id, r.unit_id, o.code FROM role_assignment r JOIN app_user u ON u.id = r.user_id JOIN org_unit o ON o.id = r.unit_id
WHERE u.account = $1 AND r.role = $2 ORDER BY r.id LIMIT 1;

-- demoSetForm
UPDATE application SET form = $2, title = $3 WHERE id = $1;

-- demoExpertsWithoutConflict
SELECT a.id AS application_id, eu.id AS expert_id
 FROM application a JOIN org_unit au ON au.id = a.applicant_unit_id
 CROSS JOIN app_user eu JOIN org_unit eo ON eo.id = eu.home_unit_id
WHERE a.id = $1
  AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = eu.id AND r.role = 'EXPERT') AND NOT eu.locked
  AND eu.id <> a.applicant_user_id AND eo.city_id IS DISTINCT FROM a.city_id AND eo.id <> au.id
ORDER BY eu.id;

-- demoReleasedAssignment
INSERT INTO expert_assignment (campaign_id, application_id, expert_user_id, state, origin, created_by, released_by, released_at)
VALUES ($1, $2, $3, 'RELEASED', 'AUTO', $4, $4, now());
