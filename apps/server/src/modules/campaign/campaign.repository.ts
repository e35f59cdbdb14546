import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";

export const queries = sqlQueries({
  categoryNames: `SELECT campaign_id, code, name FROM award_category WHERE campaign_id = ANY($1::bigint[])`,
});

/** The category names of campaigns (code → name), one map per campaign id. */
export async function categoryNamesOf(sql: Sql, campaignIds: readonly string[]): Promise<Map<string, string>[]> {
  const rows = await sql.rows<{ campaign_id: string; code: string; name: string }>(queries.categoryNames, [campaignIds]);
  return campaignIds.map((id) => new Map(rows.filter((r) => String(r.campaign_id) === String(id)).map((r) => [r.code, r.name])));
}
