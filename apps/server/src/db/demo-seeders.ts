import type { DemoSeeder } from "./demo-seeder.js";
import { activitySeeder } from "../modules/activity/activity.seed.js";
import { campaignSeeder } from "../modules/campaign/campaign.seed.js";
import { applicationSeeder } from "../modules/application/application.seed.js";
import { finalizationSeeder } from "../modules/finalization/finalization.seed.js";

/**
 * Every module's demo data, in the order it runs: a seeder may read what an earlier one wrote
 * (applications need the campaign; finalization needs the applications). A new seeder is one
 * line here.
 */
export const demoSeeders: readonly DemoSeeder[] = [activitySeeder, campaignSeeder, applicationSeeder, finalizationSeeder];
