import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";
import type { QuotaBucket, ReviewLevel } from "./domain.js";

/** Lock namespace of a campaign's quota caps (first key of pg_advisory_xact_lock). */
export const QUOTA_LOCK = 740_002;

export const queries = sqlQueries({
  subQuotaAllocations: `SELECT o.id, o.code, a.places FROM quota_allocation a JOIN org_unit o ON o.id = a.county_id WHERE a.campaign_id = $1 AND a.category_code = $2`,
  overridesOfCategory: `SELECT bucket_key, cap, reason FROM quota_override WHERE campaign_id = $1 AND bucket_key LIKE $2 ORDER BY id`,
  lockQuotasExclusive: `SELECT pg_advisory_xact_lock(${QUOTA_LOCK}, ($1::bigint % 2147483647)::int)`,
  lockQuotasShared: `SELECT pg_advisory_xact_lock_shared(${QUOTA_LOCK}, ($1::bigint % 2147483647)::int)`,
  createBucketRow: `INSERT INTO quota_usage (campaign_id, bucket_key, category_code, level, scope, unit_id, base_cap, cap)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (campaign_id, bucket_key) DO NOTHING`,
  lockBucketUsedWithUnitName: `SELECT q.used, o.name FROM quota_usage q JOIN org_unit o ON o.id = q.unit_id WHERE q.campaign_id = $1 AND q.bucket_key = $2 FOR UPDATE OF q`,
  setBucketCapIfChanged: `UPDATE quota_usage SET base_cap = $3, cap = $4, updated_at = now() WHERE campaign_id = $1 AND bucket_key = $2 AND (base_cap <> $3 OR cap <> $4)`,
  takePlace: `UPDATE quota_usage SET used = used + 1, updated_at = now() WHERE campaign_id = $1 AND bucket_key = $2 AND used < cap RETURNING used`,
  bucketUsageWithUnitName: `SELECT q.used, q.cap, o.name FROM quota_usage q JOIN org_unit o ON o.id = q.unit_id WHERE q.campaign_id = $1 AND q.bucket_key = $2`,
  insertTakenPlace: `INSERT INTO quota_place (campaign_id, bucket_key, application_id, level, revision, taken_by_action) VALUES ($1, $2, $3, $4, $5, $6)`,
  placesOfApplication: `SELECT id, bucket_key, level, revision, released_at IS NOT NULL AS released FROM quota_place WHERE application_id = $1 ORDER BY bucket_key, id`,
  giveBackPlace: `UPDATE quota_usage SET used = used - 1, updated_at = now() WHERE campaign_id = $1 AND bucket_key = $2`,
  markPlaceReleased: `UPDATE quota_place SET released_at = now(), released_by_action = $2 WHERE id = $1`,
  usedOfCampaign: `SELECT bucket_key, used FROM quota_usage WHERE campaign_id = $1`,
  standingCountyRecommendations: `SELECT a.id AS application_id, a.county_id, a.revision FROM application a
      WHERE a.campaign_id = $1 AND a.category_code = $2 AND a.city_id = $3 AND a.county_id IS NOT NULL
        AND a.state NOT IN ('DRAFT','SUBMITTED','RETURNED','WITHDRAWN')
        AND EXISTS (
          SELECT 1 FROM review_action r WHERE r.application_id = a.id AND r.revision = a.revision AND r.action = 'recommend' AND r.level = 'COUNTY'
             AND NOT EXISTS (SELECT 1 FROM review_action w WHERE w.application_id = a.id AND w.id > r.id
                               AND ((w.action = 'withdrawRecommendation' AND w.level = 'COUNTY') OR w.action = 'return')))`,
  deleteSubQuotaAllocations: `DELETE FROM quota_allocation WHERE campaign_id = $1 AND category_code = $2 AND county_id = ANY($3::bigint[])`,
  insertSubQuotaAllocation: `INSERT INTO quota_allocation (campaign_id, category_code, county_id, places, set_by) VALUES ($1, $2, $3, $4, $5)`,
  lockBucketRow: `SELECT 1 FROM quota_usage WHERE campaign_id = $1 AND bucket_key = $2 FOR UPDATE`,
  heldPlaceOfApplication: `SELECT 1 FROM quota_place WHERE application_id = $1 AND bucket_key = $2 AND released_at IS NULL`,
  insertCountyPlace: `INSERT INTO quota_place (campaign_id, bucket_key, application_id, level, revision) VALUES ($1, $2, $3, 'COUNTY', $4)`,
  heldPlacesOfBucket: `SELECT count(*)::int AS n FROM quota_place p WHERE p.campaign_id = $1 AND p.bucket_key = $2 AND p.released_at IS NULL`,
  setSubQuotaCounter: `UPDATE quota_usage SET used = $4, base_cap = $3, cap = $3, updated_at = now() WHERE campaign_id = $1 AND bucket_key = $2`,
  lockBucketUsed: `SELECT used FROM quota_usage WHERE campaign_id = $1 AND bucket_key = $2 FOR UPDATE`,
  insertOverride: `INSERT INTO quota_override (campaign_id, bucket_key, cap, reason, created_by) VALUES ($1, $2, $3, $4, $5)`,
  lockCampaignBuckets: `SELECT q.bucket_key, q.used, q.cap, o.name FROM quota_usage q JOIN org_unit o ON o.id = q.unit_id WHERE q.campaign_id = $1 ORDER BY q.bucket_key FOR UPDATE OF q`,
  setBucketCap: `UPDATE quota_usage SET base_cap = $3, cap = $4, updated_at = now() WHERE campaign_id = $1 AND bucket_key = $2`,
});

