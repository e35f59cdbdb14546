import type { ComputedItem } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";
import { bind, fill, sqlQueries } from "../../db/repository.js";
import { APP_COLUMNS, LISTED_USER_IDS_SQL, type ApplicationRow } from "../application/application.repository.js";
import {
  APPLICATION_COLUMNS, APPLICATION_JOINS, EXPERT_COLUMNS, EXPERT_JOINS, type ApplicationSummaryRow, type ExpertRow,
} from "./finalization.repository.js";
import type { AssignmentState, ScoreState } from "./finalization.types.js";

/** An application at the province in the acting role's scope, with what conflict checks need. */
export interface ProvinceApplicationRow extends ApplicationRow {
  city_key: string;
  school_key: string | null;
  listed_user_ids: string[];
}

/** An application (alias `a`) with the keys of its city and school and the users listed on it. */
const PROVINCE_APP_COLUMNS = `${APP_COLUMNS},
  (SELECT COALESCE(o.code, '#' || o.id) FROM org_unit o WHERE o.id = a.city_id) AS city_key,
  (SELECT COALESCE(o.code, '#' || o.id) FROM org_unit o WHERE o.id = a.applicant_unit_id AND o.kind IN ('SCHOOL','PRACTICE_BASE')) AS school_key,
  ${LISTED_USER_IDS_SQL} AS listed_user_ids`;

/** An expert with the keys of their city and school (for conflict checks). */
export interface ExpertRefRow extends ExpertRow {
  city_key: string | null;
  school_key: string | null;
}

const EXPERT_REF_COLUMNS = `${EXPERT_COLUMNS},
  CASE WHEN ec.id IS NOT NULL THEN COALESCE(ec.code, '#' || ec.id) END AS city_key,
  CASE WHEN eo.kind IN ('SCHOOL','PRACTICE_BASE') THEN COALESCE(eo.code, '#' || eo.id) END AS school_key`;

/** An assignment (alias x) with its score's state and total (alias s). */
const ASSIGNMENT_COLUMNS = `x.id AS x_id, x.campaign_id AS x_campaign_id, x.state AS x_state, x.origin AS x_origin, x.created_at AS x_created_at,
  x.released_at AS x_released_at, s.state AS s_state, s.total AS s_total`;

/** Assignments (alias x) with their application (a), expert (eu) and score, if any (s). */
const ASSIGNMENT_FROM = `expert_assignment x
  JOIN application a ON a.id = x.application_id ${APPLICATION_JOINS}
  JOIN app_user eu ON eu.id = x.expert_user_id ${EXPERT_JOINS}
  LEFT JOIN expert_score s ON s.assignment_id = x.id`;

export interface AssignmentRow extends ApplicationSummaryRow, ExpertRow {
  x_id: string;
  x_campaign_id: string;
  x_state: AssignmentState;
  x_origin: string;
  x_created_at: Date;
  x_released_at: Date | null;
  s_state: ScoreState | null;
  s_total: string | number | null;
}

/** An expert's score of one assignment. */
export interface ScoreRow {
  assignment_id: string;
  items: ScoreValues;
  computed: ComputedItem[] | null;
  total: string | number | null;
  state: ScoreState;
  version: number;
  saved_at: Date;
  submitted_at: Date | null;
}

/** Item values of a score by item id (null: no value). */
export type ScoreValues = Record<string, number | null>;

const SCORE_COLUMNS = "assignment_id, items, computed, total, state, version, saved_at, submitted_at";

