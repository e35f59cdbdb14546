import { badInput, DomainError, ROLE_LABELS, type FieldViolation, type Role } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { loader } from "../../common/loader.js";
import { checkPage, likeEscape } from "../../common/paging.js";
import type { Sql } from "../../db/data-source.js";
import { requireActing, requireUnitInScope } from "../auth/authorize.js";
import { assertCampaignOpen, requireCampaign, type LoadedCampaign } from "../campaign/campaign.service.js";
import {
  CASE_SECTIONS, SCHOOL_STAGE_LABELS, countyFieldOf, levelsFor, validateDraft, validateForSubmit, WAITING_STATES,
  type ApplicantKind, type ApplicationForm, type CountyField, type ApplicationOrigin, type ApplicationState, type CaseSections, type ReviewLevel,
} from "../campaign/domain.js";
import { unitKey } from "../campaign/unit-key.util.js";
import { Permission } from "../auth/permissions.js";
import { categoryNamesOf } from "../campaign/campaign.repository.js";
import { assertAttachable, linkFiles, registerFileTarget } from "../files/files.service.js";
import * as repo from "./application.repository.js";
import type { ApplicationFormData, ApplicationRow, ApplicationSort, ConsentRow, HistoryRow, QuotaPlaceRow, RevisionRow } from "./application.repository.js";
import { regionFrom, regionOf, unitWithRegion, type UnitRegion, type UnitRow } from "../org/org.repository.js";
import { profileOf } from "../users/user.repository.js";

export { APP_COLUMNS, type ApplicationFormData, type ApplicationRow, type ConsentRow, type HistoryRow, type QuotaPlaceRow, type RevisionRow } from "./application.repository.js";

/** The applicant role for each kind of applicant. */
export const APPLICANT_ROLES: Record<ApplicantKind, readonly Role[]> = {
  TEACHER: ["TEACHER"],
  SCHOOL: ["SCHOOL_ADMIN"],
  REGION: ["COUNTY_REVIEWER", "CITY_REVIEWER"],
};

/** Whether the acting role owns the application: the teacher themself, or the applying school or region. */
export function isOwner(ctx: Ctx, row: Pick<ApplicationRow, "applicant_kind" | "applicant_user_id" | "applicant_unit_id">): boolean {
  const a = ctx.auth?.acting;
  if (!a || !APPLICANT_ROLES[row.applicant_kind].includes(a.role)) return false;
  return row.applicant_kind === "TEACHER" ? String(row.applicant_user_id) === String(ctx.auth!.userId) : String(row.applicant_unit_id) === String(a.unitId);
}

/**
 * The data scope of applications for the acting role, as SQL on alias `a`: a teacher sees their
 * own; school, county, city and province staff see what sits at or below their unit, except other
 * people's drafts; experts see none here (their assignments are served by finalization).
 */
export function visibilityWhere(ctx: Ctx, params: unknown[]): string {
  return repo.visibilityWhere(scopeOf(ctx), params);
}

/** The acting role as the scope of application queries. */
function scopeOf(ctx: Ctx): repo.ApplicationScope {
  const acting = requireActing(ctx);
  return { role: acting.role, userId: ctx.auth!.userId, unitId: acting.unitId, unitPath: acting.unitPath };
}

const notFound = () => new DomainError("NOT_FOUND", "申报不存在或不在您的管辖范围内", "applicationId");

/** An application the acting role may see; NOT_FOUND (the same as a missing id) otherwise. */
export async function requireVisibleApplication(ctx: Ctx, id: string, sql: Sql = ctx.db): Promise<ApplicationRow> {
  if (!/^\d{1,18}$/.test(String(id))) throw notFound();
  const row = await repo.findVisible(sql, String(id), scopeOf(ctx));
  if (!row) throw notFound();
  return row;
}

/** An application the acting role owns (visible first: others get NOT_FOUND, visible non-owners FORBIDDEN). */
export async function requireOwnApplication(ctx: Ctx, id: string, sql: Sql = ctx.db): Promise<ApplicationRow> {
  const row = await requireVisibleApplication(ctx, id, sql);
  if (!isOwner(ctx, row)) throw new DomainError("FORBIDDEN", "只有申报人本人可以修改此申报");
  return row;
}

