import { createHash } from "node:crypto";
import {
  DomainError, aggregateScores, assignGrades, badInput, rankByScore, validateGradingScheme,
  type AggregatedScore, type GradingScheme,
} from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import type { Sql } from "../../db/data-source.js";
import { actorOf, applyTransition, closeOpenApplications } from "../application/pipeline.service.js";
import { audit } from "../audit/audit.service.js";
import { requireActing, scopePattern } from "../auth/authorize.js";
import { assertCampaignOpen, requireCampaign, type LoadedCampaign } from "../campaign/campaign.service.js";
import { requireCampaignCategory, requireProvinceApplication } from "./expert-assignment.service.js";
import { lockCampaignFinalization } from "./finalization-lock.util.js";
import {
  applicationsById, deleteResults, findCategory, insertResults, markCategoryFinal, num, progressPage, resultGrades, resultRows, saveGradingScheme,
  savePreview, saveSpreadReview, scoresInReview, scoresOfApplication, toApplication, waitingTitles, type CategoryRow, type ScoresRow,
} from "./finalization.repository.js";
import {
  CategoryFinalization, CategoryFinalizationStatus, GradeBand, GradeCount, GradingSchemeView, RankingEntry, ScoringProgressRow,
  type GradingSchemeInput,
} from "./finalization.types.js";

/** States whose applications appear in scoring progress. */
const PROGRESS_STATES = ["AT_PROVINCE", "EXPERT_REVIEW", "FINALIZED", "NOT_SELECTED"];

function totalsOf(r: ScoresRow): number[] {
  return (r.totals ?? []).map((t) => num(t)!);
}

interface Scored {
  row: ScoresRow;
  agg: AggregatedScore;
  /** Flagged and its further review (if any) was for other scores. */
  unreviewed: boolean;
}

function scored(r: ScoresRow, threshold: number): Scored {
  const agg = aggregateScores(totalsOf(r), { spreadThreshold: threshold });
  return { row: r, agg, unreviewed: agg.flagged && (r.review_key ?? null) !== (r.scores_key ?? "") };
}

export function schemeView(s: GradingScheme): GradingSchemeView {
  return Object.assign(new GradingSchemeView(), {
    mode: s.mode,
    rounding: s.mode === "PROPORTIONS" ? (s.rounding ?? "HALF_UP") : null,
    bands: s.bands.map((b) =>
      Object.assign(new GradeBand(), {
        grade: b.grade,
        proportion: "proportion" in b ? b.proportion : null,
        minScore: "minScore" in b ? b.minScore : null,
      }),
    ),
  });
}

export interface ProgressFilter {
  campaignId: string;
  categoryCode?: string | null;
  /** true: only flagged applications; false: only unflagged. */
  flagged?: boolean | null;
  applicationId?: string | null;
}

/** Rows of scoring progress in the acting scope (shared with the Excel export). */
export async function progressRows(ctx: Ctx, f: ProgressFilter, page: { offset: number; limit: number } | null) {
  const { campaign } = await requireCampaignCategory(ctx, f.campaignId, f.categoryCode);
  const threshold = campaign.config.finalization.spreadThreshold;
  const pg = page ? checkPage(page) : null;
  const { rows, total } = await progressPage(ctx.db, {
    campaignId: f.campaignId, scope: scopePattern(ctx), states: PROGRESS_STATES, categoryCode: f.categoryCode, applicationId: f.applicationId,
    flagged: f.flagged != null ? { is: f.flagged, threshold } : null,
  }, pg);
  const items = rows.map((r) => {
    const s = scored(r, threshold);
    return Object.assign(new ScoringProgressRow(), {
      application: toApplication(r),
      assigned: r.assigned,
      released: r.released,
      submitted: r.submitted ?? 0,
      scores: totalsOf(r),
      score: s.agg.score,
      spread: s.agg.spread,
      flagged: s.agg.flagged,
      spreadReviewed: s.agg.flagged && !s.unreviewed,
    });
  });
  return { items, total, spreadThreshold: threshold };
}

