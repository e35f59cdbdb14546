import type { Role } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";
import { bind, fill, sqlQueries } from "../../db/repository.js";
import type {
  ApplicantKind, ApplicationForm, ApplicationState, CaseSections, PipelineActionType, ReviewLevel, SchoolStage,
} from "../campaign/domain.js";

/** The stored form: Annex 3 plus the ids of its uploaded attachments. */
export interface ApplicationFormData extends ApplicationForm {
  photoZipFileId?: string | null;
  videoFileId?: string | null;
}

export interface ApplicationRow {
  id: string;
  campaign_id: string;
  category_code: string;
  applicant_kind: ApplicantKind;
  applicant_user_id: string;
  applicant_unit_id: string;
  city_id: string;
  county_id: string | null;
  school_id: string | null;
  practice_base_id: string | null;
  unit_path: string;
  levels: ReviewLevel[];
  state: ApplicationState;
  current_level: ReviewLevel | null;
  revision: number;
  version: number;
  grade: string | null;
  title: string;
  created_at: Date;
  updated_at: Date;
  first_submitted_at: Date | null;
  last_action_at: Date | null;
}

export const APP_COLUMNS = `a.id, a.campaign_id, a.category_code, a.applicant_kind, a.applicant_user_id, a.applicant_unit_id, a.city_id, a.county_id,
  a.school_id, a.practice_base_id, a.unit_path, a.levels, a.state, a.current_level, a.revision, a.version, a.grade, a.title,
  a.created_at, a.updated_at, a.first_submitted_at, a.last_action_at`;

export interface HistoryRow {
  id: string;
  application_id: string;
  revision: number;
  action: string;
  from_state: ApplicationState;
  from_level: ReviewLevel | null;
  to_state: ApplicationState;
  to_level: ReviewLevel | null;
  level: ReviewLevel | null;
  actor_user_id: string;
  actor_name: string;
  actor_account: string;
  actor_role: Role;
  actor_unit_id: string;
  comment: string | null;
  grade: string | null;
  at: Date;
}

export interface RevisionRow {
  application_id: string;
  revision: number;
  form: ApplicationFormData;
  submitted_by: string;
  submitter_name: string;
  submitter_account: string;
  submitted_at: Date;
}

export interface QuotaPlaceRow {
  application_id: string;
  bucket_key: string;
  level: ReviewLevel;
  revision: number;
  taken_at: Date;
  released_at: Date | null;
}

/** Who asks, for the data scope of applications. */
export interface ApplicationScope {
  role: Role;
  userId: string;
  unitId: string;
  unitPath: string;
}

/** Sort keys of application lists (the GraphQL enum ApplicationSortField and the exports' `sort`). */
export const APPLICATION_SORTS = [
  "submittedAt", "lastActionAt", "updatedAt", "title", "applicantName", "unit", "category", "state", "currentLevel", "revision",
] as const;
export type ApplicationSort = (typeof APPLICATION_SORTS)[number];

/** Orders of enumerated columns: states in pipeline order, levels bottom-up (constants, never input). */
const STATE_ORDER = ["DRAFT", "SUBMITTED", "PENDING", "AT_PROVINCE", "EXPERT_REVIEW", "RETURNED", "REJECTED", "FINALIZED", "NOT_SELECTED", "DISQUALIFIED", "WITHDRAWN"];
const LEVEL_ORDER = ["SCHOOL", "COUNTY", "CITY", "PROVINCE"];
const position = (values: string[], col: string) => `array_position(ARRAY[${values.map((v) => `'${v}'`).join(", ")}]::text[], ${col})`;

/**
 * Each sort key as fixed SQL over alias `a` (scalar subqueries, so neither the count nor the
 * exports' joins change). Text compares by code point (COLLATE "C"): the same order on PGlite and
 * PostgreSQL whatever the database locale. `nullsLast` terms put missing values at the end in
 * both directions.
 */
