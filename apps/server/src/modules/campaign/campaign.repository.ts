import type { Sql } from "../../db/data-source.js";
import { fill, sqlQueries } from "../../db/repository.js";
import type { CampaignStatus } from "./campaign.enums.js";
import type { AwardCategory, Campaign, StageCode, UnitWithoutReviewer } from "./domain.js";

/** One row of `campaign`: its settings, with the issue date as YYYY-MM-DD. */
export interface CampaignRow {
  id: string;
  year: number;
  title: string;
  doc_no: string;
  issuer: string;
  issued_on: string | null;
  status: CampaignStatus;
  levels: string[];
  forms: Campaign["forms"];
  finalization: Campaign["finalization"];
  created_at: Date;
  updated_at: Date;
}

export interface StageRow {
  stage: StageCode;
  name: string;
  deadline: string | null;
}

/** A unit's own deadline for a stage, with the unit's code (for its configuration key). */
export interface UnitDeadlineRow {
  stage: StageCode;
  unit_id: string;
  code: string | null;
  deadline: string;
}

export interface CategoryRow {
  code: string;
  name: string;
  applicant_kind: AwardCategory["applicantKind"];
  criteria: AwardCategory["criteria"];
  quota: AwardCategory["quota"];
  rubric: AwardCategory["rubric"];
}

/** A deadline extension, with the code of its unit (none: for everyone). */
export interface ExtensionDbRow {
  id: string;
  stage: StageCode;
  unit_id: string | null;
  code: string | null;
  until: string;
  reason: string;
  created_by: string | null;
  created_at: Date;
}

export const CAMPAIGN_COLUMNS = `id, year, title, doc_no, issuer, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, status, levels, forms, finalization, created_at, updated_at`;

