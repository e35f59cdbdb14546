/**
 * Checklist indicators derived from the activity accounting (SPEC §5): the platform's feed knows
 * logins, lessons on the teaching client, resource approvals, tasks and so on, per account and
 * day. From plain aggregate numbers (yearly totals, per-day lesson points, the submission entries
 * of the points log, counts over a unit's teachers) this module derives the indicators a reviewer
 * checklist can decide; everything the feed does not carry (visits, student spaces, lectures,
 * club activities, reviews a teacher did) stays absent, so the checklist says NO_DATA.
 */
import { DEFAULT_RULE_SET, RULE_NAMES, type RuleSet } from "../activity/rule-set.js";
import {
  evaluateCriteria, INDICATORS, indicatorsUsedBy,
  type CheckResult, type CriterionCheck, type CriterionDef, type CriterionResult, type IndicatorKey, type Indicators,
} from "./criteria.js";

/** The review level of a `resource_review` event that selects a resource into the province library. */
export const PROVINCE_REVIEW_LEVEL = "province";

/** A yearly total of one account (activity_total, period "YYYY"). */
export interface YearTotal {
  year: number;
  points: number;
  /** Points per rule in RULE_NAMES order. */
  rulePoints: readonly number[];
}

/** An award (points > 0) or deduction (points < 0) of the submission rule in the points log. */
export interface SubmissionEntry {
  /** Asia/Shanghai day, YYYY-MM-DD. */
  day: string;
  points: number;
  /** The review level of the awarding event (county, city, province); null for deductions. */
  level: string | null;
  resourceId: string | null;
}

/** What the activity aggregates say about one teacher's account. */
export interface TeacherActivityFacts {
  /** The campaign year. */
  year: number;
  /** Yearly totals of the account for years up to and including `year` (a missing year: no points). */
  yearTotals: readonly YearTotal[];
  /** Lesson-rule points of each Shanghai day of `year` that has any. */
  lessonPointsByDay: readonly number[];
  /** Submission-rule entries of the account up to the end of `year`. */
  submissions: readonly SubmissionEntry[];
}

/** Counts over the statistics roster of a unit (unlocked users with the TEACHER role at or below it). */
export interface UnitActivityFacts {
  year: number;
  teachers: number;
  /** Teachers with a yearly total for `year`. */
  teachersWithData: number;
  /** Teachers whose space is active in `year` (ruleSet.targets.activeMinPoints or more). */
  activeTeachers: number;
  /**
   * Teachers credited with at least one lesson on the teaching client (教学端) in `year`. The
   * notice gives no frequency for SCHOOL ("利用…教学端开展备授课") or REGION ("常态化开展"), so
   * any credited lesson counts.
   */
  teachingClientTeachers: number;
}

export interface ActivityIndicators {
  indicators: Indicators;
  /**
   * Indicators whose value is only a lower bound of the real count, each with the reason (Chinese).
   * A check on such a value is decided only when the real count could not change its outcome.
   */
  lowerBounds: Partial<Record<IndicatorKey, string>>;
  /** Reference items from the activity targets, shown after the campaign's criteria. */
  references: CriterionResult[];
}

/** A checklist row: a campaign criterion, or a reference item from the activity targets. */
export interface ChecklistItem extends CriterionResult {
  reference: boolean;
}

function ruleIndex(rule: (typeof RULE_NAMES)[number]): number {
  return RULE_NAMES.indexOf(rule);
}

/**
 * Lessons credited on the teaching client from the lesson points of each day: every lesson earns
 * `lesson.points` until the day's cap, so a day at its cap may have had more lessons than it
 * credits. Null when the rule set awards nothing for lessons (the count cannot be read back).
 */
export function creditedLessons(lessonPointsByDay: readonly number[], ruleSet: RuleSet = DEFAULT_RULE_SET): { lessons: number; cappedDays: number } | null {
  const { points, dailyCap } = ruleSet.lesson;
  if (!(points > 0) || !(dailyCap > 0)) return null;
  let lessons = 0;
  let cappedDays = 0;
  for (const p of lessonPointsByDay) {
    if (!(p > 0)) continue;
    // A cap that the per-lesson points do not divide cuts the last award: it still is a lesson.
    lessons += Math.ceil(p / points);
    if (p >= dailyCap) cappedDays++;
  }
  return { lessons, cappedDays };
}

/**
 * Distinct resources approved at province level on a day in [from, until] and not deleted by
 * `until` (a deletion is the deduction entry of the resource).
 */
export function provinceApprovedResources(submissions: readonly SubmissionEntry[], from: string, until: string): number {
  const deleted = new Set<string>();
  for (const s of submissions) if (s.points < 0 && s.resourceId !== null && s.day <= until) deleted.add(s.resourceId);
  const approved = new Set<string>();
  for (const s of submissions) {
    if (s.points > 0 && s.level === PROVINCE_REVIEW_LEVEL && s.resourceId !== null && s.day >= from && s.day <= until && !deleted.has(s.resourceId)) {
      approved.add(s.resourceId);
    }
  }
  return approved.size;
}

/** The reference item of a teacher's yearly points against the yearly target. */
export function yearlyTargetItem(year: number, points: number | null, ruleSet: RuleSet = DEFAULT_RULE_SET): CriterionResult {
  const target = ruleSet.targets.teacherYearly;
  const base = { id: "ACTIVITY_YEAR_TARGET", text: `${year}年度个人空间活跃度达到${target}以上（活跃度规则年度目标，参考项）` };
  if (points === null) return { ...base, status: "NO_DATA", detail: `${year}年度空间活跃度：暂无数据` };
  return { ...base, status: points >= target ? "MET" : "NOT_MET", detail: `${year}年度空间活跃度 ${points}（目标不少于${target}）` };
}

