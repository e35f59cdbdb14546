import {
  APPLICATION_STATE_LABELS, CONFLICT_MESSAGES, DomainError, assignmentConflict, badInput, planAssignments,
  type ApplicationRef, type ExpertRef,
} from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import type { Sql, Tx } from "../../db/data-source.js";
import type { ApplicationRow } from "../application/application.service.js";
import { actorOf, applyTransition } from "../application/pipeline.service.js";
import { audit } from "../audit/audit.service.js";
import { notify } from "../notification/notification.service.js";
import { requireActing, scopePattern } from "../auth/authorize.js";
import { assertCampaignOpen, requireCampaign, type LoadedCampaign } from "../campaign/campaign.service.js";
import type { AwardCategory } from "../campaign/domain.js";
import { lockCampaignFinalization } from "./finalization-lock.util.js";
import {
  applicationSummaries, assignedPairs, assignmentCampaignInScope, assignmentFilter, assignmentForRemoval, assignmentPage,
  deleteAssignment, deleteAutoDrafts, expertPoolWithLoad, expertRefs, expertRefsById, findAssignment, findProvinceApplication,
  insertAutoAssignments, insertManualAssignment, provinceApplications, releaseDrafts, titleAndCity, waitingForExpertReview,
  type AssignmentRow, type ExpertRefRow, type ProvinceApplicationRow,
} from "./expert.repository.js";
import { AT_PROVINCE_STATES, ID_RE, num, toApplication, toExpert } from "./finalization.repository.js";
import {
  AssignmentPlanResult, ExpertAssignment, ExpertLoad, UnfilledApplication, type AssignmentState, type ExpertProfile,
} from "./finalization.types.js";

/** Most experts one application may be given. */
export const MAX_EXPERTS_PER_APPLICATION = 15;

const appNotFound = () => new DomainError("NOT_FOUND", "申报不存在或不在您的管辖范围内", "applicationId");
const expertNotFound = () => new DomainError("NOT_FOUND", "评审专家不存在或不在您的管辖范围内", "expertId");

/** A campaign of the caller's, with one of its categories when a code is given. */
export async function requireCampaignCategory(ctx: Ctx, campaignId: string, categoryCode: string | null | undefined, sql: Sql = ctx.db) {
  const c = await requireCampaign(ctx, campaignId, sql);
  let category: AwardCategory | null = null;
  if (categoryCode) {
    category = c.config.categories.find((k) => k.code === categoryCode) ?? null;
    if (!category) throw new DomainError("NOT_FOUND", `本次活动没有「${categoryCode}」申报类别`, "categoryCode");
  }
  return { campaign: c, category };
}

export type { ProvinceApplicationRow } from "./expert.repository.js";

/** An application the acting province role may see (never drafts); NOT_FOUND otherwise. */
export async function requireProvinceApplication(ctx: Ctx, applicationId: string, sql: Sql = ctx.db): Promise<ProvinceApplicationRow> {
  if (!ID_RE.test(String(applicationId))) throw appNotFound();
  const row = await findProvinceApplication(sql, applicationId, scopePattern(ctx));
  if (!row) throw appNotFound();
  return row;
}

function applicationRef(r: ProvinceApplicationRow): ApplicationRef {
  return { id: String(r.id), applicantUserIds: [String(r.applicant_user_id), ...(r.listed_user_ids ?? []).map(String)], cityCode: r.city_key, schoolKey: r.school_key };
}

/** Users holding the expert role over a unit in the acting role's scope (the expert pool). */
function expertRefRows(ctx: Ctx, sql: Sql, opts: { ids?: string[]; unlockedOnly?: boolean }): Promise<ExpertRefRow[]> {
  return expertRefs(sql, scopePattern(ctx), opts);
}

function expertRef(r: ExpertRefRow): ExpertRef {
  return { id: String(r.ex_id), userId: String(r.ex_id), cityCode: r.city_key, schoolKey: r.school_key };
}

/** The experts a province admin can assign, with their load in the campaign. */
export async function expertPool(ctx: Ctx, campaignId: string): Promise<ExpertProfile[]> {
  await requireCampaign(ctx, campaignId);
  const rows = await expertPoolWithLoad(ctx.db, scopePattern(ctx), campaignId);
  return rows.map((r) => toExpert(r, r.load));
}

