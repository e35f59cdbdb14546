import { clause, DomainError, type Role } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { checkPage } from "../../common/paging.js";
import type { Db, Sql } from "../../db/data-source.js";
import { logger } from "../../logger.js";
import { requireAuth } from "../auth/authorize.js";
import { loadCampaign, type LoadedCampaign } from "../campaign/campaign.service.js";
import {
  APPLICATION_STATE_LABELS, deadlineClosesAt, effectiveDeadline, formatChineseDate, LEVEL_ROLES, PIPELINE_ACTION_LABELS, REVIEW_LEVEL_LABELS, WAITING_STATES,
  type HistoryEntryFields, type ReviewLevel, type StageCode,
} from "../campaign/domain.js";
import { findUnit, pathKeys } from "../org/org.repository.js";
import {
  insertNotifications, markNotificationsRead, notificationPage, openCampaignIds, roleHolderIds, unsubmittedApplications, waitingByUnit,
} from "./notification.repository.js";

export type { NotificationRow } from "./notification.repository.js";

export interface NotificationInput {
  kind: string;
  title: string;
  body: string;
  campaignId?: string | null;
  applicationId?: string | null;
  /** Makes the notification idempotent per user (reminders). */
  dedupeKey?: string | null;
}

/** Queues a notification for each user, in the caller's transaction (so it exists only if the change does). */
export async function notify(sql: Sql, userIds: readonly string[], n: NotificationInput): Promise<number> {
  const ids = [...new Set(userIds.map(String))];
  if (!ids.length) return 0;
  return insertNotifications(sql, ids, {
    kind: n.kind, title: n.title, body: n.body, campaignId: n.campaignId ?? null, applicationId: n.applicationId ?? null, dedupeKey: n.dedupeKey ?? null,
  });
}

/** Unlocked users holding `role` on the unit (any unit when unitId is null). */
export async function roleHolders(sql: Sql, role: Role, unitId: string | null): Promise<string[]> {
  return roleHolderIds(sql, role, unitId);
}

interface AppRef {
  id: string;
  campaign_id: string;
  category_code: string;
  applicant_kind: string;
  applicant_user_id: string;
  applicant_unit_id: string;
  city_id: string;
  county_id: string | null;
  school_id: string | null;
  levels: ReviewLevel[];
  state: string;
  title: string;
}

function reviewingUnit(app: AppRef, level: ReviewLevel): string | null {
  return { SCHOOL: app.school_id, COUNTY: app.county_id, CITY: app.city_id, PROVINCE: null }[level];
}

async function reviewersAt(sql: Sql, app: AppRef, level: ReviewLevel): Promise<string[]> {
  const unit = reviewingUnit(app, level);
  if (level !== "PROVINCE" && !unit) return [];
  return roleHolders(sql, LEVEL_ROLES[level], unit);
}

/** The applicant side: the teacher, or the people holding the applicant role of the applying school or region. */
async function applicantsOf(sql: Sql, app: AppRef): Promise<string[]> {
  if (app.applicant_kind === "TEACHER") return [String(app.applicant_user_id)];
  const roles: Role[] = app.applicant_kind === "SCHOOL" ? ["SCHOOL_ADMIN"] : ["COUNTY_REVIEWER", "CITY_REVIEWER"];
  const holders: string[] = [];
  for (const r of roles) holders.push(...(await roleHolders(sql, r, app.applicant_unit_id)));
  return [String(app.applicant_user_id), ...holders];
}

/**
 * Tells everyone a transition concerns, never the actor: the applicant of every review outcome;
 * the reviewers of the level it now waits at; the level that lost it when a recommendation is
 * withdrawn; the lower levels that recommended it when it is returned, rejected or disqualified.
 */
