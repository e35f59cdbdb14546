import type { Express } from "express";
import type { RouteDeps } from "../../common/request-context.js";
import { mountExportRoutes, type ExportSpec } from "./export.registry.js";
import { orgExports } from "../org/org.exports.js";
import { usersExports } from "../users/users.exports.js";
import { activityExports } from "../activity/activity.exports.js";
import { statsExports } from "../stats/stats.exports.js";
import { finalizationExports } from "../finalization/finalization.exports.js";
import { importExports } from "../import/import.exports.js";
import { campaignExports } from "../campaign/campaign.exports.js";
import { applicationExports } from "../application/application.exports.js";

/**
 * Every Excel export served under /api/export/<name>.xlsx, module by module (the order of
 * GET /api/exports). A module's exports live in its `*.exports.ts`; a new module adds its list here.
 */
export const exportSpecs: readonly ExportSpec[] = [
  ...orgExports,
  ...usersExports,
  ...activityExports,
  ...statsExports,
  ...finalizationExports,
  ...importExports,
  ...campaignExports,
  ...applicationExports,
];

export function mountExports(app: Express, deps: RouteDeps): void {
  mountExportRoutes(app, deps, exportSpecs);
}
