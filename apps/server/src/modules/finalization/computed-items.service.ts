import { computeFeaturedSpaceItems, type ComputedItem, type FeaturedSpaceInputs, type Rubric } from "@zjh/domain";
import type { Sql } from "../../db/data-source.js";
import { accountOf, interactionsAndApproved, mobileLessonMinutes, pointsRank, taskStudents, yearlyTotal } from "./computed-items.repository.js";

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
  const user = await accountOf(sql, app.applicant_user_id);
  if (!user) return {};
  const period = String(year);
  const total = await yearlyTotal(sql, user.account, period);
  if (!total) return {};

  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  // One after another: `sql` may be a transaction, whose one connection runs one query at a time.
  const rank = await pointsRank(sql, {
    campaignId: app.campaign_id, categoryCode: app.category_code, period, states: RANKED_GROUP_STATES, points: total.points,
  });
  const lessons = await mobileLessonMinutes(sql, user.account, from, to);
  const counts = await interactionsAndApproved(sql, user.account, from, to);
  const tasks = await taskStudents(sql, user.account, from, to);

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
