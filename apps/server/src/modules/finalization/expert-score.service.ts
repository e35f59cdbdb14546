import {
  APPLICATION_STATE_LABELS, DomainError, badInput, buildScoreSheet,
  type ComputedItem, type Rubric, type RubricItem, type ScoreSheet as DomainScoreSheet,
} from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import type { Sql, Tx } from "../../db/data-source.js";
import type { ApplicationRow } from "../application/application.service.js";
import { audit } from "../audit/audit.service.js";
import { requireActing } from "../auth/authorize.js";
import { assertCampaignOpen, assertStageOpenFor, loadCampaign, type LoadedCampaign } from "../campaign/campaign.service.js";
import { notify } from "../notification/notification.service.js";
import { computedItemsFor } from "./computed-items.service.js";
import { requireProvinceApplication, toAssignment } from "./expert-assignment.service.js";
import {
  applicationSummary, findApplication, findMyAssignment, findScore, insertChange, insertScore, insertSubmission, myTaskPage,
  pendingExperts, scoreChanges, scoresOfApplication, submittedForm, updateScore,
  type MyAssignmentRow, type ScoreChangeRow, type ScoreProgress, type ScoreRow, type ScoreValues,
} from "./expert.repository.js";
import { lockCampaignFinalization } from "./finalization-lock.util.js";
import { ID_RE, num, toApplication, toExpert, type ApplicationSummaryRow } from "./finalization.repository.js";
import {
  ExpertScoreChange, ExpertScoreView, RubricGroupView, ScoreSheet, ScoreSheetLine, type ScoreState,
} from "./finalization.types.js";

const DEFAULT_STEP = 0.5;
export const REASON_MAX = 500;
/** Most item values one request may carry (rubrics have about ten). */
const MAX_ITEMS = 100;

type Values = ScoreValues;

type MyAssignment = MyAssignmentRow;

const notAssigned = () => new DomainError("NOT_FOUND", "申报不存在或未分配给您评审", "applicationId");

/**
 * The acting expert's released assignment for an application. Applications not assigned to
 * them, and assignments not released yet, are NOT_FOUND — the same answer as a missing id.
 */
async function requireMyAssignment(ctx: Ctx, applicationId: string, sql: Sql): Promise<MyAssignment> {
  requireActing(ctx);
  if (!ID_RE.test(String(applicationId))) throw notAssigned();
  const x = await findMyAssignment(sql, applicationId, ctx.auth!.userId);
  if (!x) throw notAssigned();
  return x;
}

function rubricOf(c: LoadedCampaign, categoryCode: string): Rubric {
  const k = c.config.categories.find((x) => x.code === categoryCode);
  if (!k) throw new DomainError("NOT_FOUND", `本次活动没有「${categoryCode}」申报类别`, "categoryCode");
  return k.rubric;
}

/** Whether the expert may enter a value for an item, given what the platform found. */
function editable(item: RubricItem, c: ComputedItem | undefined): boolean {
  if (!c || c.status !== "COMPUTED") return true;
  return item.source === "COMPUTED" && item.expertConfirms === true;
}

function statusOf(item: RubricItem, c: ComputedItem | undefined): { status: string; value: number | null; detail: string } {
  if (c) return { status: c.status, value: c.value, detail: c.detail };
  return item.source === "EXPERT" ? { status: "EXPERT", value: null, detail: "由专家评分" } : { status: "NO_DATA", value: null, detail: "暂无平台数据，请依据申报材料评分" };
}

function sheetLines(rubric: Rubric, computed: readonly ComputedItem[], sheet: DomainScoreSheet): ScoreSheetLine[] {
  const byId = new Map(computed.map((c) => [c.itemId, c]));
  return rubric.items.map((item, i) => {
    const c = byId.get(item.id);
    const s = statusOf(item, c);
    const line = sheet.lines[i]!;
    return Object.assign(new ScoreSheetLine(), {
      itemId: item.id,
      group: item.group,
      name: item.name,
      max: item.max,
      step: item.step ?? DEFAULT_STEP,
      source: item.source,
      description: item.description,
      expertConfirms: item.expertConfirms === true,
      computedStatus: s.status,
      computedValue: s.value,
      computedDetail: s.detail,
      value: line.value,
      origin: line.origin,
      editable: editable(item, c),
    });
  });
}

