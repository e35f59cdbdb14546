import type { Role } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";
import { fill, sqlQueries } from "../../db/repository.js";
import type { RegionalContactForm } from "./domain.js";

export type ContactState = "SUBMITTED" | "APPROVED" | "REJECTED";

export interface ContactRow {
  id: string;
  campaign_id: string;
  unit_id: string;
  city_id: string;
  unit_path: string;
  form: RegionalContactForm;
  state: ContactState;
  version: number;
  submitted_by: string;
  submitted_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_comment: string | null;
  granted_assignment_id: string | null;
}

const COLUMNS = `c.id, c.campaign_id, c.unit_id, c.city_id, c.unit_path, c.form, c.state, c.version, c.submitted_by, c.submitted_at,
  c.reviewed_by, c.reviewed_at, c.review_comment, c.granted_assignment_id`;

export const queries = sqlQueries({
  contactInScope: `SELECT ${COLUMNS} FROM regional_contact c WHERE c.id = $1 AND c.unit_path LIKE $2`,
  resubmitContact: `UPDATE regional_contact c SET unit_id = $2, city_id = $3, unit_path = $4, form = $5, state = 'SUBMITTED', version = c.version + 1,
                submitted_by = $6, submitted_at = now(), reviewed_by = NULL, reviewed_at = NULL, review_comment = NULL
          WHERE c.id = $1 AND c.version = $7 RETURNING ${COLUMNS}`,
  insertContact: `INSERT INTO regional_contact AS c (campaign_id, unit_id, city_id, unit_path, form, submitted_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
  grantRole: `INSERT INTO role_assignment (user_id, role, unit_id, granted_by) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, role, unit_id) DO NOTHING RETURNING id`,
  existingAssignment: `SELECT id FROM role_assignment WHERE user_id = $1 AND role = $2 AND unit_id = $3`,
  approveContact: `UPDATE regional_contact c SET state = 'APPROVED', version = c.version + 1, reviewed_by = $2, reviewed_at = now(), granted_assignment_id = $3
        WHERE c.id = $1 AND c.version = $4 RETURNING ${COLUMNS}`,
  rejectContact: `UPDATE regional_contact c SET state = 'REJECTED', version = c.version + 1, reviewed_by = $2, reviewed_at = now(), review_comment = $3
        WHERE c.id = $1 AND c.version = $4 RETURNING ${COLUMNS}`,
  /** WHERE of the contacts list: a campaign's contacts under a unit path ($1, $2). */
  listScopeWhere: `c.campaign_id = $1 AND c.unit_path LIKE $2`,
  /** Added to listScopeWhere when the list is filtered by state ($3). */
  listStateWhere: ` AND c.state = $3`,
  listContacts: `SELECT ${COLUMNS} FROM regional_contact c WHERE {where} ORDER BY c.unit_path, c.id OFFSET {offset} LIMIT {limit}`,
  countContacts: `SELECT count(*)::int AS n FROM regional_contact c WHERE {where}`,
});

/** A contact by id under a unit path (a `LIKE` pattern). */
export function contactInScope(sql: Sql, id: string, pathPattern: string): Promise<ContactRow | undefined> {
  return sql.one<ContactRow>(queries.contactInScope, [id, pathPattern]);
}

interface ContactPlace {
  unitId: string;
  cityId: string | null;
  unitPath: string;
  form: RegionalContactForm;
  submittedBy: string;
}

/** Files a corrected contact again (SUBMITTED, review cleared) if it is still at `version`; undefined otherwise. */
export function resubmitContact(sql: Sql, id: string, version: number, c: ContactPlace): Promise<ContactRow | undefined> {
  return sql.one<ContactRow>(queries.resubmitContact, [id, c.unitId, c.cityId, c.unitPath, JSON.stringify(c.form), c.submittedBy, version]);
}

/** Files a new contact. */
export function insertContact(sql: Sql, campaignId: string, c: ContactPlace): Promise<ContactRow | undefined> {
  return sql.one<ContactRow>(queries.insertContact, [campaignId, c.unitId, c.cityId, c.unitPath, JSON.stringify(c.form), c.submittedBy]);
}

/** Grants a role at a unit (kept when the account holds it already); the assignment's id. */
export async function grantRoleOnce(sql: Sql, userId: string, role: Role, unitId: string, grantedBy: string): Promise<{ id: string } | undefined> {
  return (
    (await sql.one<{ id: string }>(queries.grantRole, [userId, role, unitId, grantedBy])) ??
    (await sql.one<{ id: string }>(queries.existingAssignment, [userId, role, unitId]))
  );
}

/** Approves a contact if it is still at `version`; undefined otherwise. */
export function approveContact(sql: Sql, id: string, version: number, reviewedBy: string, grantedAssignmentId: string | null): Promise<ContactRow | undefined> {
  return sql.one<ContactRow>(queries.approveContact, [id, reviewedBy, grantedAssignmentId, version]);
}

/** Sends a contact back with a reason if it is still at `version`; undefined otherwise. */
export function rejectContact(sql: Sql, id: string, version: number, reviewedBy: string, reason: string): Promise<ContactRow | undefined> {
  return sql.one<ContactRow>(queries.rejectContact, [id, reviewedBy, reason, version]);
}

/** WHERE (over `regional_contact c`) and params of a campaign's contacts under a unit path, optionally in one state. */
export function contactListWhere(campaignId: string, pathPattern: string, state: ContactState | null): { where: string; params: unknown[] } {
  const params: unknown[] = [campaignId, pathPattern];
  let where = queries.listScopeWhere;
  if (state) {
    params.push(state);
    where += queries.listStateWhere;
  }
  return { where, params };
}

/** One page of contacts matching a WHERE of contactListWhere, and how many match in all. */
export async function listContacts(sql: Sql, w: { where: string; params: unknown[] }, offset: number, limit: number): Promise<{ items: ContactRow[]; total: number }> {
  const items = await sql.rows<ContactRow>(fill(queries.listContacts, { where: w.where, offset, limit }), w.params);
  const count = await sql.one<{ n: number }>(fill(queries.countContacts, { where: w.where }), w.params);
  return { items, total: count?.n ?? 0 };
}
