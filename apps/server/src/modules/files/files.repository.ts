import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";

export type FilePurpose = "PHOTO_ZIP" | "VIDEO" | "STAMPED_SCAN" | "CASE_DOCUMENT";

export interface StoredFile {
  /** Internal id (file_link); never shown outside the server. */
  id: string;
  /** The id the API, forms and download links use: 128 random bits as 32 hex digits. */
  public_id: string;
  owner_user_id: string;
  purpose: FilePurpose;
  original_name: string;
  stored_name: string;
  content_type: string;
  size: number;
  sha256: string;
  meta: Record<string, unknown>;
  created_at: Date;
}

export interface NewStoredFile {
  ownerUserId: string;
  purpose: FilePurpose;
  originalName: string;
  storedName: string;
  contentType: string;
  size: number;
  sha256: string;
  /** JSON text. */
  meta: string;
  publicId: string;
}

export const queries = sqlQueries({
  insert: `INSERT INTO stored_file (owner_user_id, purpose, original_name, stored_name, content_type, size, sha256, meta, public_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
  byPublicId: `SELECT * FROM stored_file WHERE public_id = $1`,
  byPublicIds: `SELECT * FROM stored_file WHERE public_id = ANY($1::text[])`,
  linkedTo: `SELECT 1 FROM file_link WHERE file_id = $1 AND target_type = $2 AND target_id = $3`,
  linkedToApplication: `SELECT 1 FROM file_link WHERE file_id = $1 AND target_type = 'application' AND target_id = $2`,
  applicationOfApplicant: `SELECT 1 FROM application WHERE id = $1 AND applicant_user_id = $2`,
  link: `INSERT INTO file_link (file_id, target_type, target_id) SELECT id, $2, $3 FROM stored_file WHERE public_id = $1 ON CONFLICT DO NOTHING`,
  linksOf: `SELECT target_type, target_id FROM file_link WHERE file_id = $1`,
});

export async function insertStoredFile(sql: Sql, f: NewStoredFile): Promise<StoredFile> {
  const row = await sql.one<StoredFile>(queries.insert, [f.ownerUserId, f.purpose, f.originalName, f.storedName, f.contentType, f.size, f.sha256, f.meta, f.publicId]);
  return row!;
}

/** A stored file by its public id (the caller checks the id's form). */
export function storedFileByPublicId(sql: Sql, publicId: string): Promise<StoredFile | undefined> {
  return sql.one<StoredFile>(queries.byPublicId, [publicId]);
}

/** Stored files by public id (the caller checks the ids' form). */
export function storedFilesByPublicId(sql: Sql, publicIds: readonly string[]): Promise<StoredFile[]> {
  return sql.rows<StoredFile>(queries.byPublicIds, [publicIds]);
}

/** Whether the file is attached to the record. */
export async function isLinked(sql: Sql, fileId: string, targetType: string, targetId: string): Promise<boolean> {
  return !!(await sql.one(queries.linkedTo, [fileId, targetType, targetId]));
}

/** Whether the file is attached to the application. */
export async function isLinkedToApplication(sql: Sql, fileId: string, applicationId: string): Promise<boolean> {
  return !!(await sql.one(queries.linkedToApplication, [fileId, applicationId]));
}

/** Whether the user is the applicant of the application. */
export async function isApplicantOf(sql: Sql, applicationId: string, userId: string): Promise<boolean> {
  return !!(await sql.one(queries.applicationOfApplicant, [applicationId, userId]));
}

/** Attaches the file with that public id (if any) to the record; attaching twice is harmless. */
export async function linkFile(sql: Sql, publicId: string, targetType: string, targetId: string): Promise<void> {
  await sql.exec(queries.link, [publicId, targetType, targetId]);
}

/** The records a file is attached to. */
export function linksOf(sql: Sql, fileId: string): Promise<{ target_type: string; target_id: string }[]> {
  return sql.rows<{ target_type: string; target_id: string }>(queries.linksOf, [fileId]);
}