/** Every application of a category in expert review (the acting scope), with its aggregate. */
async function liveCategory(sql: Sql, ctx: Ctx, c: LoadedCampaign, categoryCode: string): Promise<Scored[]> {
  const rows = await scoresInReview(sql, c.row.id, categoryCode, scopePattern(ctx));
  return rows.map((r) => scored(r, c.config.finalization.spreadThreshold));
}

/** A key of every submitted total of the category and the scheme: any change makes a new key. */
function categoryKey(entries: Scored[], scheme: GradingScheme): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(scheme));
  for (const e of entries) h.update(`|${e.row.app_id}=${e.row.scores_key ?? ""}`);
  return h.digest("hex");
}

interface Graded {
  entry: Scored;
  rank: number | null;
  grade: string | null;
}

function grade(entries: Scored[], scheme: GradingScheme): Graded[] {
  const ranked = rankByScore(entries.map((e) => ({ id: String(e.row.app_id), score: e.agg.score })));
  const graded = new Map(assignGrades(ranked, scheme).map((g) => [g.id, g]));
  const byId = new Map(entries.map((e) => [String(e.row.app_id), e]));
  const out: Graded[] = ranked.map((r) => ({ entry: byId.get(r.id)!, rank: r.rank, grade: graded.get(r.id)?.grade ?? null }));
  for (const e of entries) if (e.agg.score === null) out.push({ entry: e, rank: null, grade: null });
  return out;
}

function toEntry(g: Graded): RankingEntry {
  return Object.assign(new RankingEntry(), {
    application: toApplication(g.entry.row),
    rank: g.rank,
    score: g.entry.agg.score,
    expertCount: g.entry.agg.count,
    spread: g.entry.agg.spread,
    flagged: g.entry.agg.flagged,
    grade: g.grade,
  });
}

function status(r: CategoryRow | undefined): CategoryFinalizationStatus | null {
  return r ? Object.assign(new CategoryFinalizationStatus(), { state: r.state, previewedAt: r.previewed_at, finalizedAt: r.finalized_at }) : null;
}

async function storedResults(sql: Sql, ctx: Ctx, campaignId: string, categoryCode: string): Promise<RankingEntry[]> {
  const rows = await resultRows(sql, campaignId, categoryCode, scopePattern(ctx));
  return rows.map((r) =>
    Object.assign(new RankingEntry(), {
      application: toApplication(r),
      rank: r.rank,
      score: num(r.score),
      expertCount: r.expert_count,
      spread: num(r.spread)!,
      flagged: r.flagged,
      grade: r.grade,
    }),
  );
}

/**
 * A category's ranking: once finalized, the stored final list; before, computed live from the
 * submitted scores (mean, with ≥3 scores highest and lowest dropped; competition ranks), with
 * grades by the campaign's current scheme as a preview. Unscored applications come last.
 */
export async function categoryRanking(ctx: Ctx, campaignId: string, categoryCode: string, page: { offset: number; limit: number }) {
  const { offset, limit } = checkPage(page);
  const { campaign: c } = await requireCampaignCategory(ctx, campaignId, categoryCode);
  const scheme = c.config.finalization.grading;
  const cat = await findCategory(ctx.db, campaignId, categoryCode);
  let entries: RankingEntry[];
  let unscored = 0;
  if (cat?.state === "FINAL") {
    entries = await storedResults(ctx.db, ctx, campaignId, categoryCode);
  } else {
    const live = await liveCategory(ctx.db, ctx, c, categoryCode);
    unscored = live.filter((e) => e.agg.score === null).length;
    entries = grade(live, scheme).map(toEntry);
  }
  return {
    items: entries.slice(offset, offset + limit),
    total: entries.length,
    unscored,
    scheme: schemeView(cat?.state === "FINAL" ? cat.scheme : scheme),
    finalization: status(cat),
  };
}