export const SORT_SQL: Record<ApplicationSort, { sql: string; nullsLast?: boolean }[]> = {
  submittedAt: [{ sql: "a.first_submitted_at", nullsLast: true }],
  // The time the screen shows as 最近处理 (a draft's last save): waiting time in the queue.
  lastActionAt: [{ sql: "COALESCE(a.last_action_at, a.updated_at)" }],
  updatedAt: [{ sql: "a.updated_at" }],
  title: [{ sql: `NULLIF(a.title, '') COLLATE "C"`, nullsLast: true }],
  applicantName: [{ sql: `(SELECT s_u.name FROM app_user s_u WHERE s_u.id = a.applicant_user_id) COLLATE "C"` }],
  // Administrative codes order units by city, then county, then school (as in the summary export).
  unit: [
    { sql: `(SELECT s_o.code FROM org_unit s_o WHERE s_o.id = a.applicant_unit_id) COLLATE "C"`, nullsLast: true },
    { sql: `(SELECT s_o.name FROM org_unit s_o WHERE s_o.id = a.applicant_unit_id) COLLATE "C"` },
  ],
  // The campaign's order of categories.
  category: [{ sql: "(SELECT s_k.position FROM award_category s_k WHERE s_k.campaign_id = a.campaign_id AND s_k.code = a.category_code)" }],
  state: [{ sql: position(STATE_ORDER, "a.state") }],
  currentLevel: [{ sql: position(LEVEL_ORDER, "a.current_level"), nullsLast: true }],
  revision: [{ sql: "a.revision" }],
};

/** ORDER BY terms of a known sort key, ending with the unique tie-breaker a.id (stable paging). */
export function orderByOf(sort: ApplicationSort, desc: boolean): string {
  const dir = desc ? "DESC" : "ASC";
  return [...SORT_SQL[sort].map((t) => `${t.sql} ${dir}${t.nullsLast ? " NULLS LAST" : ""}`), `a.id ${dir}`].join(", ");
}

/** The unit and role reviewing at an application's current level (below the province). */
const LOWER_UNIT_SQL = `CASE a.current_level WHEN 'SCHOOL' THEN a.school_id WHEN 'COUNTY' THEN a.county_id WHEN 'CITY' THEN a.city_id END`;
const LOWER_ROLE_SQL = `CASE a.current_level WHEN 'SCHOOL' THEN 'SCHOOL_ADMIN' WHEN 'COUNTY' THEN 'COUNTY_REVIEWER' WHEN 'CITY' THEN 'CITY_REVIEWER' END`;
/** The current level's unit has reviewers, and every one of them is a party to the application. */
const ESCALATED_SQL = `EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
     WHERE r.role = ${LOWER_ROLE_SQL} AND r.unit_id = ${LOWER_UNIT_SQL} AND NOT u.locked)
  AND NOT EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
     WHERE r.role = ${LOWER_ROLE_SQL} AND r.unit_id = ${LOWER_UNIT_SQL} AND NOT u.locked
       AND u.id <> a.applicant_user_id AND (u.phone IS NULL OR NULLIF(a.form->>'mobile', '') IS NULL OR u.phone <> a.form->>'mobile'))`;


/**
 * Users listed on an application besides its owner: the person in charge it names, found by the
 * mobile bound to their account (a teacher's own form must give their own bound mobile).
 */
export const LISTED_USER_IDS_SQL = `ARRAY(SELECT lu.id::text FROM app_user lu
  WHERE NULLIF(a.form->>'mobile', '') IS NOT NULL AND lu.phone = a.form->>'mobile' ORDER BY lu.id)`;

/**
 * A level's unit (column of alias a) has reviewers (unlocked holders of the level's role), and
 * every one of them is a party to the application (its applicant, or listed by the bound mobile).
 */
function escalatedAtSql(role: Role, unitColumn: "school_id" | "county_id" | "city_id"): string {
  return `(EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
       WHERE r.role = '${role}' AND r.unit_id = a.${unitColumn} AND NOT u.locked)
    AND NOT EXISTS (SELECT 1 FROM role_assignment r JOIN app_user u ON u.id = r.user_id
       WHERE r.role = '${role}' AND r.unit_id = a.${unitColumn} AND NOT u.locked
         AND u.id <> a.applicant_user_id AND (u.phone IS NULL OR NULLIF(a.form->>'mobile', '') IS NULL OR u.phone <> a.form->>'mobile')))`;
}

/** What the pipeline rules need of an application beyond its row (`pipelineFactsOf`). */
export interface PipelineFactsRow {
  id: string;
  listed: string[] | null;
  final: boolean;
  published: boolean;
  escalated_school: boolean;
  escalated_county: boolean;
  escalated_city: boolean;
}

/** The applicant's acceptance of the 参赛须知 with one submitted revision. */
export interface ConsentRow {
  application_id: string;
  revision: number;
  user_id: string;
  accepted_at: Date;
  text_version: string;
  text: string;
}

