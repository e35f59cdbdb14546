import crypto from "node:crypto";
import os from "node:os";
import type { Db, Sql } from "../db/data-source.js";
import { logger } from "../logger.js";
import { claimJob, failJob, heartbeatJob, insertJob } from "./job.repository.js";

/**
 * Background jobs: one runner per API process over the `job` table, shared by every process on
 * the database. A runner claims one job at a time (`FOR UPDATE SKIP LOCKED`, so two runners never
 * claim the same job), keeps its lease alive with a heartbeat on `updated_at`, and takes over a
 * RUNNING job whose heartbeat is older than the lease (its process died). What a job does is its
 * kind's handler (`JobKind`), listed in jobs/job-kinds.ts.
 */

/** A RUNNING job whose heartbeat is older than this is taken over (its process stopped). */
export const JOB_LEASE_MS = 2 * 60_000;
/** How often a running job's lease is renewed. */
export const JOB_HEARTBEAT_MS = 20_000;
export { RUNNER_SQL_TAG } from "./job.repository.js";
/** How often an idle runner looks for work queued by another process (its own wake it at once). */
export const JOB_POLL_MS = 5_000;

export interface ClaimedJob {
  id: string;
  kind: string;
  createdBy: string | null;
  /** What the job shows (progress screens read it). */
  result: any;
  /** What the job needs to run (server-internal). */
  payload: any;
  /** How many times the job was claimed, this claim included. */
  attempts: number;
  /** The job was RUNNING in a process that stopped beating: this claim takes it over. */
  takenOver: boolean;
}

export interface JobKind {
  kind: string;
  /**
   * Runs the job to its end and records it (state DONE or FAILED, with the kind's result). A job
   * that is taken over (`job.takenOver`) is run again or reported as interrupted, as the kind
   * chooses. Throwing records a generic failure.
   */
  run(db: Db, job: ClaimedJob): Promise<void>;
}

export interface EnqueueOptions {
  kind: string;
  createdBy: string | null;
  result?: unknown;
  payload?: unknown;
  /**
   * Only runners of this node may run the job (its input file sits on this node's disk);
   * null: any node.
   */
  node?: string | null;
}

/** Queues a job and wakes the runners of this process; returns its id. */
export async function enqueueJob(sql: Sql, o: EnqueueOptions): Promise<string> {
  const id = await insertJob(sql, { kind: o.kind, createdBy: o.createdBy, result: JSON.stringify(o.result ?? null), payload: JSON.stringify(o.payload ?? null), node: o.node ?? null });
  wakeJobRunners();
  return id;
}

const started = new Set<JobRunner>();

/** Wakes the runners of this process (a job was queued). Runners of other processes poll. */
export function wakeJobRunners(): void {
  for (const r of started) r.wake();
}

/** This node's id: the host and the data directory its uploads go to. */
export function nodeId(dataDir: string): string {
  return `${os.hostname()}:${dataDir}`;
}

export interface JobRunnerOptions {
  /** Node this runner runs on: it also runs the jobs pinned to it. */
  node: string;
  leaseMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
}

export class JobRunner {
  readonly workerId = `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  private readonly kinds: Map<string, JobKind>;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private woken = false;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    kinds: readonly JobKind[],
    private readonly opts: JobRunnerOptions,
  ) {
    this.kinds = new Map();
    for (const k of kinds) {
      if (this.kinds.has(k.kind)) throw new Error(`job kind ${k.kind} listed twice`);
      this.kinds.set(k.kind, k);
    }
    this.leaseMs = opts.leaseMs ?? JOB_LEASE_MS;
    this.heartbeatMs = opts.heartbeatMs ?? JOB_HEARTBEAT_MS;
    this.pollMs = opts.pollMs ?? JOB_POLL_MS;
  }

  /** Starts claiming and running jobs in the background. */
  start(): void {
    if (this.loop) return;
    started.add(this);
    this.loop = this.run();
  }

  /** Looks for work now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming jobs and waits for the running one until `deadline` (epoch ms). Resolves true
   * when the runner is idle; false when a job was still running at the deadline (it is taken over
   * after the lease, like a job of a process that crashed).
   */
  async stop(deadline: number): Promise<boolean> {
    this.stopping = true;
    started.delete(this);
    this.wake();
    if (!this.loop) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      this.loop.then(() => true),
      new Promise<false>((r) => (timer = setTimeout(() => r(false), Math.max(0, deadline - Date.now())))),
    ]);
    clearTimeout(timer);
    return finished;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let ran: string | null = null;
      try {
        ran = await this.runNext();
      } catch (err) {
        if (!this.stopping) logger.warn({ err }, "job runner: could not claim a job");
      }
      if (!ran && !this.stopping) await this.idle();
    }
  }

  private idle(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      timer.unref();
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = null;
        self.woken = false;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Claims the oldest runnable job of a known kind, or null when there is none. */
  async claim(): Promise<ClaimedJob | null> {
    const row = await claimJob(this.db, this.workerId, [...this.kinds.keys()], this.opts.node, this.leaseMs / 1000);
    if (!row) return null;
    return { id: row.id, kind: row.kind, createdBy: row.created_by, result: row.result, payload: row.payload, attempts: row.attempts, takenOver: row.taken_over };
  }

  /** Claims one job and runs it to its end; returns its id, or null when there was none. */
  async runNext(): Promise<string | null> {
    const job = await this.claim();
    if (!job) return null;
    const kind = this.kinds.get(job.kind)!;
    const beat = setInterval(() => {
      heartbeatJob(this.db, job.id, this.workerId).catch((err) => logger.warn({ err, jobId: job.id }, "job heartbeat failed"));
    }, this.heartbeatMs);
    beat.unref();
    try {
      if (job.takenOver) logger.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts }, "job taken over from a stopped process");
      await kind.run(this.db, job);
    } catch (err) {
      logger.error({ err, jobId: job.id, kind: job.kind }, "job failed");
      // The kind records its own failures; this covers a handler that threw before doing so.
      await failJob(this.db, job.id, this.workerId, "任务失败：服务器内部错误，请稍后重试").catch(() => undefined);
    } finally {
      clearInterval(beat);
    }
    return job.id;
  }
}
