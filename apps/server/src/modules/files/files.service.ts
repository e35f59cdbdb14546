import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { badInput, DomainError, type FieldViolation } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { loader } from "../../common/loader.js";
import type { Sql } from "../../db/data-source.js";
import { checkPhotoZip, checkVideo, checkVideoEvidence } from "../campaign/domain.js";
import { probeVideo } from "./video-probe.util.js";
import { probeZip } from "./zip-probe.util.js";
import { documentType } from "./document-probe.util.js";
import { roleHas } from "../auth/permissions.js";

import {
  insertStoredFile, isApplicantOf, isLinked, isLinkedToApplication, linkFile, storedFileByPublicId, storedFilesByPublicId, type FilePurpose, type StoredFile,
} from "./files.repository.js";

export type { FilePurpose, StoredFile } from "./files.repository.js";

export const FILE_PURPOSES: readonly FilePurpose[] = ["PHOTO_ZIP", "VIDEO", "STAMPED_SCAN", "CASE_DOCUMENT"];

/** Upload size caps (bytes on the wire), per purpose. */
export const UPLOAD_LIMITS: Record<FilePurpose, number> = {
  PHOTO_ZIP: 500 * 1024 * 1024,
  VIDEO: 1024 * 1024 * 1024,
  STAMPED_SCAN: 20 * 1024 * 1024,
  CASE_DOCUMENT: 50 * 1024 * 1024,
};

export const PURPOSE_LABELS: Record<FilePurpose, string> = {
  PHOTO_ZIP: "图文介绍压缩包",
  VIDEO: "案例视频",
  STAMPED_SCAN: "加盖公章的扫描件",
  CASE_DOCUMENT: "案例文档",
};

/** Where a stored name lives: FILES_DIR/<first two hex chars>/<name>, outside the web root. */
export function storedPath(filesDir: string, storedName: string): string {
  return path.join(filesDir, storedName.slice(0, 2), storedName);
}

function rejected(violations: FieldViolation[]): DomainError {
  return new DomainError("FILE_REJECTED", violations.map((v) => v.message).join("；"), violations[0]?.field, { violations });
}

