import "reflect-metadata";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { DomainError } from "@zjh/domain";
import { GraphQLError } from "graphql";
import { REFUSAL_STATUS, RETRY_AFTER_SECONDS } from "./common/http-status.js";
import { expressMiddleware } from "@as-integrations/express5";
import compression from "compression";
import cookieParser from "cookie-parser";
import express, { type Request, type Response } from "express";
import type { ServerConfig } from "./config.js";
import type { Ctx } from "./common/context.js";
import { formatError } from "./common/errors.js";
import { contextFor } from "./common/request-context.js";
import { configureQueues } from "./common/load-limits.js";
import { complexityPlugin } from "./common/complexity.plugin.js";
import { apiGuards } from "./common/http.js";
import { graphqlDocumentGuard } from "./common/document-guard.js";
import { securityHeaders } from "./common/security-headers.js";
import { httpStatusPlugin } from "./common/http-status.plugin.js";
import { loadSheddingPlugin } from "./common/load-classes.js";
import { serveWebApp } from "./common/web-app.js";
import { createServerMetrics } from "./common/metrics.js";
import type { Db } from "./db/data-source.js";
import { authorizationPlugin } from "./modules/auth/authorization.plugin.js";
import { getSchema } from "./schema.js";
import { routeModules } from "./routes.js";
import { mountHealth } from "./health.js";
import { logger } from "./logger.js";
import { HttpDrain, testHoldMiddleware, testHooksEnabled } from "./common/shutdown.js";
import type { Background } from "./background.js";

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  httpServer: http.Server;
  close(): Promise<void>;
  /**
   * Graceful stop: the listener closes, requests in flight finish within `graceMs`, background
   * jobs stop, the database closes.
   */
  shutdown(graceMs: number): Promise<void>;
}

/**
 * The GraphQL context. Building it reads the session, which may wait for a database connection:
 * a refusal there (SERVER_BUSY, TIMEOUT) is answered with its status, as plugins never see it.
 */
async function graphqlContext(req: Request, res: Response, db: Db, config: ServerConfig): Promise<Ctx> {
  try {
    return await contextFor(req, res, db, config);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const status = REFUSAL_STATUS[e.code] ?? 400;
    const headers = new HeaderMap(status === 503 ? [["retry-after", String(RETRY_AFTER_SECONDS)]] : []);
    throw new GraphQLError(e.message, { extensions: { code: e.code, http: { status, headers } } });
  }
}

/**
 * Starts the HTTP server. `background` (background.ts, started by the caller) is the process's
 * job runner and schedules: a shutdown stops them before the database closes.
 */
export async function startServer(config: ServerConfig, db: Db, background?: Background): Promise<RunningServer> {
  configureQueues(config.limits);
  db.queue.maxWaiting = config.limits.dbQueueMax;
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders(config));
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
  const httpServer = http.createServer(app);

  const metrics = createServerMetrics(db, config);
  const schema = await getSchema();
  const apollo = new ApolloServer<Ctx>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    // No "Did you mean …?" in production: suggestions spell out the schema to anonymous callers.
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    maxRecursiveSelections: 1000,
    parseOptions: { maxTokens: 10_000 },
    plugins: [metrics.graphqlPlugin(), complexityPlugin(schema), authorizationPlugin(), loadSheddingPlugin(), httpStatusPlugin()],
  });
  await apollo.start();

  // First of all: count requests in flight, so a shutdown lets them finish.
  const drain = new HttpDrain(httpServer);
  app.use(drain.middleware);
  if (testHooksEnabled()) app.use(testHoldMiddleware(drain));

  mountHealth(app, db);
  // Beside the health checks: no CSRF check, no GraphQL cost, no request budget, no queue.
  metrics.mount(app);
  // Everything below is timed by route pattern (health checks and scrapes are not).
  app.use(metrics.httpMiddleware);

  // Compresses GraphQL answers and other dynamic text (JSON, CSV) for slow networks; the web
  // app's files are compressed once at build time (serveWebApp), and types that are compressed
  // already (video, zip, xlsx) are left alone.
  app.use(compression({ threshold: 1024 }));
  app.use(cookieParser());
  app.use(
    "/graphql",
    express.json({ limit: "2mb" }),
    graphqlDocumentGuard(),
    expressMiddleware(apollo, { context: async ({ req, res }) => graphqlContext(req, res, db, config) }),
  );

  app.use("/api", ...apiGuards());
  for (const mount of routeModules) mount(app, { db, config });

  if (fs.existsSync(path.join(config.webDist, "index.html"))) {
    serveWebApp(app, config.webDist);
  } else {
    app.get("/", (_req, res) => {
      res.type("text/plain; charset=utf-8").send("ZJH campaign desk API is running. The web app is not built: run `pnpm build`.");
    });
  }

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const addr = httpServer.address();
  const port = typeof addr === "object" && addr ? addr.port : config.port;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, db: db.kind }, "server started");
  return {
    url,
    port,
    db,
    httpServer,
    async close() {
      await background?.stop(Date.now());
      await apollo.stop();
      await db.close();
    },
    async shutdown(graceMs: number) {
      const deadline = Date.now() + graceMs;
      await drain.drain(deadline);
      // Background jobs get what is left of the grace; a job cut off is taken over after its lease
      // (resumed or reported as interrupted, as its kind decides), as after a crash.
      const finished = (await background?.stop(deadline)) ?? true;
      if (!finished) logger.warn("shutdown: background jobs still running at the end of the grace period");
      await apollo.stop();
      await db.close();
      logger.info("shutdown complete");
    },
  };
}
