-- Statements of expert.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- provinceApplication
SELECT a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at,
(SELECT COALESCE(o.code, '#' || o.id) FROM org_unit o WHERE o.id = a.city_id) AS city_key,
(SELECT COALESCE(o.code, '#' || o.id) FROM org_unit o WHERE o.id = a.applicant_unit_id AND o.kind IN ('SCHOOL','PRACTICE_BASE')) AS school_key,
ARRAY(SELECT lu.id::text FROM app_user lu
WHERE NULLIF(a.form->>'mobile', '') IS NOT NULL AND lu.phone = a.form->>'mobile' ORDER BY lu.id) AS listed_user_ids FROM application a WHERE a.id = $1 AND a.unit_path LIKE $2 AND a.state <> 'DRAFT';

-- provinceApplicationsIn
a.campaign_id = :campaignId AND a.unit_path LIKE :scope AND a.state = ANY(:states::text[]);

-- provinceApplicationsOfCategory
a.category_code = :categoryCode;

-- provinceApplications
SELECT a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at,
(SELECT COALESCE(o.code, '#' || o.id) FROM org_unit o WHERE o.id = a.city_id) AS city_key,
(SELECT COALESCE(o.code, '#' || o.id) FROM org_unit o WHERE o.id = a.applicant_unit_id AND o.kind IN ('SCHOOL','PRACTICE_BASE')) AS school_key,
ARRAY(SELECT lu.id::text FROM app_user lu
WHERE NULLIF(a.form->>'mobile', '') IS NOT NULL AND lu.phone = a.form->>'mobile' ORDER BY lu.id) AS listed_user_ids FROM application a WHERE {where} ORDER BY a.id;

-- applicationSummaries
SELECT
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name FROM application a
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id WHERE a.id = ANY($1::bigint[]) ORDER BY a.id;

-- titleAndCity
SELECT COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS title, oc.name AS city_name
FROM application a JOIN org_unit oc ON oc.id = a.city_id WHERE a.id = $1;

-- waitingForExpertReview
SELECT a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at FROM application a WHERE a.id = ANY($1::bigint[]) AND a.state = 'AT_PROVINCE' ORDER BY a.id;

-- expertPool
EXISTS (SELECT 1 FROM role_assignment r JOIN org_unit ro ON ro.id = r.unit_id
WHERE r.user_id = eu.id AND r.role = 'EXPERT' AND ro.path LIKE :scope);

-- expertWithId
eu.id = ANY(:ids::bigint[]);

-- expertUnlocked
NOT eu.locked;

-- expertRefs
SELECT eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked,
CASE WHEN ec.id IS NOT NULL THEN COALESCE(ec.code, '#' || ec.id) END AS city_key,
CASE WHEN eo.kind IN ('SCHOOL','PRACTICE_BASE') THEN COALESCE(eo.code, '#' || eo.id) END AS school_key FROM app_user eu
JOIN org_unit eo ON eo.id = eu.home_unit_id
LEFT JOIN org_unit ec ON ec.id = eo.city_id WHERE {where} ORDER BY eu.id;

-- expertRefsById
SELECT eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked,
CASE WHEN ec.id IS NOT NULL THEN COALESCE(ec.code, '#' || ec.id) END AS city_key,
CASE WHEN eo.kind IN ('SCHOOL','PRACTICE_BASE') THEN COALESCE(eo.code, '#' || eo.id) END AS school_key FROM app_user eu
JOIN org_unit eo ON eo.id = eu.home_unit_id
LEFT JOIN org_unit ec ON ec.id = eo.city_id WHERE eu.id = ANY($1::bigint[]);

-- expertPoolWithLoad
SELECT eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked, (SELECT count(*)::int FROM expert_assignment x WHERE x.expert_user_id = eu.id AND x.campaign_id = :campaignId) AS load
     FROM app_user eu
JOIN org_unit eo ON eo.id = eu.home_unit_id
LEFT JOIN org_unit ec ON ec.id = eo.city_id WHERE {pool} ORDER BY eu.locked, eu.name, eu.id LIMIT 2000;

-- assignmentsIn
x.campaign_id = :campaignId AND a.unit_path LIKE :scope;

-- assignmentsOfCategory
a.category_code = :categoryCode;

