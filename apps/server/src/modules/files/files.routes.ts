import crypto from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Express, Request, Response } from "express";
import { DomainError } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { receiveUpload, restHandler, sendRestError } from "../../common/http.js";
import { contextFor, type RouteDeps } from "../../common/request-context.js";
import { requirePermission } from "../auth/authorize.js";
import { Permission } from "../auth/permissions.js";
import { FILE_PURPOSES, fileById, fileTargetCheck, openStored, storeUpload, UPLOAD_LIMITS, PURPOSE_LABELS, type FilePurpose, type StoredFile } from "./files.service.js";
import { linksOf } from "./files.repository.js";

const ERRORS = { fallback: "服务器内部错误，请稍后重试", log: "file route failed" };

export function fileView(f: StoredFile) {
  return {
    id: f.public_id,
    purpose: f.purpose,
    originalName: f.original_name,
    contentType: f.content_type,
    size: Number(f.size),
    meta: f.meta,
    url: `/api/files/${f.public_id}`,
    createdAt: f.created_at,
  };
}

/**
 * POST /api/files?purpose=VIDEO|PHOTO_ZIP|STAMPED_SCAN, multipart with one part named `file`.
 * Authenticated like GraphQL (session cookie or Bearer token). The body streams to a temporary
 * file with a size cap, then the content is checked; the answer is the stored file (201) or a
 * FILE_REJECTED error naming every violated rule (422).
 */
async function upload(req: Request, res: Response, deps: RouteDeps): Promise<void> {
  const ctx = await contextFor(req, res, deps.db, deps.config, { budget: "long" });
  let tmp: string | null = null;
  try {
    if (!ctx.auth) throw new DomainError("UNAUTHENTICATED", "请先登录");
    requirePermission(ctx, Permission.FileUpload);
    const purpose = String(req.query.purpose ?? "") as FilePurpose;
    if (!FILE_PURPOSES.includes(purpose)) {
      throw new DomainError("BAD_INPUT", `请指明文件用途（purpose）：${FILE_PURPOSES.map((p) => `${p}（${PURPOSE_LABELS[p]}）`).join("、")}`, "purpose");
    }
    if (!/^multipart\/form-data/i.test(req.headers["content-type"] ?? "")) throw new DomainError("BAD_INPUT", "请以multipart/form-data格式上传文件", "file");
    const limit = UPLOAD_LIMITS[purpose];
    const tmpDir = path.join(deps.config.filesDir, "tmp");
    await fsp.mkdir(tmpDir, { recursive: true });
    tmp = path.join(tmpDir, crypto.randomBytes(16).toString("hex") + ".part");
    const tooLarge = `${PURPOSE_LABELS[purpose]}不能超过${Math.round(limit / 1024 / 1024)} MB`;
    const got = await receiveUpload(req, {
      target: tmp,
      limits: { fileSize: limit, fields: 5, parts: 6 },
      sha256: true,
      defaultName: "file",
      messages: {
        notMultipart: "上传请求格式不正确",
        malformed: "上传请求格式不正确或传输中断",
        noFile: "请求中没有名为file的文件",
        tooLarge: () => new DomainError("FILE_REJECTED", tooLarge, "file", { violations: [{ field: "file", rule: "maxSize", message: tooLarge }] }),
      },
    });
    const stored = await storeUpload(ctx, { purpose, originalName: got.fileName, tmp: got.path, size: got.bytes, sha256: got.sha256! });
    tmp = null;
    res.status(201).json(fileView(stored));
  } finally {
    if (tmp) await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** Whether the acting role may download the file: its uploader, or anyone who can see a record it is attached to. */
async function canDownload(ctx: Ctx, f: StoredFile): Promise<boolean> {
  if (String(f.owner_user_id) === String(ctx.auth!.userId)) return true;
  const links = await linksOf(ctx.db, f.id);
  for (const l of links) {
    const check = fileTargetCheck(l.target_type);
    if (check && (await check(ctx, String(l.target_id)).catch(() => false))) return true;
  }
  return false;
}

/**
 * GET /api/files/:id[?actingRole=<assignment id>] — the file as an attachment, for whoever may
 * see it in the acting role; NOT_FOUND otherwise. Download links are plain links (large videos
 * stream straight to disk), so they name the tab's acting role in the query string.
 */
async function download(req: Request, res: Response, deps: RouteDeps): Promise<void> {
  const ctx = await contextFor(req, res, deps.db, deps.config, { actingFromQuery: true, budget: "long" });
  if (!ctx.auth) throw new DomainError("UNAUTHENTICATED", "请先登录");
  const f = await fileById(ctx.db, String(req.params.id));
  if (!f || !(await canDownload(ctx, f))) throw new DomainError("NOT_FOUND", "文件不存在或无权查看");
  res.setHeader("Content-Type", f.content_type);
  res.setHeader("Content-Length", String(f.size));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Content-Disposition", `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(f.original_name)}`);
  const stream = openStored(ctx, f);
  stream.on("error", (e) => sendRestError(req, res, e, ERRORS));
  stream.pipe(res);
}

export function mountFiles(app: Express, deps: RouteDeps): void {
  app.post("/api/files", restHandler((req, res) => upload(req, res, deps), ERRORS));
  app.get("/api/files/:id", restHandler((req, res) => download(req, res, deps), ERRORS));
}