const text = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Keeps only the fields of Annex 3 (and attachment ids) from client input; the category is the application's. */
export function cleanForm(input: Record<string, unknown>, categoryCode: string): ApplicationFormData {
  const c = (input.case ?? null) as Record<string, unknown> | null;
  const cases: CaseSections = {};
  if (c && typeof c === "object") for (const s of CASE_SECTIONS) if (c[s] !== undefined) cases[s] = text(c[s]);
  const stage = text(input.stage);
  return {
    county: text(input.county),
    stage: stage as ApplicationForm["stage"],
    unitName: text(input.unitName),
    personInCharge: text(input.personInCharge),
    jobTitle: text(input.jobTitle),
    mobile: text(input.mobile),
    categoryCode,
    spaceUrl: text(input.spaceUrl),
    case: cases,
    newsLinks: Array.isArray(input.newsLinks) ? input.newsLinks.map((l) => (typeof l === "string" ? l : "")) : null,
    photoZipFileId: input.photoZipFileId == null ? null : String(input.photoZipFileId),
    videoFileId: input.videoFileId == null ? null : String(input.videoFileId),
    caseDocumentFileId: input.caseDocumentFileId == null || input.caseDocumentFileId === "" ? null : String(input.caseDocumentFileId),
  };
}

/** The origin of an application from its applicant unit and that unit's city and county. */
function originFrom(region: UnitRegion | null, applicantKind: ApplicantKind) {
  if (!region || !region.unit.city_id || !region.city) throw new DomainError("FORBIDDEN", "所在单位不属于任何设区市，不能申报");
  const { unit, city, county } = region;
  const isSchool = unit.kind === "SCHOOL" || unit.kind === "PRACTICE_BASE";
  const origin: ApplicationOrigin = {
    applicantKind,
    cityCode: unitKey(city),
    countyCode: county ? unitKey(county) : null,
    schoolKey: isSchool ? unitKey(unit) : null,
    practiceBaseKey: unit.kind === "PRACTICE_BASE" ? unitKey(unit) : null,
  };
  return {
    unit,
    city,
    county,
    origin,
    ids: {
      city_id: String(city.id),
      county_id: county ? String(county.id) : null,
      school_id: isSchool ? String(unit.id) : null,
      practice_base_id: unit.kind === "PRACTICE_BASE" ? String(unit.id) : null,
    },
  };
}

/** Where an application from a unit would come from, as ids (to store) and as the domain's unit keys. */
export async function originOfUnit(sql: Sql, unitId: string, applicantKind: ApplicantKind) {
  return originFrom(await unitWithRegion(sql, unitId), applicantKind);
}

/** The domain origin of a stored application: its unit, and the city and county the row stores. */
export async function originOf(sql: Sql, row: ApplicationRow): Promise<ApplicationOrigin> {
  return originFrom(await regionOf(sql, regionIdsOf(row)), row.applicant_kind).origin;
}

/** The ids of an application's unit, city and county, as the row stores them. */
export function regionIdsOf(row: ApplicationRow): { unitId: string; cityId: string | null; countyId: string | null } {
  return { unitId: row.applicant_unit_id, cityId: row.city_id, countyId: row.county_id };
}

/** `originOf` from units already loaded by id (a batched lookup for a page of applications). */
export function originFromUnits(units: ReadonlyMap<string, UnitRow>, row: ApplicationRow): ApplicationOrigin {
  return originFrom(regionFrom(units, regionIdsOf(row)), row.applicant_kind).origin;
}

const STAGE_BY_LABEL = Object.fromEntries(Object.entries(SCHOOL_STAGE_LABELS).map(([k, v]) => [v, k]));

/**
 * Starts an application (a DRAFT) in a category of an open campaign, for the acting role: a
 * teacher for their own space, a school admin for the school, a county or city reviewer for the
 * region. Drafts can be created and saved at any time; submission is what the deadline governs.
 */
export async function createApplication(ctx: Ctx, campaignId: string, categoryCode: string): Promise<ApplicationRow> {
  const acting = requireActing(ctx);
  const c = await requireCampaign(ctx, campaignId);
  assertCampaignOpen(c);
  const cat = c.config.categories.find((k) => k.code === categoryCode);
  if (!cat) throw badInput([{ field: "categoryCode", rule: "enum", message: `本次活动没有「${categoryCode}」类别` }]);
  const refusal = applicantRefusal(ctx, cat);
  if (refusal) throw new DomainError("FORBIDDEN", refusal, "categoryCode");
  return insertApplication(ctx.db, { campaign: c, categoryCode, userId: ctx.auth!.userId, unitId: acting.unitId });
}

