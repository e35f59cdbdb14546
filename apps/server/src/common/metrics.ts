import { createHash, timingSafeEqual } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Express, Request, RequestHandler, Response } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ServerConfig } from "../config.js";
import type { Db } from "../db/data-source.js";
import { openJobs, type OpenJobsRow } from "../modules/metrics/job-gauges.repository.js";
import { logger } from "../logger.js";
import type { BoundedQueue } from "./bounded-queue.js";
import type { Ctx } from "./context.js";
import { queues } from "./load-limits.js";
import { RequestScope } from "./request-scope.js";

/**
 * What operators watch, in Prometheus text at GET /metrics (docs/operations.md, "Metrics and
 * alerts"). Every metric of the process is declared here.
 *
 * Two registries: the process's (Node's own figures, the process-wide queues of
 * common/load-limits.ts, import rates counted where rows are written) and one per server
 * instance (request latency and errors, its database pool, its job gauges), merged at scrape.
 * Tests start several servers in one process: each gets figures of its own for what it serves,
 * and the process's are declared once.
 *
 * Label values are bounded: GraphQL operation names are capped (OPERATION_NAME_CAP, then
 * "other"), REST routes are their patterns (never a URL with ids), codes are capped too.
 */

/** Distinct GraphQL operation names one server labels; later new names count as "other". */
export const OPERATION_NAME_CAP = 200;
/** Distinct error codes one metric labels (codes are the server's own; the cap is a backstop). */
const CODE_CAP = 60;

/** A bounded set of label values: the first `max` values admitted keep their name, the rest share `overflow`. */
export class LabelSet {
  private readonly values = new Set<string>();
  constructor(
    readonly max: number,
    readonly overflow = "other",
  ) {}
  get size(): number {
    return this.values.size;
  }
  /** The label for `value`; a value not seen yet is admitted only when `admit` and there is room. */
  label(value: string, admit = true): string {
    if (this.values.has(value)) return value;
    if (!admit || this.values.size >= this.max) return this.overflow;
    this.values.add(value);
    return value;
  }
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

// Seconds. Requests: from a few ms (me) to the 10 s budget and the long budget of uploads.
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 300];
// Waits for a slot: mostly 0, bounded by the request's budget.
const WAIT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// ---------------------------------------------------------------------------------------------
// The process's registry.

export const processRegistry = new Registry();

function queueGauge(name: string, help: string, read: (q: BoundedQueue) => number): Gauge<"queue"> {
  return new Gauge({
    name,
    help,
    labelNames: ["queue"],
    registers: [processRegistry],
    collect() {
      for (const q of Object.values(queues)) this.set({ queue: q.name }, read(q));
    },
  });
}

queueGauge("zjh_queue_running", "Holders of a bounded queue's slots now (argon2, expensive, export)", (q) => q.running);
queueGauge("zjh_queue_waiting", "Callers waiting for a slot of a bounded queue now", (q) => q.queued);
queueGauge("zjh_queue_concurrency", "Slots of a bounded queue (its *_CONCURRENCY setting)", (q) => q.concurrency);
queueGauge("zjh_queue_max_waiting", "Callers a bounded queue lets wait before refusing (its *_QUEUE_MAX setting)", (q) => q.maxWaiting);
new Counter({
  name: "zjh_queue_shed_total",
  help: "Callers a bounded queue refused with SERVER_BUSY because it was full",
  labelNames: ["queue"],
  registers: [processRegistry],
  collect() {
    this.reset();
    for (const q of Object.values(queues)) this.inc({ queue: q.name }, q.shedCount);
  },
});
const queueWait = new Histogram({
  name: "zjh_queue_wait_seconds",
  help: "Time a granted caller waited for a slot of a bounded queue (0 when one was free)",
  labelNames: ["queue"],
  buckets: WAIT_BUCKETS,
  registers: [processRegistry],
});
for (const q of Object.values(queues)) q.onWait = (s) => queueWait.observe({ queue: q.name }, s);

