import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Express, Request, Response } from "express";
import { DomainError } from "@zjh/domain";
import { receiveUpload, restHandler } from "../../common/http.js";
import { contextFor, type RouteDeps } from "../../common/request-context.js";
import { requirePermission } from "../auth/authorize.js";
import { Permission } from "../auth/permissions.js";
import { startTeacherImport, uploadDir, type ImportMode, type UploadedFile } from "./teacher-import.service.js";

/** Largest upload accepted: a 600,000-row export is about 60 MB as CSV. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

function modeOf(v: unknown): ImportMode {
  if (v === undefined || v === "all") return "all";
  if (v === "validOnly") return "validOnly";
  throw new DomainError("BAD_INPUT", "参数 mode 只能为 all（有错误则整份不导入）或 validOnly（仅导入正确的行）", "mode");
}

async function handle(req: Request, res: Response, deps: RouteDeps) {
  const ctx = await contextFor(req, res, deps.db, deps.config, { budget: "long" });
  if (!ctx.auth) throw new DomainError("UNAUTHENTICATED", "请先登录");
  requirePermission(ctx, Permission.UserImport);
  // Cross-site forms are refused for every REST route by common/http.ts (csrfGuard).
  const mode = modeOf(req.query.mode);
  const dir = uploadDir(deps.config.dataDir);
  await fs.promises.mkdir(dir, { recursive: true });
  const file: UploadedFile = await receiveUpload(req, {
    target: path.join(dir, `teacher-import-${crypto.randomUUID()}.upload`),
    limits: { fileSize: MAX_UPLOAD_BYTES, fields: 10, parts: 12 },
    defaultName: "upload",
    messages: {
      notMultipart: "请以 multipart/form-data 上传文件（字段名 file）",
      malformed: "上传中断或格式不正确，请重新上传",
      noFile: "请选择要上传的文件（表单字段名 file）",
      tooLarge: () => new DomainError("FILE_REJECTED", `文件超过${MAX_UPLOAD_BYTES / 1024 / 1024}MB，请按县区拆分后分别导入`, "file"),
      // An aborted upload leaves nothing behind (receiveUpload removes it).
      interrupted: "上传中断，请重新上传",
    },
  });
  let jobId: string;
  try {
    jobId = await startTeacherImport(ctx, file, mode);
  } catch (e) {
    await fs.promises.rm(file.path, { force: true });
    throw e;
  }
  res.status(202).json({ jobId, mode });
}

/**
 * POST /api/import/teachers?mode=all|validOnly — multipart upload (field `file`, CSV or XLSX) of
 * the teacher-training platform's export. Answers 202 { jobId } at once; progress and outcome
 * via the GraphQL query importJob(id).
 */
export function mountTeacherImport(app: Express, deps: RouteDeps): void {
  app.post("/api/import/teachers", restHandler((req, res) => handle(req, res, deps), { fallback: "上传失败，请稍后重试", log: "teacher import upload failed" }));
}