export interface AssignmentFilter {
  campaignId: string;
  categoryCode?: string | null;
  applicationId?: string | null;
  expertId?: string | null;
  state?: AssignmentState | null;
}

export function toAssignment(r: AssignmentRow): ExpertAssignment {
  return Object.assign(new ExpertAssignment(), {
    id: String(r.x_id),
    campaignId: String(r.x_campaign_id),
    application: toApplication(r),
    expert: toExpert(r),
    state: r.x_state,
    origin: r.x_origin,
    createdAt: r.x_created_at,
    releasedAt: r.x_released_at,
    scoreState: r.s_state,
    // Only a submitted total means anything to the province; drafts stay the expert's own.
    scoreTotal: r.s_state === "SUBMITTED" ? num(r.s_total) : null,
  });
}

/** WHERE clause of the province's assignment list (shared with the Excel export). */
export async function assignmentWhere(ctx: Ctx, f: AssignmentFilter): Promise<{ where: string; params: unknown[] }> {
  await requireCampaignCategory(ctx, f.campaignId, f.categoryCode);
  return assignmentFilter({
    campaignId: f.campaignId,
    scope: scopePattern(ctx),
    categoryCode: f.categoryCode,
    applicationId: f.applicationId ? (ID_RE.test(f.applicationId) ? f.applicationId : "0") : null,
    expertId: f.expertId ? (ID_RE.test(f.expertId) ? f.expertId : "0") : null,
    state: f.state,
  });
}

export async function listAssignments(ctx: Ctx, f: AssignmentFilter, page: { offset: number; limit: number }) {
  const { offset, limit } = checkPage(page);
  const { rows, total } = await assignmentPage(ctx.db, await assignmentWhere(ctx, f), offset, limit);
  return { items: rows.map(toAssignment), total };
}

export async function assignmentById(sql: Sql, id: string): Promise<ExpertAssignment> {
  const row = await findAssignment(sql, id);
  return toAssignment(row!);
}

function assertAtProvince(row: Pick<ApplicationRow, "state">, what: string): void {
  if (!(AT_PROVINCE_STATES as readonly string[]).includes(row.state)) {
    throw new DomainError("INVALID_TRANSITION", `申报当前状态为「${APPLICATION_STATE_LABELS[row.state]}」，不能${what}`, "applicationId", { state: row.state });
  }
}

/** Refuses a conflicted pairing with a message naming the expert, the application and the conflict. */
function assertPairing(expert: ExpertRefRow, app: ProvinceApplicationRow & { app_title?: string }, cityName: string | null): void {
  const reason = assignmentConflict(expertRef(expert), applicationRef(app));
  if (!reason) return;
  const where = reason === "SAME_CITY" && cityName ? `（均属${cityName}）` : reason === "SAME_SCHOOL" ? `（均属${expert.ex_unit_name}）` : "";
  throw new DomainError(
    "EXPERT_CONFLICT",
    `不能将评审专家「${expert.ex_name}」分配给申报「${app.app_title || app.title || app.id}」：${CONFLICT_MESSAGES[reason]}${where}`,
    "expertId",
    { reason, expertId: String(expert.ex_id), applicationId: String(app.id) },
  );
}

/**
 * Assigns one expert to one application by hand (a DRAFT until released). Conflicts — the
 * applicant themself, the same school, the same city — are refused here, never found later.
 */
export async function assignExpert(ctx: Ctx, applicationId: string, expertId: string): Promise<ExpertAssignment> {
  requireActing(ctx);
  const id = await ctx.db.tx(async (tx) => {
    const app = await requireProvinceApplication(ctx, applicationId, tx);
    await lockCampaignFinalization(tx, app.campaign_id);
    const c = await requireCampaign(ctx, app.campaign_id, tx);
    assertCampaignOpen(c);
    assertAtProvince(app, "分配评审专家");
    if (!ID_RE.test(String(expertId))) throw expertNotFound();
    const [expert] = await expertRefRows(ctx, tx, { ids: [expertId] });
    if (!expert) throw expertNotFound();
    if (expert.ex_locked) throw new DomainError("BAD_INPUT", `评审专家「${expert.ex_name}」的账号已锁定，不能分配`, "expertId");
    const info = await titleAndCity(tx, app.id);
    assertPairing(expert, { ...app, app_title: info!.title }, info!.city_name);
    const row = await insertManualAssignment(tx, { campaignId: app.campaign_id, applicationId: app.id, expertId: expert.ex_id, userId: ctx.auth!.userId });
    if (!row) throw new DomainError("CONFLICT", `评审专家「${expert.ex_name}」已分配评审此申报`, "expertId");
    await audit(tx, ctx, { action: "EXPERT_ASSIGN", targetType: "application", targetId: app.id, data: { expertId: String(expert.ex_id), assignmentId: String(row.id) } });
    return String(row.id);
  });
  return assignmentById(ctx.db, id);
}