export const queries = sqlQueries({
  // Applications at the province.
  provinceApplication: `SELECT ${PROVINCE_APP_COLUMNS} FROM application a WHERE a.id = $1 AND a.unit_path LIKE $2 AND a.state <> 'DRAFT'`,
  provinceApplicationsIn: `a.campaign_id = :campaignId AND a.unit_path LIKE :scope AND a.state = ANY(:states::text[])`,
  provinceApplicationsOfCategory: `a.category_code = :categoryCode`,
  provinceApplications: `SELECT ${PROVINCE_APP_COLUMNS} FROM application a WHERE {where} ORDER BY a.id`,
  applicationSummaries: `SELECT ${APPLICATION_COLUMNS} FROM application a ${APPLICATION_JOINS} WHERE a.id = ANY($1::bigint[]) ORDER BY a.id`,
  titleAndCity: `SELECT COALESCE(NULLIF(a.title, ''), a.form->'case'->>'title', '') AS title, oc.name AS city_name
         FROM application a JOIN org_unit oc ON oc.id = a.city_id WHERE a.id = $1`,
  waitingForExpertReview: `SELECT ${APP_COLUMNS} FROM application a WHERE a.id = ANY($1::bigint[]) AND a.state = 'AT_PROVINCE' ORDER BY a.id`,
  // The expert pool: users holding the expert role over a unit in the scope (alias eu).
  expertPool: `EXISTS (SELECT 1 FROM role_assignment r JOIN org_unit ro ON ro.id = r.unit_id
                   WHERE r.user_id = eu.id AND r.role = 'EXPERT' AND ro.path LIKE :scope)`,
  expertWithId: `eu.id = ANY(:ids::bigint[])`,
  expertUnlocked: `NOT eu.locked`,
  expertRefs: `SELECT ${EXPERT_REF_COLUMNS} FROM app_user eu ${EXPERT_JOINS} WHERE {where} ORDER BY eu.id`,
  expertRefsById: `SELECT ${EXPERT_REF_COLUMNS} FROM app_user eu ${EXPERT_JOINS} WHERE eu.id = ANY($1::bigint[])`,
  expertPoolWithLoad: `SELECT ${EXPERT_COLUMNS}, (SELECT count(*)::int FROM expert_assignment x WHERE x.expert_user_id = eu.id AND x.campaign_id = :campaignId) AS load
       FROM app_user eu ${EXPERT_JOINS} WHERE {pool} ORDER BY eu.locked, eu.name, eu.id LIMIT 2000`,
  // The province's assignment list (its WHERE is shared with the Excel export).
  assignmentsIn: `x.campaign_id = :campaignId AND a.unit_path LIKE :scope`,
  assignmentsOfCategory: `a.category_code = :categoryCode`,
  assignmentsOfApplication: `x.application_id = :applicationId`,
  assignmentsOfExpert: `x.expert_user_id = :expertId`,
  assignmentsInState: `x.state = :state`,
  assignmentPage: `SELECT ${ASSIGNMENT_COLUMNS}, ${APPLICATION_COLUMNS}, ${EXPERT_COLUMNS} FROM ${ASSIGNMENT_FROM}
        WHERE {where} ORDER BY a.category_code, a.id, eu.name, x.id OFFSET {offset} LIMIT {limit}`,
  assignmentCount: `SELECT count(*)::int AS n FROM expert_assignment x JOIN application a ON a.id = x.application_id WHERE {where}`,
  assignmentById: `SELECT ${ASSIGNMENT_COLUMNS}, ${APPLICATION_COLUMNS}, ${EXPERT_COLUMNS} FROM ${ASSIGNMENT_FROM} WHERE x.id = $1`,
  // Assigning by hand, removing, planning and releasing.
  insertManualAssignment: `INSERT INTO expert_assignment (campaign_id, application_id, expert_user_id, origin, created_by)
       VALUES ($1, $2, $3, 'MANUAL', $4) ON CONFLICT (application_id, expert_user_id) DO NOTHING RETURNING id`,
  assignmentCampaignInScope: `SELECT x.campaign_id FROM expert_assignment x JOIN application a ON a.id = x.application_id WHERE x.id = $1 AND a.unit_path LIKE $2`,
  assignmentForRemoval: `SELECT x.id, x.application_id, x.expert_user_id, x.state, s.state AS score_state, a.state AS app_state
         FROM expert_assignment x JOIN application a ON a.id = x.application_id LEFT JOIN expert_score s ON s.assignment_id = x.id
        WHERE x.id = $1`,
  deleteAssignment: `DELETE FROM expert_assignment WHERE id = $1`,
  deleteAutoDrafts: `DELETE FROM expert_assignment WHERE application_id = ANY($1::bigint[]) AND state = 'DRAFT' AND origin = 'AUTO'`,
  assignedPairs: `SELECT application_id, expert_user_id FROM expert_assignment WHERE application_id = ANY($1::bigint[])`,
  insertAutoAssignments: `INSERT INTO expert_assignment (campaign_id, application_id, expert_user_id, origin, created_by)
         SELECT $1, u.app, u.expert, 'AUTO', $4 FROM unnest($2::bigint[], $3::bigint[]) AS u(app, expert)`,
  releaseOfCategory: `a.category_code = :categoryCode`,
  releaseDrafts: `UPDATE expert_assignment x SET state = 'RELEASED', released_by = $4, released_at = now()
         FROM application a
        WHERE a.id = x.application_id AND x.campaign_id = $1 AND x.state = 'DRAFT' AND a.unit_path LIKE $2 AND a.state = ANY($3::text[]){ofCategory}
        RETURNING x.application_id, x.expert_user_id`,
  // The expert's side: their released tasks, the score sheet and its history.
  myAssignment: `SELECT id, campaign_id, application_id, expert_user_id FROM expert_assignment WHERE application_id = $1 AND expert_user_id = $2 AND state = 'RELEASED'`,
  myTasks: `x.expert_user_id = :userId AND x.state = 'RELEASED'`,
  myTasksInCampaign: `x.campaign_id = :campaignId`,
  myTasksTodo: `s.state IS DISTINCT FROM 'SUBMITTED'`,
  myTasksDone: `s.state = 'SUBMITTED'`,
  myTaskPage: `SELECT ${ASSIGNMENT_COLUMNS}, ${APPLICATION_COLUMNS}, ${EXPERT_COLUMNS}
         FROM ${ASSIGNMENT_FROM} WHERE {where}
        ORDER BY x.campaign_id DESC, (s.state IS DISTINCT FROM 'SUBMITTED') DESC, a.category_code, a.id OFFSET {offset} LIMIT {limit}`,
  myTaskCounts: `SELECT count(*) FILTER (WHERE {progress})::int AS n, count(*)::int AS n_all,
              count(*) FILTER (WHERE s.state = 'SUBMITTED')::int AS submitted, count(*) FILTER (WHERE s.state = 'DRAFT')::int AS draft
         FROM expert_assignment x LEFT JOIN expert_score s ON s.assignment_id = x.id WHERE {where}`,
  application: `SELECT ${APP_COLUMNS} FROM application a WHERE a.id = $1`,
  applicationSummary: `SELECT ${APPLICATION_COLUMNS} FROM application a ${APPLICATION_JOINS} WHERE a.id = $1`,
  formForExperts: `SELECT COALESCE((SELECT form FROM application_revision WHERE application_id = a.id ORDER BY revision DESC LIMIT 1), a.form) AS form
       FROM application a WHERE a.id = $1`,
  score: `SELECT ${SCORE_COLUMNS} FROM expert_score WHERE assignment_id = $1`,
  scoreForUpdate: `SELECT ${SCORE_COLUMNS} FROM expert_score WHERE assignment_id = $1 FOR UPDATE`,
  scoreChanges: `SELECT c.id, c.assignment_id, c.kind, c.old_items, c.old_total, c.new_items, c.new_total, c.reason, u.name AS changed_by_name, c.changed_at
         FROM expert_score_change c JOIN app_user u ON u.id = c.changed_by WHERE c.assignment_id = ANY($1::bigint[]) ORDER BY c.id`,
  insertScore: `INSERT INTO expert_score (assignment_id, application_id, expert_user_id, items, computed, total, state, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 THEN now() END) ON CONFLICT (assignment_id) DO NOTHING`,
  updateScore: `UPDATE expert_score SET items = $3, computed = COALESCE($4, computed), total = $5, state = $6, version = version + 1, saved_at = now(),
            submitted_at = CASE WHEN $7 THEN now() ELSE submitted_at END
      WHERE assignment_id = $1 AND version = $2`,
  insertSubmission: `INSERT INTO expert_score_change (assignment_id, application_id, kind, new_items, new_total, changed_by) VALUES ($1, $2, 'SUBMIT', $3, $4, $5)`,
  insertChange: `INSERT INTO expert_score_change (assignment_id, application_id, kind, old_items, old_total, new_items, new_total, reason, changed_by)
       VALUES ($1, $2, 'CHANGE', $3, $4, $5, $6, $7, $8)`,
  // The province's side: every expert's score of an application, and who has not submitted.
  scoresOfApplication: `SELECT x.id AS x_id, x.state AS x_state, s.state AS s_state, s.items AS s_items, s.total AS s_total, s.submitted_at AS s_submitted_at, ${EXPERT_COLUMNS}
       FROM expert_assignment x JOIN app_user eu ON eu.id = x.expert_user_id ${EXPERT_JOINS}
       LEFT JOIN expert_score s ON s.assignment_id = x.id
      WHERE x.application_id = $1 ORDER BY x.id`,
  pendingExperts: `SELECT x.expert_user_id FROM expert_assignment x LEFT JOIN expert_score s ON s.assignment_id = x.id
        WHERE x.application_id = $1 AND x.state = 'RELEASED' AND s.state IS DISTINCT FROM 'SUBMITTED' ORDER BY x.id`,
});

