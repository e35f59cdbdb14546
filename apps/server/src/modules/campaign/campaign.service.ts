import { badInput, CAMPAIGN_STATUS_LABELS, DomainError, type FieldViolation } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import type { Sql, Tx } from "../../db/data-source.js";
import { audit } from "../audit/audit.service.js";
import { requireActing, requireUnitInScope } from "../auth/authorize.js";
import { STAGE_CODES, type CampaignStatus } from "./campaign.enums.js";
import {
  assertStageOpen, copiedDates, deadlineClosesAt, defaultCopyYear, effectiveDeadline, isCalendarDate, openingWarnings, stageDateViolations, validateCampaign,
  type OpeningWarning, type UnitWithoutReviewer,
  type AwardCategory, type Campaign, type StageCode, type StageExtension,
} from "./domain.js";
import { pathKeys, unitsByKey } from "../org/org.repository.js";
import {
  campaignRows, categoriesNotIn, categoriesOf, deleteCategoriesNotIn, deleteStagesNotIn, deleteUnitDeadline, extensionsOf, findCampaign,
  insertCampaignRow, insertExtension, otherOpenCampaigns, setCampaignStatusRow, setStageDeadline, setUnitDeadline as writeUnitDeadline,
  stagesOf, touchCampaign, unitDeadlinesOf, unitsWithoutReviewer as unitsWithoutReviewerRows, updateCampaignRow, upsertCategory,
  upsertConfiguredUnitDeadline, upsertStage, type CampaignRow, type CampaignSettings,
} from "./campaign.repository.js";
import { unitKey } from "./unit-key.util.js";

export type { CampaignRow } from "./campaign.repository.js";

export interface ExtensionRow extends StageExtension {
  id: string;
  unitId: string | null;
  createdBy: string | null;
  createdAt: Date;
}

/** A campaign as stored, its configuration as the domain rules read it, and its extensions. */
export interface LoadedCampaign {
  row: CampaignRow;
  config: Campaign;
  extensions: ExtensionRow[];
  /** Unit ids of the keys in stage unit deadlines (key → id). */
  unitDeadlineIds: Map<string, { stage: StageCode; unitId: string; deadline: string }[]>;
}

const notFound = () => new DomainError("NOT_FOUND", "活动不存在", "campaignId");

/** Loads a campaign with its whole configuration; null when there is none with that id. */
export async function loadCampaign(sql: Sql, id: string): Promise<LoadedCampaign | null> {
  if (!/^\d{1,18}$/.test(String(id))) return null;
  const row = await findCampaign(sql, id);
  if (!row) return null;
  // One after another: `sql` may be a transaction, which runs one statement at a time.
  const stages = await stagesOf(sql, id);
  const unitDeadlines = await unitDeadlinesOf(sql, id);
  const categories = await categoriesOf(sql, id);
  const extensions = await extensionsOf(sql, id);
  const unitDeadlineIds = new Map<string, { stage: StageCode; unitId: string; deadline: string }[]>();
  const config: Campaign = {
    year: row.year,
    title: row.title,
    docNo: row.doc_no,
    issuer: row.issuer,
    issuedOn: row.issued_on ?? "",
    stages: stages.map((s) => {
      const own = unitDeadlines.filter((d) => d.stage === s.stage);
      for (const d of own) {
        const k = unitKey({ id: d.unit_id, code: d.code });
        unitDeadlineIds.set(k, [...(unitDeadlineIds.get(k) ?? []), { stage: d.stage, unitId: String(d.unit_id), deadline: d.deadline }]);
      }
      return {
        stage: s.stage,
        name: s.name,
        deadline: s.deadline,
        unitDeadlines: Object.fromEntries(own.map((d) => [unitKey({ id: d.unit_id, code: d.code }), d.deadline])),
      };
    }),
    pipeline: { levels: row.levels as Campaign["pipeline"]["levels"] },
    categories: categories.map((c) => ({ code: c.code, name: c.name, applicantKind: c.applicant_kind, criteria: c.criteria, quota: c.quota, rubric: c.rubric })),
    forms: row.forms,
    finalization: row.finalization,
  };
  return {
    row,
    config,
    unitDeadlineIds,
    extensions: extensions.map((e) => ({
      id: String(e.id),
      stage: e.stage,
      unitKey: e.unit_id ? unitKey({ id: e.unit_id, code: e.code }) : null,
      unitId: e.unit_id ? String(e.unit_id) : null,
      until: e.until,
      reason: e.reason,
      createdBy: e.created_by ? String(e.created_by) : null,
      createdAt: e.created_at,
    })),
  };
}