function toChange(r: ScoreChangeRow): ExpertScoreChange {
  return Object.assign(new ExpertScoreChange(), {
    id: String(r.id),
    kind: r.kind,
    oldItems: r.old_items,
    oldTotal: num(r.old_total),
    newItems: r.new_items,
    newTotal: num(r.new_total)!,
    reason: r.reason,
    changedByName: r.changed_by_name,
    changedAt: r.changed_at,
  });
}

async function historyOf(sql: Sql, assignmentIds: string[]): Promise<Map<string, ExpertScoreChange[]>> {
  const rows = assignmentIds.length ? await scoreChanges(sql, assignmentIds) : [];
  const m = new Map<string, ExpertScoreChange[]>();
  for (const r of rows) m.set(String(r.assignment_id), [...(m.get(String(r.assignment_id)) ?? []), toChange(r)]);
  return m;
}

/** The application form as last submitted, without the applicant's contact data. */
async function formForExperts(sql: Sql, applicationId: string): Promise<Record<string, unknown> | null> {
  const form = await submittedForm(sql, applicationId);
  if (!form) return null;
  const { mobile: _mobile, ...rest } = form;
  return rest;
}

async function summaryOf(sql: Sql, applicationId: string): Promise<ApplicationSummaryRow> {
  return (await applicationSummary(sql, applicationId))!;
}

/** The computed items a sheet shows: frozen at submission, live before. */
async function computedOf(sql: Sql, app: ApplicationRow, rubric: Rubric, c: LoadedCampaign, score: ScoreRow | undefined): Promise<ComputedItem[]> {
  if (score?.state === "SUBMITTED" && score.computed) return score.computed;
  return computedItemsFor(sql, app, rubric, c.config.year);
}

async function buildSheet(sql: Sql, x: MyAssignment): Promise<ScoreSheet> {
  const [app, summary, c, score, form] = await Promise.all([
    findApplication(sql, x.application_id),
    summaryOf(sql, x.application_id),
    loadCampaign(sql, x.campaign_id),
    findScore(sql, x.id),
    formForExperts(sql, x.application_id),
  ]);
  const rubric = rubricOf(c!, app!.category_code);
  const computed = await computedOf(sql, app!, rubric, c!, score);
  const sheet = buildScoreSheet(rubric, computed, score?.items ?? {}, "draft");
  const history = await historyOf(sql, [x.id]);
  return Object.assign(new ScoreSheet(), {
    assignmentId: String(x.id),
    application: toApplication(summary),
    form,
    rubricName: rubric.name,
    rubricTotal: rubric.total,
    groups: rubric.groups.map((g) => Object.assign(new RubricGroupView(), { id: g.id, name: g.name, max: g.max })),
    lines: sheetLines(rubric, computed, sheet),
    total: sheet.total,
    missing: sheet.missing,
    state: score?.state ?? null,
    version: score?.version ?? 0,
    savedAt: score?.saved_at ?? null,
    submittedAt: score?.submitted_at ?? null,
    history: history.get(String(x.id)) ?? [],
  });
}

/** The acting expert's scoring form for an application assigned and released to them. */
export async function scoreSheet(ctx: Ctx, applicationId: string): Promise<ScoreSheet> {
  const x = await requireMyAssignment(ctx, applicationId, ctx.db);
  return buildSheet(ctx.db, x);
}

export type { ScoreProgress } from "./expert.repository.js";

/**
 * The acting expert's released assignments (their work list), newest campaign first, open tasks
 * before submitted ones; optionally only the open or only the submitted ones. The counts by
 * scoring state cover the whole list (all pages), whatever the filter.
 */
