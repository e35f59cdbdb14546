import type { ApplicantKind, ApplicationState } from "../campaign/domain.js";
import { ExpertProfile, FinalizationApplication } from "./finalization.types.js";

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
