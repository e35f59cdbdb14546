-- Statements of application.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- seenByTeacher
(a.applicant_kind = 'TEACHER' AND a.applicant_user_id = :userId);

-- seenBySchool
(a.unit_path LIKE :pathPrefix AND (a.state <> 'DRAFT' OR (a.applicant_kind = 'SCHOOL' AND a.applicant_unit_id = :unitId)));

-- seenByRegion
(a.unit_path LIKE :pathPrefix AND (a.state <> 'DRAFT' OR (a.applicant_kind = 'REGION' AND a.applicant_unit_id = :unitId)));

-- seenByProvince
(a.unit_path LIKE :pathPrefix AND a.state <> 'DRAFT');

-- visibleById
SELECT a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at FROM application a WHERE a.id = $1 AND {visibility};

-- existingInCampaign
SELECT category_code, state FROM application
WHERE campaign_id = $1 AND state <> 'WITHDRAWN'
  AND ((applicant_kind = 'TEACHER' AND applicant_user_id = $2) OR (applicant_kind <> 'TEACHER' AND applicant_unit_id = $3));

-- insert
INSERT INTO application AS a (campaign_id, category_code, applicant_kind, applicant_user_id, applicant_unit_id, city_id, county_id, school_id,
                            practice_base_id, unit_path, levels, form)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at;

-- saveDraft
UPDATE application a SET form = $3, title = $4, version = version + 1, updated_at = now() WHERE a.id = $1 AND a.version = $2 RETURNING a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at;

-- inCampaign
a.campaign_id = :campaignId;

-- withCategory
a.category_code = :categoryCode;

-- inStates
a.state = ANY(:states::text[]);

-- atLevel
a.current_level = :level;

-- underUnit
a.unit_path LIKE :pathPrefix;

-- matching
(a.title LIKE :pattern OR EXISTS (SELECT 1 FROM app_user u WHERE u.id = a.applicant_user_id AND u.name LIKE :pattern));

-- teacherOwn
a.applicant_user_id = :userId;

-- unitOwn
a.applicant_unit_id = :unitId AND a.applicant_kind <> 'TEACHER';

-- waitingIn
a.state = ANY(:states::text[]);

-- waitingAt
(a.current_level = :level OR (a.levels[array_position(a.levels, a.current_level) + 1] = :level AND EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
   WHERE r.role = CASE a.current_level WHEN 'SCHOOL' THEN 'SCHOOL_ADMIN' WHEN 'COUNTY' THEN 'COUNTY_REVIEWER' WHEN 'CITY' THEN 'CITY_REVIEWER' END AND r.unit_id = CASE a.current_level WHEN 'SCHOOL' THEN a.school_id WHEN 'COUNTY' THEN a.county_id WHEN 'CITY' THEN a.city_id END AND NOT u.locked)
AND NOT EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
   WHERE r.role = CASE a.current_level WHEN 'SCHOOL' THEN 'SCHOOL_ADMIN' WHEN 'COUNTY' THEN 'COUNTY_REVIEWER' WHEN 'CITY' THEN 'CITY_REVIEWER' END AND r.unit_id = CASE a.current_level WHEN 'SCHOOL' THEN a.school_id WHEN 'COUNTY' THEN a.county_id WHEN 'CITY' THEN a.city_id END AND NOT u.locked
     AND u.id <> a.applicant_user_id AND (u.phone IS NULL OR NULLIF(a.form->>'mobile', '') IS NULL OR u.phone <> a.form->>'mobile'))));

-- page
SELECT a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at FROM application a WHERE {where} ORDER BY {orderBy} OFFSET {offset} LIMIT {limit};

-- count
SELECT count(*)::int AS n FROM application a WHERE {where};

-- orderBy_submittedAt
a.first_submitted_at ASC NULLS LAST, a.id ASC;

-- orderBy_lastActionAt
COALESCE(a.last_action_at, a.updated_at) ASC, a.id ASC;

-- orderBy_updatedAt
a.updated_at ASC, a.id ASC;

-- orderBy_title
NULLIF(a.title, '') COLLATE "C" ASC NULLS LAST, a.id ASC;

-- orderBy_applicantName
(SELECT s_u.name FROM app_user s_u WHERE s_u.id = a.applicant_user_id) COLLATE "C" ASC, a.id ASC;

-- orderBy_unit
(SELECT s_o.code FROM org_unit s_o WHERE s_o.id = a.applicant_unit_id) COLLATE "C" ASC NULLS LAST, (SELECT s_o.name FROM org_unit s_o WHERE s_o.id = a.applicant_unit_id) COLLATE "C" ASC, a.id ASC;