/** An application by id under the scope pattern, never a draft. */
export function findProvinceApplication(sql: Sql, applicationId: string, scope: string): Promise<ProvinceApplicationRow | undefined> {
  return sql.one<ProvinceApplicationRow>(queries.provinceApplication, [applicationId, scope]);
}

/** A campaign's applications in these states under the scope pattern (of one category, when given), by id. */
export function provinceApplications(
  sql: Sql, q: { campaignId: string; scope: string; states: readonly string[]; categoryCode?: string | null },
): Promise<ProvinceApplicationRow[]> {
  const params: unknown[] = [];
  let where = bind(queries.provinceApplicationsIn, params, { campaignId: q.campaignId, scope: q.scope, states: q.states });
  if (q.categoryCode) where += ` AND ${bind(queries.provinceApplicationsOfCategory, params, { categoryCode: q.categoryCode })}`;
  return sql.rows<ProvinceApplicationRow>(fill(queries.provinceApplications, { where }), params);
}

/** Application summaries by id, in id order. */
export function applicationSummaries(sql: Sql, ids: readonly string[]): Promise<ApplicationSummaryRow[]> {
  return sql.rows<ApplicationSummaryRow>(queries.applicationSummaries, [ids]);
}

/** An application's title (from the form when not set) and its city's name. */
export function titleAndCity(sql: Sql, applicationId: string): Promise<{ title: string; city_name: string } | undefined> {
  return sql.one<{ title: string; city_name: string }>(queries.titleAndCity, [applicationId]);
}