export async function myAssignments(
  ctx: Ctx,
  campaignId: string | null | undefined,
  page: { offset: number; limit: number },
  progress: ScoreProgress = "ALL",
) {
  requireActing(ctx);
  const { offset, limit } = checkPage(page);
  const { rows, counts: count } = await myTaskPage(
    ctx.db, { userId: ctx.auth!.userId, campaignId: campaignId ? (ID_RE.test(campaignId) ? campaignId : "0") : null, progress }, offset, limit,
  );
  const all = count?.n_all ?? 0;
  const submitted = count?.submitted ?? 0;
  const draft = count?.draft ?? 0;
  // An expert's own view: their own draft totals are theirs to see.
  return {
    items: rows.map((r) => Object.assign(toAssignment(r), { scoreTotal: num(r.s_total) })),
    total: count?.n ?? 0,
    counts: { all, submitted, draft, notStarted: all - submitted - draft },
  };
}

/** Item values from the request: known shape, each item once, numbers or null. */
function valuesOf(scores: readonly { itemId: string; value?: number | null }[] | null | undefined): Values {
  const out: Values = {};
  if (!scores) return out;
  if (scores.length > MAX_ITEMS) throw badInput([{ field: "scores", rule: "maxItems", message: `一次最多提交${MAX_ITEMS}个评分项` }]);
  for (const s of scores) {
    const id = String(s.itemId ?? "").trim();
    if (!id) throw badInput([{ field: "scores", rule: "required", message: "评分项编号不能为空" }]);
    if (id in out) throw badInput([{ field: `scores.${id}`, rule: "unique", message: `评分项「${id}」重复填写` }]);
    out[id] = s.value ?? null;
  }
  return out;
}