-- assignmentsOfApplication
x.application_id = :applicationId;

-- assignmentsOfExpert
x.expert_user_id = :expertId;

-- assignmentsInState
x.state = :state;

-- assignmentPage
SELECT x.id AS x_id, x.campaign_id AS x_campaign_id, x.state AS x_state, x.origin AS x_origin, x.created_at AS x_created_at,
x.released_at AS x_released_at, s.state AS s_state, s.total AS s_total,
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name, eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked FROM expert_assignment x
JOIN application a ON a.id = x.application_id
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
JOIN app_user eu ON eu.id = x.expert_user_id
JOIN org_unit eo ON eo.id = eu.home_unit_id
LEFT JOIN org_unit ec ON ec.id = eo.city_id
LEFT JOIN expert_score s ON s.assignment_id = x.id
      WHERE {where} ORDER BY a.category_code, a.id, eu.name, x.id OFFSET {offset} LIMIT {limit};

-- assignmentCount
SELECT count(*)::int AS n FROM expert_assignment x JOIN application a ON a.id = x.application_id WHERE {where};

-- assignmentById
SELECT x.id AS x_id, x.campaign_id AS x_campaign_id, x.state AS x_state, x.origin AS x_origin, x.created_at AS x_created_at,
x.released_at AS x_released_at, s.state AS s_state, s.total AS s_total,
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name, eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked FROM expert_assignment x
JOIN application a ON a.id = x.application_id
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
JOIN app_user eu ON eu.id = x.expert_user_id
JOIN org_unit eo ON eo.id = eu.home_unit_id
LEFT JOIN org_unit ec ON ec.id = eo.city_id
LEFT JOIN expert_score s ON s.assignment_id = x.id WHERE x.id = $1;

-- insertManualAssignment
INSERT INTO expert_assignment (campaign_id, application_id, expert_user_id, origin, created_by)
VALUES ($1, $2, $3, 'MANUAL', $4) ON CONFLICT (application_id, expert_user_id) DO NOTHING RETURNING id;

-- assignmentCampaignInScope
SELECT x.campaign_id FROM expert_assignment x JOIN application a ON a.id = x.application_id WHERE x.id = $1 AND a.unit_path LIKE $2;

-- assignmentForRemoval
SELECT x.id, x.application_id, x.expert_user_id, x.state, s.state AS score_state, a.state AS app_state
 FROM expert_assignment x JOIN application a ON a.id = x.application_id LEFT JOIN expert_score s ON s.assignment_id = x.id
WHERE x.id = $1;

-- deleteAssignment
DELETE FROM expert_assignment WHERE id = $1;

-- deleteAutoDrafts
DELETE FROM expert_assignment WHERE application_id = ANY($1::bigint[]) AND state = 'DRAFT' AND origin = 'AUTO';

-- assignedPairs
SELECT application_id, expert_user_id FROM expert_assignment WHERE application_id = ANY($1::bigint[]);

-- insertAutoAssignments
INSERT INTO expert_assignment (campaign_id, application_id, expert_user_id, origin, created_by)
SELECT $1, u.app, u.expert, 'AUTO', $4 FROM unnest($2::bigint[], $3::bigint[]) AS u(app, expert);

-- releaseOfCategory
a.category_code = :categoryCode;

-- releaseDrafts
UPDATE expert_assignment x SET state = 'RELEASED', released_by = $4, released_at = now()
 FROM application a
WHERE a.id = x.application_id AND x.campaign_id = $1 AND x.state = 'DRAFT' AND a.unit_path LIKE $2 AND a.state = ANY($3::text[]){ofCategory}
RETURNING x.application_id, x.expert_user_id;

-- myAssignment
SELECT id, campaign_id, application_id, expert_user_id FROM expert_assignment WHERE application_id = $1 AND expert_user_id = $2 AND state = 'RELEASED';

-- myTasks
x.expert_user_id = :userId AND x.state = 'RELEASED';

-- myTasksInCampaign
x.campaign_id = :campaignId;

-- myTasksTodo
s.state IS DISTINCT FROM 'SUBMITTED';

-- myTasksDone
s.state = 'SUBMITTED';

