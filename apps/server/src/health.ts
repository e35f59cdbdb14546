import type { Express } from "express";
import pg from "pg";
import type { Db } from "./db/data-source.js";
import { sheddingQueues } from "./common/load-limits.js";
import { probeDatabase } from "./health.repository.js";

/** How long the readiness probe waits for PostgreSQL before calling it unreachable. */
const DB_PROBE_TIMEOUT_MS = 2_000;

/**
 * PostgreSQL answers on a connection of its own, never one of the pool's (a saturated pool must
 * not make the probe wait). Concurrent probes share one check.
 */
function databaseProbe(db: Db): () => Promise<boolean> {
  let running: Promise<boolean> | null = null;
  return () => {
    if (db.kind !== "postgres") {
      // Embedded PGlite lives in this process: it is there when the data source is open. A query
      // would wait behind the one session's current statement.
      return Promise.resolve(db.ds.isInitialized);
    }
    running ??= (async () => {
      const url = (db.ds.options as { url?: string }).url;
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: DB_PROBE_TIMEOUT_MS, query_timeout: DB_PROBE_TIMEOUT_MS });
      client.on("error", () => undefined);
      try {
        await client.connect();
        await probeDatabase(client);
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => undefined);
        running = null;
      }
    })();
    return running;
  };
}

/**
 * GET /healthz — liveness: the process answers (never touches the database, never waits behind
 * the pool or a queue). GET /readyz — readiness: 503 while the process is shedding load (a
 * bounded queue is full or refused someone in the last seconds) or the database is unreachable.
 */
export function mountHealth(app: Express, db: Db): void {
  const probe = databaseProbe(db);
  app.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ status: "ok", db: db.kind });
  });
  app.get("/readyz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const shedding = sheddingQueues([db.queue]);
    const dbUp = await probe();
    const ready = dbUp && shedding.length === 0;
    res.status(ready ? 200 : 503).json({
      status: ready ? "ready" : !dbUp ? "database-unreachable" : "shedding",
      db: db.kind,
      database: dbUp ? "up" : "unreachable",
      shedding,
    });
  });
}
