import path from "node:path";

export interface ServerConfig {
  port: number;
  host: string;
  /** PGlite data directory; ignored when databaseUrl is set. */
  dataDir: string;
  databaseUrl?: string;
  production: boolean;
  /** Directory the web app was built into; served at / when present. */
  webDist: string;
  /** Where uploaded files are stored (outside the web root). */
  filesDir: string;
  sessionTtlHours: number;
  seedDemo: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const root = path.resolve(new URL("../../..", import.meta.url).pathname);
  const dataDir = path.resolve(env.DATA_DIR ?? path.join(root, ".data"));
  return {
    port: Number(env.PORT ?? 4000),
    host: env.HOST ?? "0.0.0.0",
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    production: env.NODE_ENV === "production",
    webDist: path.resolve(env.WEB_DIST ?? path.join(root, "apps/web/dist")),
    filesDir: path.resolve(env.FILES_DIR ?? path.join(dataDir, "files")),
    sessionTtlHours: Number(env.SESSION_TTL_HOURS ?? 12),
    seedDemo: env.SEED_DEMO !== "false",
  };
}