/**
 * Removes an assignment. A draft goes silently; a released one (the expert already sees it) needs
 * a reason and is audited; once the expert submitted a score it stays (the score is part of the
 * result).
 */
export async function unassignExpert(ctx: Ctx, assignmentId: string, reason: string | null | undefined): Promise<boolean> {
  requireActing(ctx);
  const why = reason?.trim() || null;
  if (why && why.length > 500) throw badInput([{ field: "reason", rule: "maxLength", message: `取消分配的理由不能超过500字，当前${why.length}字` }]);
  const notFound = () => new DomainError("NOT_FOUND", "专家分配不存在或不在您的管辖范围内", "assignmentId");
  if (!ID_RE.test(String(assignmentId))) throw notFound();
  await ctx.db.tx(async (tx) => {
    const found = await assignmentCampaignInScope(tx, assignmentId, scopePattern(ctx));
    if (!found) throw notFound();
    await lockCampaignFinalization(tx, found.campaign_id);
    const x = await assignmentForRemoval(tx, assignmentId);
    if (!x) throw notFound();
    assertCampaignOpen(await requireCampaign(ctx, found.campaign_id, tx));
    if (x.score_state === "SUBMITTED") {
      throw new DomainError("SCORE_LOCKED", "该专家已提交评分，评分已锁定，不能取消分配", "assignmentId");
    }
    assertAtProvince({ state: x.app_state }, "调整评审专家");
    if (x.state === "RELEASED" && !why) {
      throw badInput([{ field: "reason", rule: "required", message: "该分配已发布给专家，取消分配须填写理由" }]);
    }
    await deleteAssignment(tx, x.id);
    await audit(tx, ctx, {
      action: "EXPERT_UNASSIGN", targetType: "application", targetId: x.application_id, reason: why,
      data: { assignmentId: String(x.id), expertId: String(x.expert_user_id), state: x.state },
    });
  });
  return true;
}

/**
 * Plans draft assignments for every application at the province (of one category, or all)
 * with the balanced planner: each application gets k experts (the campaign's setting unless
 * given), never conflicted. Released and hand-made assignments are kept as they are; earlier
 * automatic drafts are replaced by the new plan.
 */