/** Province admins see every campaign; everyone else only published (open or closed) ones. */
export function seesDrafts(ctx: Ctx): boolean {
  return ctx.auth?.acting?.role === "PROVINCE_ADMIN";
}

/** A campaign the caller may see; NOT_FOUND otherwise (drafts are invisible outside the province). */
export async function requireCampaign(ctx: Ctx, id: string, sql: Sql = ctx.db): Promise<LoadedCampaign> {
  requireActing(ctx);
  const c = await loadCampaign(sql, id);
  if (!c || (c.row.status === "DRAFT" && !seesDrafts(ctx))) throw notFound();
  return c;
}

/** Campaigns actions can be taken in: open ones. */
export function assertCampaignOpen(c: LoadedCampaign): void {
  if (c.row.status === "DRAFT") throw new DomainError("INVALID_TRANSITION", `活动「${c.row.title}」尚未发布，暂不能办理`);
  if (c.row.status === "CLOSED") throw new DomainError("INVALID_TRANSITION", `活动「${c.row.title}」已结束，不能再办理`);
}

export async function listCampaigns(ctx: Ctx): Promise<CampaignRow[]> {
  requireActing(ctx);
  return campaignRows(ctx.db, seesDrafts(ctx));
}

/** The deadline of a stage for one unit subtree (its path keys), or null for none. */
export function deadlineFor(c: LoadedCampaign, stage: StageCode, keys: readonly string[]): string | null {
  return effectiveDeadline(c.config, stage, c.extensions, keys);
}

/** Refuses the actions of `stage` for the unit at `path` once its deadline has passed. */
export async function assertStageOpenFor(sql: Sql, c: LoadedCampaign, stage: StageCode, path: string, now = new Date()): Promise<void> {
  assertStageOpen(c.config, stage, now, c.extensions, await pathKeys(sql, path));
}

function structureViolations(c: Campaign): FieldViolation[] {
  const v: FieldViolation[] = [];
  c.categories.forEach((cat, i) => {
    if (!Array.isArray(cat.criteria)) v.push({ field: `categories[${i}].criteria`, rule: "type", message: `「${cat.name}」的评审条件须为列表` });
    if (!cat.quota || typeof cat.quota !== "object" || Array.isArray(cat.quota)) {
      v.push({ field: `categories[${i}].quota`, rule: "type", message: `「${cat.name}」的名额规则格式不正确` });
    } else if (cat.quota.perCity !== undefined && (typeof cat.quota.perCity !== "object" || cat.quota.perCity === null || Array.isArray(cat.quota.perCity))) {
      v.push({ field: `categories[${i}].quota.perCity`, rule: "type", message: `「${cat.name}」的各设区市名额格式不正确` });
    }
    const r = cat.rubric as unknown as { groups?: unknown; items?: unknown } | null;
    if (!r || typeof r !== "object" || !Array.isArray(r.groups) || !Array.isArray(r.items)) {
      v.push({ field: `categories[${i}].rubric`, rule: "type", message: `「${cat.name}」的评分表格式不正确` });
    }
  });
  const g = c.finalization?.grading as unknown as { mode?: unknown } | undefined;
  if (!c.finalization || typeof c.finalization !== "object" || !g || typeof g !== "object") {
    v.push({ field: "finalization", rule: "type", message: "评审与等次设置格式不正确" });
  }
  if (!c.categories.length) v.push({ field: "categories", rule: "minItems", message: "请至少设置一个申报类别" });
  for (const s of c.stages) {
    if (!(STAGE_CODES as readonly string[]).includes(s.stage)) v.push({ field: "stages", rule: "enum", message: `未知的阶段「${s.stage}」` });
  }
  return v;
}

/** Checks a configuration; structure first, so the domain rules only see well-formed data. */
export function assertValidCampaign(c: Campaign): void {
  const structural = structureViolations(c);
  if (structural.length) throw badInput(structural);
  const v = validateCampaign(c);
  if (v.length) throw badInput(v);
}