export interface SubQuotaAllocationRow {
  id: string;
  code: string | null;
  places: number;
}

export interface QuotaOverrideRow {
  bucket_key: string;
  cap: number;
  reason: string;
}

export interface QuotaPlaceRow {
  id: string;
  bucket_key: string;
  level: ReviewLevel;
  revision: number;
  released: boolean;
}

export interface StandingRecommendationRow {
  application_id: string;
  county_id: string;
  revision: number;
}

export interface CampaignBucketRow {
  bucket_key: string;
  used: number;
  cap: number;
  name: string;
}

/** The county sub-quotas of a campaign's category, with the county's id and code. */
export function subQuotaAllocations(sql: Sql, campaignId: string, categoryCode: string): Promise<SubQuotaAllocationRow[]> {
  return sql.rows<SubQuotaAllocationRow>(queries.subQuotaAllocations, [campaignId, categoryCode]);
}

/** The province overrides of a campaign's category (keys `<category>/…`), oldest first. */
export function overridesOfCategory(sql: Sql, campaignId: string, categoryCode: string): Promise<QuotaOverrideRow[]> {
  return sql.rows<QuotaOverrideRow>(queries.overridesOfCategory, [campaignId, categoryCode.replace(/[\\%_]/g, (c) => "\\" + c) + "/%"]);
}

/** Takes the campaign's quota lock (transaction-scoped advisory lock), shared or exclusive. */
export async function lockCampaignQuotas(sql: Sql, campaignId: string, mode: "shared" | "exclusive"): Promise<void> {
  await sql.exec(mode === "exclusive" ? queries.lockQuotasExclusive : queries.lockQuotasShared, [campaignId]);
}

/**
 * Creates a bucket's counter with the cap of the configuration when it does not exist yet. An
 * existing counter keeps its cap: only the cap changes (setCountySubQuotas, overrideQuota,
 * syncCaps) move it, under the exclusive quota lock and the row's lock.
 */
export async function createBucketRow(sql: Sql, campaignId: string, b: QuotaBucket, unitId: string): Promise<void> {
  await sql.exec(queries.createBucketRow, [campaignId, b.key, b.categoryCode, b.level, b.scope, unitId, b.baseCap, b.cap]);
}

/** Locks a bucket's counter row and reads its places used, with the name of its unit. */
export function lockBucketUsedWithUnitName(sql: Sql, campaignId: string, bucketKey: string): Promise<{ used: number; name: string } | undefined> {
  return sql.one<{ used: number; name: string }>(queries.lockBucketUsedWithUnitName, [campaignId, bucketKey]);
}

/** Writes a bucket's caps when they differ from the stored ones. */
export async function setBucketCapIfChanged(sql: Sql, campaignId: string, bucketKey: string, baseCap: number, cap: number): Promise<void> {
  await sql.exec(queries.setBucketCapIfChanged, [campaignId, bucketKey, baseCap, cap]);
}

/** Takes one place of a bucket when it has one left (`used < cap`, atomically); false when it is full. */
export async function takePlace(sql: Sql, campaignId: string, bucketKey: string): Promise<boolean> {
  const took = await sql.exec(queries.takePlace, [campaignId, bucketKey]);
  return took.rows.length > 0;
}

/** A bucket's counter (places used, cap) with the name of its unit. */
export function bucketUsageWithUnitName(sql: Sql, campaignId: string, bucketKey: string): Promise<{ used: number; cap: number; name: string } | undefined> {
  return sql.one<{ used: number; cap: number; name: string }>(queries.bucketUsageWithUnitName, [campaignId, bucketKey]);
}

/** Records the place a recommendation took. */
export async function insertTakenPlace(
  sql: Sql,
  p: { campaignId: string; bucketKey: string; applicationId: string; level: ReviewLevel; revision: number; actionId: string },
): Promise<void> {
  await sql.exec(queries.insertTakenPlace, [p.campaignId, p.bucketKey, p.applicationId, p.level, p.revision, p.actionId]);
}

