import { CAMPAIGN_STATUS_LABELS, CONTACT_STATE_LABELS, DomainError } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { requireActing, requireUnitInScope } from "../auth/authorize.js";
import { Permission } from "../auth/permissions.js";
import type { ExportSpec } from "../export/export.registry.js";
import { publishedAtOf } from "../finalization/publication.repository.js";
import { clubExportRows, contactExportRows } from "./campaign.repository.js";
import { listCampaigns, loadCampaign, requireCampaign } from "./campaign.service.js";
import { clubWhere, type ClubFormData } from "./club.service.js";
import { contactWhere, type ContactState } from "./contact.service.js";
import { CLUB_DIRECTION_LABELS, CONTACT_KIND_LABELS, REVIEW_LEVEL_LABELS, SCHOOL_STAGE_LABELS, type ClubDirection, type RegionalContactForm, type SchoolStage } from "./domain.js";
import { quotaOverview } from "./quota.service.js";

/** This module's Excel exports (listed in modules/export/exports.ts). */
export const campaignExports: ExportSpec[] = [];

function campaignIdOf(q: Record<string, string>): string {
  if (!q.campaignId) throw new DomainError("BAD_INPUT", "请指定活动（campaignId）", "campaignId");
  return q.campaignId;
}

async function subtitle(ctx: Ctx, q: Record<string, string>): Promise<string> {
  const c = await requireCampaign(ctx, campaignIdOf(q));
  const unit = await requireUnitInScope(ctx, q.unitId || requireActing(ctx).unitId);
  return `${unit.name}　${c.row.title}`;
}

const SCOPE_LABELS: Record<string, string> = {
  CITY: "设区市名额",
  COUNTY: "县（市、区）推荐名额",
  SUB_QUOTA: "设区市分配的县级名额",
  FROM_COUNTY: "每县（市、区）至省名额",
  DIRECT: "市直属名额",
  PRACTICE_BASE: "实践教育基地名额",
};

campaignExports.push({
  name: "quotas",
  title: "推荐名额使用情况",
  permission: Permission.QuotaRead,
  columns: [
    { header: "单位", key: "unitName", width: 14 },
    { header: "单位代码", key: "unitCode", width: 10 },
    { header: "申报类别", key: "categoryName", width: 14 },
    { header: "推荐层级", key: "level", width: 16 },
    { header: "名额类型", key: "scope", width: 20 },
    { header: "所属县（市、区）", key: "countyName", width: 14 },
    { header: "原定名额", key: "baseCap", width: 8, format: "number" },
    { header: "现行名额", key: "cap", width: 8, format: "number" },
    { header: "已推荐", key: "used", width: 8, format: "number" },
    { header: "剩余", key: "remaining", width: 8, format: "number" },
    { header: "说明", key: "description", width: 36 },
  ],
  subtitle,
  async rows(ctx, q) {
    const campaignId = campaignIdOf(q);
    const c = await requireCampaign(ctx, campaignId);
    const names = new Map(c.config.categories.map((k) => [k.code, k.name]));
    const buckets = await quotaOverview(ctx, campaignId, q.unitId || null, q.categoryCode || null);
    return buckets.map((b) => ({
      ...b,
      categoryName: names.get(b.categoryCode) ?? b.categoryCode,
      level: `${REVIEW_LEVEL_LABELS[b.level]}推荐`,
      scope: SCOPE_LABELS[b.scope] ?? b.scope,
    }));
  },
});

campaignExports.push({
  name: "regional-contacts",
  title: "区域活动联系人信息表",
  permission: Permission.ContactRead,
  columns: [
    { header: "设区市", key: "city_name", width: 10 },
    { header: "联系人", key: "contactName", width: 10 },
    { header: "代表单位", key: "unit_name", width: 14 },
    { header: "单位代码", key: "unit_code", width: 10 },
    { header: "所属单位", key: "unitName", width: 24 },
    { header: "职务", key: "jobTitle", width: 12 },
    { header: "办公电话", key: "officePhone", width: 16 },
    { header: "手机号码", key: "mobile", width: 14 },
    { header: "之江汇账号", key: "platformAccount", width: 16 },
    { header: "通讯地址", key: "postalAddress", width: 30 },
    { header: "备注", key: "note", width: 20 },
    { header: "联系人类别", key: "kind", width: 18 },
    { header: "状态", key: "state", width: 8 },
    { header: "报送时间", key: "submitted_at", width: 18, format: "datetime" },
  ],
  subtitle,
  async rows(ctx, q) {
    const state = (q.state || null) as ContactState | null;
    if (state && !CONTACT_STATE_LABELS[state]) throw new DomainError("BAD_INPUT", `未知的状态「${state}」`, "state");
    const rows = await contactExportRows<RegionalContactForm, ContactState>(ctx.db, await contactWhere(ctx, campaignIdOf(q), state));
    return rows.map((r) => ({ ...r, ...r.form, kind: CONTACT_KIND_LABELS[r.form.kind ?? "REGION"], state: CONTACT_STATE_LABELS[r.state] }));
  },
});

