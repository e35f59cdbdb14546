import { DomainError, badInput } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import type { Sql } from "../../db/data-source.js";
import { audit } from "../audit/audit.service.js";
import { requireActing, requireUnitInScope, scopePattern } from "../auth/authorize.js";
import { assertCampaignOpen, loadCampaign, requireCampaign } from "../campaign/campaign.service.js";
import { OrgUnit } from "../org/org.types.js";
import { requireUserInScope } from "../users/users.service.js";
import { actorOf, closeOpenApplications } from "../application/pipeline.service.js";
import { lockCampaignFinalization } from "./finalization-lock.util.js";
import { ID_RE, applicantName } from "./finalization.repository.js";
import {
  deleteExcellentInstructor, deleteExcellentUnit, excellentInstructorCampaign, excellentInstructorRows, excellentUnitCampaign, excellentUnitRows,
  finalCategoryCount, findPublication, insertExcellentInstructor, insertExcellentUnit, insertPublication, pendingByCategory, publishedCampaignRows,
  publishedRows, sameInstructor, saveExcellentInstructor, setExcellentUnitReason, unpublishedOpenCampaignIds,
  type ExcellentInstructorRow, type ExcellentUnitRow, type PublicationRow, type PublishedRow,
} from "./publication.repository.js";
import {
  ExcellentInstructor, ExcellentUnit, Publication, PublishedCampaign, PublishedEntry, PublishedInstructor, PublishedResults, PublishedUnit, UpcomingResults,
  type ExcellentInstructorInput,
} from "./finalization.types.js";

const REASON_MAX = 500;
const NAME_MAX = 50;

const SHANGHAI_DATE = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "long", day: "numeric" });

const notPublished = () => new DomainError("NOT_FOUND", "该活动的评审结果尚未发布", "campaignId");

function toPublication(r: PublicationRow): Publication {
  return Object.assign(new Publication(), { campaignId: String(r.campaign_id), publishedAt: r.published_at, publishedByName: r.published_by_name });
}

/** The publication of a campaign's results, for the province; null while unpublished. */
export async function publication(ctx: Ctx, campaignId: string): Promise<Publication | null> {
  await requireCampaign(ctx, campaignId);
  const r = await findPublication(ctx.db, campaignId);
  return r ? toPublication(r) : null;
}

/**
 * Publishes a campaign's results: once, only when every application that reached the province
 * has its result (no application still waiting for or in expert review) and at least one category
 * is finalized. From then on the list is public. Audited.
 */
export async function publishResults(ctx: Ctx, campaignId: string): Promise<Publication> {
  requireActing(ctx);
  const actor = await actorOf(ctx);
  await ctx.db.tx(async (tx) => {
    await lockCampaignFinalization(tx, campaignId);
    const c = await requireCampaign(ctx, campaignId, tx);
    assertCampaignOpen(c);
    const already = await findPublication(tx, campaignId);
    if (already) throw new DomainError("CONFLICT", `本次活动的评审结果已于${SHANGHAI_DATE.format(already.published_at)}发布`, "campaignId");
    const pending = await pendingByCategory(tx, campaignId, scopePattern(ctx));
    if (pending.length) {
      const names = pending.map((p) => `「${c.config.categories.find((k) => k.code === p.category_code)?.name ?? p.category_code}」${p.n}件`).join("、");
      throw new DomainError("INVALID_TRANSITION", `尚有申报未确定评审结果（${names}），请先确定各类别等次后再发布`, "campaignId");
    }
    const final = await finalCategoryCount(tx, campaignId);
    if (!final?.n) throw new DomainError("INVALID_TRANSITION", "尚无已确定等次的申报类别，不能发布评审结果", "campaignId");
    await insertPublication(tx, campaignId, ctx.auth!.userId);
    // Publication closes the whole pipeline: what never reached the province ends here.
    const closed = await closeOpenApplications(tx, c, null, actor, "本次活动评审结果已发布，未报送至省级的申报不再评审");
    await audit(tx, ctx, { action: "RESULTS_PUBLISH", targetType: "campaign", targetId: campaignId, data: { categories: final.n, closed } });
  });
  return toPublication((await findPublication(ctx.db, campaignId))!);
}

