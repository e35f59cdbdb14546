import {
  APPLICATION_STATE_LABELS, DomainError, badInput, buildScoreSheet,
  type ComputedItem, type Rubric, type RubricItem, type ScoreSheet as DomainScoreSheet,
} from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import type { Sql, Tx } from "../../db/data-source.js";
import { APP_COLUMNS, type ApplicationRow } from "../application/application.service.js";
import { audit } from "../audit/audit.service.js";
import { requireActing } from "../auth/authorize.js";
import { assertCampaignOpen, assertStageOpenFor, loadCampaign, type LoadedCampaign } from "../campaign/campaign.service.js";
import { notify } from "../notification/notification.service.js";
import { computedItemsFor } from "./computed-items.service.js";
import { ASSIGNMENT_FROM, requireProvinceApplication, toAssignment } from "./expert-assignment.service.js";
import { lockCampaignFinalization } from "./finalization-lock.util.js";
import {
  APPLICATION_COLUMNS, APPLICATION_JOINS, EXPERT_COLUMNS, EXPERT_JOINS, ID_RE, num, toApplication, toExpert,
  type ApplicationSummaryRow, type ExpertRow,
} from "./finalization.repository.js";
import {
  ExpertScoreChange, ExpertScoreView, RubricGroupView, ScoreSheet, ScoreSheetLine,
  type AssignmentState, type ScoreState,
} from "./finalization.types.js";

const DEFAULT_STEP = 0.5;
export const REASON_MAX = 500;
/** Most item values one request may carry (rubrics have about ten). */
const MAX_ITEMS = 100;

type Values = Record<string, number | null>;

interface ScoreRow {
  assignment_id: string;
  items: Values;
  computed: ComputedItem[] | null;
  total: string | number | null;
  state: ScoreState;
  version: number;
  saved_at: Date;
  submitted_at: Date | null;
}

const SCORE_COLUMNS = "assignment_id, items, computed, total, state, version, saved_at, submitted_at";

interface MyAssignment {
  id: string;
  campaign_id: string;
  application_id: string;
  expert_user_id: string;
}

const notAssigned = () => new DomainError("NOT_FOUND", "申报不存在或未分配给您评审", "applicationId");

/**
 * The acting expert's released assignment for an application. Applications not assigned to
 * them, and assignments not released yet, are NOT_FOUND — the same answer as a missing id.
 */