/** Every place an application took (released or not), by bucket key then id. */
export function placesOfApplication(sql: Sql, applicationId: string): Promise<QuotaPlaceRow[]> {
  return sql.rows<QuotaPlaceRow>(queries.placesOfApplication, [applicationId]);
}

/** Gives one place back to a bucket's counter. */
export async function giveBackPlace(sql: Sql, campaignId: string, bucketKey: string): Promise<void> {
  await sql.exec(queries.giveBackPlace, [campaignId, bucketKey]);
}

/** Marks a place released by an action. */
export async function markPlaceReleased(sql: Sql, placeId: string, actionId: string): Promise<void> {
  await sql.exec(queries.markPlaceReleased, [placeId, actionId]);
}

/** Places used per bucket key of a campaign. */
export function usedOfCampaign(sql: Sql, campaignId: string): Promise<{ bucket_key: string; used: number }[]> {
  return sql.rows<{ bucket_key: string; used: number }>(queries.usedOfCampaign, [campaignId]);
}

/** Standing county → city recommendations of a city's category (not withdrawn, not returned). */
export function standingCountyRecommendations(sql: Sql, campaignId: string, categoryCode: string, cityId: string): Promise<StandingRecommendationRow[]> {
  return sql.rows<StandingRecommendationRow>(queries.standingCountyRecommendations, [campaignId, categoryCode, cityId]);
}

/** Removes the sub-quota allocations of a category for the given counties. */
export async function deleteSubQuotaAllocations(sql: Sql, campaignId: string, categoryCode: string, countyIds: readonly string[]): Promise<void> {
  await sql.exec(queries.deleteSubQuotaAllocations, [campaignId, categoryCode, countyIds]);
}

/** Records one county's sub-quota of a category. */
export async function insertSubQuotaAllocation(sql: Sql, campaignId: string, categoryCode: string, countyId: string, places: number, setBy: string): Promise<void> {
  await sql.exec(queries.insertSubQuotaAllocation, [campaignId, categoryCode, countyId, places, setBy]);
}

/** Locks a bucket's counter row. */
export async function lockBucketRow(sql: Sql, campaignId: string, bucketKey: string): Promise<void> {
  await sql.exec(queries.lockBucketRow, [campaignId, bucketKey]);
}

/** Whether an application holds an unreleased place in a bucket. */
export async function holdsPlace(sql: Sql, applicationId: string, bucketKey: string): Promise<boolean> {
  return !!(await sql.one(queries.heldPlaceOfApplication, [applicationId, bucketKey]));
}

/** Records a county-level place of a standing recommendation (no taking action). */
export async function insertCountyPlace(sql: Sql, campaignId: string, bucketKey: string, applicationId: string, revision: number): Promise<void> {
  await sql.exec(queries.insertCountyPlace, [campaignId, bucketKey, applicationId, revision]);
}

/** How many unreleased places a bucket holds. */
export async function heldPlacesOfBucket(sql: Sql, campaignId: string, bucketKey: string): Promise<number> {
  return (await sql.one<{ n: number }>(queries.heldPlacesOfBucket, [campaignId, bucketKey]))!.n;
}

/** Sets a sub-quota counter: places used, and both caps to the allocated places. */
export async function setSubQuotaCounter(sql: Sql, campaignId: string, bucketKey: string, places: number, used: number): Promise<void> {
  await sql.exec(queries.setSubQuotaCounter, [campaignId, bucketKey, places, used]);
}

/** Locks a bucket's counter row and reads its places used (undefined when it has no counter yet). */
export function lockBucketUsed(sql: Sql, campaignId: string, bucketKey: string): Promise<{ used: number } | undefined> {
  return sql.one<{ used: number }>(queries.lockBucketUsed, [campaignId, bucketKey]);
}

/** Records a province override of a bucket's cap. */
export async function insertOverride(sql: Sql, campaignId: string, bucketKey: string, cap: number, reason: string, createdBy: string): Promise<void> {
  await sql.exec(queries.insertOverride, [campaignId, bucketKey, cap, reason, createdBy]);
}

/** Locks every counter of a campaign (by bucket key) and reads them with their unit's name. */
export function lockCampaignBuckets(sql: Sql, campaignId: string): Promise<CampaignBucketRow[]> {
  return sql.rows<CampaignBucketRow>(queries.lockCampaignBuckets, [campaignId]);
}

/** Writes a bucket's caps. */
export async function setBucketCap(sql: Sql, campaignId: string, bucketKey: string, baseCap: number, cap: number): Promise<void> {
  await sql.exec(queries.setBucketCap, [campaignId, bucketKey, baseCap, cap]);
}
