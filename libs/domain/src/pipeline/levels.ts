import { DomainError, type FieldViolation } from "../errors.js";
import type { ApplicantKind, Campaign, PipelineConfig, ReviewLevel } from "../campaign/types.js";
import { REVIEW_LEVELS, REVIEW_LEVEL_LABELS } from "../campaign/types.js";

/**
 * Where an application comes from in the organization tree, as unit keys (division codes for city
 * and county; the server's key for schools and practice bases — the same scheme the actor uses).
 */
export interface ApplicationOrigin {
  applicantKind: ApplicantKind;
  cityCode: string;
  /** null when the applicant sits directly under the city, under a practice base, or is the city itself. */
  countyCode: string | null;
  /** The teacher's school, or the applying school; null for regions. */
  schoolKey: string | null;
  /** The practice base (实践教育基地) the applicant belongs to, if any. */
  practiceBaseKey: string | null;
}

/**
 * The levels one application passes, in order, from the campaign's configured levels:
 * - SCHOOL (school confirmation) only for teacher applications with a school;
 * - COUNTY only when the applicant has a county and is not a region: school applications start at
 *   the county, applicants directly under a city or under a practice base start at the city, and
 *   region applications (a county's or the city's own) start at the city, which both recommends
 *   its counties and submits its own application against its quota;
 * - CITY and PROVINCE as configured.
 */
export function levelsFor(campaign: Pick<Campaign, "pipeline">, origin: ApplicationOrigin): ReviewLevel[] {
  return campaign.pipeline.levels.filter((level) => {
    switch (level) {
      case "SCHOOL":
        return origin.applicantKind === "TEACHER" && origin.schoolKey !== null;
      case "COUNTY":
        return origin.applicantKind !== "REGION" && origin.countyCode !== null;
      case "CITY":
      case "PROVINCE":
        return true;
    }
  });
}

/** Problems of a pipeline configuration: known levels, in canonical order, each once, ending with PROVINCE. */
export function validatePipelineConfig(config: PipelineConfig): FieldViolation[] {
  const v: FieldViolation[] = [];
  const idx = config.levels.map((l) => REVIEW_LEVELS.indexOf(l));
  if (idx.some((i) => i < 0)) {
    v.push({ field: "pipeline.levels", rule: "enum", message: "审核层级只能是学校、县（市、区）级、设区市级、省级" });
  } else if (idx.some((i, n) => n > 0 && i <= idx[n - 1]!)) {
    v.push({ field: "pipeline.levels", rule: "order", message: "审核层级须按学校、县、市、省的顺序排列且不重复" });
  }
  if (config.levels[config.levels.length - 1] !== "PROVINCE") {
    v.push({ field: "pipeline.levels", rule: "province", message: `审核流程的最后一级须为${REVIEW_LEVEL_LABELS.PROVINCE}` });
  }
  return v;
}

/** The level after `level` on an application's path; null after PROVINCE. */
export function nextLevel(levels: readonly ReviewLevel[], level: ReviewLevel): ReviewLevel | null {
  const i = levels.indexOf(level);
  if (i < 0) throw new DomainError("INVALID_TRANSITION", `该申报的审核流程不包含${REVIEW_LEVEL_LABELS[level]}`);
  return levels[i + 1] ?? null;
}

/** The level before `level` on an application's path; null for the first. */
export function previousLevel(levels: readonly ReviewLevel[], level: ReviewLevel): ReviewLevel | null {
  const i = levels.indexOf(level);
  return i > 0 ? levels[i - 1]! : null;
}