function merged(saved: Values | undefined, entered: Values): Values {
  const out: Values = { ...(saved ?? {}) };
  for (const [k, v] of Object.entries(entered)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

interface WriteContext {
  x: MyAssignment;
  app: ApplicationRow;
  campaign: LoadedCampaign;
  rubric: Rubric;
  score: ScoreRow | undefined;
}

/**
 * Opens a score write: the expert's released assignment, its application still in expert review
 * (a decided application's scores are final), the campaign open and the province review stage
 * not past its deadline; the shared finalization lock keeps grading from running meanwhile.
 */
async function openWrite(ctx: Ctx, tx: Tx, applicationId: string, version: number): Promise<WriteContext> {
  const x = await requireMyAssignment(ctx, applicationId, tx);
  await lockCampaignFinalization(tx, x.campaign_id, "shared");
  const app = (await findApplication(tx, x.application_id))!;
  const campaign = (await loadCampaign(tx, x.campaign_id))!;
  assertCampaignOpen(campaign);
  if (app.state !== "EXPERT_REVIEW") {
    throw new DomainError("SCORE_LOCKED", `申报当前状态为「${APPLICATION_STATE_LABELS[app.state]}」，评审已结束，评分不能再修改`, "applicationId", { state: app.state });
  }
  await assertStageOpenFor(tx, campaign, "PROVINCE_REVIEW", app.unit_path);
  const score = await findScore(tx, x.id, true);
  if (!Number.isInteger(version) || version !== (score?.version ?? 0)) {
    throw new DomainError("CONFLICT", "评分已在其他页面保存或修改，请刷新后在最新版本上操作", "version", { current: score?.version ?? 0 });
  }
  return { x, app, campaign, rubric: rubricOf(campaign, app.category_code), score };
}

function assertSheet(sheet: DomainScoreSheet): void {
  if (sheet.violations.length) throw badInput(sheet.violations);
}

const lockedMessage = "评分已提交并锁定；如需修改，请填写修改理由后提交修改";

/**
 * Saves a draft score: the values given are set (null clears one), the others keep their saved
 * value. Entries are checked (range, step, computed items) but the sheet may be incomplete.
 */
export async function saveScore(ctx: Ctx, applicationId: string, scores: { itemId: string; value?: number | null }[], version: number): Promise<ScoreSheet> {
  const entered = valuesOf(scores);
  const x = await ctx.db.tx(async (tx) => {
    const w = await openWrite(ctx, tx, applicationId, version);
    if (w.score?.state === "SUBMITTED") throw new DomainError("SCORE_LOCKED", lockedMessage, "applicationId");
    const computed = await computedItemsFor(tx, w.app, w.rubric, w.campaign.config.year);
    const sheet = buildScoreSheet(w.rubric, computed, merged(w.score?.items, entered), "draft");
    assertSheet(sheet);
    // Only the expert's own entries are kept: computed values are re-read until submission.
    const items = Object.fromEntries(sheet.lines.filter((l) => l.origin === "EXPERT").map((l) => [l.itemId, l.value]));
    await writeScore(tx, w, { items, computed: null, total: sheet.total, state: "DRAFT" });
    return w.x;
  });
  return buildSheet(ctx.db, x);
}

async function writeScore(tx: Tx, w: WriteContext, s: { items: Values; computed: ComputedItem[] | null; total: number | null; state: ScoreState }): Promise<void> {
  const submitted = s.state === "SUBMITTED" && w.score?.state !== "SUBMITTED";
  if (!w.score) {
    if (!(await insertScore(tx, w.x, { ...s, submitted }))) throw new DomainError("CONFLICT", "评分已在其他页面保存，请刷新后在最新版本上操作", "version");
    return;
  }
  if (!(await updateScore(tx, w.x.id, w.score.version, { ...s, submitted }))) throw new DomainError("CONFLICT", "评分已在其他页面保存或修改，请刷新后在最新版本上操作", "version");
}

/**
 * Submits the score: every item needs a value; the computed items are frozen as they were and
 * the score is locked. The submission is the first entry of the score's history.
 */
export async function submitScore(ctx: Ctx, applicationId: string, scores: { itemId: string; value?: number | null }[] | null | undefined, version: number): Promise<ScoreSheet> {
  const entered = valuesOf(scores);
  const x = await ctx.db.tx(async (tx) => {
    const w = await openWrite(ctx, tx, applicationId, version);
    if (w.score?.state === "SUBMITTED") throw new DomainError("SCORE_LOCKED", lockedMessage, "applicationId");
    const computed = await computedItemsFor(tx, w.app, w.rubric, w.campaign.config.year);
    const sheet = buildScoreSheet(w.rubric, computed, merged(w.score?.items, entered), "submit");
    assertSheet(sheet);
    const items = Object.fromEntries(sheet.lines.map((l) => [l.itemId, l.value]));
    await writeScore(tx, w, { items, computed, total: sheet.total, state: "SUBMITTED" });
    await insertSubmission(tx, { assignmentId: w.x.id, applicationId: w.x.application_id, items, total: sheet.total, userId: ctx.auth!.userId });
    return w.x;
  });
  return buildSheet(ctx.db, x);
}

/**
 * Changes a submitted (locked) score: the reason is required, the sheet is checked against the
 * computed items frozen at submission, and the old and new values land in the history.
 */
export async function changeSubmittedScore(
  ctx: Ctx, applicationId: string, scores: { itemId: string; value?: number | null }[], reason: string, version: number,
): Promise<ScoreSheet> {
  const entered = valuesOf(scores);
  const why = (reason ?? "").trim();
  if (!why) throw badInput([{ field: "reason", rule: "required", message: "修改已提交的评分须填写修改理由" }]);
  if (why.length > REASON_MAX) throw badInput([{ field: "reason", rule: "maxLength", message: `修改理由不能超过${REASON_MAX}字，当前${why.length}字` }]);
  const x = await ctx.db.tx(async (tx) => {
    const w = await openWrite(ctx, tx, applicationId, version);
    if (w.score?.state !== "SUBMITTED") {
      throw new DomainError("INVALID_TRANSITION", "评分尚未提交，可直接保存修改，无需填写理由", "applicationId");
    }
    const computed = w.score.computed ?? [];
    const sheet = buildScoreSheet(w.rubric, computed, merged(w.score.items, entered), "submit");
    assertSheet(sheet);
    const items = Object.fromEntries(sheet.lines.map((l) => [l.itemId, l.value]));
    const oldTotal = num(w.score.total);
    if (oldTotal === sheet.total && w.rubric.items.every((i) => (w.score!.items[i.id] ?? null) === (items[i.id] ?? null))) {
      throw badInput([{ field: "scores", rule: "unchanged", message: "评分没有变化，无需修改" }]);
    }
    await writeScore(tx, w, { items, computed: null, total: sheet.total, state: "SUBMITTED" });
    await insertChange(tx, {
      assignmentId: w.x.id, applicationId: w.x.application_id, oldItems: w.score.items, oldTotal,
      newItems: items, newTotal: sheet.total, reason: why, userId: ctx.auth!.userId,
    });
    await audit(tx, ctx, {
      action: "EXPERT_SCORE_CHANGE", targetType: "application", targetId: w.x.application_id, reason: why,
      data: { assignmentId: String(w.x.id), oldTotal, newTotal: sheet.total },
    });
    return w.x;
  });
  return buildSheet(ctx.db, x);
}

/**
 * Every expert's score of an application, for the province: submitted scores with their items
 * and history; drafts only by their state (they are the expert's work in progress).
 */
export async function expertScores(ctx: Ctx, applicationId: string): Promise<ExpertScoreView[]> {
  const app = await requireProvinceApplication(ctx, applicationId);
  const rows = await scoresOfApplication(ctx.db, app.id);
  const history = await historyOf(ctx.db, rows.map((r) => String(r.x_id)));
  return rows.map((r) => {
    const submitted = r.s_state === "SUBMITTED";
    return Object.assign(new ExpertScoreView(), {
      assignmentId: String(r.x_id),
      expert: toExpert(r),
      assignmentState: r.x_state,
      state: r.s_state,
      items: submitted ? r.s_items : null,
      total: submitted ? num(r.s_total) : null,
      submittedAt: submitted ? r.s_submitted_at : null,
      history: history.get(String(r.x_id)) ?? [],
    });
  });
}

/** Today's date in China (YYYY-MM-DD): reminders are counted per calendar day there. */
function chinaDay(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The province reminds the experts who have not submitted their score of an application in
 * expert review (released assignments without a submitted score) with a notification. At most one
 * reminder per expert, application and day: a second click the same day sends nothing more.
 * Returns how many experts were reminded now.
 */
export async function remindExperts(ctx: Ctx, applicationId: string): Promise<number> {
  requireActing(ctx);
  const app = await requireProvinceApplication(ctx, applicationId);
  if (app.state !== "EXPERT_REVIEW") throw new DomainError("INVALID_TRANSITION", "只能提醒专家评审中的申报的评审专家", "applicationId");
  return ctx.db.tx(async (tx) => {
    const pending = await pendingExperts(tx, app.id);
    if (!pending.length) throw new DomainError("INVALID_TRANSITION", "该申报已发布的评审任务均已提交评分，无需提醒", "applicationId");
    const day = chinaDay();
    let sent = 0;
    for (const p of pending) {
      sent += await notify(tx, [String(p.expert_user_id)], {
        kind: "EXPERT_SCORE_REMINDER",
        campaignId: String(app.campaign_id),
        title: "评分提醒",
        body: `省级管理员提醒您：申报「${app.title || "未命名申报"}」尚未提交评分，请在“我的评审任务”中完成评分`,
        dedupeKey: `expert-reminder:${app.id}:${day}`,
      });
    }
    await audit(tx, ctx, { action: "EXPERT_REMIND", targetType: "application", targetId: String(app.id), data: { experts: pending.map((p) => String(p.expert_user_id)), sent } });
    return sent;
  });
}
