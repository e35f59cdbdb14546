import type { NextFunction, Request, RequestHandler, Response } from "express";
import { SESSION_COOKIE } from "../modules/auth/auth.service.js";
import { restStatusOf } from "./http-status.js";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function refuse(res: Response, code: string, message: string, field?: string): void {
  res.status(restStatusOf(code)).json({ error: { code, message, ...(field ? { field } : {}) } });
}

/**
 * Cross-site request forgery, in one place for every mutating REST route under /api (uploads,
 * imports and whatever comes next). A request carrying the session cookie must also carry a
 * header a cross-site form cannot set: `X-Requested-With` (the web app sends it) or
 * `Authorization` (an API client's bearer token, which a browser never adds on its own). Such a
 * header makes a cross-origin request non-simple, and the server answers no CORS preflight. A
 * request with neither cookie nor token has no credentials to abuse: its route answers 401.
 */
export function csrfGuard(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!MUTATING.has(req.method)) return next();
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (cookie && !req.headers["x-requested-with"] && !req.headers.authorization) {
      req.resume(); // drain the body, so the client can read the answer
      return refuse(res, "FORBIDDEN", "请求缺少 X-Requested-With 头（防止跨站请求伪造），请从系统页面操作");
    }
    next();
  };
}

/**
 * Query parameters of REST routes holding a NUL character (PostgreSQL cannot store it) are
 * refused as BAD_INPUT naming the parameter, as GraphQL arguments are.
 */
export function nulParamGuard(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of Object.entries(req.query)) {
      const values = Array.isArray(value) ? value : [value];
      if (name.includes("\u0000") || values.some((v) => typeof v === "string" && v.includes("\u0000"))) {
        req.resume();
        return refuse(res, "BAD_INPUT", `参数 ${name.replace(/\u0000/g, "")} 含有不允许的空字符（\\u0000），请删除后重试`, name.replace(/\u0000/g, ""));
      }
    }
    next();
  };
}

/** Every guard of the REST routes under /api, in order. */
export function apiGuards(): RequestHandler[] {
  return [csrfGuard(), nulParamGuard()];
}
