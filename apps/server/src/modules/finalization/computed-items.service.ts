import { computeFeaturedSpaceItems, type ComputedItem, type FeaturedSpaceInputs, type Rubric } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";

/** The application fields the computed items depend on. */
export interface ComputedItemsSubject {
  id: string;
  campaign_id: string;
  category_code: string;
  applicant_kind: string;
  applicant_user_id: string;
}

/** Application states whose applicants form a category's ranked group for yearly points. */
const RANKED_GROUP_STATES = ["AT_PROVINCE", "EXPERT_REVIEW", "FINALIZED", "NOT_SELECTED"];

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));

/**
 * What the platform knows about a teacher for the featured-space rubric in the campaign's year,
 * from the activity data (SPEC §5): yearly and mobile points (activity_total), their rank among
 * the category's applicants at the province, mobile-teaching minutes per day (lesson events),
 * interactions, activities (published tasks with their distinct students) and province-approved
 * resources. Nothing is known for a teacher without activity data for the year: every item stays
 * NO_DATA rather than a guessed 0. Micro-course videos, shared resources and homework are not
 * platform events here, so they are always NO_DATA.
 */
export async function featuredSpaceInputs(sql: Sql, app: ComputedItemsSubject, year: number): Promise<FeaturedSpaceInputs> {
  const user = await sql.one<{ account: string }>(`SELECT account FROM app_user WHERE id = $1`, [app.applicant_user_id]);
  if (!user) return {};
  const period = String(year);
  const total = await sql.one<{ points: number; mobile_points: number }>(
    `SELECT points, mobile_points FROM activity_total WHERE account = $1 AND period = $2`,
    [user.account, period],
  );
  if (!total) return {};

  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  // One after another: `sql` may be a transaction, whose one connection runs one query at a time.
  const rank = await sql.one<{ rank: number; size: number }>(
    `WITH grp AS (
       SELECT DISTINCT ON (u.id) u.id, t.points
         FROM application a JOIN app_user u ON u.id = a.applicant_user_id
         JOIN activity_total t ON t.account = u.account AND t.period = $3
        WHERE a.campaign_id = $1 AND a.category_code = $2 AND a.applicant_kind = 'TEACHER' AND a.state = ANY($4::text[]))
     SELECT (SELECT count(*)::int FROM grp WHERE points > $5) + 1 AS rank, (SELECT count(*)::int FROM grp) AS size`,
    [app.campaign_id, app.category_code, period, RANKED_GROUP_STATES, total.points],
  );
  const lessons = await sql.rows<{ day: string; minutes: number }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day,
            sum(CASE WHEN jsonb_typeof(raw->'minutes') = 'number' THEN (raw->>'minutes')::float8 ELSE 0 END)::float8 AS minutes
       FROM activity_event
      WHERE subject = $1 AND type = 'lesson' AND raw->>'client' = 'mobile' AND day BETWEEN $2::date AND $3::date
      GROUP BY day`,
    [user.account, from, to],
  );
  const counts = await sql.one<{ interactions: number; approved: number }>(
    `SELECT count(*) FILTER (WHERE type = 'interaction')::int AS interactions,
            count(DISTINCT raw->>'resourceId') FILTER (
              WHERE type = 'resource_review' AND raw->>'level' = 'province' AND raw->>'outcome' = 'approved'
                AND NOT EXISTS (SELECT 1 FROM activity_event d WHERE d.subject = $1 AND d.type = 'resource_deleted'
                                 AND d.raw->>'resourceId' = activity_event.raw->>'resourceId' AND d.day <= $3::date))::int AS approved
       FROM activity_event WHERE subject = $1 AND day BETWEEN $2::date AND $3::date`,
    [user.account, from, to],
  );
  const tasks = await sql.rows<{ students: number }>(
    `SELECT (SELECT count(DISTINCT e.raw->>'studentId')::int FROM activity_event e WHERE e.task_id = t.task_id AND e.type = 'task_engaged') AS students
       FROM activity_task t
      WHERE t.publisher = $1
        AND EXISTS (SELECT 1 FROM activity_event p WHERE p.task_id = t.task_id AND p.type = 'task_published' AND p.day BETWEEN $2::date AND $3::date)`,
    [user.account, from, to],
  );

  return {
    yearlyPoints: num(total.points),
    yearlyMobilePoints: num(total.mobile_points),
    yearlyPointsRank: rank && rank.size > 0 ? { rank: Math.min(num(rank.rank), num(rank.size)), groupSize: num(rank.size) } : null,
    mobileTeachingMinutesByDay: Object.fromEntries(lessons.map((l) => [l.day, num(l.minutes)])),
    interactions: num(counts?.interactions ?? 0),
    provinceApprovedOriginals: num(counts?.approved ?? 0),
    activityStudentCounts: tasks.map((t) => num(t.students)),
  };
}

/**
 * The platform's items for an application's score sheet. Only the featured-space rubric (teaching
 * spaces) has computed items; the other rubrics are scored by the experts entirely.
 */
export async function computedItemsFor(sql: Sql, app: ComputedItemsSubject, rubric: Rubric, year: number): Promise<ComputedItem[]> {
  if (rubric.id !== "FEATURED_SPACE" || app.applicant_kind !== "TEACHER") return [];
  return computeFeaturedSpaceItems(await featuredSpaceInputs(sql, app, year));
}