const APPLICANT_WHO: Record<ApplicantKind, string> = {
  TEACHER: "教师本人",
  SCHOOL: "学校平台管理员",
  REGION: "县（市、区）或设区市审核员（代表本区域）",
};

/**
 * Why the acting role may not apply in a category (null: it may): the category's kind of applicant
 * needs another role (naming the user's own role to switch to, when they hold one), and a teacher
 * applies from their school or practice base. createApplication refuses with it; the campaign's
 * categoryEligibility shows it in the new-application dialog.
 */
export function applicantRefusal(ctx: Ctx, cat: { name: string; applicantKind: ApplicantKind }): string | null {
  const acting = requireActing(ctx);
  const allowed = APPLICANT_ROLES[cat.applicantKind];
  if (!allowed.includes(acting.role)) {
    const held = ctx.auth!.roles.find((r) => allowed.includes(r.role));
    return held
      ? `「${cat.name}」须以「${ROLE_LABELS[held.role]}」身份申报，请切换角色后再新建`
      : `「${cat.name}」须由${APPLICANT_WHO[cat.applicantKind]}申报，当前账号没有相应角色`;
  }
  if (cat.applicantKind === "TEACHER" && acting.unitKind !== "SCHOOL" && acting.unitKind !== "PRACTICE_BASE") {
    return "教师须在所在学校或实践教育基地申报";
  }
  return null;
}

export interface CategoryEligibility {
  code: string;
  name: string;
  applicantKind: ApplicantKind;
  eligible: boolean;
  /** Why not, in Chinese (null when eligible). */
  reason: string | null;
}

/**
 * For the acting role, each category of a campaign: may it start an application there now, and if
 * not, why (the campaign is not open, another role applies for it, or it already has one).
 */
export async function categoryEligibility(ctx: Ctx, c: LoadedCampaign): Promise<CategoryEligibility[]> {
  const acting = ctx.auth?.acting ?? null;
  const existing = new Map<string, string>();
  if (acting) {
    const rows = await repo.existingInCampaign(ctx.db, String(c.row.id), ctx.auth!.userId, acting.unitId);
    for (const r of rows) existing.set(r.category_code, r.state);
  }
  const closed = c.row.status === "DRAFT" ? `活动「${c.row.title}」尚未发布，暂不能申报` : c.row.status === "CLOSED" ? `活动「${c.row.title}」已结束，不能再申报` : null;
  return c.config.categories.map((cat) => {
    let reason = closed ?? (acting ? applicantRefusal(ctx, cat) : "请先选择当前角色");
    if (!reason && existing.has(cat.code)) {
      reason = existing.get(cat.code) === "DRAFT" || existing.get(cat.code) === "RETURNED"
        ? `本次活动中已有「${cat.name}」的申报，可在列表中点击“继续填写”`
        : `本次活动中已有「${cat.name}」的申报，每个类别只能申报一次`;
    }
    return { code: cat.code, name: cat.name, applicantKind: cat.applicantKind, eligible: !reason, reason };
  });
}

/**
 * Inserts a DRAFT for a user applying from a unit, with the form prefilled from the account and
 * the unit (no authorization: createApplication and the demo seed call it).
 */