-- myTaskPage
SELECT x.id AS x_id, x.campaign_id AS x_campaign_id, x.state AS x_state, x.origin AS x_origin, x.created_at AS x_created_at,
x.released_at AS x_released_at, s.state AS s_state, s.total AS s_total,
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name, eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked
       FROM expert_assignment x
JOIN application a ON a.id = x.application_id
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id
JOIN app_user eu ON eu.id = x.expert_user_id
JOIN org_unit eo ON eo.id = eu.home_unit_id
LEFT JOIN org_unit ec ON ec.id = eo.city_id
LEFT JOIN expert_score s ON s.assignment_id = x.id WHERE {where}
      ORDER BY x.campaign_id DESC, (s.state IS DISTINCT FROM 'SUBMITTED') DESC, a.category_code, a.id OFFSET {offset} LIMIT {limit};

-- myTaskCounts
SELECT count(*) FILTER (WHERE {progress})::int AS n, count(*)::int AS n_all,
     count(*) FILTER (WHERE s.state = 'SUBMITTED')::int AS submitted, count(*) FILTER (WHERE s.state = 'DRAFT')::int AS draft
FROM expert_assignment x LEFT JOIN expert_score s ON s.assignment_id = x.id WHERE {where};

-- application
SELECT a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at FROM application a WHERE a.id = $1;

-- applicationSummary
SELECT
a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name FROM application a
JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
JOIN app_user au ON au.id = a.applicant_user_id
JOIN org_unit ou ON ou.id = a.applicant_unit_id
JOIN org_unit oc ON oc.id = a.city_id
LEFT JOIN org_unit ok ON ok.id = a.county_id WHERE a.id = $1;

-- formForExperts
SELECT COALESCE((SELECT form FROM application_revision WHERE application_id = a.id ORDER BY revision DESC LIMIT 1), a.form) AS form
FROM application a WHERE a.id = $1;

-- score
SELECT assignment_id, items, computed, total, state, version, saved_at, submitted_at FROM expert_score WHERE assignment_id = $1;

-- scoreForUpdate
SELECT assignment_id, items, computed, total, state, version, saved_at, submitted_at FROM expert_score WHERE assignment_id = $1 FOR UPDATE;

-- scoreChanges
SELECT c.id, c.assignment_id, c.kind, c.old_items, c.old_total, c.new_items, c.new_total, c.reason, u.name AS changed_by_name, c.changed_at
FROM expert_score_change c JOIN app_user u ON u.id = c.changed_by WHERE c.assignment_id = ANY($1::bigint[]) ORDER BY c.id;

-- insertScore
INSERT INTO expert_score (assignment_id, application_id, expert_user_id, items, computed, total, state, submitted_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 THEN now() END) ON CONFLICT (assignment_id) DO NOTHING;

-- updateScore
UPDATE expert_score SET items = $3, computed = COALESCE($4, computed), total = $5, state = $6, version = version + 1, saved_at = now(),
      submitted_at = CASE WHEN $7 THEN now() ELSE submitted_at END
WHERE assignment_id = $1 AND version = $2;

-- insertSubmission
INSERT INTO expert_score_change (assignment_id, application_id, kind, new_items, new_total, changed_by) VALUES ($1, $2, 'SUBMIT', $3, $4, $5);

-- insertChange
INSERT INTO expert_score_change (assignment_id, application_id, kind, old_items, old_total, new_items, new_total, reason, changed_by)
VALUES ($1, $2, 'CHANGE', $3, $4, $5, $6, $7, $8);

-- scoresOfApplication
SELECT x.id AS x_id, x.state AS x_state, s.state AS s_state, s.items AS s_items, s.total AS s_total, s.submitted_at AS s_submitted_at, eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked
     FROM expert_assignment x JOIN app_user eu ON eu.id = x.expert_user_id
JOIN org_unit eo ON eo.id = eu.home_unit_id
LEFT JOIN org_unit ec ON ec.id = eo.city_id
     LEFT JOIN expert_score s ON s.assignment_id = x.id
    WHERE x.application_id = $1 ORDER BY x.id;

-- pendingExperts
SELECT x.expert_user_id FROM expert_assignment x LEFT JOIN expert_score s ON s.assignment_id = x.id
WHERE x.application_id = $1 AND x.state = 'RELEASED' AND s.state IS DISTINCT FROM 'SUBMITTED' ORDER BY x.id;
