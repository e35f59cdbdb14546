import type { Role } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";
import { fill, sqlQueries } from "../../db/repository.js";
import type { ReviewLevel } from "../campaign/domain.js";

export interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  campaign_id: string | null;
  application_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

/** What a notification says (the recipients are given apart). */
export interface NewNotification {
  kind: string;
  title: string;
  body: string;
  campaignId: string | null;
  applicationId: string | null;
  dedupeKey: string | null;
}

/** An application without a submission yet, or returned to its applicant (deadline reminders). */
export interface UnsubmittedRow {
  id: string;
  applicant_user_id: string;
  unit_path: string;
  title: string;
  state: string;
}

/** How many applications wait at a level below the province, per reviewing unit (deadline reminders). */
export interface WaitingCountRow {
  level: ReviewLevel;
  unit_id: string | null;
  path: string | null;
  n: number;
}

export const queries = sqlQueries({
  // Idempotent per user when a dedupe key is given (reminders).
  insertForUsers: `INSERT INTO notification (user_id, kind, title, body, campaign_id, application_id, dedupe_key)
     SELECT u, $2, $3, $4, $5, $6, $7 FROM unnest($1::bigint[]) AS u
     ON CONFLICT (user_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
  roleHolders: `SELECT DISTINCT r.user_id FROM role_assignment r JOIN app_user u ON u.id = r.user_id
      WHERE r.role = $1 AND ($2::bigint IS NULL OR r.unit_id = $2) AND NOT u.locked`,
  // A user's own notifications: all, or the unread ones.
  ofUser: `user_id = $1`,
  unreadOfUser: `user_id = $1 AND read_at IS NULL`,
  page: `SELECT id, kind, title, body, campaign_id, application_id, created_at, read_at FROM notification WHERE {where} ORDER BY id DESC OFFSET {offset} LIMIT {limit}`,
  count: `SELECT count(*)::int AS n FROM notification WHERE {where}`,
  markRead: `UPDATE notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND id = ANY($2::bigint[])`,
  markAllRead: `UPDATE notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`,
  openCampaigns: `SELECT id FROM campaign WHERE status = 'OPEN'`,
  openCampaign: `SELECT id FROM campaign WHERE status = 'OPEN' AND id = $1`,
  unsubmitted: `SELECT id, applicant_user_id, unit_path, title, state FROM application WHERE campaign_id = $1 AND state IN ('DRAFT','RETURNED')`,
  waitingByUnit: `SELECT a.current_level AS level,
              CASE a.current_level WHEN 'SCHOOL' THEN a.school_id WHEN 'COUNTY' THEN a.county_id WHEN 'CITY' THEN a.city_id END AS unit_id,
              o.path, count(*)::int AS n
         FROM application a
         LEFT JOIN org_unit o ON o.id = CASE a.current_level WHEN 'SCHOOL' THEN a.school_id WHEN 'COUNTY' THEN a.county_id WHEN 'CITY' THEN a.city_id END
        WHERE a.campaign_id = $1 AND a.state = ANY($2::text[]) AND a.current_level <> 'PROVINCE'
        GROUP BY 1, 2, 3`,
});

/** Queues one notification per user (ids distinct); returns how many were written (a deduplicated one is not). */
export async function insertNotifications(sql: Sql, userIds: readonly string[], n: NewNotification): Promise<number> {
  const r = await sql.exec(queries.insertForUsers, [userIds, n.kind, n.title, n.body, n.campaignId, n.applicationId, n.dedupeKey]);
  return r.affected;
}

/** Unlocked users holding `role` on the unit (any unit when unitId is null). */
export async function roleHolderIds(sql: Sql, role: Role, unitId: string | null): Promise<string[]> {
  const rows = await sql.rows<{ user_id: string }>(queries.roleHolders, [role, unitId]);
  return rows.map((r) => String(r.user_id));
}

/** One page of a user's notifications, newest first, with their total and the number unread (in parallel). */
export async function notificationPage(sql: Sql, userId: string, unreadOnly: boolean, offset: number, limit: number) {
  const where = unreadOnly ? queries.unreadOfUser : queries.ofUser;
  const [items, count, unread] = await Promise.all([
    sql.rows<NotificationRow>(fill(queries.page, { where, offset: Number(offset), limit: Number(limit) }), [userId]),
    sql.one<{ n: number }>(fill(queries.count, { where }), [userId]),
    sql.one<{ n: number }>(fill(queries.count, { where: queries.unreadOfUser }), [userId]),
  ]);
  return { items, total: count?.n ?? 0, unread: unread?.n ?? 0 };
}

/** Marks a user's unread notifications read (only `ids` when given); returns how many changed. */
export async function markNotificationsRead(sql: Sql, userId: string, ids: readonly string[] | null): Promise<number> {
  const r = ids ? await sql.exec(queries.markRead, [userId, ids]) : await sql.exec(queries.markAllRead, [userId]);
  return r.affected;
}

/** Ids of the open campaigns (or of the one campaign, when it is open). */
export function openCampaignIds(sql: Sql, campaignId?: string): Promise<{ id: string }[]> {
  return campaignId ? sql.rows<{ id: string }>(queries.openCampaign, [campaignId]) : sql.rows<{ id: string }>(queries.openCampaigns, []);
}

/** A campaign's drafts and returned applications. */
export function unsubmittedApplications(sql: Sql, campaignId: string): Promise<UnsubmittedRow[]> {
  return sql.rows<UnsubmittedRow>(queries.unsubmitted, [campaignId]);
}

/** How many of a campaign's applications wait in `waitingStates` below the province, per level and reviewing unit. */
export function waitingByUnit(sql: Sql, campaignId: string, waitingStates: readonly string[]): Promise<WaitingCountRow[]> {
  return sql.rows<WaitingCountRow>(queries.waitingByUnit, [campaignId, waitingStates]);
}