export async function insertApplication(
  sql: Sql,
  input: { campaign: LoadedCampaign; categoryCode: string; userId: string; unitId: string },
): Promise<ApplicationRow> {
  const c = input.campaign;
  const cat = c.config.categories.find((k) => k.code === input.categoryCode)!;
  const o = await originOfUnit(sql, input.unitId, cat.applicantKind);
  const levels = levelsFor(c.config, o.origin);
  const user = await profileOf(sql, input.userId);
  const prefill: ApplicationFormData = {
    county: countyFieldOf({ unitKind: o.unit.kind, countyName: o.county?.name ?? null, cityName: o.city.name }).prefill,
    stage: (cat.applicantKind === "TEACHER" && user?.stage ? (STAGE_BY_LABEL[user.stage] ?? null) : null) as ApplicationForm["stage"],
    unitName: o.unit.name,
    personInCharge: user?.name ?? null,
    jobTitle: null,
    mobile: user?.phone ?? null,
    categoryCode: input.categoryCode,
    spaceUrl: null,
    case: {},
    newsLinks: [],
    photoZipFileId: null,
    videoFileId: null,
  };
  try {
    return await repo.insertApplication(sql, {
      campaignId: String(c.row.id), categoryCode: input.categoryCode, applicantKind: cat.applicantKind, userId: input.userId, unitId: String(o.unit.id),
      cityId: o.ids.city_id, countyId: o.ids.county_id, schoolId: o.ids.school_id, practiceBaseId: o.ids.practice_base_id, unitPath: o.unit.path, levels, form: prefill,
    });
  } catch (e) {
    if ((e as { code?: string }).code === "23505" || /application_one_per/.test(String((e as Error).message))) {
      throw new DomainError("CONFLICT", `本次活动中已有「${cat.name}」的申报，不能重复申报（可在“我的申报”中继续填写）`, "categoryCode");
    }
    throw e;
  }
}

/** Title shown in lists: the case title, else a placeholder. */
function titleOf(form: ApplicationFormData): string {
  return (form.case?.title ?? "").trim().slice(0, 200);
}

/**
 * Saves the applicant's working copy (a draft, or the revision being prepared after a return).
 * Only formats and sizes of what is present are checked; a refused save changes nothing.
 * `version` is the one the applicant loaded: a save over someone else's newer save is refused.
 */
export async function saveDraft(ctx: Ctx, id: string, input: Record<string, unknown>, version: number): Promise<ApplicationRow> {
  return ctx.db.tx(async (tx) => {
    const row = await requireOwnApplication(ctx, id, tx);
    if (row.state !== "DRAFT" && row.state !== "RETURNED") {
      throw new DomainError("INVALID_TRANSITION", "申报已提交，审核期间不能修改；如需修改，请等待退回或先撤回申报");
    }
    if (row.version !== version) throw staleVersion();
    const c = await requireCampaign(ctx, row.campaign_id, tx);
    const form = cleanForm(input, row.category_code);
    const v = validateDraft({ kind: "APPLICATION", data: form, context: { campaign: c.config, applicantKind: row.applicant_kind } });
    if (v.length) throw badInput(v);
    const files = [form.photoZipFileId, form.videoFileId, form.caseDocumentFileId].filter((f): f is string => !!f);
    await assertAttachable(tx, ctx, { photoZip: form.photoZipFileId ?? null, video: form.videoFileId ?? null, caseDocument: form.caseDocumentFileId ?? null }, row.id);
    const saved = await repo.saveDraft(tx, String(row.id), version, form, titleOf(form));
    if (!saved) throw staleVersion();
    await linkFiles(tx, files, "application", row.id);
    return saved;
  });
}

/**
 * Every violation of the submission rules in a form of an application: the check submit runs
 * (pipeline.service), with the same context (the campaign, the applicant's kind and, for a teacher,
 * the mobile bound to their account). Used by submit and by the form before it saves or submits.
 */
export async function submitViolations(sql: Sql, row: ApplicationRow, campaign: LoadedCampaign, form: ApplicationFormData): Promise<FieldViolation[]> {
  const u = await profileOf(sql, row.applicant_user_id);
  const county = await countyFieldOfRow(sql, row);
  return validateForSubmit({
    kind: "APPLICATION",
    data: form,
    context: {
      campaign: campaign.config,
      applicantKind: row.applicant_kind,
      boundMobile: row.applicant_kind === "TEACHER" ? (u?.phone ?? null) : null,
      countyRequired: county.required,
    },
  });
}

/** The form's 「县（市、区）」 field for a stored application (a practice base has no county). */
export async function countyFieldOfRow(sql: Sql, row: Pick<ApplicationRow, "applicant_unit_id" | "city_id" | "county_id">): Promise<CountyField> {
  const r = await regionOf(sql, { unitId: row.applicant_unit_id, cityId: row.city_id, countyId: row.county_id });
  return countyFieldOf({ unitKind: r?.unit.kind ?? "", countyName: r?.county?.name ?? null, cityName: r?.city?.name ?? "" });
}