-- orderBy_category
(SELECT s_k.position FROM award_category s_k WHERE s_k.campaign_id = a.campaign_id AND s_k.code = a.category_code) ASC, a.id ASC;

-- orderBy_state
array_position(ARRAY['DRAFT', 'SUBMITTED', 'PENDING', 'AT_PROVINCE', 'EXPERT_REVIEW', 'RETURNED', 'REJECTED', 'FINALIZED', 'NOT_SELECTED', 'DISQUALIFIED', 'WITHDRAWN']::text[], a.state) ASC, a.id ASC;

-- orderBy_currentLevel
array_position(ARRAY['SCHOOL', 'COUNTY', 'CITY', 'PROVINCE']::text[], a.current_level) ASC NULLS LAST, a.id ASC;

-- orderBy_revision
a.revision ASC, a.id ASC;

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

-- consentsOf
SELECT application_id, revision, user_id, accepted_at, text_version, text FROM application_consent
WHERE application_id = ANY($1::bigint[]) ORDER BY revision;

-- insertConsent
INSERT INTO application_consent (application_id, revision, user_id, text_version, text) VALUES ($1, $2, $3, $4, $5);

-- quotaPlacesOf
SELECT application_id, bucket_key, level, revision, taken_at, released_at FROM quota_place
WHERE application_id = ANY($1::bigint[]) ORDER BY id;

-- pipelineFacts
SELECT a.id, ARRAY(SELECT lu.id::text FROM app_user lu
WHERE NULLIF(a.form->>'mobile', '') IS NOT NULL AND lu.phone = a.form->>'mobile' ORDER BY lu.id) AS listed,
    EXISTS (SELECT 1 FROM finalization_category f WHERE f.campaign_id = a.campaign_id AND f.category_code = a.category_code AND f.state = 'FINAL') AS final,
    EXISTS (SELECT 1 FROM publication p WHERE p.campaign_id = a.campaign_id) AS published,
    (EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
     WHERE r.role = 'SCHOOL_ADMIN' AND r.unit_id = a.school_id AND NOT u.locked)
  AND NOT EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
     WHERE r.role = 'SCHOOL_ADMIN' AND r.unit_id = a.school_id AND NOT u.locked
       AND u.id <> a.applicant_user_id AND (u.phone IS NULL OR NULLIF(a.form->>'mobile', '') IS NULL OR u.phone <> a.form->>'mobile'))) AS escalated_school,
    (EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
     WHERE r.role = 'COUNTY_REVIEWER' AND r.unit_id = a.county_id AND NOT u.locked)
  AND NOT EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
     WHERE r.role = 'COUNTY_REVIEWER' AND r.unit_id = a.county_id AND NOT u.locked
       AND u.id <> a.applicant_user_id AND (u.phone IS NULL OR NULLIF(a.form->>'mobile', '') IS NULL OR u.phone <> a.form->>'mobile'))) AS escalated_county,
    (EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
     WHERE r.role = 'CITY_REVIEWER' AND r.unit_id = a.city_id AND NOT u.locked)
  AND NOT EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
     WHERE r.role = 'CITY_REVIEWER' AND r.unit_id = a.city_id AND NOT u.locked
       AND u.id <> a.applicant_user_id AND (u.phone IS NULL OR NULLIF(a.form->>'mobile', '') IS NULL OR u.phone <> a.form->>'mobile'))) AS escalated_city
  FROM application a WHERE a.id = ANY($1::bigint[]);

-- workingForm
SELECT a.form FROM application a WHERE a.id = $1;

-- transition
UPDATE application a SET state = $4, current_level = $5, revision = $6, grade = COALESCE($7, a.grade), version = a.version + 1,
          last_action_at = now(), updated_at = now(),
          first_submitted_at = CASE WHEN $8 THEN COALESCE(a.first_submitted_at, now()) ELSE a.first_submitted_at END
    WHERE a.id = $1 AND a.state = $2 AND a.version = $3
    RETURNING a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at;

-- insertRevision
INSERT INTO application_revision (application_id, revision, form, submitted_by) VALUES ($1, $2, $3, $4);

-- insertReviewAction
INSERT INTO review_action (application_id, revision, action, from_state, from_level, to_state, to_level, level, actor_user_id, actor_role, actor_unit_id, comment, grade)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id;

-- closableInCampaign
SELECT a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at FROM application a WHERE a.campaign_id = $1 AND a.state = ANY($2::text[]) ORDER BY a.id;

-- closableInCategory
SELECT a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at FROM application a WHERE a.campaign_id = $1 AND a.state = ANY($2::text[]) AND a.category_code = $3 ORDER BY a.id;

