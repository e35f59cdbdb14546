import { describe } from "vitest";
import { loadConfig } from "../../apps/server/src/config.js";
import { openDb, type Db } from "../../apps/server/src/db/data-source.js";
import { seed } from "../../apps/server/src/db/seed.js";
import { startServer, type RunningServer } from "../../apps/server/src/app.js";
import { startBackground } from "../../apps/server/src/background.js";
import { createThrowawayDatabase, pgReachable } from "./pg.js";

export type DbVariant = "pglite" | "postgres";

// Test videos are made by the tests (real boxes and sample bytes, no decodable pictures): the
// upload check runs without ffprobe even where Debian's ffmpeg is installed. The decoder path is
// tested with a stand-in binary (tests/api/video-ffprobe.test.ts).
process.env.FFPROBE_PATH ??= "off";

export interface TestServer extends RunningServer {
  variant: DbVariant;
  stop(): Promise<void>;
}

/** Opens a fresh database of the variant (in-memory PGlite, or a throwaway PostgreSQL database) with seed data. */
export async function openTestDb(variant: DbVariant): Promise<{ db: Db; dispose: () => Promise<void> }> {
  if (variant === "pglite") {
    const db = await openDb({ inMemory: true });
    await seed(db, { demo: true });
    return { db, dispose: () => db.close() };
  }
  const tmp = await createThrowawayDatabase();
  const db = await openDb({ databaseUrl: tmp.url });
  await seed(db, { demo: true });
  return {
    db,
    dispose: async () => {
      await db.close();
      await tmp.drop();
    },
  };
}

/** Starts the real HTTP server on a free port over a fresh seeded database. */
export async function startTestServer(variant: DbVariant, env: Record<string, string> = {}): Promise<TestServer> {
  const { db, dispose } = await openTestDb(variant);
  const config = { ...loadConfig({ ...process.env, ...env }), port: 0, host: "127.0.0.1" };
  // As main.ts does: the job runner and schedules, stopped by the server's shutdown and close.
  const server = await startServer(config, db, startBackground(db, config));
  return {
    ...server,
    variant,
    async stop() {
      await new Promise<void>((r) => server.httpServer.close(() => r()));
      await server.close().catch(() => undefined);
      await dispose().catch(() => undefined);
    },
  };
}

const PG = await pgReachable();
if (!PG) {
  // Visible in the test output, so a skipped server variant is never silent.
  process.stderr.write("\n[tests] PostgreSQL at 127.0.0.1:5432 is not reachable: the PostgreSQL variant of database tests is SKIPPED.\n\n");
}

/** Database variants to run against: PGlite always, PostgreSQL when its server answers. */
export const DB_VARIANTS: DbVariant[] = PG ? ["pglite", "postgres"] : ["pglite"];

/**
 * Runs a suite once per database variant. The PostgreSQL variant shows up as skipped (with the
 * message above) when the server is not reachable.
 */
export function describeEachDb(name: string, fn: (variant: DbVariant) => void): void {
  describe.each(["pglite", "postgres"] as DbVariant[])(`${name} [%s]`, (variant) => {
    if (variant === "postgres" && !PG) {
      describe.skip("PostgreSQL not reachable", () => fn(variant));
      return;
    }
    fn(variant);
  });
}