/** Turns the GraphQL input into a scheme, refusing bands without the value their mode needs. */
export function schemeOf(input: GradingSchemeInput): GradingScheme {
  const missing = input.bands.flatMap((b, i) => {
    const v = input.mode === "PROPORTIONS" ? b.proportion : b.minScore;
    if (v != null) return [];
    const what = input.mode === "PROPORTIONS" ? "比例" : "最低分";
    return [{ field: `grading.bands[${i}].${input.mode === "PROPORTIONS" ? "proportion" : "minScore"}`, rule: "required", message: `请填写「${b.grade || `第${i + 1}个等次`}」的${what}` }];
  });
  if (missing.length) throw badInput(missing);
  if (input.bands.length > 10) throw badInput([{ field: "grading.bands", rule: "maxItems", message: "等次最多设置10个" }]);
  const bands = input.bands.map((b) => ({ grade: b.grade.trim(), proportion: b.proportion!, minScore: b.minScore! }));
  return input.mode === "PROPORTIONS"
    ? { mode: "PROPORTIONS", bands: bands.map(({ grade: g, proportion }) => ({ grade: g, proportion })), rounding: input.rounding ?? "HALF_UP" }
    : { mode: "THRESHOLDS", bands: bands.map(({ grade: g, minScore }) => ({ grade: g, minScore })) };
}

/** Sets the campaign's grading scheme (proportions or thresholds); validated, audited. */
export async function setGradingScheme(ctx: Ctx, campaignId: string, input: GradingSchemeInput): Promise<GradingSchemeView> {
  requireActing(ctx);
  const scheme = schemeOf(input);
  const v = validateGradingScheme(scheme);
  if (v.length) throw badInput(v);
  await ctx.db.tx(async (tx) => {
    await lockCampaignFinalization(tx, campaignId);
    const c = await requireCampaign(ctx, campaignId, tx);
    assertCampaignOpen(c);
    await saveGradingScheme(tx, campaignId, scheme);
    await audit(tx, ctx, { action: "GRADING_SCHEME_SET", targetType: "campaign", targetId: campaignId, data: { from: c.config.finalization.grading, to: scheme } });
  });
  return schemeView(scheme);
}

async function categoryView(sql: Sql, ctx: Ctx, c: LoadedCampaign, categoryCode: string, page: { offset: number; limit: number }): Promise<CategoryFinalization> {
  const { offset, limit } = checkPage(page);
  const cat = (await findCategory(sql, c.row.id, categoryCode))!;
  const entries = await storedResults(sql, ctx, c.row.id, categoryCode);
  const counts = new Map<string | null, number>();
  for (const e of entries) counts.set(e.grade, (counts.get(e.grade) ?? 0) + 1);
  const order = [...cat.scheme.bands.map((b) => b.grade), null];
  return Object.assign(new CategoryFinalization(), {
    campaignId: String(c.row.id),
    categoryCode,
    categoryName: c.config.categories.find((k) => k.code === categoryCode)!.name,
    state: cat.state,
    scheme: schemeView(cat.scheme),
    counts: order.map((g) => Object.assign(new GradeCount(), { grade: g, count: counts.get(g) ?? 0 })),
    entries: entries.slice(offset, offset + limit),
    total: entries.length,
    previewedAt: cat.previewed_at,
    finalizedAt: cat.finalized_at,
  });
}

/** The stored grading of a category (preview or final); NOT_FOUND before the first preview. */
export async function categoryFinalization(ctx: Ctx, campaignId: string, categoryCode: string, page: { offset: number; limit: number }): Promise<CategoryFinalization> {
  const { campaign } = await requireCampaignCategory(ctx, campaignId, categoryCode);
  if (!(await findCategory(ctx.db, campaignId, categoryCode))) {
    throw new DomainError("NOT_FOUND", "该类别尚未生成等次预览", "categoryCode");
  }
  return categoryView(ctx.db, ctx, campaign, categoryCode, page);
}