-- criteriaOfCampaigns
SELECT k.campaign_id::text AS campaign_id, c.year, k.code, k.criteria
FROM award_category k JOIN campaign c ON c.id = k.campaign_id WHERE k.campaign_id = ANY($1::bigint[]);

-- teacherYearTotals
SELECT u.id::text AS user_id, t.period, t.points, t.rule_points
 FROM app_user u JOIN activity_total t ON t.account = u.account
WHERE u.id = ANY($1::bigint[]) AND length(t.period) = 4 AND t.period <= $2;

-- teacherActivityDetails
SELECT u.id::text AS user_id, d.day::text AS day, d.rule, d.points, NULL::text AS level, NULL::text AS resource_id
  FROM app_user u JOIN activity_daily d ON d.account = u.account
 WHERE u.id = ANY($1::bigint[]) AND d.rule = 'lesson' AND d.day BETWEEN $2::date AND $3::date
UNION ALL
SELECT u.id::text, l.day::text, l.rule, l.points, e.raw->>'level', e.raw->>'resourceId'
  FROM app_user u
  JOIN activity_daily d ON d.account = u.account AND d.rule = 'submission' AND d.day <= $3::date
  JOIN activity_ledger l ON l.account = d.account AND l.day = d.day AND l.rule = 'submission'
  LEFT JOIN activity_event e ON e.id = l.event_id
 WHERE u.id = ANY($1::bigint[]);

-- unitActivityCounts
SELECT s.id::text AS unit_id,
      count(*)::int AS teachers,
      count(t.account)::int AS with_data,
      count(*) FILTER (WHERE t.points >= $3::int)::int AS active,
      count(*) FILTER (WHERE t.rule_points[$4::int] > 0)::int AS on_client
 FROM org_unit s
 JOIN app_user u ON u.unit_path ~>=~ s.path AND u.unit_path ~<~ (s.path || '~') AND NOT u.locked
 LEFT JOIN activity_total t ON t.account = u.account AND t.period = $2
WHERE s.id = ANY($1::bigint[])
  AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
GROUP BY s.id;

-- exportRows
SELECT a.id, ci.name AS city_name, ci.code AS city_code, co.name AS county_name, co.code AS county_code, u.name AS unit_name, u.code AS unit_code,
  k.name AS category_name, p.name AS applicant_name, p.account AS applicant_account, COALESCE(rv.form, a.form) AS form, a.title, a.state,
  a.current_level, a.revision, a.first_submitted_at, a.last_action_at, ck.text_version AS consent_version, ck.accepted_at AS consent_at
FROM application a
JOIN org_unit ci ON ci.id = a.city_id
LEFT JOIN org_unit co ON co.id = a.county_id
JOIN org_unit u ON u.id = a.applicant_unit_id
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user p ON p.id = a.applicant_user_id
LEFT JOIN LATERAL (SELECT r.form FROM application_revision r WHERE r.application_id = a.id ORDER BY r.revision DESC LIMIT 1) rv ON true
LEFT JOIN LATERAL (SELECT c.text_version, c.accepted_at FROM application_consent c WHERE c.application_id = a.id ORDER BY c.revision DESC LIMIT 1) ck ON true
WHERE {where} ORDER BY {orderBy};

-- exportDefaultOrder
ci.code, co.code NULLS FIRST, u.code, a.id;

-- historyExportRows
SELECT h.application_id, a.title, u.name AS unit_name, k.name AS category_name, h.revision, h.at, h.action, h.level, p.name AS actor_name,
      p.account AS actor_account, h.actor_role, o.name AS actor_unit, o.code AS actor_unit_code, h.from_state, h.to_state, h.comment
 FROM review_action h
 JOIN application a ON a.id = h.application_id
 JOIN org_unit u ON u.id = a.applicant_unit_id
 JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
 JOIN app_user p ON p.id = h.actor_user_id
 JOIN org_unit o ON o.id = h.actor_unit_id
WHERE {where} ORDER BY h.application_id, h.id;

-- seedActor
SELECT r.user_id, r.unit_id, o.code FROM role_assignment r JOIN app_user u ON u.id = r.user_id JOIN org_unit o ON o.id = r.unit_id
WHERE u.account = $1 AND r.role = $2 ORDER BY r.id LIMIT 1;

-- seedForm
SELECT form FROM application WHERE id = $1;

-- seedUser
SELECT name, phone FROM app_user WHERE id = $1;

-- seedFormAndTitle
UPDATE application SET form = $2, title = $3 WHERE id = $1;

-- seedFormOnly
UPDATE application SET form = $2 WHERE id = $1;
