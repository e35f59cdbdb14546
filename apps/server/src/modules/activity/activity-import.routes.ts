import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Express, Request, Response } from "express";
import { DomainError } from "@zjh/domain";
import { receiveUpload, restHandler, type ReceivedUpload } from "../../common/http.js";
import { contextFor, type RouteDeps } from "../../common/request-context.js";
import { audit } from "../audit/audit.service.js";
import { requirePermission } from "../auth/authorize.js";
import { Permission } from "../auth/permissions.js";
import { nodeId } from "../../jobs/job-runner.js";
import { createImportJob } from "./activity-import.job.js";

/** Largest accepted upload (a day of province events is well below it). */
export const MAX_IMPORT_BYTES = 4 * 1024 ** 3;

/**
 * POST /api/activity/import — multipart/form-data with one file field `file` (JSON Lines). The
 * file is streamed to disk (never held in memory), then imported by a job; the answer is
 * 202 { jobId }, and the job is polled with the GraphQL query activityImportJob(id).
 */
async function upload(req: Request, res: Response, deps: RouteDeps) {
  const ctx = await contextFor(req, res, deps.db, deps.config, { budget: "long" });
  if (!ctx.auth) throw new DomainError("UNAUTHENTICATED", "请先登录");
  requirePermission(ctx, Permission.ActivityIngest);
  // Cross-site forms are refused for every REST route by common/http.ts (csrfGuard).
  const dir = path.join(deps.config.filesDir, "activity-imports");
  await fs.promises.mkdir(dir, { recursive: true });
  const target = path.join(dir, `${crypto.randomUUID()}.jsonl`);
  const file: ReceivedUpload = await receiveUpload(req, {
    target,
    limits: { fileSize: MAX_IMPORT_BYTES, fields: 10, parts: 12 },
    defaultName: "events.jsonl",
    messages: {
      notMultipart: "请以 multipart/form-data 上传事件文件（字段名 file）",
      malformed: "上传中断或格式不正确，请重新上传",
      noFile: "请选择要上传的事件文件（表单字段名 file）",
      tooLarge: () => new DomainError("FILE_REJECTED", `文件超过 ${MAX_IMPORT_BYTES / 1024 ** 3} GB，请拆分后分别上传`, "file"),
    },
  });
  const jobId = await createImportJob(ctx.db, ctx.auth.userId, { fileName: file.fileName, bytes: file.bytes, file: target }, nodeId(deps.config.dataDir));
  await audit(ctx.db, ctx, { action: "ACTIVITY_IMPORT", targetType: "job", targetId: jobId, data: { fileName: file.fileName, bytes: file.bytes } });
  res.status(202).json({ jobId });
}

export function mountActivityImport(app: Express, deps: RouteDeps): void {
  app.post("/api/activity/import", restHandler((req, res) => upload(req, res, deps), { fallback: "上传失败，请稍后重试", log: "activity import upload failed" }));
}