/** Campaigns with published results, newest first (public). */
export async function publishedCampaigns(sql: Sql): Promise<PublishedCampaign[]> {
  const rows = await publishedCampaignRows(sql);
  return rows.map((r) => Object.assign(new PublishedCampaign(), { campaignId: String(r.id), year: r.year, title: r.title, docNo: r.doc_no, publishedAt: r.published_at }));
}

/**
 * Open campaigns whose results are not published yet, for the public results page to say which
 * campaign is under way and when its results are due (the publication stage and its deadline).
 * Only what the campaign notice itself makes public: title, year, stage name and date.
 */
export async function upcomingResults(sql: Sql): Promise<UpcomingResults[]> {
  const rows = await unpublishedOpenCampaignIds(sql);
  const out: UpcomingResults[] = [];
  for (const r of rows) {
    const c = await loadCampaign(sql, r.id);
    if (!c) continue;
    const stage = c.config.stages.find((s) => s.stage === "PUBLICATION");
    out.push(Object.assign(new UpcomingResults(), {
      campaignId: String(r.id), year: c.row.year, title: c.row.title, stageName: stage?.name ?? "评审结果公布", expectedBy: stage?.deadline ?? null,
    }));
  }
  return out;
}

export function toPublishedEntry(r: PublishedRow): PublishedEntry {
  return Object.assign(new PublishedEntry(), {
    applicationId: String(r.app_id),
    grade: r.app_grade!,
    categoryCode: r.app_category_code,
    categoryName: r.app_category_name,
    title: r.app_title,
    applicantName: applicantName(r),
    unitName: r.app_unit_name,
    unitCode: r.app_unit_code,
    cityName: r.app_city_name,
    countyName: r.app_county_name,
  });
}

/** A campaign's published results, for everyone (no login): no personal contact data. */
export async function publishedResults(ctx: Ctx, campaignId: string, categoryCode?: string | null): Promise<PublishedResults> {
  const pub = await findPublication(ctx.db, campaignId);
  if (!pub) throw notPublished();
  const c = (await loadCampaign(ctx.db, campaignId))!;
  const [rows, units, instructors] = await Promise.all([
    publishedRows(ctx.db, campaignId, categoryCode),
    excellentUnitRows(ctx.db, campaignId),
    excellentInstructorRows(ctx.db, campaignId),
  ]);
  return Object.assign(new PublishedResults(), {
    campaignId: String(c.row.id),
    year: c.row.year,
    title: c.row.title,
    docNo: c.row.doc_no,
    issuer: c.row.issuer,
    publishedAt: pub.published_at,
    entries: rows.map(toPublishedEntry),
    excellentUnits: units.map((u) => Object.assign(new PublishedUnit(), { unitName: u.name, unitCode: u.code, cityName: u.city_name, reason: u.reason })),
    excellentInstructors: instructors.map((i) =>
      Object.assign(new PublishedInstructor(), { name: i.person_name, unitName: i.name, unitCode: i.code, cityName: i.city_name, reason: i.reason }),
    ),
  });
}

function toExcellentUnit(r: ExcellentUnitRow): ExcellentUnit {
  return Object.assign(new ExcellentUnit(), {
    id: String(r.x_id), campaignId: String(r.x_campaign_id), unit: OrgUnit.from(r), reason: r.reason, createdAt: r.created_at, updatedAt: r.updated_at,
  });
}

function toExcellentInstructor(r: ExcellentInstructorRow): ExcellentInstructor {
  return Object.assign(new ExcellentInstructor(), {
    id: String(r.x_id), campaignId: String(r.x_campaign_id), userId: r.user_id ? String(r.user_id) : null, name: r.person_name,
    unit: OrgUnit.from(r), reason: r.reason, createdAt: r.created_at, updatedAt: r.updated_at,
  });
}

function cleanReason(reason: string | null | undefined): string {
  const r = (reason ?? "").trim();
  if (r.length > REASON_MAX) throw badInput([{ field: "reason", rule: "maxLength", message: `推荐理由不能超过${REASON_MAX}字，当前${r.length}字` }]);
  return r;
}

/** Excellent organizing units of a campaign in the acting scope. */
export async function excellentUnits(ctx: Ctx, campaignId: string): Promise<ExcellentUnit[]> {
  await requireCampaign(ctx, campaignId);
  return (await excellentUnitRows(ctx.db, campaignId, { scope: scopePattern(ctx) })).map(toExcellentUnit);
}

