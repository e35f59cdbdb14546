import type { GradingScheme } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";
import { bind, fill, sqlQueries } from "../../db/repository.js";
import { APP_COLUMNS, type ApplicationRow } from "../application/application.repository.js";
import type { ApplicantKind, ApplicationState } from "../campaign/domain.js";
import { ExpertProfile, FinalizationApplication, type AssignmentState, type ResultState, type ScoreState } from "./finalization.types.js";

/** Application states that are at the province: waiting there, in expert review, or decided there. */
export const AT_PROVINCE_STATES = ["AT_PROVINCE", "EXPERT_REVIEW"] as const;

/**
 * Joins for an application summary (alias `a`): category, applicant, applicant unit, city, county.
 * Only names and codes — never contact data.
 */
export const APPLICATION_JOINS = `
  JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
  JOIN app_user au ON au.id = a.applicant_user_id
  JOIN org_unit ou ON ou.id = a.applicant_unit_id
  JOIN org_unit oc ON oc.id = a.city_id
  LEFT JOIN org_unit ok ON ok.id = a.county_id`;

export const APPLICATION_COLUMNS = `
  a.id AS app_id, a.campaign_id AS app_campaign_id, a.category_code AS app_category_code, k.name AS app_category_name,
  a.applicant_kind AS app_applicant_kind, COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title,
  a.state AS app_state, a.grade AS app_grade, au.name AS app_user_name, ou.name AS app_unit_name, ou.code AS app_unit_code,
  oc.name AS app_city_name, oc.code AS app_city_code, ok.name AS app_county_name`;

export interface ApplicationSummaryRow {
  app_id: string;
  app_campaign_id: string;
  app_category_code: string;
  app_category_name: string;
  app_applicant_kind: ApplicantKind;
  app_title: string;
  app_state: ApplicationState;
  app_grade: string | null;
  app_user_name: string;
  app_unit_name: string;
  app_unit_code: string | null;
  app_city_name: string;
  app_city_code: string | null;
  app_county_name: string | null;
}

/** The name a list shows for the applicant: the teacher, or the applying school or region. */
export function applicantName(r: Pick<ApplicationSummaryRow, "app_applicant_kind" | "app_user_name" | "app_unit_name">): string {
  return r.app_applicant_kind === "TEACHER" ? r.app_user_name : r.app_unit_name;
}

export function toApplication(r: ApplicationSummaryRow): FinalizationApplication {
  return Object.assign(new FinalizationApplication(), {
    id: String(r.app_id),
    campaignId: String(r.app_campaign_id),
    categoryCode: r.app_category_code,
    categoryName: r.app_category_name,
    applicantKind: r.app_applicant_kind,
    title: r.app_title,
    state: r.app_state,
    grade: r.app_grade,
    applicantName: applicantName(r),
    unitName: r.app_unit_name,
    unitCode: r.app_unit_code,
    cityName: r.app_city_name,
    cityCode: r.app_city_code,
    countyName: r.app_county_name,
  });
}

/** Joins for an expert (alias `eu` for the user): home unit and its city. */
export const EXPERT_JOINS = `
  JOIN org_unit eo ON eo.id = eu.home_unit_id
  LEFT JOIN org_unit ec ON ec.id = eo.city_id`;

export const EXPERT_COLUMNS = `eu.id AS ex_id, eu.account AS ex_account, eu.name AS ex_name, eo.name AS ex_unit_name, ec.name AS ex_city_name, eu.locked AS ex_locked`;

export interface ExpertRow {
  ex_id: string;
  ex_account: string;
  ex_name: string;
  ex_unit_name: string;
  ex_city_name: string | null;
  ex_locked: boolean;
}

export function toExpert(r: ExpertRow, load = 0): ExpertProfile {
  return Object.assign(new ExpertProfile(), {
    id: String(r.ex_id),
    account: r.ex_account,
    name: r.ex_name,
    unitName: r.ex_unit_name,
    cityName: r.ex_city_name,
    locked: r.ex_locked,
    load,
  });
}

