import { loadConfig } from "./config.js";
import { openDb } from "./db/data-source.js";
import { seed } from "./db/seed.js";
import { startServer } from "./app.js";
import { startBackground } from "./background.js";
import { logger } from "./logger.js";

const config = loadConfig();
const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await seed(db, { demo: config.seedDemo });
// Jobs and schedules start here, once per process (never from a route mount).
const background = startBackground(db, config);
const server = await startServer(config, db, background);
logger.info(`ZJH campaign desk: http://localhost:${server.port}/  (GraphQL at /graphql, database: ${db.kind})`);

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: sig, graceMs: config.shutdownGraceMs }, "shutdown: stopping");
    // Should closing the database itself hang, the process still ends, reporting the failure.
    setTimeout(() => {
      logger.error("shutdown: did not finish in time");
      process.exit(1);
    }, config.shutdownGraceMs + 30_000).unref();
    server.shutdown(config.shutdownGraceMs).then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
