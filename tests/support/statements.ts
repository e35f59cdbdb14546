import type { Db } from "../../apps/server/src/db/data-source.js";
import { RUNNER_SQL_TAG } from "../../apps/server/src/jobs/job-runner.js";

/**
 * The statements the server sends to the database while `fn` runs (same process). Every request
 * runs on its own scoped handle of the database, so they are taken where every handle sends its
 * statements: the class's private `run`.
 */
export async function statements(db: Db, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const proto = Object.getPrototypeOf(db) as Record<"run", (...args: unknown[]) => Promise<unknown>>;
  const original = proto.run;
  proto.run = function (this: unknown, qr: unknown, client: unknown, sql: unknown, params: unknown) {
    // The job runner polls on its own schedule: its statements belong to no request.
    if (!String(sql).startsWith(RUNNER_SQL_TAG)) seen.push(String(sql));
    return original.call(this, qr, client, sql, params);
  };
  try {
    await fn();
  } finally {
    proto.run = original;
  }
  return seen;
}