/** numeric columns arrive as strings from node-postgres; PGlite may give numbers. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return typeof v === "number" ? v : Number(v);
}

export const ID_RE = /^\d{1,18}$/;

/** Lock namespace of a campaign's finalization (first key of pg_advisory_xact_lock). */
const FINALIZATION_LOCK = 740_001;

/** Per application: assignments, submitted totals (lowest first) and the key of those totals. */
const SCORES_SELECT = `
  SELECT ${APPLICATION_COLUMNS},
         (SELECT count(*)::int FROM expert_assignment x WHERE x.application_id = a.id) AS assigned,
         (SELECT count(*)::int FROM expert_assignment x WHERE x.application_id = a.id AND x.state = 'RELEASED') AS released,
         sc.submitted, sc.totals, sc.scores_key, sr.scores_key AS review_key
    FROM application a ${APPLICATION_JOINS}
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS submitted,
             array_agg(s.total::float8 ORDER BY s.total) AS totals,
             string_agg(s.assignment_id || ':' || s.total, ',' ORDER BY s.assignment_id) AS scores_key
        FROM expert_score s WHERE s.application_id = a.id AND s.state = 'SUBMITTED'
    ) sc ON true
    LEFT JOIN spread_review sr ON sr.application_id = a.id`;

/** Spread over the submitted totals (alias sc); strictly above the threshold is flagged (as the domain rule). */
const SPREAD_SQL = "COALESCE(sc.totals[array_length(sc.totals, 1)] - sc.totals[1], 0)";

/** Score sheets: every assignment (alias x) with its application, expert and score (if any). */
const SHEET_FROM = `expert_assignment x JOIN application a ON a.id = x.application_id ${APPLICATION_JOINS}
  JOIN app_user eu ON eu.id = x.expert_user_id ${EXPERT_JOINS}
  LEFT JOIN expert_score s ON s.assignment_id = x.id`;
const SHEET_COLUMNS = `${APPLICATION_COLUMNS}, ${EXPERT_COLUMNS}, s.items, s.total, s.state AS s_state, s.submitted_at`;