export async function notifyTransition(sql: Sql, c: LoadedCampaign, app: AppRef, e: HistoryEntryFields, actor: { userId: string; unitId: string }): Promise<void> {
  const unit = await findUnit(sql, actor.unitId);
  const category = c.config.categories.find((k) => k.code === app.category_code)?.name ?? app.category_code;
  const what = `「${app.title || "未命名申报"}」（${category}）`;
  const by = e.level ? `${unit?.name ?? ""}（${REVIEW_LEVEL_LABELS[e.level]}）` : "";
  // The comment is followed by the system's own words ("。请修改后重新提交", "（此前由贵单位推荐）"):
  // its closing punctuation is dropped so the message never reads "数据。。请修改".
  const comment = clause(e.comment);
  const note = comment ? `：${comment}` : "";
  const base = { kind: `APPLICATION_${e.action.replace(/[A-Z]/g, (ch) => "_" + ch).toUpperCase()}`, campaignId: c.row.id, applicationId: app.id };
  const send = async (users: string[], title: string, body: string) => {
    await notify(sql, users.filter((u) => u !== String(actor.userId)), { ...base, title, body });
  };
  const applicants = await applicantsOf(sql, app);
  const waiting = (WAITING_STATES as readonly string[]).includes(e.toState) && e.toLevel;

  switch (e.action) {
    case "submit":
    case "resubmit":
      await send(await reviewersAt(sql, app, e.toLevel!), `有新的申报待审核`, `${what}已${PIPELINE_ACTION_LABELS[e.action]}（第${e.revision}版），等待${REVIEW_LEVEL_LABELS[e.toLevel!]}审核`);
      await send(applicants, `申报已${PIPELINE_ACTION_LABELS[e.action]}`, `${what}已${PIPELINE_ACTION_LABELS[e.action]}，等待${REVIEW_LEVEL_LABELS[e.toLevel!]}审核`);
      return;
    case "recommend":
      await send(applicants, "申报已获推荐", `${what}已由${by}推荐至${REVIEW_LEVEL_LABELS[e.toLevel!]}${note}`);
      if (waiting) await send(await reviewersAt(sql, app, e.toLevel!), "有新的推荐申报待审核", `${what}已由${by}推荐，等待您审核`);
      return;
    case "withdrawRecommendation":
      await send(applicants, "推荐已撤回", `${by}撤回了对${what}的推荐，申报回到${REVIEW_LEVEL_LABELS[e.toLevel!]}待审核${note}`);
      if (e.fromLevel) await send(await reviewersAt(sql, app, e.fromLevel), "推荐已撤回", `${by}撤回了对${what}的推荐，该申报已不在您的待审核列表中`);
      return;
    case "return":
    case "reject":
    case "disqualify": {
      const title = { return: "申报被退回修改", reject: "申报未通过审核", disqualify: "申报已被取消资格" }[e.action];
      const body = `${what}${e.action === "disqualify" ? "被省级取消资格" : `被${by}${e.action === "return" ? "退回修改" : "决定不予推荐"}`}${note}`;
      await send(applicants, title, e.action === "return" ? `${body}。请修改后重新提交` : body);
      const idx = e.level ? app.levels.indexOf(e.level) : app.levels.length;
      const lower = app.levels.slice(0, idx < 0 ? app.levels.length : idx).filter((l) => l !== e.level);
      for (const l of lower) await send(await reviewersAt(sql, app, l), title, `${body}（此前由贵单位推荐）`);
      return;
    }
    case "withdraw":
      if (e.fromLevel && (WAITING_STATES as readonly string[]).includes(e.fromState)) {
        await send(await reviewersAt(sql, app, e.fromLevel), "申报已被申报人撤回", `${what}已被申报人撤回，无需审核`);
      }
      return;
    default:
      await send(applicants, `申报状态更新：${APPLICATION_STATE_LABELS[e.toState]}`, `${what}当前状态：${APPLICATION_STATE_LABELS[e.toState]}${e.grade ? `（${e.grade}）` : ""}${note}`);
  }
}

/** The caller's own notifications, newest first (never anyone else's). */
export async function listNotifications(ctx: Ctx, unreadOnly: boolean, page: { offset: number; limit: number }) {
  const auth = requireAuth(ctx);
  const { offset, limit } = checkPage(page);
  return notificationPage(ctx.db, auth.userId, unreadOnly, offset, limit);
}

/** Marks the caller's notifications read (ids of others are ignored); returns how many changed. */
export async function markRead(ctx: Ctx, ids: string[] | null): Promise<number> {
  const auth = requireAuth(ctx);
  if (ids && ids.some((id) => !/^\d{1,18}$/.test(String(id)))) throw new DomainError("BAD_INPUT", "通知编号不正确", "ids");
  if (ids && ids.length > 500) throw new DomainError("BAD_INPUT", "一次最多标记500条通知", "ids");
  return markNotificationsRead(ctx.db, auth.userId, ids);
}

