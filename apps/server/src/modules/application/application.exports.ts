import { DomainError, ROLE_LABELS, type Role } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { requireActing, requireUnitInScope } from "../auth/authorize.js";
import { Permission } from "../auth/permissions.js";
import { requireCampaign } from "../campaign/campaign.service.js";
import {
  APPLICATION_STATE_LABELS, countCaseCharacters, PIPELINE_ACTION_LABELS, REVIEW_LEVEL_LABELS, SCHOOL_STAGE_LABELS,
  type ApplicationState, type CaseSections, type PipelineActionType, type ReviewLevel, type SchoolStage,
} from "../campaign/domain.js";
import { type ExportColumn, type ExportSpec } from "../export/export.registry.js";
import { sortFromQuery } from "../../common/sort.js";
import {
  APPLICATION_SORTS, applicationOrderBy, applicationWhere, LIST_ORDER, QUEUE_ORDER, queueWhere, type ApplicationFilter,
} from "./application.service.js";

/** This module's Excel exports (listed in modules/export/exports.ts). */
export const applicationExports: ExportSpec[] = [];

const STATES = new Set(Object.keys(APPLICATION_STATE_LABELS));
const LEVELS = new Set(["SCHOOL", "COUNTY", "CITY", "PROVINCE"]);

/** The list screen's filters from the export URL (the same names as the GraphQL arguments). */
function filterOf(q: Record<string, string>): ApplicationFilter {
  if (!q.campaignId) throw new DomainError("BAD_INPUT", "请指定活动（campaignId）", "campaignId");
  const states = (q.states ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const bad = states.find((s) => !STATES.has(s));
  if (bad) throw new DomainError("BAD_INPUT", `未知的申报状态「${bad}」`, "states");
  if (q.currentLevel && !LEVELS.has(q.currentLevel)) throw new DomainError("BAD_INPUT", `未知的审核层级「${q.currentLevel}」`, "currentLevel");
  return {
    campaignId: q.campaignId,
    categoryCode: q.categoryCode || null,
    states: states.length ? (states as ApplicationState[]) : null,
    currentLevel: (q.currentLevel as ReviewLevel) || null,
    unitId: q.unitId || null,
    search: q.search || null,
    mine: q.mine === "true",
  };
}

/**
 * The screen's order from the export URL (`sort`, `desc`, as the GraphQL arguments), or null
 * when neither is given. A missing `desc` takes the list's default direction.
 */
function orderOf(q: Record<string, string>, fallback: typeof LIST_ORDER): string | null {
  const o = sortFromQuery(q, APPLICATION_SORTS);
  if (o.sort === undefined && o.desc === undefined) return null;
  return applicationOrderBy({ sort: o.sort ?? fallback.sort, desc: o.desc ?? fallback.desc });
}

/** "温州市 · 之江汇教育广场2023年空间建设与应用活动": the scope and the campaign, under the title. */
async function subtitle(ctx: Ctx, q: Record<string, string>): Promise<string> {
  const c = await requireCampaign(ctx, q.campaignId ?? "");
  const unit = await requireUnitInScope(ctx, q.unitId || requireActing(ctx).unitId);
  return `${unit.name}　${c.row.title}`;
}

const APP_COLUMNS: ExportColumn[] = [
  { header: "申报编号", key: "id", width: 10 },
  { header: "设区市", key: "city_name", width: 10 },
  { header: "设区市代码", key: "city_code", width: 10 },
  { header: "县（市、区）", key: "county_name", width: 12 },
  { header: "县级代码", key: "county_code", width: 10 },
  { header: "申报单位", key: "unit_name", width: 26 },
  { header: "单位代码", key: "unit_code", width: 14 },
  { header: "申报类别", key: "category_name", width: 14 },
  { header: "申报人", key: "applicant_name", width: 10 },
  { header: "师训账号", key: "applicant_account", width: 16 },
  { header: "负责人", key: "person_in_charge", width: 10 },
  { header: "职务", key: "job_title", width: 12 },
  { header: "手机", key: "mobile", width: 14 },
  { header: "学段", key: "stage", width: 8 },
  { header: "案例标题", key: "title", width: 30 },
  { header: "案例字数", key: "case_chars", width: 8, format: "number" },
  { header: "空间网址", key: "space_url", width: 30 },
  { header: "状态", key: "state", width: 14 },
  { header: "当前审核层级", key: "level", width: 14 },
  { header: "版本", key: "revision", width: 6, format: "number" },
  { header: "首次提交时间", key: "first_submitted_at", width: 18, format: "datetime" },
  { header: "最近办理时间", key: "last_action_at", width: 18, format: "datetime" },
  { header: "同意开放", key: "consent", width: 14 },
  { header: "同意时间", key: "consent_at", width: 18, format: "datetime" },
];

interface AppExportRow {
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

/** Applications with the form reviewers see (the latest submitted revision; a draft's working copy for its owner). */
const APP_SELECT = `SELECT a.id, ci.name AS city_name, ci.code AS city_code, co.name AS county_name, co.code AS county_code, u.name AS unit_name, u.code AS unit_code,
    k.name AS category_name, p.name AS applicant_name, p.account AS applicant_account, COALESCE(rv.form, a.form) AS form, a.title, a.state,
    a.current_level, a.revision, a.first_submitted_at, a.last_action_at, ck.text_version AS consent_version, ck.accepted_at AS consent_at
  FROM application a
  JOIN org_unit ci ON ci.id = a.city_id
  LEFT JOIN org_unit co ON co.id = a.county_id
  JOIN org_unit u ON u.id = a.applicant_unit_id
  JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
  JOIN app_user p ON p.id = a.applicant_user_id
  LEFT JOIN LATERAL (SELECT r.form FROM application_revision r WHERE r.application_id = a.id ORDER BY r.revision DESC LIMIT 1) rv ON true
  LEFT JOIN LATERAL (SELECT c.text_version, c.accepted_at FROM application_consent c WHERE c.application_id = a.id ORDER BY c.revision DESC LIMIT 1) ck ON true`;

function appRow(r: AppExportRow): Record<string, unknown> {
  const f = r.form ?? {};
  return {
    ...r,
    person_in_charge: f.personInCharge ?? "",
    job_title: f.jobTitle ?? "",
    mobile: f.mobile ?? "",
    stage: f.stage ? (SCHOOL_STAGE_LABELS[f.stage] ?? f.stage) : "",
    space_url: f.spaceUrl ?? "",
    case_chars: countCaseCharacters(f.case ?? {}),
    state: APPLICATION_STATE_LABELS[r.state],
    level: r.current_level ? REVIEW_LEVEL_LABELS[r.current_level] : "",
    // The 参赛须知 accepted with the latest submitted revision (a draft has none yet).
    consent: r.consent_version ? `是（${r.consent_version}版）` : "否",
    consent_at: r.consent_at,
  };
}

applicationExports.push({
  name: "applications",
  title: "申报汇总表",
  permission: Permission.ApplicationRead,
  columns: APP_COLUMNS,
  subtitle,
  // A plain async function, not a generator: every check runs before the first byte is sent.
  async rows(ctx, q) {
    // Without a sort from the screen: by city, county and unit code, as the province files it.
    const order = orderOf(q, LIST_ORDER) ?? "ci.code, co.code NULLS FIRST, u.code, a.id";
    const { where, params } = await applicationWhere(ctx, filterOf(q));
    const rows = await ctx.db.rows<AppExportRow>(`${APP_SELECT} WHERE ${where} ORDER BY ${order}`, params);
    return rows.map(appRow);
  },
});

applicationExports.push({
  name: "review-queue",
  title: "待审核申报",
  permission: Permission.ApplicationReview,
  columns: APP_COLUMNS,
  subtitle,
  async rows(ctx, q) {
    if (!q.campaignId) throw new DomainError("BAD_INPUT", "请指定活动（campaignId）", "campaignId");
    const order = orderOf(q, QUEUE_ORDER) ?? applicationOrderBy(QUEUE_ORDER);
    const { where, params } = await queueWhere(ctx, q.campaignId, q.categoryCode || null);
    const rows = await ctx.db.rows<AppExportRow>(`${APP_SELECT} WHERE ${where} ORDER BY ${order}`, params);
    return rows.map(appRow);
  },
});

applicationExports.push({
  name: "application-history",
  title: "申报审核记录",
  permission: Permission.ApplicationRead,
  columns: [
    { header: "申报编号", key: "application_id", width: 10 },
    { header: "案例标题", key: "title", width: 28 },
    { header: "申报单位", key: "unit_name", width: 24 },
    { header: "申报类别", key: "category_name", width: 14 },
    { header: "版本", key: "revision", width: 6, format: "number" },
    { header: "办理时间", key: "at", width: 18, format: "datetime" },
    { header: "操作", key: "action", width: 10 },
    { header: "审核层级", key: "level", width: 14 },
    { header: "办理人", key: "actor_name", width: 12 },
    { header: "师训账号", key: "actor_account", width: 16 },
    { header: "角色", key: "actor_role", width: 16 },
    { header: "办理单位", key: "actor_unit", width: 20 },
    { header: "办理单位代码", key: "actor_unit_code", width: 12 },
    { header: "原状态", key: "from_state", width: 14 },
    { header: "新状态", key: "to_state", width: 14 },
    { header: "意见或理由", key: "comment", width: 40 },
  ],
  subtitle,
  async rows(ctx, q) {
    const { where, params } = await applicationWhere(ctx, filterOf(q));
    const rows = await ctx.db.rows<{
      application_id: string; title: string; unit_name: string; category_name: string; revision: number; at: Date; action: PipelineActionType;
      level: ReviewLevel | null; actor_name: string; actor_account: string; actor_role: Role; actor_unit: string; actor_unit_code: string | null;
      from_state: ApplicationState; to_state: ApplicationState; comment: string | null;
    }>(
      `SELECT h.application_id, a.title, u.name AS unit_name, k.name AS category_name, h.revision, h.at, h.action, h.level, p.name AS actor_name,
              p.account AS actor_account, h.actor_role, o.name AS actor_unit, o.code AS actor_unit_code, h.from_state, h.to_state, h.comment
         FROM review_action h
         JOIN application a ON a.id = h.application_id
         JOIN org_unit u ON u.id = a.applicant_unit_id
         JOIN award_category k ON k.campaign_id = a.campaign_id AND k.code = a.category_code
         JOIN app_user p ON p.id = h.actor_user_id
         JOIN org_unit o ON o.id = h.actor_unit_id
        WHERE ${where} ORDER BY h.application_id, h.id`,
      params,
    );
    return rows.map((r) => ({
      ...r,
      action: PIPELINE_ACTION_LABELS[r.action] ?? r.action,
      level: r.level ? REVIEW_LEVEL_LABELS[r.level] : "申报人",
      actor_role: ROLE_LABELS[r.actor_role],
      from_state: APPLICATION_STATE_LABELS[r.from_state],
      to_state: APPLICATION_STATE_LABELS[r.to_state],
    }));
  },
});