export async function excellentInstructors(ctx: Ctx, campaignId: string): Promise<ExcellentInstructor[]> {
  await requireCampaign(ctx, campaignId);
  return (await excellentInstructorRows(ctx.db, campaignId, { scope: scopePattern(ctx) })).map(toExcellentInstructor);
}

const unitNotFound = () => new DomainError("NOT_FOUND", "优秀组织单位记录不存在或不在您的管辖范围内", "id");
const instructorNotFound = () => new DomainError("NOT_FOUND", "优秀指导教师记录不存在或不在您的管辖范围内", "id");

/** Names a unit (city, county, district, school or practice base) an excellent organizing unit; audited. */
export async function addExcellentUnit(ctx: Ctx, campaignId: string, unitId: string, reason: string | null | undefined): Promise<ExcellentUnit> {
  requireActing(ctx);
  const why = cleanReason(reason);
  const id = await ctx.db.tx(async (tx) => {
    const c = await requireCampaign(ctx, campaignId, tx);
    assertCampaignOpen(c);
    const unit = await requireUnitInScope(ctx, unitId, tx);
    if (unit.kind === "PROVINCE") throw badInput([{ field: "unitId", rule: "unitKind", message: "优秀组织单位须为设区市、县（市、区）、学区、学校或实践教育基地" }]);
    const row = await insertExcellentUnit(tx, { campaignId, unitId: unit.id, reason: why, userId: ctx.auth!.userId });
    if (!row) throw new DomainError("CONFLICT", `「${unit.name}」已在本次活动的优秀组织单位名单中`, "unitId");
    await audit(tx, ctx, { action: "EXCELLENT_UNIT_ADD", targetType: "campaign", targetId: campaignId, reason: why || null, data: { unitId: unit.id } });
    return String(row.id);
  });
  return toExcellentUnit((await excellentUnitRows(ctx.db, campaignId, { id }))[0]!);
}

async function requireExcellentUnit(ctx: Ctx, id: string, sql: Sql): Promise<ExcellentUnitRow> {
  if (!ID_RE.test(String(id))) throw unitNotFound();
  const found = await excellentUnitCampaign(sql, id, scopePattern(ctx));
  if (!found) throw unitNotFound();
  await requireCampaign(ctx, found.campaign_id, sql);
  return (await excellentUnitRows(sql, found.campaign_id, { id }))[0]!;
}

export async function updateExcellentUnit(ctx: Ctx, id: string, reason: string | null | undefined): Promise<ExcellentUnit> {
  const why = cleanReason(reason);
  const campaignId = await ctx.db.tx(async (tx) => {
    const row = await requireExcellentUnit(ctx, id, tx);
    assertCampaignOpen((await loadCampaign(tx, row.x_campaign_id))!);
    await setExcellentUnitReason(tx, row.x_id, why);
    await audit(tx, ctx, { action: "EXCELLENT_UNIT_UPDATE", targetType: "campaign", targetId: row.x_campaign_id, reason: why || null, data: { unitId: row.id } });
    return String(row.x_campaign_id);
  });
  return toExcellentUnit((await excellentUnitRows(ctx.db, campaignId, { id }))[0]!);
}

export async function removeExcellentUnit(ctx: Ctx, id: string): Promise<boolean> {
  await ctx.db.tx(async (tx) => {
    const row = await requireExcellentUnit(ctx, id, tx);
    assertCampaignOpen((await loadCampaign(tx, row.x_campaign_id))!);
    await deleteExcellentUnit(tx, row.x_id);
    await audit(tx, ctx, { action: "EXCELLENT_UNIT_REMOVE", targetType: "campaign", targetId: row.x_campaign_id, data: { unitId: row.id, reason: row.reason } });
  });
  return true;
}

/** Resolves an instructor input to a person and a unit in the acting scope. */
async function instructorOf(ctx: Ctx, sql: Sql, input: ExcellentInstructorInput, current?: ExcellentInstructorRow) {
  let userId = input.userId === undefined ? (current?.user_id ?? null) : input.userId;
  let name = input.name?.trim() || null;
  let unitId = input.unitId ?? null;
  if (userId) {
    const user = await requireUserInScope(ctx, String(userId), sql);
    userId = String(user.id);
    name ??= user.name;
    unitId ??= String(user.home_unit_id);
  }
  name ??= current?.person_name ?? null;
  unitId ??= current ? String(current.id) : null;
  const v = [];
  if (!name) v.push({ field: "name", rule: "required", message: "请填写优秀指导教师的姓名（或选择平台用户）" });
  else if (name.length > NAME_MAX) v.push({ field: "name", rule: "maxLength", message: `姓名不能超过${NAME_MAX}字，当前${name.length}字` });
  if (!unitId) v.push({ field: "unitId", rule: "required", message: "请选择优秀指导教师的所在单位" });
  if (v.length) throw badInput(v);
  const unit = await requireUnitInScope(ctx, unitId!, sql);
  return { userId: userId ? String(userId) : null, name: name!, unit };
}