async function requireMyAssignment(ctx: Ctx, applicationId: string, sql: Sql): Promise<MyAssignment> {
  requireActing(ctx);
  if (!ID_RE.test(String(applicationId))) throw notAssigned();
  const x = await sql.one<MyAssignment>(
    `SELECT id, campaign_id, application_id, expert_user_id FROM expert_assignment WHERE application_id = $1 AND expert_user_id = $2 AND state = 'RELEASED'`,
    [applicationId, ctx.auth!.userId],
  );
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

interface ChangeRow {
  id: string;
  kind: string;
  old_items: Values | null;
  old_total: string | number | null;
  new_items: Values;
  new_total: string | number;
  reason: string | null;
  changed_by_name: string;
  changed_at: Date;
}

function toChange(r: ChangeRow): ExpertScoreChange {
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
  const rows = assignmentIds.length
    ? await sql.rows<ChangeRow & { assignment_id: string }>(
      `SELECT c.id, c.assignment_id, c.kind, c.old_items, c.old_total, c.new_items, c.new_total, c.reason, u.name AS changed_by_name, c.changed_at
         FROM expert_score_change c JOIN app_user u ON u.id = c.changed_by WHERE c.assignment_id = ANY($1::bigint[]) ORDER BY c.id`,
      [assignmentIds],
    )
    : [];
  const m = new Map<string, ExpertScoreChange[]>();
  for (const r of rows) m.set(String(r.assignment_id), [...(m.get(String(r.assignment_id)) ?? []), toChange(r)]);
  return m;
}

/** The application form as last submitted, without the applicant's contact data. */
async function formForExperts(sql: Sql, applicationId: string): Promise<Record<string, unknown> | null> {
  const r = await sql.one<{ form: Record<string, unknown> }>(
    `SELECT COALESCE((SELECT form FROM application_revision WHERE application_id = a.id ORDER BY revision DESC LIMIT 1), a.form) AS form
       FROM application a WHERE a.id = $1`,
    [applicationId],
  );
  if (!r?.form) return null;
  const { mobile: _mobile, ...rest } = r.form;
  return rest;
}

async function summaryOf(sql: Sql, applicationId: string): Promise<ApplicationSummaryRow> {
  return (await sql.one<ApplicationSummaryRow>(`SELECT ${APPLICATION_COLUMNS} FROM application a ${APPLICATION_JOINS} WHERE a.id = $1`, [applicationId]))!;
}

/** The computed items a sheet shows: frozen at submission, live before. */
async function computedOf(sql: Sql, app: ApplicationRow, rubric: Rubric, c: LoadedCampaign, score: ScoreRow | undefined): Promise<ComputedItem[]> {
  if (score?.state === "SUBMITTED" && score.computed) return score.computed;
  return computedItemsFor(sql, app, rubric, c.config.year);
}

async function buildSheet(sql: Sql, x: MyAssignment): Promise<ScoreSheet> {
  const [app, summary, c, score, form] = await Promise.all([
    sql.one<ApplicationRow>(`SELECT ${APP_COLUMNS} FROM application a WHERE a.id = $1`, [x.application_id]),
    summaryOf(sql, x.application_id),
    loadCampaign(sql, x.campaign_id),
    sql.one<ScoreRow>(`SELECT ${SCORE_COLUMNS} FROM expert_score WHERE assignment_id = $1`, [x.id]),
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

/** Which of an expert's tasks to list: all, those still to submit, or the submitted ones. */
export type ScoreProgress = "ALL" | "TODO" | "DONE";

const PROGRESS_WHERE: Record<ScoreProgress, string> = {
  ALL: "",
  TODO: " AND s.state IS DISTINCT FROM 'SUBMITTED'",
  DONE: " AND s.state = 'SUBMITTED'",
};

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
  const params: unknown[] = [ctx.auth!.userId];
  let where = "x.expert_user_id = $1 AND x.state = 'RELEASED'";
  if (campaignId) {
    params.push(ID_RE.test(campaignId) ? campaignId : "0");
    where += ` AND x.campaign_id = $${params.length}`;
  }
  const filtered = where + PROGRESS_WHERE[progress];
  const [rows, count] = await Promise.all([
    ctx.db.rows<Parameters<typeof toAssignment>[0]>(
      `SELECT x.id AS x_id, x.campaign_id AS x_campaign_id, x.state AS x_state, x.origin AS x_origin, x.created_at AS x_created_at,
              x.released_at AS x_released_at, s.state AS s_state, s.total AS s_total, ${APPLICATION_COLUMNS}, ${EXPERT_COLUMNS}
         FROM ${ASSIGNMENT_FROM} WHERE ${filtered}
        ORDER BY x.campaign_id DESC, (s.state IS DISTINCT FROM 'SUBMITTED') DESC, a.category_code, a.id OFFSET ${offset} LIMIT ${limit}`,
      params,
    ),
    ctx.db.one<{ n: number; n_all: number; submitted: number; draft: number }>(
      `SELECT count(*) FILTER (WHERE TRUE${PROGRESS_WHERE[progress]})::int AS n, count(*)::int AS n_all,
              count(*) FILTER (WHERE s.state = 'SUBMITTED')::int AS submitted, count(*) FILTER (WHERE s.state = 'DRAFT')::int AS draft
         FROM expert_assignment x LEFT JOIN expert_score s ON s.assignment_id = x.id WHERE ${where}`,
      params,
    ),
  ]);
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
  const app = (await tx.one<ApplicationRow>(`SELECT ${APP_COLUMNS} FROM application a WHERE a.id = $1`, [x.application_id]))!;
  const campaign = (await loadCampaign(tx, x.campaign_id))!;
  assertCampaignOpen(campaign);
  if (app.state !== "EXPERT_REVIEW") {
    throw new DomainError("SCORE_LOCKED", `申报当前状态为「${APPLICATION_STATE_LABELS[app.state]}」，评审已结束，评分不能再修改`, "applicationId", { state: app.state });
  }
  await assertStageOpenFor(tx, campaign, "PROVINCE_REVIEW", app.unit_path);
  const score = await tx.one<ScoreRow>(`SELECT ${SCORE_COLUMNS} FROM expert_score WHERE assignment_id = $1 FOR UPDATE`, [x.id]);
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
    const r = await tx.exec(
      `INSERT INTO expert_score (assignment_id, application_id, expert_user_id, items, computed, total, state, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 THEN now() END) ON CONFLICT (assignment_id) DO NOTHING`,
      [w.x.id, w.x.application_id, w.x.expert_user_id, JSON.stringify(s.items), s.computed ? JSON.stringify(s.computed) : null, s.total, s.state, submitted],
    );
    if (!r.affected) throw new DomainError("CONFLICT", "评分已在其他页面保存，请刷新后在最新版本上操作", "version");
    return;
  }
  const r = await tx.exec(
    `UPDATE expert_score SET items = $3, computed = COALESCE($4, computed), total = $5, state = $6, version = version + 1, saved_at = now(),
            submitted_at = CASE WHEN $7 THEN now() ELSE submitted_at END
      WHERE assignment_id = $1 AND version = $2`,
    [w.x.id, w.score.version, JSON.stringify(s.items), s.computed ? JSON.stringify(s.computed) : null, s.total, s.state, submitted],
  );
  if (!r.affected) throw new DomainError("CONFLICT", "评分已在其他页面保存或修改，请刷新后在最新版本上操作", "version");
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
    await tx.exec(
      `INSERT INTO expert_score_change (assignment_id, application_id, kind, new_items, new_total, changed_by) VALUES ($1, $2, 'SUBMIT', $3, $4, $5)`,
      [w.x.id, w.x.application_id, JSON.stringify(items), sheet.total, ctx.auth!.userId],
    );
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
    await tx.exec(
      `INSERT INTO expert_score_change (assignment_id, application_id, kind, old_items, old_total, new_items, new_total, reason, changed_by)
       VALUES ($1, $2, 'CHANGE', $3, $4, $5, $6, $7, $8)`,
      [w.x.id, w.x.application_id, JSON.stringify(w.score.items), oldTotal, JSON.stringify(items), sheet.total, why, ctx.auth!.userId],
    );
    await audit(tx, ctx, {
      action: "EXPERT_SCORE_CHANGE", targetType: "application", targetId: w.x.application_id, reason: why,
      data: { assignmentId: String(w.x.id), oldTotal, newTotal: sheet.total },
    });
    return w.x;
  });
  return buildSheet(ctx.db, x);
}

