import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import type { Express, Request, Response } from "express";
import { DomainError } from "@zjh/domain";
import { contextFor } from "../../app.js";
import type { RouteDeps } from "../../routes.js";
import { logger } from "../../logger.js";
import { retryAfterOn, UNAVAILABLE_STATUS } from "../../common/http-status.js";
import { audit } from "../audit/audit.service.js";
import { requirePermission } from "../auth/authorize.js";
import { Permission } from "../auth/permissions.js";
import { createImportJob, enqueueImportJob, resumeActivityWork } from "./activity-import.job.js";

/** Largest accepted upload (a day of province events is well below it). */
export const MAX_IMPORT_BYTES = 4 * 1024 ** 3;

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, FILE_REJECTED: 422, BAD_INPUT: 400, ...UNAVAILABLE_STATUS };

function fail(res: Response, err: unknown) {
  const e = err instanceof DomainError ? err : null;
  if (!e) logger.error({ err }, "activity import upload failed");
  if (res.headersSent) return;
  const status = e ? STATUS[e.code] ?? 400 : 500;
  retryAfterOn(res, status);
  res.status(status).json({ error: { code: e?.code ?? "INTERNAL_SERVER_ERROR", message: e?.message ?? "上传失败，请稍后重试" } });
}

/** Streams the multipart field `file` to `target`; nothing is held in memory. */
function receiveFile(req: Request, target: string): Promise<{ fileName: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, defParamCharset: "utf8", limits: { files: 1, fileSize: MAX_IMPORT_BYTES, fields: 10, parts: 12 } });
    } catch {
      reject(new DomainError("BAD_INPUT", "请以 multipart/form-data 上传事件文件（字段名 file）", "file"));
      return;
    }
    let upload: Promise<{ fileName: string; bytes: number }> | null = null;
    bb.on("file", (field, stream, info) => {
      if (field !== "file" || upload) {
        stream.resume();
        return;
      }
      let tooLarge = false;
      stream.on("limit", () => (tooLarge = true));
      upload = pipeline(stream, fs.createWriteStream(target, { flags: "wx" })).then(async () => {
        if (tooLarge) throw new DomainError("FILE_REJECTED", `文件超过 ${MAX_IMPORT_BYTES / 1024 ** 3} GB，请拆分后分别上传`, "file");
        const bytes = (await fs.promises.stat(target)).size;
        const fileName = (info.filename || "events.jsonl").replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 200);
        return { fileName, bytes };
      });
      upload.catch(() => undefined);
    });
    bb.on("error", () => reject(new DomainError("BAD_INPUT", "上传中断或格式不正确，请重新上传", "file")));
    bb.on("close", () => {
      if (!upload) reject(new DomainError("BAD_INPUT", "请选择要上传的事件文件（表单字段名 file）", "file"));
      else upload.then(resolve, reject);
    });
    req.pipe(bb);
  });
}

/**
 * POST /api/activity/import — multipart/form-data with one file field `file` (JSON Lines). The
 * file is streamed to disk (never held in memory), then imported by a job; the answer is
 * 202 { jobId }, and the job is polled with the GraphQL query activityImportJob(id).
 */
async function upload(req: Request, res: Response, deps: RouteDeps) {
  const ctx = await contextFor(req, res, deps.db, deps.config, { budget: "long" });
  if (!ctx.auth) throw new DomainError("UNAUTHENTICATED", "请先登录");
  requirePermission(ctx, Permission.ActivityIngest);
  // Cross-site forms are refused for every REST route by common/api-guards.ts.
  const dir = path.join(deps.config.filesDir, "activity-imports");
  await fs.promises.mkdir(dir, { recursive: true });
  const target = path.join(dir, `${crypto.randomUUID()}.jsonl`);
  let file: { fileName: string; bytes: number };
  try {
    file = await receiveFile(req, target);
  } catch (e) {
    await fs.promises.rm(target, { force: true });
    throw e;
  }
  const jobId = await createImportJob(ctx.db, ctx.auth.userId, { ...file, file: target });
  await audit(ctx.db, ctx, { action: "ACTIVITY_IMPORT", targetType: "job", targetId: jobId, data: { fileName: file.fileName, bytes: file.bytes } });
  // The job outlives this request: its client leaving now must not stop it (common/request-scope.ts).
  ctx.db.scope?.detach();
  void enqueueImportJob(ctx.db, jobId).catch((err) => logger.error({ err, jobId }, "activity import job crashed"));
  res.status(202).json({ jobId });
}

export function mountActivityImport(app: Express, deps: RouteDeps): void {
  app.post("/api/activity/import", (req, res) => {
    upload(req, res, deps).catch((err) => {
      // Drain what the client still sends, so it can read the answer.
      req.resume();
      fail(res, err);
    });
  });
  // Pick up work left by a previous run (queued or interrupted imports, accounts left marked).
  setTimeout(() => {
    resumeActivityWork(deps.db).catch((err) => logger.warn({ err }, "resuming activity work failed"));
  }, 0);
}