const teacherImportRows = new Counter({
  name: "zjh_teacher_import_rows_total",
  help: "Rows of teacher imports written, by outcome (created, updated, unchanged, rejected)",
  labelNames: ["outcome"],
  registers: [processRegistry],
});
const activityEvents = new Counter({
  name: "zjh_activity_events_total",
  help: "Activity events offered for storage (batches and file imports), by outcome (stored, duplicate)",
  labelNames: ["outcome"],
  registers: [processRegistry],
});
// Every series exists from the start, so rate() reads 0 rather than nothing before the first import.
for (const outcome of ["created", "updated", "unchanged", "rejected"]) teacherImportRows.inc({ outcome }, 0);
for (const outcome of ["stored", "duplicate"]) activityEvents.inc({ outcome }, 0);

/** Counts a written chunk of a teacher import (teacher-import.writer.ts). */
export function countTeacherImportRows(o: { created: number; updated: number; unchanged: number; rejected: number }): void {
  teacherImportRows.inc({ outcome: "created" }, o.created);
  teacherImportRows.inc({ outcome: "updated" }, o.updated);
  teacherImportRows.inc({ outcome: "unchanged" }, Math.max(0, o.unchanged));
  teacherImportRows.inc({ outcome: "rejected" }, o.rejected);
}

/** Counts a stored chunk of activity events (activity.repository.ts `storeEvents`). */
export function countActivityEvents(offered: number, stored: number): void {
  activityEvents.inc({ outcome: "stored" }, stored);
  activityEvents.inc({ outcome: "duplicate" }, Math.max(0, offered - stored));
}

let defaultMetricsOn = false;
/** Node's own figures (CPU, memory, event-loop lag, GC), declared once per process. */
function ensureDefaultMetrics(): void {
  if (defaultMetricsOn) return;
  defaultMetricsOn = true;
  collectDefaultMetrics({ register: processRegistry });
}

// ---------------------------------------------------------------------------------------------
// One server instance.