export const queries = sqlQueries({
  // Province steps over a whole category or campaign take the campaign's lock exclusively; expert score writes take it shared.
  lockCampaign: `SELECT pg_advisory_xact_lock(${FINALIZATION_LOCK}, ($1::bigint % 2147483647)::int)`,
  lockCampaignShared: `SELECT pg_advisory_xact_lock_shared(${FINALIZATION_LOCK}, ($1::bigint % 2147483647)::int)`,
  // Scoring progress: filters (alias a, sc) joined with AND, a page of rows and their count.
  progressIn: `a.campaign_id = :campaignId AND a.unit_path LIKE :scope AND a.state = ANY(:states::text[])`,
  progressOfCategory: `a.category_code = :categoryCode`,
  progressOfApplication: `a.id = :applicationId`,
  progressFlagged: `(round((${SPREAD_SQL})::numeric, 2) > :threshold::numeric) = true`,
  progressUnflagged: `(round((${SPREAD_SQL})::numeric, 2) > :threshold::numeric) = false`,
  progressRows: `${SCORES_SELECT} WHERE {where} ORDER BY k.position, a.id {paging}`,
  progressPaging: `OFFSET {offset} LIMIT {limit}`,
  progressCount: `SELECT count(*)::int AS n FROM application a
         LEFT JOIN LATERAL (SELECT array_agg(s.total::float8 ORDER BY s.total) AS totals FROM expert_score s
                             WHERE s.application_id = a.id AND s.state = 'SUBMITTED') sc ON true
        WHERE {where}`,
  scoresInReview: `${SCORES_SELECT} WHERE a.campaign_id = $1 AND a.category_code = $2 AND a.unit_path LIKE $3 AND a.state = 'EXPERT_REVIEW' ORDER BY a.id`,
  scoresOfApplication: `${SCORES_SELECT} WHERE a.id = $1`,
  category: `SELECT state, scheme, scores_key, previewed_at, finalized_at FROM finalization_category WHERE campaign_id = $1 AND category_code = $2`,
  results: `SELECT ${APPLICATION_COLUMNS}, r.score, r.expert_count, r.spread, r.flagged, r.rank, r.grade
       FROM finalization_result r JOIN application a ON a.id = r.application_id ${APPLICATION_JOINS}
      WHERE r.campaign_id = $1 AND r.category_code = $2 AND a.unit_path LIKE $3 ORDER BY r.rank, a.id`,
  setGradingScheme: `UPDATE campaign SET finalization = jsonb_set(finalization, '{grading}', $2::jsonb), updated_at = now() WHERE id = $1`,
  deleteResults: `DELETE FROM finalization_result WHERE campaign_id = $1 AND category_code = $2`,
  savePreview: `INSERT INTO finalization_category (campaign_id, category_code, state, scheme, scores_key, previewed_by) VALUES ($1, $2, 'PREVIEW', $3, $4, $5)
       ON CONFLICT (campaign_id, category_code) DO UPDATE SET scheme = EXCLUDED.scheme, scores_key = EXCLUDED.scores_key,
         previewed_by = EXCLUDED.previewed_by, previewed_at = now()`,
  insertResults: `INSERT INTO finalization_result (application_id, campaign_id, category_code, score, expert_count, spread, flagged, rank, grade)
       SELECT r.app, $1, $2, r.score, r.n, r.spread, r.flagged, r.rank, r.grade
         FROM unnest($3::bigint[], $4::numeric[], $5::int[], $6::numeric[], $7::boolean[], $8::int[], $9::text[])
           AS r(app, score, n, spread, flagged, rank, grade)`,
  saveSpreadReview: `INSERT INTO spread_review (application_id, scores_key, note, reviewed_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (application_id) DO UPDATE SET scores_key = EXCLUDED.scores_key, note = EXCLUDED.note, reviewed_by = EXCLUDED.reviewed_by, reviewed_at = now()`,
  waitingTitles: `SELECT COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS app_title FROM application a
        WHERE a.campaign_id = $1 AND a.category_code = $2 AND a.unit_path LIKE $3 AND a.state = 'AT_PROVINCE' ORDER BY a.id`,
  resultGrades: `SELECT application_id, grade FROM finalization_result WHERE campaign_id = $1 AND category_code = $2 ORDER BY rank, application_id`,
  applicationsById: `SELECT ${APP_COLUMNS} FROM application a WHERE a.id = ANY($1::bigint[]) ORDER BY a.id`,
  markFinal: `UPDATE finalization_category SET state = 'FINAL', finalized_by = $3, finalized_at = now() WHERE campaign_id = $1 AND category_code = $2`,
  // Excel exports: assignments (WHERE from the assignment list's filters) and score sheets.
  assignmentExport: `SELECT ${APPLICATION_COLUMNS}, ${EXPERT_COLUMNS}, x.state AS x_state, x.origin AS x_origin, x.created_at AS x_created_at, x.released_at AS x_released_at
         FROM expert_assignment x JOIN application a ON a.id = x.application_id ${APPLICATION_JOINS}
         JOIN app_user eu ON eu.id = x.expert_user_id ${EXPERT_JOINS}
        WHERE {where} ORDER BY k.position, a.id, eu.name, x.id`,
  expertSheets: `SELECT ${SHEET_COLUMNS} FROM ${SHEET_FROM}
        WHERE x.campaign_id = $1 AND x.expert_user_id = $2 AND x.state = 'RELEASED' ORDER BY k.position, a.id`,
  expertHasReleasedWork: `SELECT 1 FROM expert_assignment WHERE campaign_id = $1 AND expert_user_id = $2 AND state = 'RELEASED' LIMIT 1`,
  submittedSheetsIn: `x.campaign_id = :campaignId AND a.unit_path LIKE :scope AND s.state = 'SUBMITTED'`,
  submittedSheetsOfCategory: `a.category_code = :categoryCode`,
  submittedSheetsOfExpert: `x.expert_user_id = :expertId`,
  submittedSheets: `SELECT ${SHEET_COLUMNS} FROM ${SHEET_FROM} WHERE {where} ORDER BY eu.name, eu.id, k.position, a.id`,
  // Demo data (finalization.seed.ts).
  demoActor: `SELECT r.user_id, r.unit_id, o.code FROM role_assignment r JOIN app_user u ON u.id = r.user_id JOIN org_unit o ON o.id = r.unit_id
      WHERE u.account = $1 AND r.role = $2 ORDER BY r.id LIMIT 1`,
  demoSetForm: `UPDATE application SET form = $2, title = $3 WHERE id = $1`,
  demoExpertsWithoutConflict: `SELECT a.id AS application_id, eu.id AS expert_id
         FROM application a JOIN org_unit au ON au.id = a.applicant_unit_id
         CROSS JOIN app_user eu JOIN org_unit eo ON eo.id = eu.home_unit_id
        WHERE a.id = $1
          AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = eu.id AND r.role = 'EXPERT') AND NOT eu.locked
          AND eu.id <> a.applicant_user_id AND eo.city_id IS DISTINCT FROM a.city_id AND eo.id <> au.id
        ORDER BY eu.id`,
  demoReleasedAssignment: `INSERT INTO expert_assignment (campaign_id, application_id, expert_user_id, state, origin, created_by, released_by, released_at)
         VALUES ($1, $2, $3, 'RELEASED', 'AUTO', $4, $4, now())`,
});

