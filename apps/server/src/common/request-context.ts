import type { Request, Response } from "express";
import type { ServerConfig } from "../config.js";
import type { Db } from "../db/data-source.js";
import { authenticate, SESSION_COOKIE } from "../modules/auth/auth.service.js";
import type { Ctx } from "./context.js";
import { cancelledError, RequestScope } from "./request-scope.js";

/**
 * The per-request context shared by GraphQL (app.ts) and the REST routes (common/http.ts and the
 * modules' `*.routes.ts` / `*.exports.ts`). It lives here, below both, so no route imports the
 * server that mounts it.
 */

/** What a REST route module is given when it is mounted (routes.ts). */
export interface RouteDeps {
  db: Db;
  config: ServerConfig;
}

/** Token from the session cookie or an `Authorization: Bearer` header. */
export function tokenOf(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith("Bearer ")) return h.slice(7).trim();
  return (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
}

/** Name of the query parameter a plain download link names the tab's acting role with. */
export const ACTING_ROLE_PARAM = "actingRole";

/**
 * The acting role a request asks for: the `x-acting-role` header or, on download routes
 * (`actingFromQuery`), the `actingRole` query parameter of a plain link, which cannot carry a
 * header. The header wins when both are given. Either is only a choice among the user's own
 * assignments: `authenticate` checks it against them.
 */
export function requestedActingRole(req: Request, opts: { actingFromQuery?: boolean } = {}): string | undefined {
  const header = req.headers["x-acting-role"];
  const param = opts.actingFromQuery ? req.query[ACTING_ROLE_PARAM] : undefined;
  const wanted = typeof header === "string" ? header : typeof param === "string" ? param : undefined;
  return wanted !== undefined && /^\d{1,18}$/.test(wanted) ? wanted : undefined;
}

/**
 * The request's scope (common/request-scope.ts): its time budget, and its work stopped when the
 * client disconnects before the answer. Once the answer is sent, what still runs is detached.
 */
export function requestScope(req: Request, res: Response, config: ServerConfig, budget: "read" | "long" = "read"): RequestScope {
  const { limits } = config;
  const scope = new RequestScope(budget === "long" ? limits.longRequestTimeoutMs : limits.requestTimeoutMs, limits.jobStatementTimeoutMs);
  res.once("finish", () => scope.detach());
  res.once("close", () => {
    if (res.writableFinished) scope.detach();
    else scope.abort(cancelledError());
  });
  return scope;
}

/**
 * Builds the per-request context used by GraphQL and by the REST routes (uploads, exports).
 * `actingFromQuery`: GET download routes also take the acting role from the query string.
 * `budget`: "long" for uploads, imports and exports (LONG_REQUEST_TIMEOUT_MS).
 */
export async function contextFor(
  req: Request,
  res: Response,
  baseDb: Db,
  config: ServerConfig,
  opts: { actingFromQuery?: boolean; budget?: "read" | "long" } = {},
): Promise<Ctx> {
  const db = baseDb.scoped(requestScope(req, res, config, opts.budget));
  const auth = await authenticate(db, tokenOf(req), requestedActingRole(req, opts));
  return {
    db,
    config,
    auth,
    ip: req.ip ?? "unknown",
    loaders: new Map(),
    setCookie: (name, value, opts) => {
      if (opts.clear) res.clearCookie(name, { path: "/" });
      else res.cookie(name, value, { httpOnly: true, sameSite: "lax", secure: config.production, path: "/", maxAge: opts.maxAgeMs });
    },
  };
}