/** Writes the configuration of a campaign (stages, categories) in `tx`; keeps unit deadlines of kept stages. */
async function writeConfig(tx: Tx, id: string, c: Campaign): Promise<void> {
  const stageCodes = c.stages.map((s) => s.stage);
  await deleteStagesNotIn(tx, id, stageCodes);
  for (const [i, s] of c.stages.entries()) {
    await upsertStage(tx, id, s.stage, s.name, i, s.deadline);
    const keys = Object.keys(s.unitDeadlines ?? {});
    if (keys.length) {
      const units = await unitsByKey(tx, keys);
      for (const k of keys) {
        const u = units.get(k);
        if (!u) throw badInput([{ field: `stages[${i}].unitDeadlines.${k}`, rule: "unit", message: `「${s.name}」中的单位${k}不存在` }]);
        await upsertConfiguredUnitDeadline(tx, id, s.stage, u.id, s.unitDeadlines![k]);
      }
    }
  }
  const codes = c.categories.map((x) => x.code);
  const dropped = await categoriesNotIn(tx, id, codes);
  const inUse = dropped.filter((d) => d.n > 0);
  if (inUse.length) {
    throw badInput(inUse.map((d) => ({ field: "categories", rule: "inUse", message: `类别「${d.name}」已有${d.n}件申报，不能删除` })));
  }
  await deleteCategoriesNotIn(tx, id, codes);
  for (const [i, k] of c.categories.entries()) await upsertCategory(tx, id, k, i);
}

/** The settings of a campaign's own row, as stored (texts trimmed, no issue date as null). */
function settingsOf(c: Campaign): CampaignSettings {
  return { year: c.year, title: c.title.trim(), docNo: c.docNo.trim(), issuer: c.issuer.trim(), issuedOn: c.issuedOn || null, levels: c.pipeline.levels, forms: c.forms, finalization: c.finalization };
}

/** Inserts a campaign (status DRAFT) in `tx` without authorization: the seed and createCampaign use it. */
export async function insertCampaign(tx: Tx, c: Campaign, createdBy: string | null, status: CampaignStatus = "DRAFT"): Promise<string> {
  assertValidCampaign(c);
  const id = await insertCampaignRow(tx, settingsOf(c), status, createdBy);
  await writeConfig(tx, id, c);
  return id;
}

function checkIssuedOn(c: Campaign): void {
  if (c.issuedOn && !isCalendarDate(c.issuedOn)) {
    throw badInput([{ field: "issuedOn", rule: "date", message: `「发文日期」须为YYYY-MM-DD格式的有效日期，当前为“${c.issuedOn}”` }]);
  }
}

export async function createCampaign(ctx: Ctx, c: Campaign): Promise<string> {
  checkIssuedOn(c);
  return ctx.db.tx(async (tx) => {
    const id = await insertCampaign(tx, c, ctx.auth!.userId);
    await audit(tx, ctx, { action: "CAMPAIGN_CREATE", targetType: "campaign", targetId: id, data: { year: c.year, title: c.title } });
    return id;
  });
}

/**
 * Replaces a campaign's configuration. Categories that already have applications cannot be
 * removed, and no quota may drop below the places already used (checked by the quota service).
 */
export async function updateCampaign(ctx: Ctx, id: string, c: Campaign, afterWrite: (tx: Tx, id: string) => Promise<void>): Promise<void> {
  checkIssuedOn(c);
  assertValidCampaign(c);
  await ctx.db.tx(async (tx) => {
    const current = await requireCampaign(ctx, id, tx);
    if (current.row.status === "CLOSED") throw new DomainError("INVALID_TRANSITION", "活动已结束，不能再修改设置");
    await updateCampaignRow(tx, id, settingsOf(c));
    await writeConfig(tx, id, c);
    await afterWrite(tx, id);
    await audit(tx, ctx, { action: "CAMPAIGN_UPDATE", targetType: "campaign", targetId: id, data: { year: c.year, title: c.title } });
  });
}

/**
 * A new DRAFT campaign with another campaign's configuration, its stage dates and issue date moved
 * to the new year; city schedules and extensions are not copied (each year sets its own). Without
 * a year, the copy goes to this year, or to the next one once this year's moved dates have passed.
 */
export async function copyCampaign(
  ctx: Ctx,
  sourceId: string,
  next: { year: number | null; title: string; docNo: string; issuedOn: string | null },
  now = new Date(),
): Promise<string> {
  const src = await requireCampaign(ctx, sourceId);
  const year = next.year ?? defaultCopyYear(src.config, now);
  const dates = copiedDates(src.config, year);
  const c: Campaign = {
    ...structuredClone(src.config),
    year,
    title: next.title,
    docNo: next.docNo,
    issuedOn: next.issuedOn ?? dates.issuedOn,
    stages: dates.stages,
  };
  checkIssuedOn(c);
  return ctx.db.tx(async (tx) => {
    const id = await insertCampaign(tx, c, ctx.auth!.userId);
    await audit(tx, ctx, { action: "CAMPAIGN_COPY", targetType: "campaign", targetId: id, data: { from: sourceId, year } });
    return id;
  });
}

