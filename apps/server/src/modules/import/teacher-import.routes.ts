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
import { requirePermission } from "../auth/authorize.js";
import { Permission } from "../auth/permissions.js";
import { startTeacherImport, uploadDir, type ImportMode, type UploadedFile } from "./teacher-import.service.js";

/** Largest upload accepted: a 600,000-row export is about 60 MB as CSV. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, FILE_REJECTED: 422, BAD_INPUT: 400, ...UNAVAILABLE_STATUS };

/** Streams the multipart field `file` to a temporary file; nothing is held in memory. */
function receiveFile(req: Request, dir: string): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, defParamCharset: "utf8", limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 10, parts: 12 } });
    } catch {
      reject(new DomainError("BAD_INPUT", "请以 multipart/form-data 上传文件（字段名 file）", "file"));
      return;
    }
    let upload: Promise<UploadedFile> | null = null;
    bb.on("file", (field, stream, info) => {
      if (field !== "file" || upload) {
        stream.resume();
        return;
      }
      const target = path.join(dir, `teacher-import-${crypto.randomUUID()}.upload`);
      let tooLarge = false;
      stream.on("limit", () => (tooLarge = true));
      upload = pipeline(stream, fs.createWriteStream(target, { flags: "wx" })).then(
        async () => {
          if (tooLarge) {
            await fs.promises.rm(target, { force: true });
            throw new DomainError("FILE_REJECTED", `文件超过${MAX_UPLOAD_BYTES / 1024 / 1024}MB，请按县区拆分后分别导入`, "file");
          }
          const bytes = (await fs.promises.stat(target)).size;
          const fileName = (info.filename || "upload").replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 200);
          return { path: target, fileName, bytes };
        },
        async (err: unknown) => {
          // An aborted upload leaves nothing behind.
          await fs.promises.rm(target, { force: true });
          throw err instanceof DomainError ? err : new DomainError("BAD_INPUT", "上传中断，请重新上传", "file");
        },
      );
      upload.catch(() => undefined);
    });
    bb.on("error", () => reject(new DomainError("BAD_INPUT", "上传中断或格式不正确，请重新上传", "file")));
    bb.on("close", () => {
      if (!upload) reject(new DomainError("BAD_INPUT", "请选择要上传的文件（表单字段名 file）", "file"));
      else upload.then(resolve, reject);
    });
    req.pipe(bb);
  });
}

function modeOf(v: unknown): ImportMode {
  if (v === undefined || v === "all") return "all";
  if (v === "validOnly") return "validOnly";
  throw new DomainError("BAD_INPUT", "参数 mode 只能为 all（有错误则整份不导入）或 validOnly（仅导入正确的行）", "mode");
}

async function handle(req: Request, res: Response, deps: RouteDeps) {
  try {
    const ctx = await contextFor(req, res, deps.db, deps.config, { budget: "long" });
    if (!ctx.auth) throw new DomainError("UNAUTHENTICATED", "请先登录");
    requirePermission(ctx, Permission.UserImport);
    // Cross-site forms are refused for every REST route by common/api-guards.ts.
    const mode = modeOf(req.query.mode);
    const dir = uploadDir(deps.config.dataDir);
    await fs.promises.mkdir(dir, { recursive: true });
    const file = await receiveFile(req, dir);
    let jobId: string;
    try {
      jobId = await startTeacherImport(ctx, file, mode);
    } catch (e) {
      await fs.promises.rm(file.path, { force: true });
      throw e;
    }
    res.status(202).json({ jobId, mode });
  } catch (e) {
    const err = e instanceof DomainError ? e : null;
    if (!err) logger.error({ err: e }, "teacher import upload failed");
    // The body may not have been read: do not keep this connection for another request.
    res.setHeader("Connection", "close");
    const status = err ? (STATUS[err.code] ?? 400) : 500;
    retryAfterOn(res, status);
    res.status(status).json({
      error: { code: err?.code ?? "INTERNAL_SERVER_ERROR", message: err?.message ?? "上传失败，请稍后重试", ...(err?.field ? { field: err.field } : {}) },
    });
  }
}

/**
 * POST /api/import/teachers?mode=all|validOnly — multipart upload (field `file`, CSV or XLSX) of
 * the teacher-training platform's export. Answers 202 { jobId } at once; progress and outcome
 * via the GraphQL query importJob(id).
 */
export function mountTeacherImport(app: Express, deps: RouteDeps): void {
  app.post("/api/import/teachers", (req, res) => void handle(req, res, deps));
}
