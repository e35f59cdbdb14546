import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";

/**
 * What the featured-space rubric's computed items read of a teacher's activity data in a year
 * (`computed-items.service.ts`): yearly points, their rank in the category's group, mobile
 * lessons, interactions, approved resources and published tasks.
 */
export const queries = sqlQueries({
  account: `SELECT account FROM app_user WHERE id = $1`,
  yearlyTotal: `SELECT points, mobile_points FROM activity_total WHERE account = $1 AND period = $2`,
  // Competition rank of the points among the category's teachers at the province (one row per teacher).
  pointsRank: `WITH grp AS (
       SELECT DISTINCT ON (u.id) u.id, t.points
         FROM application a JOIN app_user u ON u.id = a.applicant_user_id
         JOIN activity_total t ON t.account = u.account AND t.period = $3
        WHERE a.campaign_id = $1 AND a.category_code = $2 AND a.applicant_kind = 'TEACHER' AND a.state = ANY($4::text[]))
     SELECT (SELECT count(*)::int FROM grp WHERE points > $5) + 1 AS rank, (SELECT count(*)::int FROM grp) AS size`,
  mobileLessonMinutes: `SELECT to_char(day, 'YYYY-MM-DD') AS day,
            sum(CASE WHEN jsonb_typeof(raw->'minutes') = 'number' THEN (raw->>'minutes')::float8 ELSE 0 END)::float8 AS minutes
       FROM activity_event
      WHERE subject = $1 AND type = 'lesson' AND raw->>'client' = 'mobile' AND day BETWEEN $2::date AND $3::date
      GROUP BY day`,
  interactionsAndApproved: `SELECT count(*) FILTER (WHERE type = 'interaction')::int AS interactions,
            count(DISTINCT raw->>'resourceId') FILTER (
              WHERE type = 'resource_review' AND raw->>'level' = 'province' AND raw->>'outcome' = 'approved'
                AND NOT EXISTS (SELECT 1 FROM activity_event d WHERE d.subject = $1 AND d.type = 'resource_deleted'
                                 AND d.raw->>'resourceId' = activity_event.raw->>'resourceId' AND d.day <= $3::date))::int AS approved
       FROM activity_event WHERE subject = $1 AND day BETWEEN $2::date AND $3::date`,
  taskStudents: `SELECT (SELECT count(DISTINCT e.raw->>'studentId')::int FROM activity_event e WHERE e.task_id = t.task_id AND e.type = 'task_engaged') AS students
       FROM activity_task t
      WHERE t.publisher = $1
        AND EXISTS (SELECT 1 FROM activity_event p WHERE p.task_id = t.task_id AND p.type = 'task_published' AND p.day BETWEEN $2::date AND $3::date)`,
});

/** A user's account (login name), which the activity data is keyed by. */
export function accountOf(sql: Sql, userId: string): Promise<{ account: string } | undefined> {
  return sql.one<{ account: string }>(queries.account, [userId]);
}

/** An account's points and mobile points for a period (a year as text). */
export function yearlyTotal(sql: Sql, account: string, period: string): Promise<{ points: number; mobile_points: number } | undefined> {
  return sql.one<{ points: number; mobile_points: number }>(queries.yearlyTotal, [account, period]);
}

/** Rank of `points` among the teachers applying in the category in the given states, and the group's size. */
export function pointsRank(
  sql: Sql, q: { campaignId: string; categoryCode: string; period: string; states: readonly string[]; points: number },
): Promise<{ rank: number; size: number } | undefined> {
  return sql.one<{ rank: number; size: number }>(queries.pointsRank, [q.campaignId, q.categoryCode, q.period, q.states, q.points]);
}

/** Minutes of mobile teaching per day (YYYY-MM-DD) between two dates. */
export function mobileLessonMinutes(sql: Sql, account: string, from: string, to: string): Promise<{ day: string; minutes: number }[]> {
  return sql.rows<{ day: string; minutes: number }>(queries.mobileLessonMinutes, [account, from, to]);
}

/** Interactions and province-approved resources (not deleted by `to`) between two dates. */
export function interactionsAndApproved(sql: Sql, account: string, from: string, to: string): Promise<{ interactions: number; approved: number } | undefined> {
  return sql.one<{ interactions: number; approved: number }>(queries.interactionsAndApproved, [account, from, to]);
}

/** The distinct students of each task the account published between two dates. */
export function taskStudents(sql: Sql, account: string, from: string, to: string): Promise<{ students: number }[]> {
  return sql.rows<{ students: number }>(queries.taskStudents, [account, from, to]);
}
