import type { LoadLimits } from "../config.js";
import { BoundedQueue } from "./bounded-queue.js";

/**
 * The process-wide queues of expensive work (the database pool's queue lives on `Db`). Bounds
 * come from the configuration at start (`configureQueues`); the defaults are those of
 * `loadLimits()`.
 */
export const queues = {
  /** argon2 hashing and verification (login, password changes). */
  argon2: new BoundedQueue("argon2", 4, 32),
  /** Expensive reads: statistics and rankings over a region (common/load-classes.ts). */
  expensive: new BoundedQueue("expensive", 4, 8),
  /** Excel exports and uploads that start imports. */
  export: new BoundedQueue("export", 2, 4),
};

export function configureQueues(limits: LoadLimits): void {
  queues.argon2.concurrency = limits.argon2Concurrency;
  queues.argon2.maxWaiting = limits.argon2QueueMax;
  queues.expensive.concurrency = limits.expensiveConcurrency;
  queues.expensive.maxWaiting = limits.expensiveQueueMax;
  queues.export.concurrency = limits.exportConcurrency;
  queues.export.maxWaiting = limits.exportQueueMax;
}

/** How long after refusing a caller a queue still counts as shedding for readiness. */
export const SHEDDING_WINDOW_MS = 2_000;

/** The queues that are full now or refused someone within SHEDDING_WINDOW_MS. */
export function sheddingQueues(extra: BoundedQueue[] = []): string[] {
  const now = Date.now();
  return [...Object.values(queues), ...extra].filter((q) => q.full || now - q.lastShedAt < SHEDDING_WINDOW_MS).map((q) => q.name);
}