/** Of these applications, those still waiting at the province (not in expert review yet), by id. */
export function waitingForExpertReview(sql: Sql, ids: readonly string[]): Promise<ApplicationRow[]> {
  return sql.rows<ApplicationRow>(queries.waitingForExpertReview, [ids]);
}

/** Experts of the pool under the scope pattern (only these ids, only unlocked ones, when asked), by id. */
export function expertRefs(sql: Sql, scope: string, opts: { ids?: readonly string[]; unlockedOnly?: boolean }): Promise<ExpertRefRow[]> {
  const params: unknown[] = [];
  const conds = [bind(queries.expertPool, params, { scope })];
  if (opts.ids) conds.push(bind(queries.expertWithId, params, { ids: opts.ids }));
  if (opts.unlockedOnly) conds.push(queries.expertUnlocked);
  return sql.rows<ExpertRefRow>(fill(queries.expertRefs, { where: conds.join(" AND ") }), params);
}

/** Experts by id, whether in the pool or not. */
export function expertRefsById(sql: Sql, ids: readonly string[]): Promise<ExpertRefRow[]> {
  return sql.rows<ExpertRefRow>(queries.expertRefsById, [ids]);
}

/** The expert pool under the scope pattern with each expert's number of assignments in the campaign. */
export function expertPoolWithLoad(sql: Sql, scope: string, campaignId: string): Promise<(ExpertRow & { load: number })[]> {
  const params: unknown[] = [];
  const pool = bind(queries.expertPool, params, { scope });
  return sql.rows<ExpertRow & { load: number }>(bind(fill(queries.expertPoolWithLoad, { pool }), params, { campaignId }), params);
}

