/**
 * Targets of the 2018 notice (configurable through the rule set): a teacher ≥30 points a month and
 * ≥300 a year; a school's overall activity (mean yearly points of its unlocked teachers) ≥300 with
 * ≥15% of its spaces active; a space is active in a period when it earned ≥1 point in it.
 */
import { DEFAULT_RULE_SET, type RuleSet } from "./rule-set.js";

export type TargetPeriod = "month" | "year";

export function isActiveSpace(points: number, ruleSet: RuleSet = DEFAULT_RULE_SET): boolean {
  return points >= ruleSet.targets.activeMinPoints;
}

export function meetsTeacherTarget(points: number, period: TargetPeriod, ruleSet: RuleSet = DEFAULT_RULE_SET): boolean {
  return points >= (period === "month" ? ruleSet.targets.teacherMonthly : ruleSet.targets.teacherYearly);
}

export interface SchoolActivity {
  teachers: number;
  /** Mean yearly points of the school's unlocked teachers (0 when there are none). */
  meanPoints: number;
  activeTeachers: number;
  /** activeTeachers / teachers (0 when there are none). */
  activeShare: number;
  meetsMean: boolean;
  meetsActiveShare: boolean;
  /** Both of the above. */
  meetsTarget: boolean;
}

/**
 * A school's yearly standing from the yearly points of its unlocked (not locked) teachers' spaces.
 * A school without unlocked teachers meets nothing.
 */
export function evaluateSchool(teacherYearlyPoints: readonly number[], ruleSet: RuleSet = DEFAULT_RULE_SET): SchoolActivity {
  const t = ruleSet.targets;
  const teachers = teacherYearlyPoints.length;
  let sum = 0;
  let active = 0;
  for (const p of teacherYearlyPoints) {
    sum += p;
    if (p >= t.activeMinPoints) active++;
  }
  const meanPoints = teachers === 0 ? 0 : sum / teachers;
  // Compare in integers where possible: 15% of 20 teachers is exactly 3.
  const meetsMean = teachers > 0 && sum >= t.schoolYearlyMean * teachers;
  const meetsActiveShare = teachers > 0 && active * 100 >= t.schoolActivePercent * teachers;
  return {
    teachers,
    meanPoints,
    activeTeachers: active,
    activeShare: teachers === 0 ? 0 : active / teachers,
    meetsMean,
    meetsActiveShare,
    meetsTarget: meetsMean && meetsActiveShare,
  };
}
