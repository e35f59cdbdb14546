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
  /** SIGTERM/SIGINT: how long requests in flight (and then background jobs) may take to finish. */
  shutdownGraceMs: number;
  /** Time budgets and queue bounds under load (docs/operations.md, "Overload"). */
  limits: LoadLimits;
  /**
   * METRICS_TOKEN: GET /metrics requires `Authorization: Bearer <token>`. Without it, /metrics is
   * off in production and open to loopback callers elsewhere (docs/operations.md).
   */
  metricsToken?: string;
}

export interface LoadLimits {
  /** Budget of an ordinary request (GraphQL), ms: statement_timeout and the request's deadline. */
  requestTimeoutMs: number;
  /** Budget of uploads, imports and Excel exports, ms. */
  longRequestTimeoutMs: number;
  /** statement_timeout of work that outlives its request (import jobs), ms; 0: none. */
  jobStatementTimeoutMs: number;
  /** PostgreSQL connections in the pool (PGlite: always one session). */
  dbPoolSize: number;
  /** Requests waiting for a database connection beyond the pool; more are refused (503). */
  dbQueueMax: number;
  /** argon2 hashes at a time (login, password changes) and callers allowed to wait for one. */
  argon2Concurrency: number;
  argon2QueueMax: number;
  /** Expensive reads (statistics over a region) at a time, and how many may wait. */
  expensiveConcurrency: number;
  expensiveQueueMax: number;
  /** Excel exports and imports at a time, and how many may wait. */
  exportConcurrency: number;
  exportQueueMax: number;
}

function int(v: string | undefined, fallback: number): number {
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`configuration: expected a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

export function loadLimits(env: NodeJS.ProcessEnv = process.env): LoadLimits {
  return {
    requestTimeoutMs: int(env.REQUEST_TIMEOUT_MS, 10_000),
    longRequestTimeoutMs: int(env.LONG_REQUEST_TIMEOUT_MS, 300_000),
    jobStatementTimeoutMs: int(env.JOB_STATEMENT_TIMEOUT_MS, 600_000),
    dbPoolSize: Math.max(1, int(env.DB_POOL_SIZE, 20)),
    dbQueueMax: int(env.DB_QUEUE_MAX, 200),
    argon2Concurrency: Math.max(1, int(env.ARGON2_CONCURRENCY, 4)),
    argon2QueueMax: int(env.ARGON2_QUEUE_MAX, 32),
    expensiveConcurrency: Math.max(1, int(env.EXPENSIVE_CONCURRENCY, 4)),
    expensiveQueueMax: int(env.EXPENSIVE_QUEUE_MAX, 8),
    exportConcurrency: Math.max(1, int(env.EXPORT_CONCURRENCY, 2)),
    exportQueueMax: int(env.EXPORT_QUEUE_MAX, 4),
  };
}

/**
 * Demo accounts share a public password, so production never loads them unless SEED_DEMO=true
 * is given explicitly; elsewhere they load unless SEED_DEMO=false.
 */
export function seedDemoOf(env: NodeJS.ProcessEnv): boolean {
  if (env.NODE_ENV === "production") return env.SEED_DEMO === "true";
  return env.SEED_DEMO !== "false";
}

function nonNegative(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** Minimum length of METRICS_TOKEN: a short token is guessable by anyone who can reach /metrics. */
export const METRICS_TOKEN_MIN_LENGTH = 16;

function metricsTokenOf(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.METRICS_TOKEN?.trim();
  if (!token) return undefined;
  if (token.length < METRICS_TOKEN_MIN_LENGTH) throw new Error(`configuration: METRICS_TOKEN must have at least ${METRICS_TOKEN_MIN_LENGTH} characters`);
  return token;
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
    seedDemo: seedDemoOf(env),
    shutdownGraceMs: nonNegative(env.SHUTDOWN_GRACE_MS, 10_000),
    limits: loadLimits(env),
    metricsToken: metricsTokenOf(env),
  };
}
