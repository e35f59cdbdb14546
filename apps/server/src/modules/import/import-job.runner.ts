import type { Db } from "../../db/data-source.js";
import { logger } from "../../logger.js";

/** A job whose heartbeat is older than this is reported as interrupted (its process stopped). */
export const STALE_JOB_MINUTES = 10;
const HEARTBEAT_MS = 60_000;

/**
 * Runs import jobs of this API process one at a time, in the order they were uploaded.
 *
 * The uploaded file sits on this process's disk, so the process that received it runs the job;
 * the job's state lives in the `job` table, so any process can answer progress queries. One at a
 * time because an import saturates a core and the database; a second upload waits as QUEUED.
 * While a job waits or runs, a heartbeat keeps its `updated_at` fresh; a job whose process died
 * stops beating and is reported as interrupted (see import-job.service.ts).
 */
export class ImportJobRunner {
  private tail: Promise<void> = Promise.resolve();
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Db) {}

  enqueue(jobId: string, run: () => Promise<void>): Promise<void> {
    this.held.add(jobId);
    this.startHeartbeat();
    const done = this.tail.then(async () => {
      try {
        await run();
      } catch (err) {
        logger.error({ err, jobId }, "import job crashed");
      } finally {
        this.held.delete(jobId);
        if (!this.held.size) this.stopHeartbeat();
      }
    });
    this.tail = done;
    return done;
  }

  /** Resolves once every job enqueued so far has finished (used on shutdown). */
  idle(): Promise<void> {
    return this.tail;
  }

  private startHeartbeat() {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.db.exec(`UPDATE job SET updated_at = now() WHERE id = ANY($1::bigint[]) AND state IN ('QUEUED','RUNNING')`, [[...this.held]]).catch((err) => {
        logger.warn({ err }, "import job heartbeat failed");
      });
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  private stopHeartbeat() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

const runners = new WeakMap<Db, ImportJobRunner>();

/** The runner of this process for a database (one per server instance). */
export function importRunner(db: Db): ImportJobRunner {
  let r = runners.get(db);
  if (!r) {
    r = new ImportJobRunner(db);
    runners.set(db, r);
  }
  return r;
}
