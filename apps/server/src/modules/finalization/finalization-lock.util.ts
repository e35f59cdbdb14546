import type { Sql } from "../../db/data-source.js";
import { lockCampaign } from "./finalization.repository.js";

/**
 * Province steps that read a whole category or campaign and then write (planning, releasing,
 * grading, finalizing, publishing) take the campaign's lock exclusively, so they run one at a
 * time. Expert score writes take it shared: they run side by side, but never while a category is
 * being graded or finalized, so a finalization never misses a score changed at the same moment.
 */
export async function lockCampaignFinalization(sql: Sql, campaignId: string, mode: "exclusive" | "shared" = "exclusive"): Promise<void> {
  await lockCampaign(sql, campaignId, mode);
}