export interface AssignmentQuery {
  campaignId: string;
  /** A LIKE pattern on the applications' unit_path (the acting scope). */
  scope: string;
  categoryCode?: string | null;
  applicationId?: string | null;
  expertId?: string | null;
  state?: AssignmentState | null;
}

/** WHERE (aliases x, a) and parameters of the province's assignment list. */
export function assignmentFilter(q: AssignmentQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const conds = [bind(queries.assignmentsIn, params, { campaignId: q.campaignId, scope: q.scope })];
  if (q.categoryCode) conds.push(bind(queries.assignmentsOfCategory, params, { categoryCode: q.categoryCode }));
  if (q.applicationId) conds.push(bind(queries.assignmentsOfApplication, params, { applicationId: q.applicationId }));
  if (q.expertId) conds.push(bind(queries.assignmentsOfExpert, params, { expertId: q.expertId }));
  if (q.state) conds.push(bind(queries.assignmentsInState, params, { state: q.state }));
  return { where: conds.join(" AND "), params };
}

/** A page of the assignment list (`w`: from `assignmentFilter`) and its total. */
export async function assignmentPage(
  sql: Sql, w: { where: string; params: unknown[] }, offset: number, limit: number,
): Promise<{ rows: AssignmentRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    sql.rows<AssignmentRow>(fill(queries.assignmentPage, { where: w.where, offset: Number(offset), limit: Number(limit) }), w.params),
    sql.one<{ n: number }>(fill(queries.assignmentCount, { where: w.where }), w.params),
  ]);
  return { rows, total: count?.n ?? 0 };
}

export function findAssignment(sql: Sql, id: string): Promise<AssignmentRow | undefined> {
  return sql.one<AssignmentRow>(queries.assignmentById, [id]);
}

/** A hand-made draft assignment; undefined when the expert is already assigned to the application. */
export function insertManualAssignment(
  sql: Sql, a: { campaignId: string; applicationId: string; expertId: string; userId: string },
): Promise<{ id: string } | undefined> {
  return sql.one<{ id: string }>(queries.insertManualAssignment, [a.campaignId, a.applicationId, a.expertId, a.userId]);
}

/** The campaign of an assignment whose application is under the scope pattern. */
export function assignmentCampaignInScope(sql: Sql, assignmentId: string, scope: string): Promise<{ campaign_id: string } | undefined> {
  return sql.one<{ campaign_id: string }>(queries.assignmentCampaignInScope, [assignmentId, scope]);
}

export interface AssignmentForRemovalRow {
  id: string;
  application_id: string;
  expert_user_id: string;
  state: AssignmentState;
  score_state: ScoreState | null;
  app_state: ApplicationRow["state"];
}

/** An assignment with its score's state and its application's state. */
export function assignmentForRemoval(sql: Sql, assignmentId: string): Promise<AssignmentForRemovalRow | undefined> {
  return sql.one<AssignmentForRemovalRow>(queries.assignmentForRemoval, [assignmentId]);
}

export async function deleteAssignment(sql: Sql, id: string): Promise<void> {
  await sql.exec(queries.deleteAssignment, [id]);
}

/** Removes the automatic drafts of these applications; returns how many. */
export async function deleteAutoDrafts(sql: Sql, applicationIds: readonly string[]): Promise<number> {
  return (await sql.exec(queries.deleteAutoDrafts, [applicationIds])).affected;
}

