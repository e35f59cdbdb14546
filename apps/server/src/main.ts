import { loadConfig } from "./config.js";
import { openDb } from "./db/data-source.js";
import { seed } from "./db/seed.js";
import { startServer } from "./app.js";
import { logger } from "./logger.js";

const config = loadConfig();
const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await seed(db, { demo: config.seedDemo });
const server = await startServer(config, db);
logger.info(`ZJH campaign desk: http://localhost:${server.port}/  (GraphQL at /graphql, database: ${db.kind})`);

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