/** Takes the campaign's finalization lock until the end of the transaction (`lockCampaignFinalization`). */
export async function lockCampaign(sql: Sql, campaignId: string, mode: "exclusive" | "shared"): Promise<void> {
  await sql.exec(mode === "exclusive" ? queries.lockCampaign : queries.lockCampaignShared, [campaignId]);
}

export interface ScoresRow extends ApplicationSummaryRow {
  assigned: number;
  released: number;
  submitted: number;
  totals: (number | string)[] | null;
  scores_key: string | null;
  review_key: string | null;
}

export interface ProgressQuery {
  campaignId: string;
  /** A LIKE pattern on the applications' unit_path (the acting scope). */
  scope: string;
  states: readonly string[];
  categoryCode?: string | null;
  applicationId?: string | null;
  /** Only flagged (true) or only unflagged (false) applications at this spread threshold. */
  flagged?: { is: boolean; threshold: number } | null;
}

/** Scoring progress: a page (or all, without `page`) of applications with their scores, and the total. */
export async function progressPage(sql: Sql, q: ProgressQuery, page: { offset: number; limit: number } | null): Promise<{ rows: ScoresRow[]; total: number }> {
  const params: unknown[] = [];
  const conds = [bind(queries.progressIn, params, { campaignId: q.campaignId, scope: q.scope, states: q.states })];
  if (q.categoryCode) conds.push(bind(queries.progressOfCategory, params, { categoryCode: q.categoryCode }));
  if (q.applicationId) conds.push(bind(queries.progressOfApplication, params, { applicationId: q.applicationId }));
  if (q.flagged) conds.push(bind(q.flagged.is ? queries.progressFlagged : queries.progressUnflagged, params, { threshold: q.flagged.threshold }));
  const where = conds.join(" AND ");
  const paging = page ? fill(queries.progressPaging, { offset: Number(page.offset), limit: Number(page.limit) }) : "";
  const [rows, count] = await Promise.all([
    sql.rows<ScoresRow>(fill(queries.progressRows, { where, paging }), params),
    sql.one<{ n: number }>(fill(queries.progressCount, { where }), params),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** Every application of a category in expert review under the scope pattern, with its scores. */
export function scoresInReview(sql: Sql, campaignId: string, categoryCode: string, scope: string): Promise<ScoresRow[]> {
  return sql.rows<ScoresRow>(queries.scoresInReview, [campaignId, categoryCode, scope]);
}

/** One application with its scores. */
export function scoresOfApplication(sql: Sql, applicationId: string): Promise<ScoresRow | undefined> {
  return sql.one<ScoresRow>(queries.scoresOfApplication, [applicationId]);
}

export interface CategoryRow {
  state: ResultState;
  scheme: GradingScheme;
  scores_key: string;
  previewed_at: Date;
  finalized_at: Date | null;
}

/** A category's stored grading (preview or final); undefined before the first preview. */
export function findCategory(sql: Sql, campaignId: string, categoryCode: string): Promise<CategoryRow | undefined> {
  return sql.one<CategoryRow>(queries.category, [campaignId, categoryCode]);
}

export interface ResultRow extends ApplicationSummaryRow {
  score: string | number;
  expert_count: number;
  spread: string | number;
  flagged: boolean;
  rank: number;
  grade: string | null;
}

/** A category's stored results under the scope pattern, by rank. */
export function resultRows(sql: Sql, campaignId: string, categoryCode: string, scope: string): Promise<ResultRow[]> {
  return sql.rows<ResultRow>(queries.results, [campaignId, categoryCode, scope]);
}

/** Sets the grading scheme in the campaign's finalization settings. */
export async function saveGradingScheme(sql: Sql, campaignId: string, scheme: GradingScheme): Promise<void> {
  await sql.exec(queries.setGradingScheme, [campaignId, JSON.stringify(scheme)]);
}

export async function deleteResults(sql: Sql, campaignId: string, categoryCode: string): Promise<void> {
  await sql.exec(queries.deleteResults, [campaignId, categoryCode]);
}

/** Stores (or replaces) the category's preview: its scheme and the key of the scores it graded. */
export async function savePreview(
  sql: Sql, p: { campaignId: string; categoryCode: string; scheme: GradingScheme; scoresKey: string; userId: string },
): Promise<void> {
  await sql.exec(queries.savePreview, [p.campaignId, p.categoryCode, JSON.stringify(p.scheme), p.scoresKey, p.userId]);
}

export interface NewResult {
  applicationId: string;
  score: number | null;
  expertCount: number;
  spread: number;
  flagged: boolean;
  rank: number | null;
  grade: string | null;
}

/** Inserts a category's results in one statement. */
export async function insertResults(sql: Sql, campaignId: string, categoryCode: string, results: NewResult[]): Promise<void> {
  await sql.exec(queries.insertResults, [
    campaignId, categoryCode,
    results.map((r) => r.applicationId), results.map((r) => r.score), results.map((r) => r.expertCount),
    results.map((r) => r.spread), results.map((r) => r.flagged), results.map((r) => r.rank), results.map((r) => r.grade),
  ]);
}

/** Records (or replaces) the further review of an application's spread, for the scores with this key. */
export async function saveSpreadReview(sql: Sql, applicationId: string, scoresKey: string, note: string, userId: string): Promise<void> {
  await sql.exec(queries.saveSpreadReview, [applicationId, scoresKey, note, userId]);
}

/** Titles of a category's applications still waiting at the province (not in expert review) under the scope pattern. */
export function waitingTitles(sql: Sql, campaignId: string, categoryCode: string, scope: string): Promise<{ app_title: string }[]> {
  return sql.rows<{ app_title: string }>(queries.waitingTitles, [campaignId, categoryCode, scope]);
}

/** The grade of each stored result of a category (null: not selected), by rank. */
export function resultGrades(sql: Sql, campaignId: string, categoryCode: string): Promise<{ application_id: string; grade: string | null }[]> {
  return sql.rows<{ application_id: string; grade: string | null }>(queries.resultGrades, [campaignId, categoryCode]);
}

/** Applications by id, in id order. */
export function applicationsById(sql: Sql, ids: readonly string[]): Promise<ApplicationRow[]> {
  return sql.rows<ApplicationRow>(queries.applicationsById, [ids]);
}

export async function markCategoryFinal(sql: Sql, campaignId: string, categoryCode: string, userId: string): Promise<void> {
  await sql.exec(queries.markFinal, [campaignId, categoryCode, userId]);
}

export interface AssignmentExportRow extends ApplicationSummaryRow, ExpertRow {
  x_state: AssignmentState;
  x_origin: string;
  x_created_at: Date;
  x_released_at: Date | null;
}

/** Assignments with their application and expert, for the export (`w`: the assignment list's WHERE and params). */
export function assignmentExportRows(sql: Sql, w: { where: string; params: unknown[] }): Promise<AssignmentExportRow[]> {
  return sql.rows<AssignmentExportRow>(fill(queries.assignmentExport, { where: w.where }), w.params);
}

export interface SheetRow extends ApplicationSummaryRow, ExpertRow {
  items: Record<string, number | null> | null;
  total: string | number | null;
  s_state: ScoreState | null;
  submitted_at: Date | null;
}

/** An expert's released assignments in a campaign with their scores (if any). */
export function expertSheets(sql: Sql, campaignId: string, expertUserId: string): Promise<SheetRow[]> {
  return sql.rows<SheetRow>(queries.expertSheets, [campaignId, expertUserId]);
}

/** Whether the expert has released work in the campaign. */
export async function expertHasReleasedWork(sql: Sql, campaignId: string, expertUserId: string): Promise<boolean> {
  return !!(await sql.one(queries.expertHasReleasedWork, [campaignId, expertUserId]));
}

/** Submitted score sheets of a campaign under the scope pattern, by expert. */
export function submittedSheets(
  sql: Sql, q: { campaignId: string; scope: string; categoryCode?: string | null; expertId?: string | null },
): Promise<SheetRow[]> {
  const params: unknown[] = [];
  const conds = [bind(queries.submittedSheetsIn, params, { campaignId: q.campaignId, scope: q.scope })];
  if (q.categoryCode) conds.push(bind(queries.submittedSheetsOfCategory, params, { categoryCode: q.categoryCode }));
  if (q.expertId) conds.push(bind(queries.submittedSheetsOfExpert, params, { expertId: q.expertId }));
  return sql.rows<SheetRow>(fill(queries.submittedSheets, { where: conds.join(" AND ") }), params);
}

/** Demo data: the first role assignment of an account in a role, with its unit's code. */
export function demoActorRow(sql: Sql, account: string, role: string): Promise<{ user_id: string; unit_id: string; code: string | null } | undefined> {
  return sql.one<{ user_id: string; unit_id: string; code: string | null }>(queries.demoActor, [account, role]);
}

/** Demo data: sets an application's working form and title directly. */
export async function demoSetForm(sql: Sql, applicationId: string, form: unknown, title: string): Promise<void> {
  await sql.exec(queries.demoSetForm, [applicationId, JSON.stringify(form), title]);
}

/** Demo data: every unlocked expert with no conflict with the application (not its applicant, other city, other unit). */
export function demoExpertsWithoutConflict(sql: Sql, applicationId: string): Promise<{ application_id: string; expert_id: string }[]> {
  return sql.rows<{ application_id: string; expert_id: string }>(queries.demoExpertsWithoutConflict, [applicationId]);
}

/** Demo data: a released automatic assignment. */
export async function demoReleasedAssignment(sql: Sql, a: { campaignId: string; applicationId: string; expertId: string; userId: string }): Promise<void> {
  await sql.exec(queries.demoReleasedAssignment, [a.campaignId, a.applicationId, a.expertId, a.userId]);
}