export const queries = sqlQueries({
  categoryNames: `SELECT campaign_id, code, name FROM award_category WHERE campaign_id = ANY($1::bigint[])`,

  // A campaign with its configuration (loadCampaign).
  campaignById: `SELECT ${CAMPAIGN_COLUMNS} FROM campaign WHERE id = $1`,
  stagesOf: `SELECT stage, name, to_char(deadline, 'YYYY-MM-DD') AS deadline FROM campaign_stage WHERE campaign_id = $1 ORDER BY position`,
  unitDeadlinesOf: `SELECT d.stage, d.unit_id, o.code, to_char(d.deadline, 'YYYY-MM-DD') AS deadline
    FROM campaign_unit_deadline d JOIN org_unit o ON o.id = d.unit_id WHERE d.campaign_id = $1`,
  categoriesOf: `SELECT code, name, applicant_kind, criteria, quota, rubric FROM award_category WHERE campaign_id = $1 ORDER BY position`,
  extensionsOf: `SELECT e.id, e.stage, e.unit_id, o.code, to_char(e.until, 'YYYY-MM-DD') AS until, e.reason, e.created_by, e.created_at
    FROM deadline_extension e LEFT JOIN org_unit o ON o.id = e.unit_id WHERE e.campaign_id = $1 ORDER BY e.id`,

  // The campaigns list: every campaign for the province, published ones for everyone else.
  allCampaigns: `SELECT ${CAMPAIGN_COLUMNS} FROM campaign ORDER BY year DESC, id DESC`,
  publishedCampaigns: `SELECT ${CAMPAIGN_COLUMNS} FROM campaign WHERE status <> 'DRAFT' ORDER BY year DESC, id DESC`,

  // Writing a campaign's configuration.
  insertCampaign: `INSERT INTO campaign (year, title, doc_no, issuer, issued_on, status, levels, forms, finalization, created_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
  updateCampaign: `UPDATE campaign SET year = $2, title = $3, doc_no = $4, issuer = $5, issued_on = $6, levels = $7, forms = $8, finalization = $9, updated_at = now() WHERE id = $1`,
  deleteStagesNotIn: `DELETE FROM campaign_stage WHERE campaign_id = $1 AND NOT (stage = ANY($2::text[]))`,
  upsertStage: `INSERT INTO campaign_stage (campaign_id, stage, name, position, deadline) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (campaign_id, stage) DO UPDATE SET name = EXCLUDED.name, position = EXCLUDED.position, deadline = EXCLUDED.deadline`,
  upsertConfiguredUnitDeadline: `INSERT INTO campaign_unit_deadline (campaign_id, stage, unit_id, deadline) VALUES ($1, $2, $3, $4)
    ON CONFLICT (campaign_id, stage, unit_id) DO UPDATE SET deadline = EXCLUDED.deadline`,
  categoriesNotIn: `SELECT k.code, k.name, (SELECT count(*)::int FROM application a WHERE a.campaign_id = k.campaign_id AND a.category_code = k.code) AS n
    FROM award_category k WHERE k.campaign_id = $1 AND NOT (k.code = ANY($2::text[]))`,
  deleteCategoriesNotIn: `DELETE FROM award_category WHERE campaign_id = $1 AND NOT (code = ANY($2::text[]))`,
  upsertCategory: `INSERT INTO award_category (campaign_id, code, name, applicant_kind, position, criteria, quota, rubric)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (campaign_id, code) DO UPDATE SET name = EXCLUDED.name, applicant_kind = EXCLUDED.applicant_kind,
      position = EXCLUDED.position, criteria = EXCLUDED.criteria, quota = EXCLUDED.quota, rubric = EXCLUDED.rubric`,

  // Stage dates and status.
  setStageDeadline: `UPDATE campaign_stage SET deadline = $3 WHERE campaign_id = $1 AND stage = $2`,
  touchCampaign: `UPDATE campaign SET updated_at = now() WHERE id = $1`,
  setStatus: `UPDATE campaign SET status = $2, updated_at = now() WHERE id = $1`,

  // Opening warnings.
  otherOpenCampaigns: `SELECT title, year FROM campaign WHERE status = 'OPEN' AND id <> $1 ORDER BY year, id`,
  unitsWithoutReviewer: `WITH held AS (
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
    ORDER BY level, code`,

  // Deadline extensions and the cities' own schedules.
  insertExtension: `INSERT INTO deadline_extension (campaign_id, stage, unit_id, until, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
  setUnitDeadline: `INSERT INTO campaign_unit_deadline (campaign_id, stage, unit_id, deadline, set_by) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (campaign_id, stage, unit_id) DO UPDATE SET deadline = EXCLUDED.deadline, set_by = EXCLUDED.set_by, set_at = now()`,
  deleteUnitDeadline: `DELETE FROM campaign_unit_deadline WHERE campaign_id = $1 AND stage = $2 AND unit_id = $3`,

  // Excel exports (campaign.exports.ts): {where} is the list's own filter, with its parameters.
  contactExportRows: `SELECT c.form, c.state, c.submitted_at, ci.name AS city_name, u.name AS unit_name, u.code AS unit_code
    FROM regional_contact c JOIN org_unit ci ON ci.id = c.city_id JOIN org_unit u ON u.id = c.unit_id
    WHERE {where} ORDER BY ci.code, u.code, c.id`,
  clubExportRows: `SELECT r.form, r.state, r.submitted_at, u.name AS unit_name, u.code AS unit_code
    FROM club_registration r JOIN org_unit u ON u.id = r.unit_id WHERE {where} ORDER BY r.unit_path, r.id`,

  // The demo campaign (campaign.seed.ts).
  demoCampaignId: `SELECT id FROM campaign WHERE year = 2023 AND title = $1 ORDER BY id LIMIT 1`,
  insertDemoExtension: `INSERT INTO deadline_extension (campaign_id, stage, until, reason, created_by) VALUES ($1, $2, $3, $4, $5)`,
  auditDemoExtensions: `INSERT INTO audit_log (actor_user_id, actor_role, action, target_type, target_id, reason, data) VALUES ($1, 'PROVINCE_ADMIN', 'DEADLINE_EXTEND', 'campaign', $2, $3, $4)`,
});

/** The category names of campaigns (code → name), one map per campaign id. */
export async function categoryNamesOf(sql: Sql, campaignIds: readonly string[]): Promise<Map<string, string>[]> {
  const rows = await sql.rows<{ campaign_id: string; code: string; name: string }>(queries.categoryNames, [campaignIds]);
  return campaignIds.map((id) => new Map(rows.filter((r) => String(r.campaign_id) === String(id)).map((r) => [r.code, r.name])));
}

/** A campaign's row by id (callers check the id's form). */
export function findCampaign(sql: Sql, id: string): Promise<CampaignRow | undefined> {
  return sql.one<CampaignRow>(queries.campaignById, [id]);
}

/** A campaign's stages, in the order of its review chain. */
export function stagesOf(sql: Sql, campaignId: string): Promise<StageRow[]> {
  return sql.rows<StageRow>(queries.stagesOf, [campaignId]);
}

/** Every unit's own deadline of a campaign. */
export function unitDeadlinesOf(sql: Sql, campaignId: string): Promise<UnitDeadlineRow[]> {
  return sql.rows<UnitDeadlineRow>(queries.unitDeadlinesOf, [campaignId]);
}

/** A campaign's award categories, in their configured order. */
export function categoriesOf(sql: Sql, campaignId: string): Promise<CategoryRow[]> {
  return sql.rows<CategoryRow>(queries.categoriesOf, [campaignId]);
}

/** A campaign's deadline extensions, oldest first. */
export function extensionsOf(sql: Sql, campaignId: string): Promise<ExtensionDbRow[]> {
  return sql.rows<ExtensionDbRow>(queries.extensionsOf, [campaignId]);
}

/** Campaigns newest first; drafts only with `withDrafts`. */
export function campaignRows(sql: Sql, withDrafts: boolean): Promise<CampaignRow[]> {
  return sql.rows<CampaignRow>(withDrafts ? queries.allCampaigns : queries.publishedCampaigns);
}

/** The settings a campaign row is written with (its stages and categories are written apart). */
export interface CampaignSettings {
  year: number;
  title: string;
  docNo: string;
  issuer: string;
  issuedOn: string | null;
  levels: readonly string[];
  forms: Campaign["forms"];
  finalization: Campaign["finalization"];
}

/** Inserts a campaign row; its id. */
export async function insertCampaignRow(sql: Sql, s: CampaignSettings, status: CampaignStatus, createdBy: string | null): Promise<string> {
  const row = await sql.one<{ id: string }>(
    queries.insertCampaign,
    [s.year, s.title, s.docNo, s.issuer, s.issuedOn, status, s.levels, JSON.stringify(s.forms), JSON.stringify(s.finalization), createdBy],
  );
  return String(row!.id);
}

/** Rewrites a campaign row's settings (not its status). */
export async function updateCampaignRow(sql: Sql, id: string, s: CampaignSettings): Promise<void> {
  await sql.exec(
    queries.updateCampaign,
    [id, s.year, s.title, s.docNo, s.issuer, s.issuedOn, s.levels, JSON.stringify(s.forms), JSON.stringify(s.finalization)],
  );
}

/** Removes the stages (with their unit deadlines, by cascade) whose code is not in `keep`. */
export async function deleteStagesNotIn(sql: Sql, campaignId: string, keep: readonly string[]): Promise<void> {
  await sql.exec(queries.deleteStagesNotIn, [campaignId, keep]);
}

/** Writes a stage's name, position and deadline. */
export async function upsertStage(sql: Sql, campaignId: string, stage: StageCode, name: string, position: number, deadline: string | null): Promise<void> {
  await sql.exec(queries.upsertStage, [campaignId, stage, name, position, deadline]);
}

/** Writes a unit's deadline for a stage as configured with the campaign. */
export async function upsertConfiguredUnitDeadline(sql: Sql, campaignId: string, stage: StageCode, unitId: string, deadline: string): Promise<void> {
  await sql.exec(queries.upsertConfiguredUnitDeadline, [campaignId, stage, unitId, deadline]);
}

/** The categories whose code is not in `keep`, with how many applications each has. */
export function categoriesNotIn(sql: Sql, campaignId: string, keep: readonly string[]): Promise<{ code: string; name: string; n: number }[]> {
  return sql.rows<{ code: string; name: string; n: number }>(queries.categoriesNotIn, [campaignId, keep]);
}

/** Removes the categories whose code is not in `keep`. */
export async function deleteCategoriesNotIn(sql: Sql, campaignId: string, keep: readonly string[]): Promise<void> {
  await sql.exec(queries.deleteCategoriesNotIn, [campaignId, keep]);
}

/** Writes a category at `position`. */
export async function upsertCategory(sql: Sql, campaignId: string, k: AwardCategory, position: number): Promise<void> {
  await sql.exec(
    queries.upsertCategory,
    [campaignId, k.code, k.name, k.applicantKind, position, JSON.stringify(k.criteria), JSON.stringify(k.quota), JSON.stringify(k.rubric)],
  );
}

/** Sets one stage's deadline (null: none). */
export async function setStageDeadline(sql: Sql, campaignId: string, stage: StageCode, deadline: string | null): Promise<void> {
  await sql.exec(queries.setStageDeadline, [campaignId, stage, deadline]);
}

/** Marks a campaign as changed now. */
export async function touchCampaign(sql: Sql, id: string): Promise<void> {
  await sql.exec(queries.touchCampaign, [id]);
}

export async function setCampaignStatusRow(sql: Sql, id: string, status: CampaignStatus): Promise<void> {
  await sql.exec(queries.setStatus, [id, status]);
}

/** The open campaigns other than `id`, oldest first. */
export function otherOpenCampaigns(sql: Sql, id: string): Promise<{ title: string; year: number }[]> {
  return sql.rows<{ title: string; year: number }>(queries.otherOpenCampaigns, [id]);
}

/**
 * Counties and cities that hold teachers, school admins or applications of the campaign (and the
 * cities of `cityCodes`) where no unlocked account holds the county's or city's reviewer role.
 */
export function unitsWithoutReviewer(sql: Sql, campaignId: string, cityCodes: readonly string[]): Promise<UnitWithoutReviewer[]> {
  return sql.rows<UnitWithoutReviewer>(queries.unitsWithoutReviewer, [campaignId, cityCodes]);
}

/** Records a deadline extension; its id and time. */
export async function insertExtension(
  sql: Sql,
  e: { campaignId: string; stage: StageCode; unitId: string | null; until: string; reason: string; createdBy: string | null },
): Promise<{ id: string; created_at: Date }> {
  const row = await sql.one<{ id: string; created_at: Date }>(queries.insertExtension, [e.campaignId, e.stage, e.unitId, e.until, e.reason, e.createdBy]);
  return row!;
}

/** Sets a unit's own deadline for a stage, recording who set it and when. */
export async function setUnitDeadline(sql: Sql, campaignId: string, stage: StageCode, unitId: string, deadline: string, setBy: string): Promise<void> {
  await sql.exec(queries.setUnitDeadline, [campaignId, stage, unitId, deadline, setBy]);
}

/** Removes a unit's own deadline for a stage. */
export async function deleteUnitDeadline(sql: Sql, campaignId: string, stage: StageCode, unitId: string): Promise<void> {
  await sql.exec(queries.deleteUnitDeadline, [campaignId, stage, unitId]);
}

/** The id of the first 2023 campaign titled `title` (the demo campaign), if any. */
export async function demoCampaignIdOf(sql: Pick<Sql, "one">, title: string): Promise<string | undefined> {
  const r = await sql.one<{ id: string }>(queries.demoCampaignId, [title]);
  return r ? String(r.id) : undefined;
}

/** Records a demo extension of a stage for everyone. */
export async function insertDemoExtension(sql: Sql, campaignId: string, stage: StageCode, until: string, reason: string, createdBy: string | null): Promise<void> {
  await sql.exec(queries.insertDemoExtension, [campaignId, stage, until, reason, createdBy]);
}

/** The audit record of the demo extensions, as a province admin's. */
export async function auditDemoExtensions(sql: Sql, adminId: string | null, campaignId: string, reason: string, data: Record<string, unknown>): Promise<void> {
  await sql.exec(queries.auditDemoExtensions, [adminId, campaignId, reason, JSON.stringify(data)]);
}

/** A filter of a list: a WHERE fragment (built by its repository) and its parameters. */
export interface ListFilter {
  where: string;
  params: unknown[];
}

/** The regional contacts of a contact list's filter with their city and unit, by city, unit and id. */
export function contactExportRows<F, S>(
  sql: Sql,
  f: ListFilter,
): Promise<{ form: F; state: S; submitted_at: Date; city_name: string; unit_name: string; unit_code: string | null }[]> {
  return sql.rows(fill(queries.contactExportRows, { where: f.where }), f.params);
}

/** The club registrations of a club list's filter with their unit, by unit path and id. */
export function clubExportRows<F>(
  sql: Sql,
  f: ListFilter,
): Promise<{ form: F; state: string; submitted_at: Date | null; unit_name: string; unit_code: string | null }[]> {
  return sql.rows(fill(queries.clubExportRows, { where: f.where }), f.params);
}