/**
 * Checks the applicant's working copy against the submission rules without saving it, and returns
 * every violation at once (an empty list: the form may be submitted as it is).
 */
export async function checkApplicationForm(ctx: Ctx, id: string, input: Record<string, unknown>): Promise<FieldViolation[]> {
  const row = await requireOwnApplication(ctx, id);
  const c = await requireCampaign(ctx, row.campaign_id);
  return submitViolations(ctx.db, row, c, cleanForm(input, row.category_code));
}

export const staleVersion = () =>
  new DomainError("CONFLICT", "该申报已被他人处理或已在其他页面修改，请刷新后查看最新状态再操作", undefined, { reason: "VERSION" });

export interface ApplicationFilter {
  campaignId: string;
  categoryCode?: string | null;
  states?: ApplicationState[] | null;
  currentLevel?: ReviewLevel | null;
  unitId?: string | null;
  search?: string | null;
  mine?: boolean | null;
}

/** WHERE clause and params of an application list in the acting role's scope (shared with exports). */
export async function applicationWhere(ctx: Ctx, f: ApplicationFilter): Promise<{ where: string; params: unknown[] }> {
  await requireCampaign(ctx, f.campaignId);
  const scope = scopeOf(ctx);
  const unit = f.unitId ? await requireUnitInScope(ctx, f.unitId) : null;
  return repo.listWhere(scope, {
    campaignId: f.campaignId,
    categoryCode: f.categoryCode,
    states: f.states,
    currentLevel: f.currentLevel,
    underPath: unit?.path ?? null,
    pattern: f.search?.trim() ? "%" + likeEscape(f.search.trim()) + "%" : null,
    mine: f.mine,
  });
}

export { APPLICATION_SORTS, type ApplicationSort } from "./application.repository.js";

export interface ApplicationOrder {
  sort: ApplicationSort;
  desc: boolean;
}

/** Today's orders: the list newest change first, the queue longest waiting first. */
export const LIST_ORDER: ApplicationOrder = { sort: "updatedAt", desc: true };
export const QUEUE_ORDER: ApplicationOrder = { sort: "lastActionAt", desc: false };

/** ORDER BY terms of an application list, ending with the unique tie-breaker a.id (stable paging). */
export function applicationOrderBy(o: ApplicationOrder): string {
  if (!Object.hasOwn(repo.SORT_SQL, o.sort)) throw new DomainError("BAD_USER_INPUT", `不支持的排序字段，可选：${repo.APPLICATION_SORTS.join("、")}`, "sort");
  return repo.orderByOf(o.sort, o.desc);
}

export async function listApplications(ctx: Ctx, f: ApplicationFilter, page: { offset: number; limit: number }, order: ApplicationOrder = LIST_ORDER) {
  const { offset, limit } = checkPage(page);
  const orderBy = applicationOrderBy(order);
  return repo.pageOf(ctx.db, await applicationWhere(ctx, f), orderBy, offset, limit);
}

/** The review level each reviewing role acts at. */
export const ROLE_LEVEL: Partial<Record<Role, ReviewLevel>> = {
  SCHOOL_ADMIN: "SCHOOL",
  COUNTY_REVIEWER: "COUNTY",
  CITY_REVIEWER: "CITY",
  PROVINCE_ADMIN: "PROVINCE",
};

/**
 * The review queue of the acting role: applications waiting at its level for its unit, and
 * those it decides for the level below because every reviewer there is a party to them.
 */
export async function queueWhere(ctx: Ctx, campaignId: string, categoryCode: string | null): Promise<{ where: string; params: unknown[] }> {
  const acting = requireActing(ctx);
  const level = ROLE_LEVEL[acting.role];
  if (!level) throw new DomainError("FORBIDDEN", "当前角色没有审核队列");
  await requireCampaign(ctx, campaignId);
  const col = ({ SCHOOL: "a.school_id", COUNTY: "a.county_id", CITY: "a.city_id", PROVINCE: null } as const)[level];
  return repo.queueWhere(scopeOf(ctx), { campaignId, level, waitingStates: WAITING_STATES, unitColumn: col, categoryCode });
}

