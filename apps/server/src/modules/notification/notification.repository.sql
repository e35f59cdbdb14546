-- Statements of notification.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- insertForUsers
INSERT INTO notification (user_id, kind, title, body, campaign_id, application_id, dedupe_key)
SELECT u, $2, $3, $4, $5, $6, $7 FROM unnest($1::bigint[]) AS u
ON CONFLICT (user_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;

-- roleHolders
SELECT DISTINCT r.user_id FROM role_assignment r JOIN app_user u ON u.id = r.user_id
WHERE r.role = $1 AND ($2::bigint IS NULL OR r.unit_id = $2) AND NOT u.locked;

-- ofUser
user_id = $1;

-- unreadOfUser
user_id = $1 AND read_at IS NULL;

-- page
SELECT id, kind, title, body, campaign_id, application_id, created_at, read_at FROM notification WHERE {where} ORDER BY id DESC OFFSET {offset} LIMIT {limit};

-- count
SELECT count(*)::int AS n FROM notification WHERE {where};

-- markRead
UPDATE notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND id = ANY($2::bigint[]);

-- markAllRead
UPDATE notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL;

-- openCampaigns
SELECT id FROM campaign WHERE status = 'OPEN';

-- openCampaign
SELECT id FROM campaign WHERE status = 'OPEN' AND id = $1;

-- unsubmitted
SELECT id, applicant_user_id, unit_path, title, state FROM application WHERE campaign_id = $1 AND state IN ('DRAFT','RETURNED');

-- waitingByUnit
SELECT a.current_level AS level,
      CASE a.current_level WHEN 'SCHOOL' THEN a.school_id WHEN 'COUNTY' THEN a.county_id WHEN 'CITY' THEN a.city_id END AS unit_id,
      o.path, count(*)::int AS n
 FROM application a
 LEFT JOIN org_unit o ON o.id = CASE a.current_level WHEN 'SCHOOL' THEN a.school_id WHEN 'COUNTY' THEN a.county_id WHEN 'CITY' THEN a.city_id END
WHERE a.campaign_id = $1 AND a.state = ANY($2::text[]) AND a.current_level <> 'PROVINCE'
GROUP BY 1, 2, 3;