function assertNotFinal(cat: CategoryRow | undefined, name: string): void {
  if (cat?.state === "FINAL") throw new DomainError("INVALID_TRANSITION", `「${name}」已确定等次，不能再调整`, "categoryCode");
}

/**
 * Grades the category by the campaign's scheme and stores it as a PREVIEW for the province to
 * check; it replaces any earlier preview. Finalizing uses exactly this preview.
 */
export async function applyGrades(ctx: Ctx, campaignId: string, categoryCode: string, page: { offset: number; limit: number }): Promise<CategoryFinalization> {
  requireActing(ctx);
  await requireCampaignCategory(ctx, campaignId, categoryCode);
  return ctx.db.tx(async (tx) => {
    await lockCampaignFinalization(tx, campaignId);
    const { campaign: c, category } = await requireCampaignCategory(ctx, campaignId, categoryCode, tx);
    assertCampaignOpen(c);
    assertNotFinal(await findCategory(tx, campaignId, categoryCode), category!.name);
    const scheme = c.config.finalization.grading;
    const live = await liveCategory(tx, ctx, c, categoryCode);
    if (!live.some((e) => e.agg.score !== null)) {
      throw new DomainError("INVALID_TRANSITION", `「${category!.name}」还没有已提交的专家评分，不能生成等次`, "categoryCode");
    }
    const graded = grade(live, scheme).filter((g) => g.rank !== null);
    await deleteResults(tx, campaignId, categoryCode);
    await savePreview(tx, { campaignId, categoryCode, scheme, scoresKey: categoryKey(live, scheme), userId: ctx.auth!.userId });
    await insertResults(tx, campaignId, categoryCode, graded.map((g) => ({
      applicationId: String(g.entry.row.app_id), score: g.entry.agg.score, expertCount: g.entry.agg.count,
      spread: g.entry.agg.spread, flagged: g.entry.agg.flagged, rank: g.rank, grade: g.grade,
    })));
    await audit(tx, ctx, { action: "GRADES_PREVIEW", targetType: "campaign", targetId: campaignId, data: { categoryCode, ranked: graded.length } });
    return categoryView(tx, ctx, c, categoryCode, page);
  });
}

/**
 * The province's further review of a flagged (high-spread) application: a note that holds for
 * the submitted scores it saw. A later change of those scores needs a new review.
 */
export async function reviewSpread(ctx: Ctx, applicationId: string, note: string): Promise<ScoringProgressRow> {
  requireActing(ctx);
  const text = (note ?? "").trim();
  if (!text) throw badInput([{ field: "note", rule: "required", message: "请填写复核意见" }]);
  if (text.length > 1000) throw badInput([{ field: "note", rule: "maxLength", message: `复核意见不能超过1000字，当前${text.length}字` }]);
  const app = await requireProvinceApplication(ctx, applicationId);
  await ctx.db.tx(async (tx) => {
    await lockCampaignFinalization(tx, app.campaign_id);
    const c = await requireCampaign(ctx, app.campaign_id, tx);
    assertCampaignOpen(c);
    const r = (await scoresOfApplication(tx, app.id))!;
    if (r.app_state !== "EXPERT_REVIEW") throw new DomainError("INVALID_TRANSITION", "只能复核专家评审中的申报", "applicationId");
    const s = scored(r, c.config.finalization.spreadThreshold);
    if (!s.agg.flagged) {
      throw new DomainError("INVALID_TRANSITION", `该申报的专家评分极差为${s.agg.spread}分，未超过${c.config.finalization.spreadThreshold}分，无需复核`, "applicationId");
    }
    await saveSpreadReview(tx, app.id, r.scores_key ?? "", text, ctx.auth!.userId);
    await audit(tx, ctx, { action: "SPREAD_REVIEW", targetType: "application", targetId: app.id, reason: text, data: { scores: s.agg.used, spread: s.agg.spread } });
  });
  const { items } = await progressRows(ctx, { campaignId: app.campaign_id, applicationId: String(app.id) }, null);
  return items[0]!;
}

