import type { Express } from "express";
import type { RouteDeps } from "../../common/request-context.js";
import { startReminderSchedule } from "./notification.service.js";

/** No REST routes: mounting starts the hourly deadline reminders of this process. */
export function mountNotifications(_app: Express, deps: RouteDeps): void {
  startReminderSchedule(deps.db);
}
