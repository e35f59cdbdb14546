/**
 * The activity-point rules (之江汇教育广场平台活跃度规则) as versioned data.
 *
 * The 2018 trial version is the one in SPEC §5 / Annex 1 of 000_9d5d1679f5733cc2.txt. A later year
 * passes another RuleSet with the same shape; the engine reads every number from here.
 *
 * Every cap is a cap on points (not on events): an award that would pass a cap is cut to what is
 * left under it, and nothing is awarded once the cap is reached. With the 2018 numbers every award
 * divides its cap, so this only matters for a future rule set.
 */
export interface RuleSet {
  /** Stable identifier, stored with every ledger the server writes. */
  readonly version: string;
  readonly login: {
    /** Points for a day with at least one login. */
    readonly points: number;
    /** Points for a day that is the `streakDays`-th or later consecutive day with a login. */
    readonly streakPoints: number;
    readonly streakDays: number;
  };
  readonly profile: {
    readonly points: number;
    /** The profile items an event may record (the `item` field), at most 31. */
    readonly items: readonly string[];
    /** How many distinct items complete the profile. */
    readonly requiredItems: number;
  };
  readonly mobileUse: { readonly points: number; readonly dailyCap: number };
  readonly spread: {
    /** Points to the owner per distinct actor per resource. */
    readonly points: number;
    readonly dailyCapPerOwner: number;
    readonly lifetimeCapPerResource: number;
  };
  readonly submission: {
    /** Review levels in the order of the pipeline, with the points an approval at that level earns. */
    readonly levels: readonly { readonly level: string; readonly points: number }[];
  };
  readonly lesson: { readonly points: number; readonly dailyCap: number };
  readonly task: {
    readonly points: number;
    /** Distinct students that must engage (after publication) for the task to earn. */
    readonly studentsRequired: number;
    readonly dailyCapPerTeacher: number;
  };
  readonly interaction: {
    /**
     * Daily totals by distinct counterparts, ascending: reaching `counterparts` makes the day's
     * interaction points `total` (the award at each step is the difference to the previous step).
     */
    readonly tiers: readonly { readonly counterparts: number; readonly total: number }[];
  };
  /** Points per distinct application per user per day. */
  readonly app: { readonly points: number };
  readonly targets: ActivityTargets;
}

export interface ActivityTargets {
  /** A teacher meets the monthly target with at least this many points in the month. */
  readonly teacherMonthly: number;
  /** A teacher meets the yearly target with at least this many points in the year. */
  readonly teacherYearly: number;
  /** A school's overall activity: the mean yearly points of its unlocked teachers. */
  readonly schoolYearlyMean: number;
  /** Share of a school's spaces that must be active, in percent (15 means 15%). */
  readonly schoolActivePercent: number;
  /** A space is active in a period when it earned at least this many points in it. */
  readonly activeMinPoints: number;
}

/** The nine rules, in the order every report lists them. */
export const RULE_NAMES = [
  "login",
  "profile",
  "mobile_use",
  "spread",
  "submission",
  "lesson",
  "task",
  "interaction",
  "app",
] as const;

export type RuleName = (typeof RULE_NAMES)[number];

/** SPEC §5, the 2018 trial version (活跃度规则（试行）). */
export const RULE_SET_2018_TRIAL: RuleSet = deepFreeze({
  version: "2018-trial",
  login: { points: 1, streakPoints: 2, streakDays: 7 },
  profile: { points: 5, items: ["avatar", "contact", "affiliation", "subject"], requiredItems: 4 },
  mobileUse: { points: 1, dailyCap: 2 },
  spread: { points: 1, dailyCapPerOwner: 2, lifetimeCapPerResource: 50 },
  submission: {
    levels: [
      { level: "county", points: 3 },
      { level: "city", points: 7 },
      { level: "province", points: 10 },
    ],
  },
  lesson: { points: 5, dailyCap: 10 },
  task: { points: 5, studentsRequired: 10, dailyCapPerTeacher: 5 },
  interaction: {
    tiers: [
      { counterparts: 5, total: 3 },
      { counterparts: 10, total: 5 },
    ],
  },
  app: { points: 2 },
  targets: {
    teacherMonthly: 30,
    teacherYearly: 300,
    schoolYearlyMean: 300,
    schoolActivePercent: 15,
    activeMinPoints: 1,
  },
});

