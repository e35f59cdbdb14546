import type { Sql } from "../../db/data-source.js";
import { bind, fill, sqlQueries } from "../../db/repository.js";
import type { ClubRegistrationForm } from "./domain.js";

/** Annex 2 plus the stamped scan of the registering unit. */
export interface ClubFormData extends ClubRegistrationForm {
  stampedScanFileId?: string | null;
}

export interface ClubRow {
  id: string;
  campaign_id: string;
  unit_id: string;
  city_id: string;
  county_id: string | null;
  unit_path: string;
  form: ClubFormData;
  state: "DRAFT" | "SUBMITTED";
  version: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
}

const COLUMNS = `r.id, r.campaign_id, r.unit_id, r.city_id, r.county_id, r.unit_path, r.form, r.state, r.version, r.created_by, r.created_at, r.updated_at, r.submitted_at`;

export const queries = sqlQueries({
  /** Registrations in scope (over `club_registration r`): under a unit path; drafts only of the registering unit. */
  scopeWhere: `(r.unit_path LIKE :pathPattern AND (r.state <> 'DRAFT' OR r.unit_id = :unitId))`,
  clubInScope: `SELECT ${COLUMNS} FROM club_registration r WHERE r.id = $1 AND {scope}`,
  insertClub: `INSERT INTO club_registration AS r (campaign_id, unit_id, city_id, county_id, unit_path, form, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
  saveClubForm: `UPDATE club_registration r SET form = $3, version = r.version + 1, updated_at = now() WHERE r.id = $1 AND r.version = $2 RETURNING ${COLUMNS}`,
  submitClub: `UPDATE club_registration r SET state = 'SUBMITTED', version = r.version + 1, submitted_at = now(), updated_at = now()
        WHERE r.id = $1 AND r.version = $2 RETURNING ${COLUMNS}`,
  /** WHERE of the registrations list: a campaign's registrations in scope. */
  listWhere: `r.campaign_id = $1 AND {scope}`,
  listClubs: `SELECT ${COLUMNS} FROM club_registration r WHERE {where} ORDER BY r.unit_path, r.id OFFSET {offset} LIMIT {limit}`,
  countClubs: `SELECT count(*)::int AS n FROM club_registration r WHERE {where}`,
});

/** The acting unit's view: its path pattern (`LIKE`) and its id (its own drafts). */
export interface ClubScope {
  pathPattern: string;
  unitId: string;
}

/** A registration by id within a scope. */
export function clubInScope(sql: Sql, id: string, scope: ClubScope): Promise<ClubRow | undefined> {
  const params: unknown[] = [id];
  const where = bind(queries.scopeWhere, params, { ...scope });
  return sql.one<ClubRow>(fill(queries.clubInScope, { scope: where }), params);
}

/** Starts a registration. */
export async function insertClub(
  sql: Sql,
  r: { campaignId: string; unitId: string; cityId: string; countyId: string | null; unitPath: string; form: ClubFormData; createdBy: string },
): Promise<ClubRow> {
  return (await sql.one<ClubRow>(queries.insertClub, [r.campaignId, r.unitId, r.cityId, r.countyId, r.unitPath, JSON.stringify(r.form), r.createdBy]))!;
}

/** Saves a registration's form if it is still at `version`; undefined otherwise. */
export function saveClubForm(sql: Sql, id: string, version: number, form: ClubFormData): Promise<ClubRow | undefined> {
  return sql.one<ClubRow>(queries.saveClubForm, [id, version, JSON.stringify(form)]);
}

/** Submits a registration if it is still at `version`; undefined otherwise. */
export function submitClub(sql: Sql, id: string, version: number): Promise<ClubRow | undefined> {
  return sql.one<ClubRow>(queries.submitClub, [id, version]);
}

/** WHERE (over `club_registration r`) and params of a campaign's registrations within a scope. */
export function clubListWhere(campaignId: string, scope: ClubScope): { where: string; params: unknown[] } {
  const params: unknown[] = [campaignId];
  return { where: fill(queries.listWhere, { scope: bind(queries.scopeWhere, params, { ...scope }) }), params };
}

/** One page of registrations matching a WHERE of clubListWhere, and how many match in all. */
export async function listClubs(sql: Sql, w: { where: string; params: unknown[] }, offset: number, limit: number): Promise<{ items: ClubRow[]; total: number }> {
  const items = await sql.rows<ClubRow>(fill(queries.listClubs, { where: w.where, offset, limit }), w.params);
  const count = await sql.one<{ n: number }>(fill(queries.countClubs, { where: w.where }), w.params);
  return { items, total: count?.n ?? 0 };
}