/**
 * Replaces the stage dates of a campaign alone (no other setting is touched). Every stage of the
 * campaign must be given once, with a real date or none, in the order of the review chain.
 * Refused on a closed campaign. Audited with the dates before and after.
 */
export async function updateCampaignStages(ctx: Ctx, id: string, input: { stage: StageCode; deadline: string | null }[]): Promise<void> {
  await ctx.db.tx(async (tx) => {
    const c = await requireCampaign(ctx, id, tx);
    if (c.row.status === "CLOSED") throw new DomainError("INVALID_TRANSITION", "活动已结束，不能再修改阶段日期");
    const v: FieldViolation[] = [];
    const given = new Map<string, string | null>();
    input.forEach((s, i) => {
      if (given.has(s.stage)) v.push({ field: `stages[${i}].stage`, rule: "unique", message: `阶段${s.stage}重复` });
      else if (!c.config.stages.some((x) => x.stage === s.stage)) v.push({ field: `stages[${i}].stage`, rule: "unknown", message: `本次活动没有${s.stage}阶段` });
      given.set(s.stage, s.deadline === "" ? null : s.deadline);
    });
    for (const s of c.config.stages) {
      if (!given.has(s.stage)) v.push({ field: "stages", rule: "missing", message: `缺少「${s.name}」的截止日期（无截止日期请传 null）` });
    }
    if (v.length) throw badInput(v);
    const next = c.config.stages.map((s) => ({ stage: s.stage, name: s.name, deadline: given.get(s.stage) ?? null }));
    const bad = stageDateViolations(next);
    if (bad.length) throw badInput(bad);
    for (const s of next) {
      await setStageDeadline(tx, id, s.stage, s.deadline);
    }
    await touchCampaign(tx, id);
    await audit(tx, ctx, {
      action: "CAMPAIGN_STAGES",
      targetType: "campaign",
      targetId: id,
      data: { before: c.config.stages.map((s) => [s.stage, s.deadline]), after: next.map((s) => [s.stage, s.deadline]) },
    });
  });
}

/**
 * Units that would hold this campaign's applications with nobody to review them: counties and
 * cities with teachers, school admins or applications of the campaign (and cities with places)
 * where no unlocked account holds the county's or city's reviewer role.
 */
async function unitsWithoutReviewer(sql: Sql, c: LoadedCampaign): Promise<UnitWithoutReviewer[]> {
  const cityCodes = [...new Set(c.config.categories.flatMap((k) => Object.entries(k.quota.perCity ?? {}).filter(([, n]) => n > 0).map(([code]) => code)))];
  return unitsWithoutReviewerRows(sql, c.row.id, cityCodes);
}

/** What opening (or reopening) the campaign should warn the province admin about. */
export async function campaignOpeningWarnings(ctx: Ctx, id: string, now = new Date()): Promise<OpeningWarning[]> {
  const c = await requireCampaign(ctx, id);
  const otherOpen = await otherOpenCampaigns(ctx.db, id);
  return openingWarnings({ campaign: c.config, now, unitsWithoutReviewer: await unitsWithoutReviewer(ctx.db, c), otherOpen });
}

const STATUS_FLOW: Record<CampaignStatus, CampaignStatus[]> = { DRAFT: ["OPEN"], OPEN: ["CLOSED"], CLOSED: ["OPEN"] };

/** Publishes (DRAFT → OPEN), closes (OPEN → CLOSED) or reopens (CLOSED → OPEN) a campaign; audited. */
export async function setCampaignStatus(ctx: Ctx, id: string, status: CampaignStatus): Promise<void> {
  await ctx.db.tx(async (tx) => {
    const c = await requireCampaign(ctx, id, tx);
    if (!STATUS_FLOW[c.row.status].includes(status)) {
      throw new DomainError("INVALID_TRANSITION", `活动当前为「${CAMPAIGN_STATUS_LABELS[c.row.status]}」，不能改为「${CAMPAIGN_STATUS_LABELS[status]}」`);
    }
    await setCampaignStatusRow(tx, id, status);
    await audit(tx, ctx, { action: "CAMPAIGN_STATUS", targetType: "campaign", targetId: id, data: { from: c.row.status, to: status } });
  });
}

function stageOf(c: LoadedCampaign, stage: StageCode) {
  const s = c.config.stages.find((x) => x.stage === stage);
  if (!s) throw new DomainError("NOT_FOUND", `本次活动没有设置「${stage}」阶段`, "stage");
  return s;
}

function checkDate(field: string, label: string, value: string): void {
  if (!isCalendarDate(value)) throw badInput([{ field, rule: "date", message: `「${label}」须为YYYY-MM-DD格式的有效日期，当前为“${value}”` }]);
}

