import type { Tx } from "../../db/data-source.js";
import type { DemoSeeder } from "../../db/demo-seeder.js";
import { findAccount } from "../users/user.repository.js";
import { auditDemoExtensions, demoCampaignIdOf, insertDemoExtension } from "./campaign.repository.js";
import { insertCampaign } from "./campaign.service.js";
import { demoCampaign2023, type StageCode } from "./domain.js";

export const DEMO_CAMPAIGN_TITLE = demoCampaign2023().title;

/** The stages the demo keeps open past their real 2023 deadlines, so every step can be tried. */
const DEMO_EXTENDED: StageCode[] = ["CONTACTS", "CLUB_REGISTRATION", "APPLICATION", "SCHOOL_REVIEW", "COUNTY_REVIEW", "CITY_REVIEW"];

/** The demo campaign's id (the 2023 campaign), or undefined before it is seeded. */
export async function demoCampaignId(tx: Pick<Tx, "one">): Promise<string | undefined> {
  return demoCampaignIdOf(tx, DEMO_CAMPAIGN_TITLE);
}

/**
 * The 2023 campaign of the province notice, as published (OPEN), with its real timeline. Its
 * deadlines are long past, so the demo records province extensions (as a province admin would,
 * with a reason, in the audit log) to the end of next year; nothing in the code knows 2023.
 */
export const campaignSeeder: DemoSeeder = {
  name: "campaign-2023",
  async run(tx) {
    const admin = await findAccount(tx, "prov_admin");
    const id = await insertCampaign(tx, demoCampaign2023(), admin?.id ?? null, "OPEN");
    const until = `${new Date().getUTCFullYear() + 1}-12-31`;
    const reason = "演示环境：各阶段截止日期延长，以便体验完整流程";
    for (const stage of DEMO_EXTENDED) {
      await insertDemoExtension(tx, id, stage, until, reason, admin?.id ?? null);
    }
    await auditDemoExtensions(tx, admin?.id ?? null, id, reason, { stages: DEMO_EXTENDED, until });
  },
};
