import type { Sql } from "../../db/data-source.js";

/** Lock namespace of a campaign's finalization (first key of pg_advisory_xact_lock). */
const FINALIZATION_LOCK = 740_001;

/**
 * Province steps that read a whole category or campaign and then write (planning, releasing,
 * grading, finalizing, publishing) take the campaign's lock exclusively, so they run one at a
 * time. Expert score writes take it shared: they run side by side, but never while a category is
 * being graded or finalized, so a finalization never misses a score changed at the same moment.
 */
export async function lockCampaignFinalization(sql: Sql, campaignId: string, mode: "exclusive" | "shared" = "exclusive"): Promise<void> {
  const fn = mode === "exclusive" ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared";
  await sql.exec(`SELECT ${fn}(${FINALIZATION_LOCK}, ($1::bigint % 2147483647)::int)`, [campaignId]);
}