export async function autoAssignExperts(ctx: Ctx, campaignId: string, opts: { categoryCode?: string | null; expertsPerApplication?: number | null }): Promise<AssignmentPlanResult> {
  requireActing(ctx);
  const { campaign } = await requireCampaignCategory(ctx, campaignId, opts.categoryCode);
  const k = opts.expertsPerApplication ?? campaign.config.finalization.expertsPerApplication;
  if (!Number.isInteger(k) || k < 1 || k > MAX_EXPERTS_PER_APPLICATION) {
    throw badInput([{ field: "expertsPerApplication", rule: "range", message: `每件申报的评审专家数须为1到${MAX_EXPERTS_PER_APPLICATION}之间的整数，当前为${k}` }]);
  }
  return ctx.db.tx(async (tx) => {
    await lockCampaignFinalization(tx, campaignId);
    assertCampaignOpen(await requireCampaign(ctx, campaignId, tx));
    const apps = await provinceApplications(tx, {
      campaignId, scope: scopePattern(ctx), states: [...AT_PROVINCE_STATES], categoryCode: opts.categoryCode,
    });
    const appIds = apps.map((a) => String(a.id));

    const removed = await deleteAutoDrafts(tx, appIds);
    const kept = await assignedPairs(tx, appIds);
    const pool = await expertRefRows(ctx, tx, { unlockedOnly: true });
    const poolIds = new Set(pool.map((e) => String(e.ex_id)));
    // Experts of kept assignments who left the pool (locked, role revoked) still count on their
    // application, but get nothing new.
    const outside = [...new Set(kept.map((x) => String(x.expert_user_id)).filter((id) => !poolIds.has(id)))];
    const extra = outside.length ? await expertRefsById(tx, outside) : [];
    const plan = planAssignments({
      applications: apps.map(applicationRef),
      experts: [...pool, ...extra].map(expertRef),
      expertsPerApplication: k,
      fixed: kept.map((x) => ({ applicationId: String(x.application_id), expertId: String(x.expert_user_id) })),
    });
    const keptKeys = new Set(kept.map((x) => `${x.application_id}/${x.expert_user_id}`));
    const fresh = plan.assignments.filter((x) => !keptKeys.has(`${x.applicationId}/${x.expertId}`));
    const usable = fresh.filter((x) => poolIds.has(x.expertId));
    const missing = new Map(plan.unfilled.map((u) => [u.applicationId, u.missing]));
    for (const x of fresh) if (!poolIds.has(x.expertId)) missing.set(x.applicationId, (missing.get(x.applicationId) ?? 0) + 1);

    if (usable.length) {
      await insertAutoAssignments(tx, campaignId, usable, ctx.auth!.userId);
    }
    await audit(tx, ctx, {
      action: "EXPERT_AUTO_ASSIGN", targetType: "campaign", targetId: campaignId,
      data: { categoryCode: opts.categoryCode ?? null, expertsPerApplication: k, applications: apps.length, created: usable.length, kept: kept.length, removed },
    });

    const summaries = missing.size ? await applicationSummaries(tx, [...missing.keys()]) : [];
    const loads = new Map<string, number>();
    for (const x of [...kept.map((y) => String(y.expert_user_id)), ...usable.map((y) => y.expertId)]) loads.set(x, (loads.get(x) ?? 0) + 1);
    return Object.assign(new AssignmentPlanResult(), {
      expertsPerApplication: k,
      applications: apps.length,
      created: usable.length,
      kept: kept.length,
      removed,
      unfilled: summaries.map((s) => Object.assign(new UnfilledApplication(), { application: toApplication(s), missing: missing.get(String(s.app_id)) ?? 0 })),
      loads: [...pool, ...extra]
        .filter((e) => poolIds.has(String(e.ex_id)) || loads.has(String(e.ex_id)))
        .map((e) => Object.assign(new ExpertLoad(), { expert: toExpert(e, loads.get(String(e.ex_id)) ?? 0), load: loads.get(String(e.ex_id)) ?? 0 })),
    });
  });
}

/**
 * Releases the draft assignments of a campaign (or one category) to the experts. Applications
 * still waiting at the province move into expert review through the pipeline (history entry
 * "启动专家评审"), after which lower levels can no longer withdraw them.
 */
export async function releaseAssignments(ctx: Ctx, campaignId: string, categoryCode: string | null | undefined): Promise<number> {
  requireActing(ctx);
  await requireCampaignCategory(ctx, campaignId, categoryCode);
  const actor = await actorOf(ctx);
  return ctx.db.tx(async (tx) => {
    await lockCampaignFinalization(tx, campaignId);
    const c = await requireCampaign(ctx, campaignId, tx);
    assertCampaignOpen(c);
    const released = await releaseDrafts(tx, {
      campaignId, scope: scopePattern(ctx), states: [...AT_PROVINCE_STATES], userId: ctx.auth!.userId, categoryCode,
    });
    await startExpertReview(tx, c, [...new Set(released.map((r) => String(r.application_id)))], actor);
    const perExpert = new Map<string, number>();
    for (const r of released) perExpert.set(String(r.expert_user_id), (perExpert.get(String(r.expert_user_id)) ?? 0) + 1);
    for (const [expert, n] of perExpert) {
      await notify(tx, [expert], {
        kind: "EXPERT_ASSIGNED", campaignId, title: "新的评审任务",
        body: `「${c.row.title}」有${n}件申报分配给您评审，请在“我的评审任务”中查看并评分。`,
      });
    }
    await audit(tx, ctx, { action: "EXPERT_RELEASE", targetType: "campaign", targetId: campaignId, data: { categoryCode: categoryCode ?? null, released: released.length } });
    return released.length;
  });
}

async function startExpertReview(tx: Tx, c: LoadedCampaign, applicationIds: string[], actor: Awaited<ReturnType<typeof actorOf>>): Promise<void> {
  if (!applicationIds.length) return;
  const rows = await waitingForExpertReview(tx, applicationIds);
  for (const row of rows) await applyTransition(tx, row, { type: "startExpertReview" }, actor, { campaign: c });
}
