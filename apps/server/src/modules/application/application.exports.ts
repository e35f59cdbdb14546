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
import { applicationExportRows, EXPORT_DEFAULT_ORDER, historyExportRows, type AppExportRow } from "./application.repository.js";

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
    const order = orderOf(q, LIST_ORDER) ?? EXPORT_DEFAULT_ORDER;
    const { where, params } = await applicationWhere(ctx, filterOf(q));
    const rows = await applicationExportRows(ctx.db, { where, params }, order);
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
    const rows = await applicationExportRows(ctx.db, { where, params }, order);
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
    const rows = await historyExportRows(ctx.db, { where, params });
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
