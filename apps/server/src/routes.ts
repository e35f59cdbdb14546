import type { Express } from "express";
import type { RouteDeps } from "./common/request-context.js";
import { mountExports } from "./modules/export/exports.js";
import { mountActivityImport } from "./modules/activity/activity-import.routes.js";
import { mountTeacherImport } from "./modules/import/teacher-import.routes.js";
import { mountFiles } from "./modules/files/files.routes.js";

/** REST routes (file uploads, downloads, Excel exports) mounted beside /graphql. */
export const routeModules: ((app: Express, deps: RouteDeps) => void)[] = [mountExports, mountTeacherImport, mountActivityImport, mountFiles];
