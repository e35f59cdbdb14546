import type { ServerConfig } from "./config.js";
import type { Db } from "./db/data-source.js";
import { jobKinds } from "./jobs/job-kinds.js";
import { JobRunner, nodeId } from "./jobs/job-runner.js";
import { logger } from "./logger.js";
import { drainDirtyAccounts } from "./modules/activity/activity-ingest.service.js";
import { startReminderSchedule, stopReminderSchedule } from "./modules/notification/notification.service.js";

/** The background work of one API process, started by main.ts (and by the test server). */
export interface Background {
  runner: JobRunner;
  /**
   * Stops taking work and waits for the running job until `deadline` (epoch ms); false when a job
   * was still running then (another process, or the next start, takes it over after its lease).
   */
  stop(deadline: number): Promise<boolean>;
}

/**
 * Starts the job runner (every kind of jobs/job-kinds.ts, shared with the other processes on the
 * database), the hourly deadline reminders, and the rescoring of accounts a previous run left
 * marked.
 */
export function startBackground(db: Db, config: ServerConfig): Background {
  const runner = new JobRunner(db, jobKinds, { node: nodeId(config.dataDir) });
  runner.start();
  startReminderSchedule(db);
  const rescoring = drainDirtyAccounts(db).catch((err) => logger.warn({ err }, "rescoring accounts left marked failed"));
  return {
    runner,
    async stop(deadline) {
      stopReminderSchedule();
      const idle = await runner.stop(deadline);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([rescoring, new Promise((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))))]);
      clearTimeout(timer);
      return idle;
    },
  };
}
