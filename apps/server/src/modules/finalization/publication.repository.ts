import type { Sql } from "../../db/data-source.js";
import { fill, sqlQueries } from "../../db/repository.js";
import { UNIT_COLUMNS, type UnitRow } from "../org/org.repository.js";
import { APPLICATION_COLUMNS, APPLICATION_JOINS, ID_RE, type ApplicationSummaryRow } from "./finalization.repository.js";

/** The unit columns of alias `o` (an excellent unit's or instructor's unit). */
const UNIT_COLS = UNIT_COLUMNS.split(",").map((c) => `o.${c.trim()}`).join(", ");

export const queries = sqlQueries({
  publication: `SELECT p.campaign_id, p.published_at, u.name AS published_by_name FROM publication p JOIN app_user u ON u.id = p.published_by WHERE p.campaign_id = $1`,
  publishedAt: `SELECT published_at FROM publication WHERE campaign_id = $1`,
  pendingByCategory: `SELECT a.category_code, count(*)::int AS n FROM application a
        WHERE a.campaign_id = $1 AND a.unit_path LIKE $2 AND a.state IN ('AT_PROVINCE','EXPERT_REVIEW') GROUP BY a.category_code ORDER BY a.category_code`,
  finalCategoryCount: `SELECT count(*)::int AS n FROM finalization_category WHERE campaign_id = $1 AND state = 'FINAL'`,
  insert: `INSERT INTO publication (campaign_id, published_by) VALUES ($1, $2)`,
  publishedCampaigns: `SELECT c.id, c.year, c.title, c.doc_no, p.published_at FROM publication p JOIN campaign c ON c.id = p.campaign_id ORDER BY c.year DESC, p.published_at DESC`,
  unpublishedOpenCampaigns: `SELECT c.id FROM campaign c WHERE c.status = 'OPEN' AND NOT EXISTS (SELECT 1 FROM publication p WHERE p.campaign_id = c.id) ORDER BY c.year DESC, c.id DESC`,
  // The published list, read live: FINALIZED with a grade, by category, grade order (of the final scheme) and rank.
  publishedRows: `SELECT ${APPLICATION_COLUMNS}, r.rank, r.score
       FROM application a ${APPLICATION_JOINS}
       LEFT JOIN finalization_result r ON r.application_id = a.id
       LEFT JOIN finalization_category fc ON fc.campaign_id = a.campaign_id AND fc.category_code = a.category_code
      WHERE a.campaign_id = $1 AND a.state = 'FINALIZED' AND a.grade IS NOT NULL{category}
      ORDER BY k.position,
               (SELECT b.ord FROM jsonb_array_elements(fc.scheme->'bands') WITH ORDINALITY AS b(band, ord) WHERE b.band->>'grade' = a.grade),
               r.rank NULLS LAST, oc.code, a.id`,
  publishedOfCategory: `a.category_code = $2`,
  // Excellent units and instructors of a campaign (alias e, unit o), all or one of the filters below.
  excellentUnits: `SELECT e.id AS x_id, e.campaign_id AS x_campaign_id, e.reason, e.created_at, e.updated_at, ${UNIT_COLS}, oc.name AS city_name
       FROM excellent_unit e JOIN org_unit o ON o.id = e.unit_id LEFT JOIN org_unit oc ON oc.id = o.city_id
      WHERE e.campaign_id = $1{only} ORDER BY o.path, e.id`,
  excellentInstructors: `SELECT e.id AS x_id, e.campaign_id AS x_campaign_id, e.user_id, e.name AS person_name, e.reason, e.created_at, e.updated_at, ${UNIT_COLS}, oc.name AS city_name
       FROM excellent_instructor e JOIN org_unit o ON o.id = e.unit_id LEFT JOIN org_unit oc ON oc.id = o.city_id
      WHERE e.campaign_id = $1{only} ORDER BY o.path, e.name, e.id`,
  excellentInScope: `o.path LIKE $2`,
  excellentWithId: `e.id = $2`,
  insertExcellentUnit: `INSERT INTO excellent_unit (campaign_id, unit_id, reason, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id, unit_id) DO NOTHING RETURNING id`,
  excellentUnitCampaign: `SELECT e.campaign_id FROM excellent_unit e JOIN org_unit o ON o.id = e.unit_id WHERE e.id = $1 AND o.path LIKE $2`,
  updateExcellentUnit: `UPDATE excellent_unit SET reason = $2, updated_at = now() WHERE id = $1`,
  deleteExcellentUnit: `DELETE FROM excellent_unit WHERE id = $1`,
  sameInstructor: `SELECT id FROM excellent_instructor WHERE campaign_id = $1 AND ((user_id IS NOT NULL AND user_id = $2) OR (user_id IS NULL AND $2::bigint IS NULL AND unit_id = $3 AND name = $4))`,
  insertExcellentInstructor: `INSERT INTO excellent_instructor (campaign_id, user_id, name, unit_id, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
  excellentInstructorCampaign: `SELECT e.campaign_id FROM excellent_instructor e JOIN org_unit o ON o.id = e.unit_id WHERE e.id = $1 AND o.path LIKE $2`,
  updateExcellentInstructor: `UPDATE excellent_instructor SET user_id = $2, name = $3, unit_id = $4, reason = $5, updated_at = now() WHERE id = $1`,
  deleteExcellentInstructor: `DELETE FROM excellent_instructor WHERE id = $1`,
});

export interface PublicationRow {
  campaign_id: string;
  published_at: Date;
  published_by_name: string;
}

/** A campaign's publication (undefined while unpublished, or for an id that is not one). */
export function findPublication(sql: Sql, campaignId: string): Promise<PublicationRow | undefined> {
  if (!ID_RE.test(String(campaignId))) return Promise.resolve(undefined);
  return sql.one<PublicationRow>(queries.publication, [campaignId]);
}

/** When the campaign's results were published (undefined while unpublished; callers check the id). */
export function publishedAtOf(sql: Sql, campaignId: string): Promise<{ published_at: Date } | undefined> {
  return sql.one<{ published_at: Date }>(queries.publishedAt, [campaignId]);
}

/** Applications under the scope pattern still waiting for or in expert review, counted by category. */
export function pendingByCategory(sql: Sql, campaignId: string, scope: string): Promise<{ category_code: string; n: number }[]> {
  return sql.rows<{ category_code: string; n: number }>(queries.pendingByCategory, [campaignId, scope]);
}

/** How many categories of the campaign are finalized. */
export function finalCategoryCount(sql: Sql, campaignId: string): Promise<{ n: number } | undefined> {
  return sql.one<{ n: number }>(queries.finalCategoryCount, [campaignId]);
}

export async function insertPublication(sql: Sql, campaignId: string, userId: string): Promise<void> {
  await sql.exec(queries.insert, [campaignId, userId]);
}

export interface PublishedCampaignRow {
  id: string;
  year: number;
  title: string;
  doc_no: string;
  published_at: Date;
}

/** Campaigns with published results, newest first. */
export function publishedCampaignRows(sql: Sql): Promise<PublishedCampaignRow[]> {
  return sql.rows<PublishedCampaignRow>(queries.publishedCampaigns);
}

/** Ids of open campaigns whose results are not published yet, newest first. */
export function unpublishedOpenCampaignIds(sql: Sql): Promise<{ id: string }[]> {
  return sql.rows<{ id: string }>(queries.unpublishedOpenCampaigns);
}

export interface PublishedRow extends ApplicationSummaryRow {
  rank: number | null;
  score: string | number | null;
}

/**
 * The published list: applications FINALIZED with a grade, by category, grade order and rank.
 * Read live, so an application disqualified after publication leaves the list at once.
 */
export function publishedRows(sql: Sql, campaignId: string, categoryCode?: string | null): Promise<PublishedRow[]> {
  const params: unknown[] = [campaignId];
  let category = "";
  if (categoryCode) {
    params.push(categoryCode);
    category = ` AND ${queries.publishedOfCategory}`;
  }
  return sql.rows<PublishedRow>(fill(queries.publishedRows, { category }), params);
}

export interface ExcellentUnitRow extends UnitRow {
  x_id: string;
  x_campaign_id: string;
  reason: string;
  created_at: Date;
  updated_at: Date;
  city_name: string | null;
}

export interface ExcellentInstructorRow extends UnitRow {
  x_id: string;
  x_campaign_id: string;
  user_id: string | null;
  person_name: string;
  reason: string;
  created_at: Date;
  updated_at: Date;
  city_name: string | null;
}

/** Which excellent entries of a campaign: all, those whose unit lies under a scope pattern, or one by id. */
export type ExcellentFilter = { scope: string } | { id: string } | undefined;

function excellentOnly(only: ExcellentFilter, params: unknown[]): string {
  if (!only) return "";
  if ("scope" in only) {
    params.push(only.scope);
    return ` AND ${queries.excellentInScope}`;
  }
  params.push(only.id);
  return ` AND ${queries.excellentWithId}`;
}

/** A campaign's excellent organizing units, by unit path. */
export function excellentUnitRows(sql: Sql, campaignId: string, only?: ExcellentFilter): Promise<ExcellentUnitRow[]> {
  const params: unknown[] = [campaignId];
  return sql.rows<ExcellentUnitRow>(fill(queries.excellentUnits, { only: excellentOnly(only, params) }), params);
}

/** A campaign's excellent instructors, by unit path and name. */
export function excellentInstructorRows(sql: Sql, campaignId: string, only?: ExcellentFilter): Promise<ExcellentInstructorRow[]> {
  const params: unknown[] = [campaignId];
  return sql.rows<ExcellentInstructorRow>(fill(queries.excellentInstructors, { only: excellentOnly(only, params) }), params);
}

/** Adds an excellent unit; undefined when the unit is already on the campaign's list. */
export function insertExcellentUnit(sql: Sql, u: { campaignId: string; unitId: string; reason: string; userId: string }): Promise<{ id: string } | undefined> {
  return sql.one<{ id: string }>(queries.insertExcellentUnit, [u.campaignId, u.unitId, u.reason, u.userId]);
}

/** The campaign of an excellent unit whose unit lies under the scope pattern. */
export function excellentUnitCampaign(sql: Sql, id: string, scope: string): Promise<{ campaign_id: string } | undefined> {
  return sql.one<{ campaign_id: string }>(queries.excellentUnitCampaign, [id, scope]);
}

export async function setExcellentUnitReason(sql: Sql, id: string, reason: string): Promise<void> {
  await sql.exec(queries.updateExcellentUnit, [id, reason]);
}

export async function deleteExcellentUnit(sql: Sql, id: string): Promise<void> {
  await sql.exec(queries.deleteExcellentUnit, [id]);
}

export interface InstructorValues {
  userId: string | null;
  name: string;
  unitId: string;
  reason: string;
}

/** An instructor already on the campaign's list: the same user, or (without one) the same name in the same unit. */
export function sameInstructor(sql: Sql, campaignId: string, p: { userId: string | null; unitId: string; name: string }): Promise<{ id: string } | undefined> {
  return sql.one<{ id: string }>(queries.sameInstructor, [campaignId, p.userId, p.unitId, p.name]);
}

export async function insertExcellentInstructor(sql: Sql, campaignId: string, p: InstructorValues, createdBy: string): Promise<{ id: string }> {
  return (await sql.one<{ id: string }>(queries.insertExcellentInstructor, [campaignId, p.userId, p.name, p.unitId, p.reason, createdBy]))!;
}

/** The campaign of an excellent instructor whose unit lies under the scope pattern. */
export function excellentInstructorCampaign(sql: Sql, id: string, scope: string): Promise<{ campaign_id: string } | undefined> {
  return sql.one<{ campaign_id: string }>(queries.excellentInstructorCampaign, [id, scope]);
}

/** Updates an excellent instructor (a unique violation, 23505, is the caller's to report). */
export async function saveExcellentInstructor(sql: Sql, id: string, p: InstructorValues): Promise<void> {
  await sql.exec(queries.updateExcellentInstructor, [id, p.userId, p.name, p.unitId, p.reason]);
}

export async function deleteExcellentInstructor(sql: Sql, id: string): Promise<void> {
  await sql.exec(queries.deleteExcellentInstructor, [id]);
}