/** Sniffs a scan: PDF, JPEG or PNG by their first bytes. */
async function scanType(file: string): Promise<string | null> {
  const fh = await fsp.open(file, "r");
  try {
    const b = Buffer.alloc(8);
    await fh.read(b, 0, 8, 0);
    if (b.toString("latin1", 0, 5) === "%PDF-") return "application/pdf";
    if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
    if (b.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
    return null;
  } finally {
    await fh.close();
  }
}

/**
 * Checks an uploaded file by its content, never by its name or declared type: a video with
 * mp4box (container, duration, size, bitrate), a photo zip by inflating its entries with caps, a
 * scan by its magic bytes. Returns the detected type and what was read; throws FILE_REJECTED with
 * every violation named.
 */
export async function inspect(purpose: FilePurpose, file: string, size: number): Promise<{ contentType: string; meta: Record<string, unknown> }> {
  if (size === 0) throw rejected([{ field: "file", rule: "empty", message: "上传的文件是空的" }]);
  switch (purpose) {
    case "VIDEO": {
      const meta = await probeVideo(file, size);
      const v = checkVideo(meta);
      if (meta.container === "mp4") v.push(...checkVideoEvidence(meta));
      if (v.length) throw rejected(v);
      return { contentType: "video/mp4", meta: { ...meta } };
    }
    case "PHOTO_ZIP": {
      const z = await probeZip(file);
      if (!z.isZip) throw rejected([{ field: "photoZip", rule: "zip", message: "图文介绍须为ZIP压缩包，该文件不是有效的ZIP文件" }]);
      const v = checkPhotoZip(z.entries);
      for (const name of z.encrypted) v.push({ field: "photoZip", rule: "encrypted", message: `压缩包中的“${name}”已加密，请去掉密码后重新打包` });
      if (v.length) throw rejected(v);
      const files = z.entries.filter((e) => !e.isDirectory);
      return {
        contentType: "application/zip",
        meta: { entries: files.length, unpackedBytes: files.reduce((s, e) => s + e.uncompressedSize, 0), names: files.slice(0, 50).map((e) => e.name) },
      };
    }
    case "CASE_DOCUMENT": {
      const t = await documentType(file, size);
      if (!t) throw rejected([{ field: "caseDocument", rule: "fileType", message: "案例文档须为Word（doc、docx）或PDF文件，该文件不是" }]);
      return { contentType: t, meta: {} };
    }
    case "STAMPED_SCAN": {
      const t = await scanType(file);
      if (!t) throw rejected([{ field: "stampedScan", rule: "fileType", message: "加盖公章的扫描件须为PDF、JPG或PNG文件" }]);
      return { contentType: t, meta: {} };
    }
  }
}

/**
 * Stores a checked upload: moves the temporary file to its generated name and records it.
 * `tmp` is removed whatever happens.
 */
export async function storeUpload(ctx: Ctx, input: { purpose: FilePurpose; originalName: string; tmp: string; size: number; sha256: string }): Promise<StoredFile> {
  try {
    const { contentType, meta } = await inspect(input.purpose, input.tmp, input.size);
    const storedName = crypto.randomBytes(16).toString("hex");
    const dest = storedPath(ctx.config.filesDir, storedName);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.rename(input.tmp, dest);
    const name = input.originalName.replace(/[\u0000-\u001f\\/]/g, "_").slice(0, 200) || "file";
    return await insertStoredFile(ctx.db, {
      ownerUserId: ctx.auth!.userId, purpose: input.purpose, originalName: name, storedName, contentType, size: input.size, sha256: input.sha256,
      meta: JSON.stringify(meta), publicId: crypto.randomBytes(16).toString("hex"),
    });
  } finally {
    await fsp.rm(input.tmp, { force: true });
  }
}

/** The shape of a public file id (anything else names no file). */
const PUBLIC_ID = /^[0-9a-f]{32}$/;

/** A stored file by its public id. */
export async function fileById(sql: Sql, publicId: string): Promise<StoredFile | undefined> {
  if (typeof publicId !== "string" || !PUBLIC_ID.test(publicId)) return undefined;
  return storedFileByPublicId(sql, publicId);
}

/**
 * Violations of the rule for referring to a file from a record: the file exists, is of the
 * purpose the field takes, and was uploaded by the caller — or is already attached to this very
 * record (a colleague's earlier save). A file of another unit's record is answered as unknown.
 */
export async function fileAttachViolations(
  sql: Sql,
  ctx: Ctx,
  publicId: string | null | undefined,
  spec: { purpose: FilePurpose; field: string; label?: string },
  target: { type: string; id: string | null },
): Promise<FieldViolation[]> {
  if (!publicId) return [];
  const label = spec.label ?? PURPOSE_LABELS[spec.purpose];
  const f = await fileById(sql, publicId);
  const linked = f && target.id ? await isLinked(sql, f.id, target.type, target.id) : false;
  if (!f || (String(f.owner_user_id) !== String(ctx.auth!.userId) && !linked)) {
    return [{ field: spec.field, rule: "file", message: `「${label}」文件不存在，请重新上传` }];
  }
  if (f.purpose !== spec.purpose) return [{ field: spec.field, rule: "fileKind", message: `所选文件不是${PURPOSE_LABELS[spec.purpose]}，请上传${PURPOSE_LABELS[spec.purpose]}` }];
  return [];
}

const ATTACH_FIELDS = {
  photoZip: { purpose: "PHOTO_ZIP", field: "photoZipFileId" },
  video: { purpose: "VIDEO", field: "videoFileId" },
  caseDocument: { purpose: "CASE_DOCUMENT", field: "caseDocumentFileId" },
} as const;

/**
 * The files a form refers to must exist, be of the right kind, and belong to the caller (or be
 * attached to this record already, e.g. by a colleague of the same school). `ctx` null: only
 * existence, kind and attachment to the record or its applicant are checked (at submission).
 */
export async function assertAttachable(
  sql: Sql,
  ctx: Ctx | null,
  refs: Partial<Record<keyof typeof ATTACH_FIELDS, string | null>>,
  applicationId: string,
): Promise<void> {
  const v: FieldViolation[] = [];
  for (const [k, id] of Object.entries(refs)) {
    if (!id) continue;
    const spec = ATTACH_FIELDS[k as keyof typeof ATTACH_FIELDS];
    const f = await fileById(sql, id);
    const linked = f ? await isLinkedToApplication(sql, f.id, applicationId) : false;
    const ownerOk = f && (ctx ? String(f.owner_user_id) === String(ctx.auth!.userId) : await isApplicantOf(sql, applicationId, f.owner_user_id));
    if (!f || (!linked && !ownerOk)) {
      v.push({ field: spec.field, rule: "file", message: `「${PURPOSE_LABELS[spec.purpose]}」文件不存在，请重新上传` });
    } else if (f.purpose !== spec.purpose) {
      v.push({ field: spec.field, rule: "fileKind", message: `所选文件不是${PURPOSE_LABELS[spec.purpose]}，请上传${PURPOSE_LABELS[spec.purpose]}` });
    }
  }
  if (v.length) throw badInput(v);
}

/**
 * Who may download a file linked to a record: modules register, per record type, the
 * permissions whose holders may download its files (the acting role must hold one) and the
 * visibility check of the record (scope, drafts, assignments).
 */
const targetChecks = new Map<string, (ctx: Ctx, targetId: string) => Promise<boolean>>();

export function registerFileTarget(targetType: string, permissions: readonly string[], canSee: (ctx: Ctx, targetId: string) => Promise<boolean>): void {
  targetChecks.set(targetType, async (ctx, targetId) => {
    const role = ctx.auth?.acting?.role;
    if (!role || !permissions.some((p) => roleHas(role, p))) return false;
    return canSee(ctx, targetId);
  });
}

export function fileTargetCheck(targetType: string) {
  return targetChecks.get(targetType);
}

/** Records that a record refers to files, by public id (whoever may see the record may download them). */
export async function linkFiles(sql: Sql, fileIds: readonly string[], targetType: string, targetId: string): Promise<void> {
  for (const id of fileIds) {
    if (!PUBLIC_ID.test(String(id))) continue;
    await linkFile(sql, id, targetType, targetId);
  }
}

/** File descriptions for forms by public id, batched. */
export async function fileRefs(sql: Sql, ids: readonly string[]): Promise<Map<string, StoredFile>> {
  const clean = ids.filter((id) => PUBLIC_ID.test(String(id)));
  if (!clean.length) return new Map();
  const rows = await storedFilesByPublicId(sql, clean);
  return new Map(rows.map((r) => [r.public_id, r]));
}

/** One stored file by id for a field resolver, batched per request (null when unknown). */
export function storedFileById(ctx: Ctx, id: unknown): Promise<StoredFile | null> {
  if (typeof id !== "string" && typeof id !== "number") return Promise.resolve(null);
  return loader<string, StoredFile | null>(ctx, "storedFileById", async (ids) => {
    const files = await fileRefs(ctx.db, ids);
    return ids.map((i) => files.get(i) ?? null);
  }).load(String(id));
}

export function openStored(ctx: Ctx, f: StoredFile): fs.ReadStream {
  return fs.createReadStream(storedPath(ctx.config.filesDir, f.stored_name));
}
