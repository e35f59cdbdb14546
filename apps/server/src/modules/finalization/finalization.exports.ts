import { DomainError, EXPERT_ASSIGNMENT_STATE_LABELS, EXPERT_SCORE_STATE_LABELS, type Rubric } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { Permission } from "../auth/permissions.js";
import { scopePattern } from "../auth/authorize.js";
import { loadCampaign, requireCampaign, type LoadedCampaign } from "../campaign/campaign.service.js";
import type { ExportSpec } from "../export/export.registry.js";
import { assignmentWhere, expertPool, requireCampaignCategory } from "./expert-assignment.service.js";
import {
  ID_RE, applicantName, assignmentExportRows, expertHasReleasedWork, expertSheets, num, submittedSheets, type ApplicationSummaryRow, type SheetRow,
} from "./finalization.repository.js";
import { excellentInstructorRows, excellentUnitRows, publishedAtOf, publishedRows } from "./publication.repository.js";
import { categoryRanking, progressRows } from "./ranking.service.js";

/** This module's Excel exports (listed in modules/export/exports.ts). */
export const finalizationExports: ExportSpec[] = [];

const SHANGHAI_DATE = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });
const dateOf = (d: Date) => SHANGHAI_DATE.format(d).replace(/\//g, "-");

const SOURCE_LABELS: Record<string, string> = { COMPUTED: "平台计算", GATED_EXPERT: "平台门槛＋专家评分", EXPERT: "专家评分" };

/** "之江汇教育广场2023年空间建设与应用活动（浙教技中心〔2023〕27号）" */
function campaignHeading(c: LoadedCampaign, what: string): string {
  return `${c.row.title}${c.row.doc_no ? `（${c.row.doc_no}）` : ""}${what}`;
}

function categoryName(c: LoadedCampaign, code: string | undefined): string {
  return code ? (c.config.categories.find((k) => k.code === code)?.name ?? code) : "全部类别";
}

const applicationColumns = [
  { header: "申报编号", key: "app_id", width: 10 },
  { header: "类别", key: "app_category_name", width: 16 },
  { header: "案例（空间）名称", key: "app_title", width: 36 },
  { header: "申报人", key: "applicant", width: 14 },
  { header: "申报单位", key: "app_unit_name", width: 28 },
  { header: "单位代码", key: "app_unit_code", width: 14 },
  { header: "设区市", key: "app_city_name", width: 10 },
];

const withApplicant = <T extends ApplicationSummaryRow>(r: T) => ({ ...r, applicant: applicantName(r) });

finalizationExports.push({
  name: "expert-assignments",
  title: "评审专家分配表",
  permission: Permission.FinalizationManage,
  columns: [
    ...applicationColumns,
    { header: "评审专家", key: "ex_name", width: 14 },
    { header: "专家账号", key: "ex_account", width: 16 },
    { header: "专家单位", key: "ex_unit_name", width: 26 },
    { header: "专家所在市", key: "ex_city_name", width: 10 },
    { header: "分配状态", key: "state", width: 14 },
    { header: "分配方式", key: "origin", width: 10 },
    { header: "分配时间", key: "x_created_at", width: 18, format: "datetime" },
    { header: "发布时间", key: "x_released_at", width: 18, format: "datetime" },
  ],
  async heading(ctx, q) {
    return campaignHeading(await requireCampaign(ctx, q.campaignId ?? ""), "评审专家分配表");
  },
  async subtitle(ctx, q) {
    return categoryName(await requireCampaign(ctx, q.campaignId ?? ""), q.categoryCode);
  },
  async rows(ctx, q) {
    const { where, params } = await assignmentWhere(ctx, {
      campaignId: q.campaignId ?? "", categoryCode: q.categoryCode || null, expertId: q.expertId || null,
      state: q.state === "DRAFT" || q.state === "RELEASED" ? q.state : null,
    });
    const rows = await assignmentExportRows(ctx.db, { where, params });
    return rows.map((r) => ({ ...withApplicant(r), state: EXPERT_ASSIGNMENT_STATE_LABELS[r.x_state], origin: r.x_origin === "AUTO" ? "自动" : "手动" }));
  },
});

finalizationExports.push({
  name: "expert-pool",
  title: "评审专家库",
  permission: Permission.FinalizationManage,
  columns: [
    { header: "姓名", key: "name", width: 14 },
    { header: "账号", key: "account", width: 16 },
    { header: "单位", key: "unitName", width: 30 },
    { header: "设区市", key: "cityName", width: 10 },
    { header: "账号状态", key: "locked", width: 10 },
    { header: "本次活动已分配", key: "load", width: 14, format: "number" },
  ],
  async heading(ctx, q) {
    return campaignHeading(await requireCampaign(ctx, q.campaignId ?? ""), "评审专家库");
  },
  async rows(ctx, q) {
    // The pool of the screen (experts in the acting province's scope) with their load in the campaign.
    const experts = await expertPool(ctx, q.campaignId ?? "");
    return experts.map((e) => ({ ...e, cityName: e.cityName ?? "", locked: e.locked ? "已锁定" : "正常" }));
  },
});

/**
 * One line per rubric item and a total line per application: the layout of a paper score sheet
 * (评分表), grouped by expert and application.
 */
function* sheetLines(c: LoadedCampaign, rows: SheetRow[]) {
  const rubrics = new Map<string, Rubric>(c.config.categories.map((k) => [k.code, k.rubric]));
  for (const r of rows) {
    const rubric = rubrics.get(r.app_category_code);
    if (!rubric) continue;
    const groups = new Map(rubric.groups.map((g) => [g.id, g.name]));
    const base = { ...withApplicant(r), expert: r.ex_name, state: r.s_state ? EXPERT_SCORE_STATE_LABELS[r.s_state] : "未评分", submitted_at: r.submitted_at };
    for (const item of rubric.items) {
      yield { ...base, group: groups.get(item.group) ?? item.group, item: item.name, max: item.max, source: SOURCE_LABELS[item.source] ?? item.source, value: r.items?.[item.id] ?? null };
    }
    yield { ...base, group: "", item: "合计", max: rubric.total, source: "", value: num(r.total) };
  }
}

const sheetColumns = [
  { header: "评审专家", key: "expert", width: 14 },
  ...applicationColumns,
  { header: "评分分组", key: "group", width: 12 },
  { header: "评分项", key: "item", width: 20 },
  { header: "满分", key: "max", width: 8, format: "number" as const },
  { header: "得分", key: "value", width: 8, format: "number" as const },
  { header: "评分方式", key: "source", width: 18 },
  { header: "评分状态", key: "state", width: 10 },
  { header: "提交时间", key: "submitted_at", width: 18, format: "datetime" as const },
];

finalizationExports.push({
  name: "my-score-sheets",
  title: "专家评分表",
  permission: Permission.ExpertScore,
  columns: sheetColumns,
  async heading(ctx, q) {
    const c = await expertCampaign(ctx, q.campaignId);
    return campaignHeading(c, "专家评分表");
  },
  subtitle(ctx) {
    return `评审专家：${ctx.auth!.name}`;
  },
  async rows(ctx, q) {
    const c = await expertCampaign(ctx, q.campaignId);
    const rows = await expertSheets(ctx.db, c.row.id, ctx.auth!.userId);
    return [...sheetLines(c, rows)];
  },
});

/** A campaign the acting expert has released work in; NOT_FOUND otherwise. */
async function expertCampaign(ctx: Ctx, campaignId: string | undefined): Promise<LoadedCampaign> {
  const id = campaignId ?? "";
  const mine = ID_RE.test(id) && (await expertHasReleasedWork(ctx.db, id, ctx.auth!.userId));
  const c = mine ? await loadCampaign(ctx.db, id) : null;
  if (!c) throw new DomainError("NOT_FOUND", "活动不存在或没有分配给您的评审任务", "campaignId");
  return c;
}

finalizationExports.push({
  name: "expert-score-sheets",
  title: "专家评分汇总表",
  permission: Permission.FinalizationManage,
  columns: sheetColumns,
  async heading(ctx, q) {
    return campaignHeading(await requireCampaign(ctx, q.campaignId ?? ""), "专家评分表");
  },
  async subtitle(ctx, q) {
    return categoryName(await requireCampaign(ctx, q.campaignId ?? ""), q.categoryCode);
  },
  async rows(ctx, q) {
    const { campaign: c } = await requireCampaignCategory(ctx, q.campaignId ?? "", q.categoryCode || null);
    const rows = await submittedSheets(ctx.db, {
      campaignId: c.row.id, scope: scopePattern(ctx), categoryCode: q.categoryCode || null,
      expertId: q.expertId ? (ID_RE.test(q.expertId) ? q.expertId : "0") : null,
    });
    return [...sheetLines(c, rows)];
  },
});

const bool = (s: string | undefined) => (s === "true" ? true : s === "false" ? false : null);

finalizationExports.push({
  name: "scoring-progress",
  title: "专家评审进度表",
  permission: Permission.FinalizationManage,
  columns: [
    ...applicationColumns,
    { header: "已分配专家", key: "assigned", width: 10, format: "number" },
    { header: "已发布", key: "released", width: 8, format: "number" },
    { header: "已提交评分", key: "submitted", width: 10, format: "number" },
    { header: "各专家评分", key: "scores", width: 24 },
    { header: "最终得分", key: "score", width: 10, format: "number" },
    { header: "极差", key: "spread", width: 8, format: "number" },
    { header: "差异较大需复核", key: "flag", width: 14 },
  ],
  async heading(ctx, q) {
    return campaignHeading(await requireCampaign(ctx, q.campaignId ?? ""), "专家评审进度表");
  },
  async subtitle(ctx, q) {
    return categoryName(await requireCampaign(ctx, q.campaignId ?? ""), q.categoryCode);
  },
  async rows(ctx, q) {
    const { items } = await progressRows(ctx, { campaignId: q.campaignId ?? "", categoryCode: q.categoryCode || null, flagged: bool(q.flagged) }, null);
    return items.map((r) => ({
      app_id: r.application.id, app_category_name: r.application.categoryName, app_title: r.application.title, applicant: r.application.applicantName,
      app_unit_name: r.application.unitName, app_unit_code: r.application.unitCode, app_city_name: r.application.cityName,
      assigned: r.assigned, released: r.released, submitted: r.submitted, scores: r.scores.join("、"), score: r.score, spread: r.spread,
      flag: r.flagged ? (r.spreadReviewed ? "是（已复核）" : "是") : "",
    }));
  },
});

finalizationExports.push({
  name: "ranking",
  title: "评审排名与等次表",
  permission: Permission.FinalizationManage,
  columns: [
    { header: "排名", key: "rank", width: 6, format: "number" },
    { header: "最终得分", key: "score", width: 10, format: "number" },
    { header: "等次", key: "grade", width: 10 },
    ...applicationColumns,
    { header: "专家数", key: "experts", width: 8, format: "number" },
    { header: "极差", key: "spread", width: 8, format: "number" },
    { header: "差异较大", key: "flag", width: 10 },
  ],
  async heading(ctx, q) {
    const c = await requireCampaign(ctx, q.campaignId ?? "");
    return campaignHeading(c, `「${categoryName(c, q.categoryCode)}」评审排名与等次`);
  },
  async subtitle(ctx, q) {
    const r = await categoryRanking(ctx, q.campaignId ?? "", q.categoryCode ?? "", { offset: 0, limit: 1 });
    return r.finalization?.state === "FINAL" ? "已确定等次" : "等次为按当前等次设置的预览";
  },
  async rows(ctx, q) {
    if (!q.categoryCode) throw new DomainError("BAD_INPUT", "请指定申报类别（categoryCode）", "categoryCode");
    const out: Record<string, unknown>[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = await categoryRanking(ctx, q.campaignId ?? "", q.categoryCode, { offset, limit: 200 });
      for (const e of page.items) {
        const a = e.application;
        out.push({
          rank: e.rank, score: e.score, grade: e.rank === null ? "未评分" : (e.grade ?? "未入选"), app_id: a.id, app_category_name: a.categoryName, app_title: a.title,
          applicant: a.applicantName, app_unit_name: a.unitName, app_unit_code: a.unitCode, app_city_name: a.cityName,
          experts: e.expertCount, spread: e.spread, flag: e.flagged ? "是" : "",
        });
      }
      if (offset + 200 >= page.total) break;
    }
    return out;
  },
});

/** A published campaign (any signed-in role may export its list); NOT_FOUND before publication. */
async function publishedCampaign(ctx: Ctx, campaignId: string | undefined): Promise<{ c: LoadedCampaign; publishedAt: Date }> {
  const id = campaignId ?? "";
  const p = ID_RE.test(id) ? await publishedAtOf(ctx.db, id) : undefined;
  const c = p ? await loadCampaign(ctx.db, id) : null;
  if (!p || !c) throw new DomainError("NOT_FOUND", "该活动的评审结果尚未发布", "campaignId");
  return { c, publishedAt: p.published_at };
}

finalizationExports.push({
  name: "published-results",
  title: "评审结果名单",
  permission: Permission.ResultsExport,
  columns: [
    { header: "序号", key: "no", width: 6, format: "number" },
    { header: "类别", key: "app_category_name", width: 16 },
    { header: "等次", key: "app_grade", width: 8 },
    { header: "案例（空间）名称", key: "app_title", width: 36 },
    { header: "申报人", key: "applicant", width: 14 },
    { header: "单位", key: "app_unit_name", width: 28 },
    { header: "单位代码", key: "app_unit_code", width: 14 },
    { header: "设区市", key: "app_city_name", width: 10 },
    { header: "县（市、区）", key: "app_county_name", width: 12 },
  ],
  async heading(ctx, q) {
    return campaignHeading((await publishedCampaign(ctx, q.campaignId)).c, "评审结果");
  },
  async subtitle(ctx, q) {
    const { c, publishedAt } = await publishedCampaign(ctx, q.campaignId);
    return `${c.row.issuer ? c.row.issuer + "　" : ""}发布日期：${dateOf(publishedAt)}${q.categoryCode ? "　" + categoryName(c, q.categoryCode) : ""}`;
  },
  async rows(ctx, q) {
    const { c } = await publishedCampaign(ctx, q.campaignId);
    const rows = await publishedRows(ctx.db, c.row.id, q.categoryCode || null);
    return rows.map((r, i) => ({ ...withApplicant(r), no: i + 1 }));
  },
});

finalizationExports.push({
  name: "excellent-units",
  title: "优秀组织单位名单",
  permission: Permission.ResultsExport,
  columns: [
    { header: "序号", key: "no", width: 6, format: "number" },
    { header: "单位", key: "name", width: 30 },
    { header: "单位代码", key: "code", width: 14 },
    { header: "设区市", key: "city_name", width: 10 },
    { header: "推荐理由", key: "reason", width: 40 },
  ],
  async heading(ctx, q) {
    return campaignHeading((await publishedCampaign(ctx, q.campaignId)).c, "优秀组织单位");
  },
  async subtitle(ctx, q) {
    return `发布日期：${dateOf((await publishedCampaign(ctx, q.campaignId)).publishedAt)}`;
  },
  async rows(ctx, q) {
    const { c } = await publishedCampaign(ctx, q.campaignId);
    return (await excellentUnitRows(ctx.db, c.row.id)).map((r, i) => ({ ...r, no: i + 1 }));
  },
});

finalizationExports.push({
  name: "excellent-instructors",
  title: "优秀指导教师名单",
  permission: Permission.ResultsExport,
  columns: [
    { header: "序号", key: "no", width: 6, format: "number" },
    { header: "姓名", key: "person_name", width: 12 },
    { header: "单位", key: "name", width: 30 },
    { header: "单位代码", key: "code", width: 14 },
    { header: "设区市", key: "city_name", width: 10 },
    { header: "推荐理由", key: "reason", width: 40 },
  ],
  async heading(ctx, q) {
    return campaignHeading((await publishedCampaign(ctx, q.campaignId)).c, "优秀指导教师");
  },
  async subtitle(ctx, q) {
    return `发布日期：${dateOf((await publishedCampaign(ctx, q.campaignId)).publishedAt)}`;
  },
  async rows(ctx, q) {
    const { c } = await publishedCampaign(ctx, q.campaignId);
    return (await excellentInstructorRows(ctx.db, c.row.id)).map((r, i) => ({ ...r, no: i + 1 }));
  },
});
