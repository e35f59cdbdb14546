import type { Role } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";
import type { ApplicantKind, ApplicationForm, ApplicationState, ReviewLevel } from "../campaign/domain.js";

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

export const queries = sqlQueries({
  releasedAssignment: `SELECT 1 FROM expert_assignment WHERE application_id = $1 AND expert_user_id = $2 AND state = 'RELEASED'`,
  historyOf: `SELECT r.id, r.application_id, r.revision, r.action, r.from_state, r.from_level, r.to_state, r.to_level, r.level, r.actor_user_id,
           u.name AS actor_name, u.account AS actor_account, r.actor_role, r.actor_unit_id, r.comment, r.grade, r.at
      FROM review_action r JOIN app_user u ON u.id = r.actor_user_id WHERE r.application_id = ANY($1::bigint[]) ORDER BY r.id`,
  revisionsOf: `SELECT r.application_id, r.revision, r.form, r.submitted_by, u.name AS submitter_name, u.account AS submitter_account, r.submitted_at
      FROM application_revision r JOIN app_user u ON u.id = r.submitted_by WHERE r.application_id = ANY($1::bigint[]) ORDER BY r.revision`,
  workingForms: `SELECT id, form FROM application WHERE id = ANY($1::bigint[])`,
  quotaPlacesOf: `SELECT application_id, bucket_key, level, revision, taken_at, released_at FROM quota_place
    WHERE application_id = ANY($1::bigint[]) ORDER BY id`,
});

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
