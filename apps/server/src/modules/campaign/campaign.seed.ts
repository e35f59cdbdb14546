import type { Tx } from "../../db/data-source.js";
import type { DemoSeeder } from "../../db/demo-seeder.js";
import { insertCampaign } from "./campaign.service.js";
import { demoCampaign2023, type StageCode } from "./domain.js";

export const DEMO_CAMPAIGN_TITLE = demoCampaign2023().title;

/** The stages the demo keeps open past their real 2023 deadlines, so every step can be tried. */
const DEMO_EXTENDED: StageCode[] = ["CONTACTS", "CLUB_REGISTRATION", "APPLICATION", "SCHOOL_REVIEW", "COUNTY_REVIEW", "CITY_REVIEW"];

/** The demo campaign's id (the 2023 campaign), or undefined before it is seeded. */
export async function demoCampaignId(tx: Pick<Tx, "one">): Promise<string | undefined> {
  const r = await tx.one<{ id: string }>(`SELECT id FROM campaign WHERE year = 2023 AND title = $1 ORDER BY id LIMIT 1`, [DEMO_CAMPAIGN_TITLE]);
  return r ? String(r.id) : undefined;
}

/**
 * The 2023 campaign of the province notice, as published (OPEN), with its real timeline. Its
 * deadlines are long past, so the demo records province extensions (as a province admin would,
 * with a reason, in the audit log) to the end of next year; nothing in the code knows 2023.
 */
export const campaignSeeder: DemoSeeder = {
  name: "campaign-2023",
  async run(tx) {
    const admin = await tx.one<{ id: string }>(`SELECT id FROM app_user WHERE account = 'prov_admin'`);
    const id = await insertCampaign(tx, demoCampaign2023(), admin?.id ?? null, "OPEN");
    const until = `${new Date().getUTCFullYear() + 1}-12-31`;
    const reason = "演示环境：各阶段截止日期延长，以便体验完整流程";
    for (const stage of DEMO_EXTENDED) {
      await tx.exec(`INSERT INTO deadline_extension (campaign_id, stage, until, reason, created_by) VALUES ($1, $2, $3, $4, $5)`, [id, stage, until, reason, admin?.id ?? null]);
    }
    await tx.exec(
      `INSERT INTO audit_log (actor_user_id, actor_role, action, target_type, target_id, reason, data) VALUES ($1, 'PROVINCE_ADMIN', 'DEADLINE_EXTEND', 'campaign', $2, $3, $4)`,
      [admin?.id ?? null, id, reason, JSON.stringify({ stages: DEMO_EXTENDED, until })],
    );
  },
};