function countList(rows: { app_title: string }[], max = 5): string {
  const names = rows.slice(0, max).map((r) => `「${r.app_title || "（无标题）"}」`).join("、");
  return rows.length > max ? `${names}等${rows.length}件` : names;
}

/**
 * Finalizes a category from its preview: every application moves through the pipeline to
 * FINALIZED with its grade, or NOT_SELECTED (history entries "确定等次" / "不予入选"). Refused
 * while applications wait for expert review, while scores are missing, while flagged
 * applications are not reviewed, or when scores or the scheme changed since the preview.
 */
export async function finalizeCampaignCategory(ctx: Ctx, campaignId: string, categoryCode: string, page: { offset: number; limit: number }): Promise<CategoryFinalization> {
  requireActing(ctx);
  await requireCampaignCategory(ctx, campaignId, categoryCode);
  const actor = await actorOf(ctx);
  return ctx.db.tx(async (tx) => {
    await lockCampaignFinalization(tx, campaignId);
    const { campaign: c, category } = await requireCampaignCategory(ctx, campaignId, categoryCode, tx);
    assertCampaignOpen(c);
    const name = category!.name;
    const cat = await findCategory(tx, campaignId, categoryCode);
    assertNotFinal(cat, name);
    if (!cat) throw new DomainError("INVALID_TRANSITION", `请先为「${name}」生成等次预览，核对无误后再确定`, "categoryCode");

    const waiting = await waitingTitles(tx, campaignId, categoryCode, scopePattern(ctx));
    if (waiting.length) {
      throw new DomainError("INVALID_TRANSITION", `「${name}」尚有${waiting.length}件申报未进入专家评审（${countList(waiting)}），请先分配并发布评审专家`, "categoryCode");
    }
    const live = await liveCategory(tx, ctx, c, categoryCode);
    // Draft assignments made after the release are not part of the review until released.
    const incomplete = live.filter((e) => !e.row.submitted || e.row.submitted < e.row.released);
    if (incomplete.length) {
      throw new DomainError("INVALID_TRANSITION", `「${name}」尚有${incomplete.length}件申报的专家评分未全部提交（${countList(incomplete.map((e) => e.row))}）`, "categoryCode");
    }
    const unreviewed = live.filter((e) => e.unreviewed);
    if (unreviewed.length) {
      throw new DomainError("INVALID_TRANSITION", `「${name}」尚有${unreviewed.length}件申报专家评分差异较大，须先复核（${countList(unreviewed.map((e) => e.row))}）`, "categoryCode");
    }
    if (categoryKey(live, c.config.finalization.grading) !== cat.scores_key) {
      throw new DomainError("STALE_REVISION", `「${name}」的专家评分或等次设置在生成预览后已有变化，请重新生成等次预览并核对`, "categoryCode");
    }

    const results = await resultGrades(tx, campaignId, categoryCode);
    const gradeOf = new Map(results.map((r) => [String(r.application_id), r.grade]));
    const rows = await applicationsById(tx, live.map((e) => String(e.row.app_id)));
    let finalized = 0;
    for (const row of rows) {
      const g = gradeOf.get(String(row.id)) ?? null;
      await applyTransition(tx, row, g ? { type: "finalize", grade: g } : { type: "notSelect", comment: "专家评审未达入选等次" }, actor, { campaign: c });
      if (g) finalized++;
    }
    await markCategoryFinal(tx, campaignId, categoryCode, ctx.auth!.userId);
    // The category is closed: what never reached the province ends here (docs/decisions.md).
    const closed = await closeOpenApplications(tx, c, categoryCode, actor, `「${name}」已确定等次，未报送至省级的申报不再评审`);
    await audit(tx, ctx, {
      action: "CATEGORY_FINALIZE", targetType: "campaign", targetId: campaignId,
      data: { categoryCode, finalized, notSelected: rows.length - finalized, closed, scheme: cat.scheme },
    });
    return categoryView(tx, ctx, c, categoryCode, page);
  });
}