interface ScoreViewRow extends ExpertRow {
  x_id: string;
  x_state: AssignmentState;
  s_state: ScoreState | null;
  s_items: Values | null;
  s_total: string | number | null;
  s_submitted_at: Date | null;
}

/**
 * Every expert's score of an application, for the province: submitted scores with their items
 * and history; drafts only by their state (they are the expert's work in progress).
 */
export async function expertScores(ctx: Ctx, applicationId: string): Promise<ExpertScoreView[]> {
  const app = await requireProvinceApplication(ctx, applicationId);
  const rows = await ctx.db.rows<ScoreViewRow>(
    `SELECT x.id AS x_id, x.state AS x_state, s.state AS s_state, s.items AS s_items, s.total AS s_total, s.submitted_at AS s_submitted_at, ${EXPERT_COLUMNS}
       FROM expert_assignment x JOIN app_user eu ON eu.id = x.expert_user_id ${EXPERT_JOINS}
       LEFT JOIN expert_score s ON s.assignment_id = x.id
      WHERE x.application_id = $1 ORDER BY x.id`,
    [app.id],
  );
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
    const pending = await tx.rows<{ expert_user_id: string }>(
      `SELECT x.expert_user_id FROM expert_assignment x LEFT JOIN expert_score s ON s.assignment_id = x.id
        WHERE x.application_id = $1 AND x.state = 'RELEASED' AND s.state IS DISTINCT FROM 'SUBMITTED' ORDER BY x.id`,
      [app.id],
    );
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
