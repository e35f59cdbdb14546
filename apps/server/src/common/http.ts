import crypto from "node:crypto";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { DomainError } from "@zjh/domain";
import { logger } from "../logger.js";
import { SESSION_COOKIE } from "../modules/auth/auth.service.js";
import { REFUSAL_STATUS, retryAfterOn } from "./http-status.js";

/**
 * The REST edge: what every route under /api shares. Routes get their context from
 * common/request-context.ts (`contextFor`), answer errors through `restHandler` /
 * `sendRestError`, receive files through `receiveUpload`, and are guarded by `apiGuards`
 * (mounted once in app.ts before every route module).
 */

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// ---------------------------------------------------------------------------------------------
// Errors

/** HTTP status of a REST refusal by its code: as GraphQL's (common/http-status.ts), and 422 for a refused file. */
export function restStatusOf(code: string): number {
  if (code === "FILE_REJECTED") return 422;
  return REFUSAL_STATUS[code] ?? 400;
}

/**
 * The one error-to-HTTP mapper of the REST routes. A DomainError is answered with its status
 * and `{ error: { code, message, field?, ...details } }`; anything else is logged (`log`) and
 * answered 500 with `fallback` (no internals leak). Once the answer has started (a download or
 * export streaming), the connection is cut instead, so the client sees a broken file, never a
 * complete-looking one. A body the route did not read is drained, so the client reads the answer
 * instead of a reset connection.
 */
export function sendRestError(req: Request, res: Response, err: unknown, opts: { fallback: string; log: string }): void {
  const e = err instanceof DomainError ? err : null;
  if (!e) logger.error({ err }, opts.log);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (!req.readableEnded) req.resume();
  const status = e ? restStatusOf(e.code) : 500;
  retryAfterOn(res, status);
  res.status(status).json({
    error: { code: e?.code ?? "INTERNAL_SERVER_ERROR", message: e?.message ?? opts.fallback, ...(e?.field ? { field: e.field } : {}), ...(e?.details ?? {}) },
  });
}

/**
 * An Express handler around a route's async work: whatever it throws goes to `sendRestError`
 * with the route's fallback message. Every REST route is written this way.
 */
export function restHandler(work: (req: Request, res: Response) => Promise<void>, opts: { fallback: string; log: string }): RequestHandler {
  return (req, res) => {
    work(req, res).catch((err: unknown) => sendRestError(req, res, err, opts));
  };
}

// ---------------------------------------------------------------------------------------------
// Uploads

export interface UploadSpec {
  /** Where the multipart field `file` is streamed (created exclusively, removed on any failure). */
  target: string;
  /** busboy limits: the file's size cap, and how many fields and parts the form may have. */
  limits: { fileSize: number; fields: number; parts: number };
  /** Also compute the SHA-256 of the content while it streams. */
  sha256?: boolean;
  /** File name when the part names none. */
  defaultName: string;
  /** The route's own wording of each refusal (user-facing, unchanged per route). */
  messages: {
    /** The request is not multipart/form-data (BAD_INPUT). */
    notMultipart: string;
    /** The multipart stream is malformed or broke off (BAD_INPUT). */
    malformed: string;
    /** No part named `file` (BAD_INPUT). */
    noFile: string;
    /** The file exceeds `limits.fileSize` (the route's FILE_REJECTED error). */
    tooLarge: () => DomainError;
    /** Writing the file failed: BAD_INPUT with this message; without it, the error is answered as unexpected. */
    interrupted?: string;
  };
}

export interface ReceivedUpload {
  path: string;
  /** The client's file name, with path separators and control characters replaced, at most 200 characters. */
  fileName: string;
  bytes: number;
  sha256?: string;
}

/**
 * The one upload receiver: streams the multipart field `file` to `spec.target` with a size cap;
 * nothing is held in memory. Other parts are skipped. On any failure nothing is left on disk.
 */
export function receiveUpload(req: Request, spec: UploadSpec): Promise<ReceivedUpload> {
  const { target, messages } = spec;
  const received = new Promise<ReceivedUpload>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, defParamCharset: "utf8", limits: { files: 1, ...spec.limits } });
    } catch {
      reject(new DomainError("BAD_INPUT", messages.notMultipart, "file"));
      return;
    }
    let upload: Promise<ReceivedUpload> | null = null;
    bb.on("file", (field, stream, info) => {
      if (field !== "file" || upload) {
        stream.resume();
        return;
      }
      let tooLarge = false;
      stream.on("limit", () => (tooLarge = true));
      const hash = spec.sha256 ? crypto.createHash("sha256") : null;
      if (hash) stream.on("data", (chunk: Buffer) => hash.update(chunk));
      upload = pipeline(stream, fs.createWriteStream(target, { flags: "wx" })).then(
        async () => {
          if (tooLarge) throw messages.tooLarge();
          const bytes = (await fs.promises.stat(target)).size;
          const fileName = (info.filename || spec.defaultName).replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 200);
          return { path: target, fileName, bytes, ...(hash ? { sha256: hash.digest("hex") } : {}) };
        },
        (err: unknown) => {
          throw messages.interrupted && !(err instanceof DomainError) ? new DomainError("BAD_INPUT", messages.interrupted, "file") : err;
        },
      );
      upload.catch(() => undefined);
    });
    bb.on("error", () => reject(new DomainError("BAD_INPUT", messages.malformed, "file")));
    bb.on("close", () => {
      if (!upload) reject(new DomainError("BAD_INPUT", messages.noFile, "file"));
      else upload.then(resolve, reject);
    });
    req.pipe(bb);
  });
  return received.catch(async (err: unknown) => {
    await fs.promises.rm(target, { force: true });
    throw err;
  });
}

// ---------------------------------------------------------------------------------------------
// Guards (mounted once on /api in app.ts, before every route module)

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