/** Names an excellent instructor: a platform user, or a person with their unit; audited. */
export async function addExcellentInstructor(ctx: Ctx, campaignId: string, input: ExcellentInstructorInput): Promise<ExcellentInstructor> {
  requireActing(ctx);
  const why = cleanReason(input.reason);
  const id = await ctx.db.tx(async (tx) => {
    const c = await requireCampaign(ctx, campaignId, tx);
    assertCampaignOpen(c);
    const p = await instructorOf(ctx, tx, input);
    const dup = await sameInstructor(tx, campaignId, { userId: p.userId, unitId: p.unit.id, name: p.name });
    if (dup) throw new DomainError("CONFLICT", `「${p.name}」（${p.unit.name}）已在本次活动的优秀指导教师名单中`, "name");
    const row = await insertExcellentInstructor(tx, campaignId, { userId: p.userId, name: p.name, unitId: p.unit.id, reason: why }, ctx.auth!.userId);
    await audit(tx, ctx, { action: "EXCELLENT_INSTRUCTOR_ADD", targetType: "campaign", targetId: campaignId, reason: why || null, data: { name: p.name, userId: p.userId, unitId: p.unit.id } });
    return String(row.id);
  });
  return toExcellentInstructor((await excellentInstructorRows(ctx.db, campaignId, { id }))[0]!);
}

async function requireExcellentInstructor(ctx: Ctx, id: string, sql: Sql): Promise<ExcellentInstructorRow> {
  if (!ID_RE.test(String(id))) throw instructorNotFound();
  const found = await excellentInstructorCampaign(sql, id, scopePattern(ctx));
  if (!found) throw instructorNotFound();
  await requireCampaign(ctx, found.campaign_id, sql);
  return (await excellentInstructorRows(sql, found.campaign_id, { id }))[0]!;
}

export async function updateExcellentInstructor(ctx: Ctx, id: string, input: ExcellentInstructorInput): Promise<ExcellentInstructor> {
  const campaignId = await ctx.db.tx(async (tx) => {
    const row = await requireExcellentInstructor(ctx, id, tx);
    assertCampaignOpen((await loadCampaign(tx, row.x_campaign_id))!);
    const p = await instructorOf(ctx, tx, input, row);
    const why = input.reason === undefined || input.reason === null ? row.reason : cleanReason(input.reason);
    try {
      await saveExcellentInstructor(tx, row.x_id, { userId: p.userId, name: p.name, unitId: p.unit.id, reason: why });
    } catch (e) {
      if ((e as { code?: string }).code === "23505") throw new DomainError("CONFLICT", `「${p.name}」（${p.unit.name}）已在本次活动的优秀指导教师名单中`, "name");
      throw e;
    }
    await audit(tx, ctx, { action: "EXCELLENT_INSTRUCTOR_UPDATE", targetType: "campaign", targetId: row.x_campaign_id, reason: why || null, data: { id: row.x_id, name: p.name, unitId: p.unit.id } });
    return String(row.x_campaign_id);
  });
  return toExcellentInstructor((await excellentInstructorRows(ctx.db, campaignId, { id }))[0]!);
}

export async function removeExcellentInstructor(ctx: Ctx, id: string): Promise<boolean> {
  await ctx.db.tx(async (tx) => {
    const row = await requireExcellentInstructor(ctx, id, tx);
    assertCampaignOpen((await loadCampaign(tx, row.x_campaign_id))!);
    await deleteExcellentInstructor(tx, row.x_id);
    await audit(tx, ctx, { action: "EXCELLENT_INSTRUCTOR_REMOVE", targetType: "campaign", targetId: row.x_campaign_id, data: { name: row.person_name, unitId: row.id } });
  });
  return true;
}