/** Every assignment of these applications, as application and expert. */
export function assignedPairs(sql: Sql, applicationIds: readonly string[]): Promise<{ application_id: string; expert_user_id: string }[]> {
  return sql.rows<{ application_id: string; expert_user_id: string }>(queries.assignedPairs, [applicationIds]);
}

/** Automatic draft assignments in one statement. */
export async function insertAutoAssignments(
  sql: Sql, campaignId: string, pairs: readonly { applicationId: string; expertId: string }[], userId: string,
): Promise<void> {
  await sql.exec(queries.insertAutoAssignments, [campaignId, pairs.map((x) => x.applicationId), pairs.map((x) => x.expertId), userId]);
}

/**
 * Releases a campaign's drafts (of one category, when given) whose applications are in these
 * states under the scope pattern; returns the released pairs.
 */
export function releaseDrafts(
  sql: Sql, q: { campaignId: string; scope: string; states: readonly string[]; userId: string; categoryCode?: string | null },
): Promise<{ application_id: string; expert_user_id: string }[]> {
  const params: unknown[] = [q.campaignId, q.scope, q.states, q.userId];
  const ofCategory = q.categoryCode ? ` AND ${bind(queries.releaseOfCategory, params, { categoryCode: q.categoryCode })}` : "";
  return sql.rows<{ application_id: string; expert_user_id: string }>(fill(queries.releaseDrafts, { ofCategory }), params);
}

/** An expert's released assignment. */
export interface MyAssignmentRow {
  id: string;
  campaign_id: string;
  application_id: string;
  expert_user_id: string;
}

/** The expert's released assignment for an application, if any. */
export function findMyAssignment(sql: Sql, applicationId: string, expertUserId: string): Promise<MyAssignmentRow | undefined> {
  return sql.one<MyAssignmentRow>(queries.myAssignment, [applicationId, expertUserId]);
}

/** Which of an expert's tasks to list: all, those still to submit, or the submitted ones. */
export type ScoreProgress = "ALL" | "TODO" | "DONE";

const PROGRESS_FILTER: Record<ScoreProgress, string | null> = { ALL: null, TODO: queries.myTasksTodo, DONE: queries.myTasksDone };

export interface TaskCounts {
  /** Tasks matching the progress filter. */
  n: number;
  n_all: number;
  submitted: number;
  draft: number;
}

/**
 * A page of the expert's released assignments (of one campaign, when given; filtered by
 * progress), newest campaign first and open tasks first, with the counts by scoring state over
 * all of them (`n`: those matching the filter).
 */
export async function myTaskPage(
  sql: Sql, q: { userId: string; campaignId?: string | null; progress: ScoreProgress }, offset: number, limit: number,
): Promise<{ rows: AssignmentRow[]; counts: TaskCounts | undefined }> {
  const params: unknown[] = [];
  let where = bind(queries.myTasks, params, { userId: q.userId });
  if (q.campaignId) where += ` AND ${bind(queries.myTasksInCampaign, params, { campaignId: q.campaignId })}`;
  const progress = PROGRESS_FILTER[q.progress];
  const [rows, counts] = await Promise.all([
    sql.rows<AssignmentRow>(
      fill(queries.myTaskPage, { where: progress ? `${where} AND ${progress}` : where, offset: Number(offset), limit: Number(limit) }),
      params,
    ),
    sql.one<TaskCounts>(fill(queries.myTaskCounts, { where, progress: progress ?? "TRUE" }), params),
  ]);
  return { rows, counts };
}

/** An application by id (callers have checked access). */
export function findApplication(sql: Sql, applicationId: string): Promise<ApplicationRow | undefined> {
  return sql.one<ApplicationRow>(queries.application, [applicationId]);
}

/** An application's summary by id. */
export function applicationSummary(sql: Sql, applicationId: string): Promise<ApplicationSummaryRow | undefined> {
  return sql.one<ApplicationSummaryRow>(queries.applicationSummary, [applicationId]);
}