function codeOf(e: unknown): string {
  const code = (e as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return typeof code === "string" && code ? code : "INTERNAL_SERVER_ERROR";
}

/** The code of a REST error body (`{ error: { code } }`, or GraphQL-shaped from the document guard). */
function bodyCode(body: unknown): string | undefined {
  const b = body as { error?: { code?: unknown }; errors?: { extensions?: { code?: unknown } }[] } | null;
  const code = b?.error?.code ?? b?.errors?.[0]?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * The route label of an HTTP request: the matched route's pattern (`/api/files/:id`), never the
 * URL itself. GraphQL requests are "/graphql" (their operations have metrics of their own),
 * unmatched API paths share one label and everything else is the web app.
 */
export function routeLabel(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === "string") return req.baseUrl + pattern;
  const path = req.originalUrl.split("?")[0] ?? "";
  if (path === "/graphql" || path.startsWith("/graphql/")) return "/graphql";
  if (path.startsWith("/api/")) return "/api (no route)";
  return "web";
}

function statusClass(res: Response): string {
  if (!res.writableFinished) return "cancelled";
  return `${Math.floor(res.statusCode / 100)}xx`;
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

function sameToken(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface ServerMetrics {
  /** The process's metrics and this server's, as served at /metrics. */
  registry: Registry;
  /** Records each GraphQL operation's duration and errors. */
  graphqlPlugin(): ApolloServerPlugin<Ctx>;
  /** Records each HTTP request's duration by route pattern, and REST errors by code. */
  httpMiddleware: RequestHandler;
  /** GET /metrics, with its access rule (see `metricsAccess`). */
  mount(app: Express): void;
}

/**
 * Who may read /metrics: with METRICS_TOKEN set, callers sending `Authorization: Bearer <token>`
 * (401 otherwise); without it, nobody in production (404) and loopback callers elsewhere.
 */
export function metricsAccess(req: Request, config: Pick<ServerConfig, "production" | "metricsToken">): 200 | 401 | 404 {
  const token = config.metricsToken;
  if (token) {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
    return given !== undefined && sameToken(given, token) ? 200 : 401;
  }
  if (config.production) return 404;
  return isLoopback(req.socket.remoteAddress) ? 200 : 404;
}

export function createServerMetrics(db: Db, config: ServerConfig): ServerMetrics {
  ensureDefaultMetrics();
  const registry = new Registry();
  const registers = [registry];

  // GraphQL operations.
  const operationNames = new LabelSet(OPERATION_NAME_CAP);
  const graphqlCodes = new LabelSet(CODE_CAP);
  const graphqlDuration = new Histogram({
    name: "zjh_graphql_request_duration_seconds",
    help: "GraphQL requests from start to answer, by operation name (anonymous: none; other: past the cap)",
    labelNames: ["operation"],
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const graphqlErrors = new Counter({
    name: "zjh_graphql_errors_total",
    help: "GraphQL requests answered with an error, by operation name and extensions.code (once per code per request)",
    labelNames: ["operation", "code"],
    registers,
  });
  new Gauge({
    name: "zjh_graphql_operation_names",
    help: `Distinct operation names labelled so far (at ${OPERATION_NAME_CAP}, new names count as "other")`,
    registers,
    collect() {
      this.set(operationNames.size);
    },
  });

  /**
   * A new name is admitted only from a signed-in caller's request or one that was executed, so an
   * anonymous caller's refused documents cannot fill the set.
   */
  const operationLabel = (name: string | null | undefined, admit: boolean): string => {
    if (!name) return "anonymous";
    if (!GRAPHQL_NAME.test(name)) return "other";
    return operationNames.label(name, admit);
  };

  const graphqlPlugin = (): ApolloServerPlugin<Ctx> => ({
    // Reading the session can be refused (SERVER_BUSY, TIMEOUT) before any operation is known.
    async contextCreationDidFail({ error }) {
      graphqlErrors.inc({ operation: "anonymous", code: graphqlCodes.label(codeOf(error)) });
    },
    async requestDidStart() {
      const start = performance.now();
      let executed = false;
      return {
        async executionDidStart() {
          executed = true;
        },
        async willSendResponse({ operationName, contextValue, response }) {
          const operation = operationLabel(operationName, executed || !!contextValue?.auth);
          graphqlDuration.observe({ operation }, (performance.now() - start) / 1000);
          if (response.body.kind !== "single") return;
          const codes = new Set((response.body.singleResult.errors ?? []).map(codeOf));
          for (const code of codes) graphqlErrors.inc({ operation, code: graphqlCodes.label(code) });
        },
      };
    },
  });

  // HTTP routes.
  const httpCodes = new LabelSet(CODE_CAP);
  const httpDuration = new Histogram({
    name: "zjh_http_request_duration_seconds",
    help: "HTTP requests from arrival to the end of the answer, by route pattern, method and status class (cancelled: the client left first)",
    labelNames: ["route", "method", "status"],
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const httpErrors = new Counter({
    name: "zjh_http_errors_total",
    help: "HTTP answers with status 400 or more, by route pattern and error code (HTTP_<status> when the body names none)",
    labelNames: ["route", "code"],
    registers,
  });
  const httpMiddleware: RequestHandler = (req, res, next) => {
    const start = performance.now();
    let code: string | undefined;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode >= 400) code = bodyCode(body);
      return json(body);
    };
    res.once("close", () => {
      const route = routeLabel(req);
      httpDuration.observe({ route, method: req.method, status: statusClass(res) }, (performance.now() - start) / 1000);
      // GraphQL's own errors are counted per operation; only refusals before Apollo count here.
      if (res.writableFinished && res.statusCode >= 400 && (route !== "/graphql" || code)) {
        httpErrors.inc({ route, code: httpCodes.label(code ?? `HTTP_${res.statusCode}`) });
      }
    });
    next();
  };

  // The database pool of this server (Db.queue).
  const pool = db.queue;
  const poolGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  poolGauge("zjh_db_pool_size", "Database connections the pool holds at most (DB_POOL_SIZE; PGlite: 1 session)", () => pool.concurrency);
  poolGauge("zjh_db_pool_in_use", "Database connections held now", () => pool.running);
  poolGauge("zjh_db_pool_waiting", "Callers waiting for a database connection now", () => pool.queued);
  poolGauge("zjh_db_pool_max_waiting", "Callers allowed to wait for a connection before requests are refused (DB_QUEUE_MAX)", () => pool.maxWaiting);
  new Counter({
    name: "zjh_db_pool_shed_total",
    help: "Requests refused with SERVER_BUSY because the database queue was full",
    registers,
    collect() {
      this.reset();
      this.inc(pool.shedCount);
    },
  });
  const poolWait = new Histogram({
    name: "zjh_db_pool_wait_seconds",
    help: "Time a statement or transaction waited for a database connection (0 when one was free)",
    buckets: WAIT_BUCKETS,
    registers,
  });
  pool.onWait = (s) => poolWait.observe(s);

  // Unfinished jobs, read from the job table at scrape time.
  const jobKinds = new LabelSet(20);
  let pending: Promise<OpenJobsRow[] | null> | null = null;
  const queryJobs = async (): Promise<OpenJobsRow[] | null> => {
    // A scrape never waits for a connection nor takes the last one: with none free, no figures.
    if (pool.running >= pool.concurrency) return null;
    try {
      // Detached: never shed (a scrape must not make the process look like it is shedding).
      const scope = new RequestScope(0, config.limits.requestTimeoutMs);
      scope.detach();
      return await openJobs(db.scoped(scope));
    } catch (err) {
      logger.warn({ err }, "metrics: reading the job table failed");
      return null;
    }
  };
  /** One query per scrape, shared by the job gauges collected side by side. */
  const readJobs = (): Promise<OpenJobsRow[] | null> => {
    if (!pending) {
      pending = queryJobs();
      void pending.finally(() => (pending = null));
    }
    return pending;
  };
  const jobGauge = (name: string, help: string, read: (r: OpenJobsRow) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["kind", "state"],
      registers,
      async collect() {
        const rows = await readJobs();
        this.reset();
        for (const r of rows ?? []) this.set({ kind: jobKinds.label(r.kind), state: r.state }, Number(read(r)));
      },
    });
  jobGauge("zjh_jobs", "Unfinished jobs (imports) by kind and state (QUEUED, RUNNING)", (r) => r.jobs);
  jobGauge("zjh_job_oldest_age_seconds", "Age of the oldest unfinished job of a kind and state", (r) => r.oldest_seconds);
  jobGauge("zjh_job_stalest_update_seconds", "Seconds since the least recently updated unfinished job moved (progress or heartbeat)", (r) => r.stalest_seconds);
  new Gauge({
    name: "zjh_jobs_read_ok",
    help: "1 when this scrape read the job table, 0 when it skipped it (no free connection) or failed",
    registers,
    async collect() {
      this.set((await readJobs()) ? 1 : 0);
    },
  });

  const merged = Registry.merge([processRegistry, registry]);

  return {
    registry: merged,
    graphqlPlugin,
    httpMiddleware,
    mount(app) {
      app.get("/metrics", async (req, res) => {
        res.setHeader("Cache-Control", "no-store");
        const access = metricsAccess(req, config);
        if (access === 404) return void res.status(404).type("text/plain; charset=utf-8").send("Not found");
        if (access === 401) {
          res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
          return void res.status(401).type("text/plain; charset=utf-8").send("Unauthorized");
        }
        try {
          const text = await merged.metrics();
          res.type(merged.contentType).send(text);
        } catch (err) {
          logger.error({ err }, "metrics: scrape failed");
          res.status(500).type("text/plain; charset=utf-8").send("metrics unavailable");
        }
      });
    },
  };
}