const DAY_MS = 86_400_000;

function daysLeft(deadline: string, now: Date): number {
  return (deadlineClosesAt(deadline).getTime() - now.getTime()) / DAY_MS;
}

/** Review stages by level. */
const LEVEL_STAGE: Record<ReviewLevel, StageCode> = { SCHOOL: "SCHOOL_REVIEW", COUNTY: "COUNTY_REVIEW", CITY: "CITY_REVIEW", PROVINCE: "PROVINCE_REVIEW" };

/**
 * Reminds people of deadlines within `withinDays`: applicants with unsubmitted drafts or returned
 * applications, reviewers with applications still waiting at their level. One reminder per user,
 * stage, unit and deadline (idempotent), so running it often or on several processes is harmless.
 */
export async function sendDeadlineReminders(db: Db, opts: { now?: Date; withinDays?: number; campaignId?: string } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const within = opts.withinDays ?? 3;
  const campaigns = await openCampaignIds(db, opts.campaignId);
  let sent = 0;
  const keysCache = new Map<string, string[]>();
  const keysOf = async (path: string) => {
    let k = keysCache.get(path);
    if (!k) {
      k = await pathKeys(db, path);
      keysCache.set(path, k);
    }
    return k;
  };
  for (const { id } of campaigns) {
    const c = (await loadCampaign(db, String(id)))!;
    const soon = (deadline: string | null) => deadline !== null && daysLeft(deadline, now) > 0 && daysLeft(deadline, now) <= within;
    const stageName = (s: StageCode) => c.config.stages.find((x) => x.stage === s)?.name ?? s;

    const drafts = await unsubmittedApplications(db, id);
    for (const a of drafts) {
      const d = effectiveDeadline(c.config, "APPLICATION", c.extensions, await keysOf(a.unit_path));
      if (!soon(d)) continue;
      sent += await notify(db, [String(a.applicant_user_id)], {
        kind: "DEADLINE_APPROACHING",
        title: "申报提交即将截止",
        body: `您的申报「${a.title || "未命名申报"}」尚未${a.state === "RETURNED" ? "重新" : ""}提交，「${stageName("APPLICATION")}」将于${formatChineseDate(d!)}24时截止`,
        campaignId: String(id),
        applicationId: String(a.id),
        dedupeKey: `deadline:${id}:APPLICATION:${d}:app${a.id}`,
      });
    }

    const waiting = await waitingByUnit(db, id, WAITING_STATES);
    for (const w of waiting) {
      if (!w.unit_id || !w.path) continue;
      const stage = LEVEL_STAGE[w.level];
      const d = effectiveDeadline(c.config, stage, c.extensions, await keysOf(w.path));
      if (!soon(d)) continue;
      sent += await notify(db, await roleHolders(db, LEVEL_ROLES[w.level], String(w.unit_id)), {
        kind: "DEADLINE_APPROACHING",
        title: "审核推荐即将截止",
        body: `您有${w.n}件申报待审核，「${stageName(stage)}」将于${formatChineseDate(d!)}24时截止`,
        campaignId: String(id),
        dedupeKey: `deadline:${id}:${stage}:${d}:unit${w.unit_id}`,
      });
    }
  }
  return sent;
}

let timer: NodeJS.Timeout | null = null;

/** Runs the reminders hourly in this process (idempotent across processes); off under the test runner. */
export function startReminderSchedule(db: Db): void {
  if (timer || process.env.VITEST) return;
  const run = () =>
    void sendDeadlineReminders(db).then(
      (n) => n && logger.info({ sent: n }, "deadline reminders sent"),
      (err) => logger.error({ err }, "deadline reminders failed"),
    );
  timer = setInterval(run, 3_600_000);
  timer.unref();
  first = setTimeout(run, 60_000);
  first.unref();
}

let first: NodeJS.Timeout | null = null;

/** Stops the reminder schedule (on shutdown). */
export function stopReminderSchedule(): void {
  if (timer) clearInterval(timer);
  if (first) clearTimeout(first);
  timer = null;
  first = null;
}