/** The application form as last submitted (the working form before any submission). */
export async function submittedForm(sql: Sql, applicationId: string): Promise<Record<string, unknown> | null> {
  const r = await sql.one<{ form: Record<string, unknown> | null }>(queries.formForExperts, [applicationId]);
  return r?.form ?? null;
}

/** The score of an assignment; `forUpdate` locks its row until the end of the transaction. */
export function findScore(sql: Sql, assignmentId: string, forUpdate = false): Promise<ScoreRow | undefined> {
  return sql.one<ScoreRow>(forUpdate ? queries.scoreForUpdate : queries.score, [assignmentId]);
}

export interface ScoreChangeRow {
  id: string;
  assignment_id: string;
  kind: string;
  old_items: ScoreValues | null;
  old_total: string | number | null;
  new_items: ScoreValues;
  new_total: string | number;
  reason: string | null;
  changed_by_name: string;
  changed_at: Date;
}

/** The history of these assignments' scores, oldest first. */
export function scoreChanges(sql: Sql, assignmentIds: readonly string[]): Promise<ScoreChangeRow[]> {
  return sql.rows<ScoreChangeRow>(queries.scoreChanges, [assignmentIds]);
}

export interface ScoreWrite {
  items: ScoreValues;
  computed: ComputedItem[] | null;
  total: number | null;
  state: ScoreState;
  /** Set the submission time now. */
  submitted: boolean;
}

/** The first score of an assignment; false when one was stored meanwhile. */
export async function insertScore(sql: Sql, x: MyAssignmentRow, s: ScoreWrite): Promise<boolean> {
  const r = await sql.exec(queries.insertScore, [
    x.id, x.application_id, x.expert_user_id, JSON.stringify(s.items), s.computed ? JSON.stringify(s.computed) : null, s.total, s.state, s.submitted,
  ]);
  return r.affected > 0;
}

/** Updates a score at this version (keeping the frozen computed items when none are given); false when the version moved on. */
export async function updateScore(sql: Sql, assignmentId: string, version: number, s: ScoreWrite): Promise<boolean> {
  const r = await sql.exec(queries.updateScore, [
    assignmentId, version, JSON.stringify(s.items), s.computed ? JSON.stringify(s.computed) : null, s.total, s.state, s.submitted,
  ]);
  return r.affected > 0;
}

/** Records a submission as the first entry of the score's history. */
export async function insertSubmission(
  sql: Sql, c: { assignmentId: string; applicationId: string; items: ScoreValues; total: number | null; userId: string },
): Promise<void> {
  await sql.exec(queries.insertSubmission, [c.assignmentId, c.applicationId, JSON.stringify(c.items), c.total, c.userId]);
}

/** Records a change of a submitted score with its old and new values and the reason. */
export async function insertChange(
  sql: Sql,
  c: { assignmentId: string; applicationId: string; oldItems: ScoreValues; oldTotal: number | null; newItems: ScoreValues; newTotal: number | null; reason: string; userId: string },
): Promise<void> {
  await sql.exec(queries.insertChange, [
    c.assignmentId, c.applicationId, JSON.stringify(c.oldItems), c.oldTotal, JSON.stringify(c.newItems), c.newTotal, c.reason, c.userId,
  ]);
}

export interface ScoreViewRow extends ExpertRow {
  x_id: string;
  x_state: AssignmentState;
  s_state: ScoreState | null;
  s_items: ScoreValues | null;
  s_total: string | number | null;
  s_submitted_at: Date | null;
}

/** Every assignment of an application with its expert and score (if any), by assignment id. */
export function scoresOfApplication(sql: Sql, applicationId: string): Promise<ScoreViewRow[]> {
  return sql.rows<ScoreViewRow>(queries.scoresOfApplication, [applicationId]);
}

/** Experts of an application's released assignments without a submitted score, by assignment id. */
export function pendingExperts(sql: Sql, applicationId: string): Promise<{ expert_user_id: string }[]> {
  return sql.rows<{ expert_user_id: string }>(queries.pendingExperts, [applicationId]);
}
