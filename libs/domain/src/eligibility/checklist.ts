import type { Campaign } from "../campaign/types.js";
import { findCategory } from "../pipeline/quota.js";
import { evaluateCriteria, type CriterionResult, type Indicators } from "./criteria.js";

/** The reviewer checklist of one application: its category's criteria evaluated on the applicant's indicators. */
export function categoryChecklist(
  campaign: Pick<Campaign, "categories">,
  categoryCode: string,
  indicators: Indicators,
): CriterionResult[] {
  return evaluateCriteria(findCategory(campaign, categoryCode).criteria, indicators);
}