/**
 * A teacher's indicators for the campaign year. A teacher without any activity data up to the year
 * has no indicators; one without data in the year has only those that do not depend on the year.
 */
export function teacherIndicatorsFromActivity(facts: TeacherActivityFacts, ruleSet: RuleSet = DEFAULT_RULE_SET): ActivityIndicators {
  const { year } = facts;
  const totals = facts.yearTotals.filter((t) => t.year <= year);
  const thisYear = totals.find((t) => t.year === year);
  const until = `${year}-12-31`;
  const indicators: Indicators = {};
  const lowerBounds: ActivityIndicators["lowerBounds"] = {};

  if (totals.length > 0) {
    // The profile award is paid once, on the day the last required item is first recorded.
    const profile = ruleIndex("profile");
    indicators.profileComplete = totals.some((t) => (t.rulePoints[profile] ?? 0) > 0);
    indicators.provinceSelectedResourcesShown = provinceApprovedResources(facts.submissions, "0000-01-01", until);
  }
  if (thisYear) {
    indicators.provinceLibraryResourcesThisYear = provinceApprovedResources(facts.submissions, `${year}-01-01`, until);
    const lessons = creditedLessons(facts.lessonPointsByDay, ruleSet);
    if (lessons) {
      indicators.teachingClientActivities = lessons.lessons;
      if (lessons.cappedDays > 0) {
        lowerBounds.teachingClientActivities =
          `按活跃度积分记录计为至少${lessons.lessons}次：有${lessons.cappedDays}天授课达到每日计分上限，超出上限的授课未计入`;
      }
    }
  }
  return { indicators, lowerBounds, references: [yearlyTargetItem(year, thisYear ? thisYear.points : null, ruleSet)] };
}

/** A school's or region's indicators for the campaign year, from counts over its teachers. */
export function unitIndicatorsFromActivity(facts: UnitActivityFacts): ActivityIndicators {
  const indicators: Indicators = { teacherCount: facts.teachers };
  if (facts.teachersWithData > 0) {
    indicators.activeTeacherSpaces = facts.activeTeachers;
    indicators.teachingClientTeachers = facts.teachingClientTeachers;
  }
  return { indicators, lowerBounds: {}, references: [] };
}

/** Whether a configured check can be evaluated (known kinds and indicators); configuration is data. */
export function isComputableCheck(check: unknown): check is CriterionCheck {
  if (!check || typeof check !== "object") return false;
  const c = check as Record<string, unknown>;
  const known = (k: unknown) => typeof k === "string" && Object.hasOwn(INDICATORS, k);
  const num = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  switch (c.kind) {
    case "FLAG":
      return known(c.indicator);
    case "AT_LEAST":
      return known(c.indicator) && num(c.min);
    case "ABOVE":
      return known(c.indicator) && known(c.reference);
    case "RATIO_AT_LEAST":
      return typeof c.label === "string" && known(c.numerator) && known(c.denominator) && num(c.min);
    case "RATIO_BELOW":
      return typeof c.label === "string" && known(c.numerator) && known(c.denominator) && num(c.max);
    case "ALL":
    case "ANY":
      return Array.isArray(c.checks) && c.checks.length > 0 && c.checks.every(isComputableCheck);
    default:
      return false;
  }
}

/** Statuses that agree at the lower bound and at "unbounded" are decided; the others are not. */
function mergeBounds(low: CheckResult, high: CheckResult): CheckResult {
  const status = low.status === high.status ? low.status : "NO_DATA";
  if (!low.parts) return { status, detail: low.detail };
  return { status, detail: low.detail, parts: low.parts.map((p, i) => mergeBounds(p, high.parts![i]!)) };
}

/** Far above any count a criterion asks for, and still exact in floating point. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/**
 * The reviewer checklist of a category's criteria on derived indicators, then the reference items.
 *
 * A lower-bound indicator is evaluated twice, at its value and unbounded: where both give the same
 * status the real count cannot change it; otherwise the criterion is NO_DATA for reviewers to check.
 * This holds because every check is monotone in each indicator it reads (at-least, above, ratio
 * thresholds, and their ALL/ANY combinations).
 */
export function activityChecklist(criteria: readonly CriterionDef[], derived: ActivityIndicators): ChecklistItem[] {
  const defs = criteria.map((c) =>
    c.check === undefined || isComputableCheck(c.check) ? c : { id: c.id, text: c.text },
  );
  const low = evaluateCriteria(defs, derived.indicators);
  const bounded = (Object.keys(derived.lowerBounds) as IndicatorKey[]).filter((k) => derived.indicators[k] != null);
  const high = bounded.length
    ? evaluateCriteria(defs, { ...derived.indicators, ...Object.fromEntries(bounded.map((k) => [k, UNBOUNDED])) })
    : low;
  const items = low.map((r, i): ChecklistItem => {
    const def = defs[i]!;
    if (def.check === undefined && criteria[i]!.check !== undefined) {
      return { ...r, detail: "评审条件配置无法自动计算，需评审人员人工核查", reference: false };
    }
    const notes = indicatorsUsedBy([def]).filter((k) => bounded.includes(k)).map((k) => derived.lowerBounds[k]!);
    if (notes.length === 0) return { ...r, reference: false };
    const merged = mergeBounds(r, high[i]!);
    const decided = merged.status === r.status;
    const detail = decided ? `${r.detail}（${notes.join("；")}）` : `${r.detail}；${notes.join("；")}，需评审人员人工核查`;
    return { id: r.id, text: r.text, ...merged, detail, reference: false };
  });
  return [...items, ...derived.references.map((r) => ({ ...r, reference: true }))];
}