export async function reviewQueue(
  ctx: Ctx,
  campaignId: string,
  categoryCode: string | null,
  page: { offset: number; limit: number },
  order: ApplicationOrder = QUEUE_ORDER,
) {
  const { offset, limit } = checkPage(page);
  const orderBy = applicationOrderBy(order);
  return repo.pageOf(ctx.db, await queueWhere(ctx, campaignId, categoryCode), orderBy, offset, limit);
}

/** History rows of applications (batched per request), oldest first. */
export function historyOf(ctx: Ctx, appId: string): Promise<HistoryRow[]> {
  return loader<string, HistoryRow[]>(ctx, "applicationHistory", (ids) => repo.historiesOf(ctx.db, ids)).load(appId);
}

/** Submitted revisions of applications (batched per request), in order. */
export function revisionsOf(ctx: Ctx, appId: string): Promise<RevisionRow[]> {
  return loader<string, RevisionRow[]>(ctx, "applicationRevisions", (ids) => repo.revisionListsOf(ctx.db, ids)).load(appId);
}

/** The working copy (owner) of an application. */
export function workingFormOf(ctx: Ctx, appId: string): Promise<ApplicationFormData> {
  return loader<string, ApplicationFormData>(ctx, "applicationForm", (ids) => repo.workingFormsOf(ctx.db, ids)).load(appId);
}

/**
 * The form an application shows the acting role: its owner sees the working copy (what they are
 * editing), everyone else the last submitted revision (empty before the first submission).
 */
export async function shownFormOf(ctx: Ctx, row: ApplicationRow): Promise<ApplicationFormData> {
  if (isOwner(ctx, row)) return workingFormOf(ctx, String(row.id));
  const revs = await revisionsOf(ctx, String(row.id));
  return revs[revs.length - 1]?.form ?? {};
}

/**
 * The two submitted revisions to compare: `to` defaults to the latest (1 before any), `from` to
 * the one before `to`; NOT_FOUND names the argument whose revision does not exist.
 */
export async function revisionsToCompare(ctx: Ctx, row: ApplicationRow, fromRevision: number | null, toRevision: number | null): Promise<{ from: RevisionRow; to: RevisionRow }> {
  const revs = await revisionsOf(ctx, String(row.id));
  const to = toRevision ?? revs[revs.length - 1]?.revision ?? 1;
  const from = fromRevision ?? to - 1;
  const a = revs.find((r) => r.revision === from);
  const b = revs.find((r) => r.revision === to);
  if (!a || !b) throw new DomainError("NOT_FOUND", `没有第${!a ? from : to}版`, !a ? "fromRevision" : "toRevision");
  return { from: a, to: b };
}

/** Quota places an application took (held and released), in the order taken; batched per request. */
export function quotaPlacesOf(ctx: Ctx, appId: string): Promise<QuotaPlaceRow[]> {
  return loader<string, QuotaPlaceRow[]>(ctx, "applicationQuotaPlaces", (ids) => repo.quotaPlaceListsOf(ctx.db, ids)).load(appId);
}

/** A category's name in its campaign (the code when the campaign has no such category); batched per request. */
export async function categoryNameOf(ctx: Ctx, campaignId: string, code: string): Promise<string> {
  const names = await loader<string, Map<string, string>>(ctx, "categoryNames", (ids) => categoryNamesOf(ctx.db, ids)).load(String(campaignId));
  return names.get(code) ?? code;
}

/**
 * Who may open an application's attachments (with ApplicationRead or ExpertScore): an expert only
 * through a released assignment to it, anyone else when the application is visible to them.
 */
export async function mayReadApplicationFiles(ctx: Ctx, id: string): Promise<boolean> {
  if (ctx.auth?.acting?.role === "EXPERT") return repo.hasReleasedAssignment(ctx.db, id, ctx.auth.userId);
  return !!(await requireVisibleApplication(ctx, id));
}

registerFileTarget("application", [Permission.ApplicationRead, Permission.ExpertScore], mayReadApplicationFiles);

/** The 参赛须知 acceptances of an application (one per submitted revision), oldest first; batched per request. */
export function consentsOf(ctx: Ctx, appId: string): Promise<ConsentRow[]> {
  return loader<string, ConsentRow[]>(ctx, "applicationConsents", (ids) => repo.consentListsOf(ctx.db, ids)).load(appId);
}