export const queries = sqlQueries({
  // Data scope per acting role (alias a): a teacher their own; staff at or below their unit, except other people's drafts.
  seenByTeacher: `(a.applicant_kind = 'TEACHER' AND a.applicant_user_id = :userId)`,
  seenBySchool: `(a.unit_path LIKE :pathPrefix AND (a.state <> 'DRAFT' OR (a.applicant_kind = 'SCHOOL' AND a.applicant_unit_id = :unitId)))`,
  seenByRegion: `(a.unit_path LIKE :pathPrefix AND (a.state <> 'DRAFT' OR (a.applicant_kind = 'REGION' AND a.applicant_unit_id = :unitId)))`,
  seenByProvince: `(a.unit_path LIKE :pathPrefix AND a.state <> 'DRAFT')`,
  visibleById: `SELECT ${APP_COLUMNS} FROM application a WHERE a.id = $1 AND {visibility}`,
  existingInCampaign: `SELECT category_code, state FROM application
    WHERE campaign_id = $1 AND state <> 'WITHDRAWN'
      AND ((applicant_kind = 'TEACHER' AND applicant_user_id = $2) OR (applicant_kind <> 'TEACHER' AND applicant_unit_id = $3))`,
  insert: `INSERT INTO application AS a (campaign_id, category_code, applicant_kind, applicant_user_id, applicant_unit_id, city_id, county_id, school_id,
                              practice_base_id, unit_path, levels, form)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${APP_COLUMNS}`,
  saveDraft: `UPDATE application a SET form = $3, title = $4, version = version + 1, updated_at = now() WHERE a.id = $1 AND a.version = $2 RETURNING ${APP_COLUMNS}`,
  // List filters (alias a), joined with AND after the campaign and the data scope.
  inCampaign: `a.campaign_id = :campaignId`,
  withCategory: `a.category_code = :categoryCode`,
  inStates: `a.state = ANY(:states::text[])`,
  atLevel: `a.current_level = :level`,
  underUnit: `a.unit_path LIKE :pathPrefix`,
  matching: `(a.title LIKE :pattern OR EXISTS (SELECT 1 FROM app_user u WHERE u.id = a.applicant_user_id AND u.name LIKE :pattern))`,
  teacherOwn: `a.applicant_user_id = :userId`,
  unitOwn: `a.applicant_unit_id = :unitId AND a.applicant_kind <> 'TEACHER'`,
  // The review queue: waiting at the level, or at the level below when every reviewer there is a party to it.
  waitingIn: `a.state = ANY(:states::text[])`,
  waitingAt: `(a.current_level = :level OR (a.levels[array_position(a.levels, a.current_level) + 1] = :level AND ${ESCALATED_SQL}))`,
  page: `SELECT ${APP_COLUMNS} FROM application a WHERE {where} ORDER BY {orderBy} OFFSET {offset} LIMIT {limit}`,
  count: `SELECT count(*)::int AS n FROM application a WHERE {where}`,
  ...Object.fromEntries(Object.keys(SORT_SQL).map((k) => [`orderBy_${k}`, orderByOf(k as ApplicationSort, false)])),
  releasedAssignment: `SELECT 1 FROM expert_assignment WHERE application_id = $1 AND expert_user_id = $2 AND state = 'RELEASED'`,
  historyOf: `SELECT r.id, r.application_id, r.revision, r.action, r.from_state, r.from_level, r.to_state, r.to_level, r.level, r.actor_user_id,
           u.name AS actor_name, u.account AS actor_account, r.actor_role, r.actor_unit_id, r.comment, r.grade, r.at
      FROM review_action r JOIN app_user u ON u.id = r.actor_user_id WHERE r.application_id = ANY($1::bigint[]) ORDER BY r.id`,
  revisionsOf: `SELECT r.application_id, r.revision, r.form, r.submitted_by, u.name AS submitter_name, u.account AS submitter_account, r.submitted_at
      FROM application_revision r JOIN app_user u ON u.id = r.submitted_by WHERE r.application_id = ANY($1::bigint[]) ORDER BY r.revision`,
  workingForms: `SELECT id, form FROM application WHERE id = ANY($1::bigint[])`,
  consentsOf: `SELECT application_id, revision, user_id, accepted_at, text_version, text FROM application_consent
    WHERE application_id = ANY($1::bigint[]) ORDER BY revision`,
  insertConsent: `INSERT INTO application_consent (application_id, revision, user_id, text_version, text) VALUES ($1, $2, $3, $4, $5)`,
  quotaPlacesOf: `SELECT application_id, bucket_key, level, revision, taken_at, released_at FROM quota_place
    WHERE application_id = ANY($1::bigint[]) ORDER BY id`,
  // Per application: who it lists, whether its category is final or the results published, and
  // at which review levels the reviewers are all parties to it (the level above decides there).
  pipelineFacts: `SELECT a.id, ${LISTED_USER_IDS_SQL} AS listed,
      EXISTS (SELECT 1 FROM finalization_category f WHERE f.campaign_id = a.campaign_id AND f.category_code = a.category_code AND f.state = 'FINAL') AS final,
      EXISTS (SELECT 1 FROM publication p WHERE p.campaign_id = a.campaign_id) AS published,
      ${escalatedAtSql("SCHOOL_ADMIN", "school_id")} AS escalated_school,
      ${escalatedAtSql("COUNTY_REVIEWER", "county_id")} AS escalated_county,
      ${escalatedAtSql("CITY_REVIEWER", "city_id")} AS escalated_city
    FROM application a WHERE a.id = ANY($1::bigint[])`,
  // Pipeline transitions (pipeline.service.ts), in the transition's transaction.
  workingForm: `SELECT a.form FROM application a WHERE a.id = $1`,
  // Zero rows: someone else acted first (the state or version moved).
  transition: `UPDATE application a SET state = $4, current_level = $5, revision = $6, grade = COALESCE($7, a.grade), version = a.version + 1,
            last_action_at = now(), updated_at = now(),
            first_submitted_at = CASE WHEN $8 THEN COALESCE(a.first_submitted_at, now()) ELSE a.first_submitted_at END
      WHERE a.id = $1 AND a.state = $2 AND a.version = $3
      RETURNING ${APP_COLUMNS}`,
  insertRevision: `INSERT INTO application_revision (application_id, revision, form, submitted_by) VALUES ($1, $2, $3, $4)`,
  insertReviewAction: `INSERT INTO review_action (application_id, revision, action, from_state, from_level, to_state, to_level, level, actor_user_id, actor_role, actor_unit_id, comment, grade)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
  closableInCampaign: `SELECT ${APP_COLUMNS} FROM application a WHERE a.campaign_id = $1 AND a.state = ANY($2::text[]) ORDER BY a.id`,
  closableInCategory: `SELECT ${APP_COLUMNS} FROM application a WHERE a.campaign_id = $1 AND a.state = ANY($2::text[]) AND a.category_code = $3 ORDER BY a.id`,
  // Criteria (criteria.service.ts): the categories' criteria, and the activity facts they are checked against.
  criteriaOfCampaigns: `SELECT k.campaign_id::text AS campaign_id, c.year, k.code, k.criteria
         FROM award_category k JOIN campaign c ON c.id = k.campaign_id WHERE k.campaign_id = ANY($1::bigint[])`,
  teacherYearTotals: `SELECT u.id::text AS user_id, t.period, t.points, t.rule_points
         FROM app_user u JOIN activity_total t ON t.account = u.account
        WHERE u.id = ANY($1::bigint[]) AND length(t.period) = 4 AND t.period <= $2`,
  // The year's lesson points per day, and every submission entry up to the year's end with the
  // level and resource of its event (one event per entry, read by primary key).
  teacherActivityDetails: `SELECT u.id::text AS user_id, d.day::text AS day, d.rule, d.points, NULL::text AS level, NULL::text AS resource_id
         FROM app_user u JOIN activity_daily d ON d.account = u.account
        WHERE u.id = ANY($1::bigint[]) AND d.rule = 'lesson' AND d.day BETWEEN $2::date AND $3::date
       UNION ALL
       SELECT u.id::text, l.day::text, l.rule, l.points, e.raw->>'level', e.raw->>'resourceId'
         FROM app_user u
         JOIN activity_daily d ON d.account = u.account AND d.rule = 'submission' AND d.day <= $3::date
         JOIN activity_ledger l ON l.account = d.account AND l.day = d.day AND l.rule = 'submission'
         LEFT JOIN activity_event e ON e.id = l.event_id
        WHERE u.id = ANY($1::bigint[])`,
  // [path, path || '~') is the prefix predicate in a form the text_pattern_ops index serves per unit.
  unitActivityCounts: `SELECT s.id::text AS unit_id,
            count(*)::int AS teachers,
            count(t.account)::int AS with_data,
            count(*) FILTER (WHERE t.points >= $3::int)::int AS active,
            count(*) FILTER (WHERE t.rule_points[$4::int] > 0)::int AS on_client
       FROM org_unit s
       JOIN app_user u ON u.unit_path ~>=~ s.path AND u.unit_path ~<~ (s.path || '~') AND NOT u.locked
       LEFT JOIN activity_total t ON t.account = u.account AND t.period = $2
      WHERE s.id = ANY($1::bigint[])
        AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
      GROUP BY s.id`,
  // Excel exports (application.exports.ts) over a list's or the review queue's WHERE (alias a):
  // applications with the form reviewers see (the latest submitted revision; a draft's working
  // copy for its owner) and the latest acceptance of the 参赛须知.
  exportRows: `SELECT a.id, ci.name AS city_name, ci.code AS city_code, co.name AS county_name, co.code AS county_code, u.name AS unit_name, u.code AS unit_code,
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
  WHERE {where} ORDER BY {orderBy}`,
  // Without a sort from the screen: by city, county and unit code, as the province files it.
  exportDefaultOrder: `ci.code, co.code NULLS FIRST, u.code, a.id`,
  historyExportRows: `SELECT h.application_id, a.title, u.name AS unit_name, k.name AS category_name, h.revision, h.at, h.action, h.level, p.name AS actor_name,
              p.account AS actor_account, h.actor_role, o.name AS actor_unit, o.code AS actor_unit_code, h.from_state, h.to_state, h.comment
         FROM review_action h
         JOIN application a ON a.id = h.application_id
         JOIN org_unit u ON u.id = a.applicant_unit_id
         JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
         JOIN app_user p ON p.id = h.actor_user_id
         JOIN org_unit o ON o.id = h.actor_unit_id
        WHERE {where} ORDER BY h.application_id, h.id`,
  // The demo seed (application.seed.ts).
  seedActor: `SELECT r.user_id, r.unit_id, o.code FROM role_assignment r JOIN app_user u ON u.id = r.user_id JOIN org_unit o ON o.id = r.unit_id
      WHERE u.account = $1 AND r.role = $2 ORDER BY r.id LIMIT 1`,
  seedForm: `SELECT form FROM application WHERE id = $1`,
  seedUser: `SELECT name, phone FROM app_user WHERE id = $1`,
  seedFormAndTitle: `UPDATE application SET form = $2, title = $3 WHERE id = $1`,
  seedFormOnly: `UPDATE application SET form = $2 WHERE id = $1`,
});

/** The pipeline facts of applications in one statement, one per id (undefined: no such application). */
export async function pipelineFactsOf(sql: Sql, ids: readonly string[]): Promise<(PipelineFactsRow | undefined)[]> {
  const rows = await sql.rows<PipelineFactsRow>(queries.pipelineFacts, [ids]);
  const m = new Map(rows.map((r) => [String(r.id), r]));
  return ids.map((id) => m.get(String(id)));
}

/** Whether the expert holds a released assignment to the application (what opens its attachments to them). */
export async function hasReleasedAssignment(sql: Sql, applicationId: string, expertUserId: string): Promise<boolean> {
  return !!(await sql.one(queries.releasedAssignment, [applicationId, expertUserId]));
}

function byApplication<T extends { application_id: string }>(ids: readonly string[], rows: T[]): T[][] {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = String(r.application_id);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return ids.map((id) => m.get(String(id)) ?? []);
}

/** Review actions of applications, oldest first, one list per id. */
export async function historiesOf(sql: Sql, ids: readonly string[]): Promise<HistoryRow[][]> {
  return byApplication(ids, await sql.rows<HistoryRow>(queries.historyOf, [ids]));
}

/** Submitted revisions of applications, in order, one list per id. */
export async function revisionListsOf(sql: Sql, ids: readonly string[]): Promise<RevisionRow[][]> {
  return byApplication(ids, await sql.rows<RevisionRow>(queries.revisionsOf, [ids]));
}

/** Working copies (the stored form) of applications, one per id (`{}` for a missing one). */
export async function workingFormsOf(sql: Sql, ids: readonly string[]): Promise<ApplicationFormData[]> {
  const rows = await sql.rows<{ id: string; form: ApplicationFormData }>(queries.workingForms, [ids]);
  const m = new Map(rows.map((r) => [String(r.id), r.form]));
  return ids.map((id) => m.get(String(id)) ?? {});
}

/** Quota places taken by applications (held and released), in the order taken, one list per id. */
export async function quotaPlaceListsOf(sql: Sql, ids: readonly string[]): Promise<QuotaPlaceRow[][]> {
  return byApplication(ids, await sql.rows<QuotaPlaceRow>(queries.quotaPlacesOf, [ids]));
}

/** The data scope of applications for a role, as SQL on alias `a` (experts: none; finalization serves their assignments). */
export function visibilityWhere(scope: ApplicationScope, params: unknown[]): string {
  const values = { userId: scope.userId, unitId: scope.unitId, pathPrefix: scope.unitPath + "%" };
  switch (scope.role) {
    case "TEACHER":
      return bind(queries.seenByTeacher, params, values);
    case "SCHOOL_ADMIN":
      return bind(queries.seenBySchool, params, values);
    case "COUNTY_REVIEWER":
    case "CITY_REVIEWER":
      return bind(queries.seenByRegion, params, values);
    case "PROVINCE_ADMIN":
      return bind(queries.seenByProvince, params, values);
    default:
      return "false";
  }
}

export function findVisible(sql: Sql, id: string, scope: ApplicationScope): Promise<ApplicationRow | undefined> {
  const params: unknown[] = [id];
  const where = visibilityWhere(scope, params);
  return sql.one<ApplicationRow>(fill(queries.visibleById, { visibility: where }), params);
}

/** The categories of a campaign where the user (a teacher) or the unit (school, region) already applied, with the state. */
export function existingInCampaign(sql: Sql, campaignId: string, userId: string, unitId: string): Promise<{ category_code: string; state: string }[]> {
  return sql.rows(queries.existingInCampaign, [campaignId, userId, unitId]);
}

export interface NewApplication {
  campaignId: string;
  categoryCode: string;
  applicantKind: ApplicantKind;
  userId: string;
  unitId: string;
  cityId: string;
  countyId: string | null;
  schoolId: string | null;
  practiceBaseId: string | null;
  unitPath: string;
  levels: ReviewLevel[];
  form: ApplicationFormData;
}

export async function insertApplication(sql: Sql, n: NewApplication): Promise<ApplicationRow> {
  const row = await sql.one<ApplicationRow>(queries.insert, [
    n.campaignId, n.categoryCode, n.applicantKind, n.userId, n.unitId, n.cityId, n.countyId, n.schoolId, n.practiceBaseId, n.unitPath, n.levels, JSON.stringify(n.form),
  ]);
  return row!;
}

/** Saves the working copy when the version is still `version` (undefined: someone saved in between). */
export async function saveDraft(sql: Sql, id: string, version: number, form: ApplicationFormData, title: string): Promise<ApplicationRow | undefined> {
  return (await sql.exec<ApplicationRow>(queries.saveDraft, [id, version, JSON.stringify(form), title])).rows[0];
}

export interface ListFilter {
  campaignId: string;
  categoryCode?: string | null;
  states?: readonly string[] | null;
  currentLevel?: ReviewLevel | null;
  /** Applicants at or below the unit with this path. */
  underPath?: string | null;
  /** A LIKE pattern (escaped) on the case title or the applicant's name. */
  pattern?: string | null;
  mine?: boolean | null;
}

/** WHERE clause and params of an application list in a scope (shared with exports). */
export function listWhere(scope: ApplicationScope, f: ListFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts = [bind(queries.inCampaign, params, { campaignId: f.campaignId }), visibilityWhere(scope, params)];
  if (f.categoryCode) parts.push(bind(queries.withCategory, params, { categoryCode: f.categoryCode }));
  if (f.states?.length) parts.push(bind(queries.inStates, params, { states: f.states }));
  if (f.currentLevel) parts.push(bind(queries.atLevel, params, { level: f.currentLevel }));
  if (f.underPath) parts.push(bind(queries.underUnit, params, { pathPrefix: f.underPath + "%" }));
  if (f.pattern) parts.push(bind(queries.matching, params, { pattern: f.pattern }));
  if (f.mine) {
    if (scope.role === "TEACHER") parts.push(bind(queries.teacherOwn, params, { userId: scope.userId }));
    else parts.push(bind(queries.unitOwn, params, { unitId: scope.unitId }));
  }
  return { where: parts.join(" AND "), params };
}

/**
 * WHERE clause and params of the review queue at `level` in a scope: waiting there (for the
 * scope's unit when `unitColumn` names the level's unit), or at the level below when every
 * reviewer of that unit is a party to the application (conflict of interest, docs/decisions.md).
 */
export function queueWhere(
  scope: ApplicationScope,
  q: { campaignId: string; level: ReviewLevel; waitingStates: readonly string[]; unitColumn: "a.school_id" | "a.county_id" | "a.city_id" | null; categoryCode: string | null },
): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts = [bind(queries.inCampaign, params, { campaignId: q.campaignId })];
  // $2 is the level (used twice below), $3 the waiting states: the numbering of the statement before the move.
  params.push(q.level);
  parts.push(bind(queries.waitingIn, params, { states: q.waitingStates }));
  parts.push(visibilityWhere(scope, params));
  if (q.unitColumn) {
    params.push(scope.unitId);
    parts.push(`${q.unitColumn} = $${params.length}`);
  }
  parts.push(queries.waitingAt.replaceAll(":level", () => "$2"));
  if (q.categoryCode) parts.push(bind(queries.withCategory, params, { categoryCode: q.categoryCode }));
  return { where: parts.join(" AND "), params };
}

/** One page of a list and its total. */
export async function pageOf(sql: Sql, w: { where: string; params: unknown[] }, orderBy: string, offset: number, limit: number) {
  const [items, count] = await Promise.all([
    sql.rows<ApplicationRow>(fill(queries.page, { where: w.where, orderBy, offset: Number(offset), limit: Number(limit) }), w.params),
    sql.one<{ n: number }>(fill(queries.count, { where: w.where }), w.params),
  ]);
  return { items, total: count?.n ?? 0 };
}

/** 参赛须知 acceptances of applications, one per submitted revision in order, one list per id. */
export async function consentListsOf(sql: Sql, ids: readonly string[]): Promise<ConsentRow[][]> {
  return byApplication(ids, await sql.rows<ConsentRow>(queries.consentsOf, [ids]));
}

/** Records the acceptance of a wording of the 参赛须知 with a submitted revision (inside the submission's transaction). */
export async function insertConsent(sql: Sql, c: { applicationId: string; revision: number; userId: string; version: string; text: string }): Promise<void> {
  await sql.exec(queries.insertConsent, [c.applicationId, c.revision, c.userId, c.version, c.text]);
}

/** The stored working copy of an application (in the transition's transaction). */
export async function workingFormOf(sql: Sql, id: string): Promise<ApplicationFormData | undefined> {
  return (await sql.one<{ form: ApplicationFormData }>(queries.workingForm, [id]))?.form;
}

export interface TransitionWrite {
  state: ApplicationState;
  currentLevel: ReviewLevel | null;
  revision: number;
  grade: string | null;
  /** A (re)submission: the first submission time is set when still empty. */
  submitted: boolean;
}

/** Moves an application still in `fromState` at `version` (undefined: someone else acted first). */
export async function updateTransition(sql: Sql, id: string, fromState: ApplicationState, version: number, t: TransitionWrite): Promise<ApplicationRow | undefined> {
  const r = await sql.exec<ApplicationRow>(queries.transition, [id, fromState, version, t.state, t.currentLevel, t.revision, t.grade, t.submitted]);
  return r.rows[0];
}

/** Records a submitted revision's form. */
export async function insertRevision(sql: Sql, applicationId: string, revision: number, form: ApplicationFormData, submittedBy: string): Promise<void> {
  await sql.exec(queries.insertRevision, [applicationId, revision, JSON.stringify(form), submittedBy]);
}

export interface NewReviewAction {
  applicationId: string;
  revision: number;
  action: string;
  fromState: ApplicationState;
  fromLevel: ReviewLevel | null;
  toState: ApplicationState;
  toLevel: ReviewLevel | null;
  level: ReviewLevel | null;
  actorUserId: string;
  actorRole: string;
  actorUnitId: string;
  comment: string | null;
  grade: string | null;
}

/** Appends a line to an application's history; returns its id. */
export async function insertReviewAction(sql: Sql, a: NewReviewAction): Promise<string> {
  const h = await sql.one<{ id: string }>(queries.insertReviewAction, [
    a.applicationId, a.revision, a.action, a.fromState, a.fromLevel, a.toState, a.toLevel, a.level, a.actorUserId, a.actorRole, a.actorUnitId, a.comment, a.grade,
  ]);
  return String(h!.id);
}

/** A campaign's applications in `states` (of one category when given), by id. */
export function applicationsInStates(sql: Sql, campaignId: string, states: readonly string[], categoryCode: string | null): Promise<ApplicationRow[]> {
  return categoryCode
    ? sql.rows<ApplicationRow>(queries.closableInCategory, [campaignId, states, categoryCode])
    : sql.rows<ApplicationRow>(queries.closableInCampaign, [campaignId, states]);
}

/** The criteria of every category of campaigns, with the campaign's year. */
export function criteriaOfCampaigns(sql: Sql, campaignIds: readonly string[]): Promise<{ campaign_id: string; year: number; code: string; criteria: unknown }[]> {
  return sql.rows(queries.criteriaOfCampaigns, [campaignIds]);
}

/** Teachers' yearly activity totals up to `year`. */
export function teacherYearTotals(sql: Sql, userIds: readonly string[], year: string): Promise<{ user_id: string; period: string; points: number; rule_points: number[] }[]> {
  return sql.rows(queries.teacherYearTotals, [userIds, year]);
}

/** Teachers' lesson points per day of [from, until] and submission entries up to `until`. */
export function teacherActivityDetails(
  sql: Sql, userIds: readonly string[], from: string, until: string,
): Promise<{ user_id: string; day: string; rule: string; points: number; level: string | null; resource_id: string | null }[]> {
  return sql.rows(queries.teacherActivityDetails, [userIds, from, until]);
}

/** Per unit: its roster's teachers, those with data for `year`, the active ones, those on the client (`lessonPos`). */
export function unitActivityCounts(
  sql: Sql, unitIds: readonly string[], year: string, activeMinPoints: number, lessonPos: number,
): Promise<{ unit_id: string; teachers: number; with_data: number; active: number; on_client: number }[]> {
  return sql.rows(queries.unitActivityCounts, [unitIds, year, activeMinPoints, lessonPos]);
}

export interface AppExportRow {
  id: string;
  city_name: string;
  city_code: string | null;
  county_name: string | null;
  county_code: string | null;
  unit_name: string;
  unit_code: string | null;
  category_name: string;
  applicant_name: string;
  applicant_account: string;
  form: { personInCharge?: string; jobTitle?: string; mobile?: string; stage?: SchoolStage; spaceUrl?: string; case?: CaseSections } | null;
  title: string;
  state: ApplicationState;
  current_level: ReviewLevel | null;
  revision: number;
  first_submitted_at: Date | null;
  last_action_at: Date | null;
  consent_version: string | null;
  consent_at: Date | null;
}

export interface HistoryExportRow {
  application_id: string; title: string; unit_name: string; category_name: string; revision: number; at: Date; action: PipelineActionType;
  level: ReviewLevel | null; actor_name: string; actor_account: string; actor_role: Role; actor_unit: string; actor_unit_code: string | null;
  from_state: ApplicationState; to_state: ApplicationState; comment: string | null;
}

/** The applications export's default order (city, county, unit code). */
export const EXPORT_DEFAULT_ORDER = queries.exportDefaultOrder;

/** Export rows of the applications a WHERE (alias a) selects, in `orderBy` (fixed SQL from a sort key). */
export function applicationExportRows(sql: Sql, w: { where: string; params: unknown[] }, orderBy: string): Promise<AppExportRow[]> {
  return sql.rows<AppExportRow>(fill(queries.exportRows, { where: w.where, orderBy }), w.params);
}

/** The review history of the applications a WHERE (alias a) selects, per application in order. */
export function historyExportRows(sql: Sql, w: { where: string; params: unknown[] }): Promise<HistoryExportRow[]> {
  return sql.rows<HistoryExportRow>(fill(queries.historyExportRows, { where: w.where }), w.params);
}

/** The first assignment of a role held by the account, with its unit's code (demo seed). */
export function seedActorOf(sql: Sql, account: string, role: Role): Promise<{ user_id: string; unit_id: string; code: string | null } | undefined> {
  return sql.one(queries.seedActor, [account, role]);
}

/** An application's working copy (demo seed). */
export async function seedFormOf(sql: Sql, id: string): Promise<ApplicationFormData> {
  return (await sql.one<{ form: ApplicationFormData }>(queries.seedForm, [id]))!.form;
}

/** A user's name and phone (demo seed). */
export async function seedUserOf(sql: Sql, id: string): Promise<{ name: string; phone: string | null }> {
  return (await sql.one<{ name: string; phone: string | null }>(queries.seedUser, [id]))!;
}

/** Writes an application's working copy, and its title when given (demo seed). */
export async function seedWriteForm(sql: Sql, id: string, form: ApplicationFormData, title?: string): Promise<void> {
  if (title !== undefined) await sql.exec(queries.seedFormAndTitle, [id, JSON.stringify(form), title]);
  else await sql.exec(queries.seedFormOnly, [id, JSON.stringify(form)]);
}
