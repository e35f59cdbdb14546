import type { CriterionDef } from "../eligibility/criteria.js";
import type { GradingScheme } from "../finalization/grading.js";
import type { Rubric } from "../rubric/types.js";

/** Who applies in a category: a teacher for their own space, a school, or a city/county region. */
export type ApplicantKind = "TEACHER" | "SCHOOL" | "REGION";

export const APPLICANT_KIND_LABELS: Record<ApplicantKind, string> = {
  TEACHER: "教师",
  SCHOOL: "学校",
  REGION: "区域",
};

/** A level of the review pipeline. PROVINCE is always the last one. */
export type ReviewLevel = "SCHOOL" | "COUNTY" | "CITY" | "PROVINCE";

export const REVIEW_LEVELS: readonly ReviewLevel[] = ["SCHOOL", "COUNTY", "CITY", "PROVINCE"];

export const REVIEW_LEVEL_LABELS: Record<ReviewLevel, string> = {
  SCHOOL: "学校",
  COUNTY: "县（市、区）级",
  CITY: "设区市级",
  PROVINCE: "省级",
};

/** The stages of a campaign's timeline; each may carry a deadline. */
export type StageCode =
  | "CONTACTS"
  | "CLUB_REGISTRATION"
  | "APPLICATION"
  | "SCHOOL_REVIEW"
  | "COUNTY_REVIEW"
  | "CITY_REVIEW"
  | "PROVINCE_REVIEW"
  | "PUBLICATION";

export interface StageSchedule {
  stage: StageCode;
  /** Chinese name shown to users and used in deadline messages, e.g. "市级评审与报送". */
  name: string;
  /**
   * Last day of the stage as a calendar date (YYYY-MM-DD) in Asia/Shanghai, inclusive: the stage
   * closes at 24:00 Beijing time of that day. null: no deadline.
   */
  deadline: string | null;
  /**
   * Unit-specific deadlines (a city's own schedule for applications or county review), keyed by
   * unit key. The deepest unit of the acting unit's path that is listed here wins over `deadline`.
   */
  unitDeadlines?: Record<string, string>;
}

/**
 * How many applications a unit may have recommended upward in one category. Caps are keyed by
 * unit key (division code for cities and counties). See pipeline/quota.ts for how a
 * recommendation consumes places.
 */
export interface CategoryQuota {
  /** City → province places by city code. A city not listed has no places (cap 0). */
  perCity?: Record<string, number>;
  /** A city may split its perCity places into county sub-quotas that cap county → city recommendations. */
  countySubQuotas?: boolean;
  /** County → city places, the same for every county. */
  perCounty?: number;
  /** City → province places for each county of origin. */
  perCityFromEachCounty?: number;
  /** City → province places for applicants directly under the city (no county). */
  perCityDirect?: number;
  /** City → province places for applicants under a practice base, counted apart from perCity. */
  practiceBasePerCity?: number;
}

export interface AwardCategory {
  /** Stable code, e.g. "TEACHING_SPACE". */
  code: string;
  /** Chinese name, e.g. "优秀教学空间". */
  name: string;
  applicantKind: ApplicantKind;
  /** The checklist shown to reviewers; computed where the criterion has a check and data exists. */
  criteria: CriterionDef[];
  quota: CategoryQuota;
  /** The expert scoring form. */
  rubric: Rubric;
}

export interface PipelineConfig {
  /**
   * The review levels in order, a subsequence of SCHOOL, COUNTY, CITY, PROVINCE ending with
   * PROVINCE. SCHOOL applies to teacher applications only; COUNTY is skipped for applicants with no
   * county (directly under a city, practice bases) and for region applications.
   */
  levels: ReviewLevel[];
}

export interface FormSettings {
  /** Case length bounds, counted by countCaseCharacters. */
  caseMinChars: number;
  caseMaxChars: number;
  /** Hosts the space URL must be on (a host or any subdomain of it). Empty: any http(s) host. */
  spaceUrlHosts: string[];
}

export interface FinalizationSettings {
  /** How many experts score each application. */
  expertsPerApplication: number;
  /** Scores whose max − min exceeds this many points are flagged for a further review. */
  spreadThreshold: number;
  grading: GradingScheme;
}

export interface Campaign {
  year: number;
  /** e.g. "之江汇教育广场2023年空间建设与应用活动". */
  title: string;
  /** Document number, e.g. "浙教技中心〔2023〕27号". */
  docNo: string;
  issuer: string;
  /** Issue date, YYYY-MM-DD. */
  issuedOn: string;
  stages: StageSchedule[];
  pipeline: PipelineConfig;
  categories: AwardCategory[];
  forms: FormSettings;
  finalization: FinalizationSettings;
}