campaignExports.push({
  name: "club-registrations",
  title: "社团空间建设登记汇总表",
  permission: Permission.ClubRead,
  columns: [
    { header: "市、县（市、区）", key: "region", width: 14 },
    { header: "登记单位", key: "unit_name", width: 24 },
    { header: "单位代码", key: "unit_code", width: 14 },
    { header: "适合学段", key: "stage", width: 8 },
    { header: "社团方向", key: "direction", width: 30 },
    { header: "内容主题", key: "theme", width: 24 },
    { header: "负责人", key: "leaderName", width: 10 },
    { header: "负责人联系方式", key: "leaderPhone", width: 16 },
    { header: "管理员", key: "adminName", width: 10 },
    { header: "管理员联系方式", key: "adminPhone", width: 16 },
    { header: "团队人数", key: "members", width: 8, format: "number" },
    { header: "课时数", key: "lessons", width: 8, format: "number" },
    { header: "状态", key: "state", width: 8 },
    { header: "提交时间", key: "submitted_at", width: 18, format: "datetime" },
  ],
  subtitle,
  async rows(ctx, q) {
    const rows = await clubExportRows<ClubFormData>(ctx.db, await clubWhere(ctx, campaignIdOf(q)));
    return rows.map((r) => {
      const f = r.form;
      const direction = f.direction ? (CLUB_DIRECTION_LABELS[f.direction as ClubDirection] ?? f.direction) : "";
      return {
        ...r,
        region: f.region ?? "",
        stage: f.stage ? (SCHOOL_STAGE_LABELS[f.stage as SchoolStage] ?? f.stage) : "",
        direction: f.direction === "OTHER" && f.directionOther ? `${direction}：${f.directionOther}` : direction,
        theme: f.theme ?? "",
        leaderName: f.leaderName ?? "",
        leaderPhone: f.leaderPhone ?? "",
        adminName: f.adminName ?? "",
        adminPhone: f.adminPhone ?? "",
        members: f.members?.length ?? 0,
        lessons: f.lessons?.length ?? 0,
        state: r.state === "SUBMITTED" ? "已提交" : "草稿",
      };
    });
  },
});

campaignExports.push({
  name: "campaigns",
  title: "活动列表",
  permission: Permission.CampaignRead,
  columns: [
    { header: "年度", key: "year", width: 8, format: "number" },
    { header: "活动名称", key: "title", width: 40 },
    { header: "文号", key: "docNo", width: 24 },
    { header: "发文单位", key: "issuer", width: 24 },
    { header: "发文日期", key: "issuedOn", width: 12 },
    { header: "状态", key: "status", width: 8 },
    { header: "申报类别数", key: "categoryCount", width: 10, format: "number" },
    { header: "申报类别", key: "categories", width: 40 },
    { header: "申报截止日期", key: "applicationDeadline", width: 12 },
    { header: "设区市推荐截止日期", key: "cityReviewDeadline", width: 12 },
    { header: "时间安排", key: "span", width: 24 },
    { header: "各阶段截止日期", key: "stages", width: 60 },
    { header: "结果发布时间", key: "publishedAt", width: 18, format: "datetime" },
    { header: "创建时间", key: "createdAt", width: 18, format: "datetime" },
    { header: "最后修改时间", key: "updatedAt", width: 18, format: "datetime" },
  ],
  async rows(ctx) {
    // The campaigns list of the screen: newest first, drafts for the province only.
    const out: Record<string, unknown>[] = [];
    for (const r of await listCampaigns(ctx)) {
      const c = await loadCampaign(ctx.db, r.id);
      if (!c) continue;
      const deadline = (stage: string) => c.config.stages.find((s) => s.stage === stage)?.deadline ?? "";
      const dates = c.config.stages.map((s) => s.deadline).filter((d): d is string => !!d).sort();
      const published = await publishedAtOf(ctx.db, r.id);
      out.push({
        year: r.year,
        title: r.title,
        docNo: r.doc_no,
        issuer: r.issuer,
        issuedOn: r.issued_on ?? "",
        status: CAMPAIGN_STATUS_LABELS[r.status] ?? r.status,
        categoryCount: c.config.categories.length,
        categories: c.config.categories.map((k) => k.name).join("、"),
        applicationDeadline: deadline("APPLICATION"),
        cityReviewDeadline: deadline("CITY_REVIEW"),
        span: dates.length ? `${dates[0]} 至 ${dates[dates.length - 1]}` : "未设置截止日期",
        stages: c.config.stages.map((s) => `${s.name}：${s.deadline ?? "未设置"}`).join("；"),
        publishedAt: published?.published_at ?? null,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      });
    }
    return out;
  },
});