export const DEFAULT_RULE_SET: RuleSet = RULE_SET_2018_TRIAL;

/**
 * Checks that a rule set is usable by the engine; returns the problems (empty when fine).
 * A rule set loaded from configuration should pass this before it is used.
 */
export function ruleSetProblems(rs: RuleSet): string[] {
  const problems: string[] = [];
  const nonNegative = (name: string, v: number) => {
    if (!Number.isFinite(v) || v < 0) problems.push(`${name} must be a finite number ≥ 0`);
  };
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) problems.push(`${name} must be an integer ≥ 1`);
  };
  if (typeof rs.version !== "string" || rs.version === "") problems.push("version must be a non-empty string");
  nonNegative("login.points", rs.login.points);
  nonNegative("login.streakPoints", rs.login.streakPoints);
  positiveInt("login.streakDays", rs.login.streakDays);
  nonNegative("profile.points", rs.profile.points);
  if (rs.profile.items.length < 1 || rs.profile.items.length > 31) problems.push("profile.items must hold 1 to 31 items");
  if (new Set(rs.profile.items).size !== rs.profile.items.length) problems.push("profile.items must be distinct");
  positiveInt("profile.requiredItems", rs.profile.requiredItems);
  if (rs.profile.requiredItems > rs.profile.items.length) problems.push("profile.requiredItems exceeds the number of items");
  nonNegative("mobileUse.points", rs.mobileUse.points);
  nonNegative("mobileUse.dailyCap", rs.mobileUse.dailyCap);
  nonNegative("spread.points", rs.spread.points);
  nonNegative("spread.dailyCapPerOwner", rs.spread.dailyCapPerOwner);
  nonNegative("spread.lifetimeCapPerResource", rs.spread.lifetimeCapPerResource);
  if (rs.submission.levels.length < 1 || rs.submission.levels.length > 31) problems.push("submission.levels must hold 1 to 31 levels");
  if (new Set(rs.submission.levels.map((l) => l.level)).size !== rs.submission.levels.length) {
    problems.push("submission.levels must be distinct");
  }
  rs.submission.levels.forEach((l, i) => nonNegative(`submission.levels[${i}].points`, l.points));
  nonNegative("lesson.points", rs.lesson.points);
  nonNegative("lesson.dailyCap", rs.lesson.dailyCap);
  nonNegative("task.points", rs.task.points);
  positiveInt("task.studentsRequired", rs.task.studentsRequired);
  nonNegative("task.dailyCapPerTeacher", rs.task.dailyCapPerTeacher);
  let prevCount = 0;
  let prevTotal = 0;
  rs.interaction.tiers.forEach((t, i) => {
    positiveInt(`interaction.tiers[${i}].counterparts`, t.counterparts);
    if (t.counterparts <= prevCount || t.total < prevTotal) {
      problems.push("interaction.tiers must be ascending in counterparts and non-decreasing in total");
    }
    prevCount = t.counterparts;
    prevTotal = t.total;
  });
  nonNegative("app.points", rs.app.points);
  const t = rs.targets;
  nonNegative("targets.teacherMonthly", t.teacherMonthly);
  nonNegative("targets.teacherYearly", t.teacherYearly);
  nonNegative("targets.schoolYearlyMean", t.schoolYearlyMean);
  if (!(t.schoolActivePercent >= 0 && t.schoolActivePercent <= 100)) problems.push("targets.schoolActivePercent must be within 0–100");
  nonNegative("targets.activeMinPoints", t.activeMinPoints);
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
