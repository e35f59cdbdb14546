-- Statements of quota.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- subQuotaAllocations
SELECT o.id, o.code, a.places FROM quota_allocation a JOIN org_unit o ON o.id = a.county_id WHERE a.campaign_id = $1 AND a.category_code = $2;

-- overridesOfCategory
SELECT bucket_key, cap, reason FROM quota_override WHERE campaign_id = $1 AND bucket_key LIKE $2 ORDER BY id;

-- lockQuotasExclusive
SELECT pg_advisory_xact_lock(740002, ($1::bigint % 2147483647)::int);

-- lockQuotasShared
SELECT pg_advisory_xact_lock_shared(740002, ($1::bigint % 2147483647)::int);

-- createBucketRow
INSERT INTO quota_usage (campaign_id, bucket_key, category_code, level, scope, unit_id, base_cap, cap)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (campaign_id, bucket_key) DO NOTHING;

-- lockBucketUsedWithUnitName
SELECT q.used, o.name FROM quota_usage q JOIN org_unit o ON o.id = q.unit_id WHERE q.campaign_id = $1 AND q.bucket_key = $2 FOR UPDATE OF q;

-- setBucketCapIfChanged
UPDATE quota_usage SET base_cap = $3, cap = $4, updated_at = now() WHERE campaign_id = $1 AND bucket_key = $2 AND (base_cap <> $3 OR cap <> $4);

-- takePlace
UPDATE quota_usage SET used = used + 1, updated_at = now() WHERE campaign_id = $1 AND bucket_key = $2 AND used < cap RETURNING used;

-- bucketUsageWithUnitName
SELECT q.used, q.cap, o.name FROM quota_usage q JOIN org_unit o ON o.id = q.unit_id WHERE q.campaign_id = $1 AND q.bucket_key = $2;

-- insertTakenPlace
INSERT INTO quota_place (campaign_id, bucket_key, application_id, level, revision, taken_by_action) VALUES ($1, $2, $3, $4, $5, $6);

-- placesOfApplication
SELECT id, bucket_key, level, revision, released_at IS NOT NULL AS released FROM quota_place WHERE application_id = $1 ORDER BY bucket_key, id;

-- giveBackPlace
UPDATE quota_usage SET used = used - 1, updated_at = now() WHERE campaign_id = $1 AND bucket_key = $2;

-- markPlaceReleased
UPDATE quota_place SET released_at = now(), released_by_action = $2 WHERE id = $1;

-- usedOfCampaign
SELECT bucket_key, used FROM quota_usage WHERE campaign_id = $1;

-- standingCountyRecommendations
SELECT a.id AS application_id, a.county_id, a.revision FROM application a
WHERE a.campaign_id = $1 AND a.category_code = $2 AND a.city_id = $3 AND a.county_id IS NOT NULL
  AND a.state NOT IN ('DRAFT','SUBMITTED','RETURNED','WITHDRAWN')
  AND EXISTS (
    SELECT 1 FROM review_action r WHERE r.application_id = a.id AND r.revision = a.revision AND r.action = 'recommend' AND r.level = 'COUNTY'
       AND NOT EXISTS (SELECT 1 FROM review_action w WHERE w.application_id = a.id AND w.id > r.id
                         AND ((w.action = 'withdrawRecommendation' AND w.level = 'COUNTY') OR w.action = 'return')));

-- deleteSubQuotaAllocations
DELETE FROM quota_allocation WHERE campaign_id = $1 AND category_code = $2 AND county_id = ANY($3::bigint[]);

-- insertSubQuotaAllocation
INSERT INTO quota_allocation (campaign_id, category_code, county_id, places, set_by) VALUES ($1, $2, $3, $4, $5);

-- lockBucketRow
SELECT 1 FROM quota_usage WHERE campaign_id = $1 AND bucket_key = $2 FOR UPDATE;

-- heldPlaceOfApplication
SELECT 1 FROM quota_place WHERE application_id = $1 AND bucket_key = $2 AND released_at IS NULL;

-- insertCountyPlace
INSERT INTO quota_place (campaign_id, bucket_key, application_id, level, revision) VALUES ($1, $2, $3, 'COUNTY', $4);

-- heldPlacesOfBucket
SELECT count(*)::int AS n FROM quota_place p WHERE p.campaign_id = $1 AND p.bucket_key = $2 AND p.released_at IS NULL;

-- setSubQuotaCounter
UPDATE quota_usage SET used = $4, base_cap = $3, cap = $3, updated_at = now() WHERE campaign_id = $1 AND bucket_key = $2;

-- lockBucketUsed
SELECT used FROM quota_usage WHERE campaign_id = $1 AND bucket_key = $2 FOR UPDATE;

-- insertOverride
INSERT INTO quota_override (campaign_id, bucket_key, cap, reason, created_by) VALUES ($1, $2, $3, $4, $5);

-- lockCampaignBuckets
SELECT q.bucket_key, q.used, q.cap, o.name FROM quota_usage q JOIN org_unit o ON o.id = q.unit_id WHERE q.campaign_id = $1 ORDER BY q.bucket_key FOR UPDATE OF q;

-- setBucketCap
UPDATE quota_usage SET base_cap = $3, cap = $4, updated_at = now() WHERE campaign_id = $1 AND bucket_key = $2;