/**
 * A province admin extends a stage's deadline, for everyone or for one unit and everything below
 * it. Extensions only move a deadline later; the reason is required and the change audited.
 */
export async function extendDeadline(ctx: Ctx, input: { campaignId: string; stage: StageCode; unitId: string | null; until: string; reason: string }): Promise<ExtensionRow> {
  checkDate("until", "延期至", input.until);
  const reason = input.reason.trim();
  if (!reason) throw badInput([{ field: "reason", rule: "required", message: "请填写延期理由" }]);
  if (reason.length > 500) throw badInput([{ field: "reason", rule: "maxLength", message: `延期理由不能超过500字，当前${reason.length}字` }]);
  return ctx.db.tx(async (tx) => {
    const c = await requireCampaign(ctx, input.campaignId, tx);
    const stage = stageOf(c, input.stage);
    let keys: string[] = [];
    if (input.unitId) {
      const unit = await requireUnitInScope(ctx, input.unitId, tx);
      keys = await pathKeys(tx, unit.path);
    }
    const current = deadlineFor(c, input.stage, keys);
    if (current === null) throw badInput([{ field: "stage", rule: "noDeadline", message: `「${stage.name}」阶段没有截止日期，无需延期` }]);
    if (deadlineClosesAt(input.until) <= deadlineClosesAt(current)) {
      throw badInput([{ field: "until", rule: "later", message: `延期后的截止日期须晚于当前截止日期${current}` }]);
    }
    const row = await insertExtension(tx, { campaignId: input.campaignId, stage: input.stage, unitId: input.unitId, until: input.until, reason, createdBy: ctx.auth!.userId });
    await audit(tx, ctx, {
      action: "DEADLINE_EXTEND", targetType: "campaign", targetId: input.campaignId, reason,
      data: { stage: input.stage, unitId: input.unitId, from: current, until: input.until },
    });
    return {
      id: String(row.id), stage: input.stage, unitKey: keys[keys.length - 1] ?? null, unitId: input.unitId, until: input.until, reason,
      createdBy: ctx.auth!.userId, createdAt: row.created_at,
    };
  });
}

/** Stages whose schedule a city sets for itself and its counties. */
export const CITY_SCHEDULED_STAGES: readonly StageCode[] = ["APPLICATION", "SCHOOL_REVIEW", "COUNTY_REVIEW"];

/**
 * A city sets its own schedule for a stage (for the city or one of its counties): the application
 * deadline and county review per the city's arrangements. It can never be later than the city's
 * own review deadline, since nothing reaches the province after that. null removes it.
 */
export async function setUnitDeadline(ctx: Ctx, input: { campaignId: string; stage: StageCode; unitId: string; deadline: string | null }): Promise<void> {
  if (input.deadline !== null) checkDate("deadline", "截止日期", input.deadline);
  if (!CITY_SCHEDULED_STAGES.includes(input.stage)) {
    throw badInput([{ field: "stage", rule: "cityStage", message: "设区市只能安排申报提交、学校确认和县级审核的截止日期" }]);
  }
  await ctx.db.tx(async (tx) => {
    const c = await requireCampaign(ctx, input.campaignId, tx);
    assertCampaignOpen(c);
    const stage = stageOf(c, input.stage);
    const unit = await requireUnitInScope(ctx, input.unitId, tx);
    if (unit.kind !== "CITY" && unit.kind !== "COUNTY") throw badInput([{ field: "unitId", rule: "unitKind", message: "只能为设区市或县（市、区）安排截止日期" }]);
    if (input.deadline !== null) {
      const cityPath = unit.kind === "CITY" ? unit.path : unit.path.replace(/[^/]+\/$/, "");
      const cityLast = deadlineFor(c, "CITY_REVIEW", await pathKeys(tx, cityPath));
      if (cityLast && deadlineClosesAt(input.deadline) > deadlineClosesAt(cityLast)) {
        throw badInput([{ field: "deadline", rule: "beforeCityReview", message: `「${stage.name}」的截止日期不能晚于设区市评审推荐截止日期${cityLast}` }]);
      }
      await writeUnitDeadline(tx, input.campaignId, input.stage, unit.id, input.deadline, ctx.auth!.userId);
    } else {
      await deleteUnitDeadline(tx, input.campaignId, input.stage, unit.id);
    }
    await audit(tx, ctx, { action: "UNIT_DEADLINE_SET", targetType: "campaign", targetId: input.campaignId, data: { stage: input.stage, unitId: unit.id, deadline: input.deadline } });
  });
}
