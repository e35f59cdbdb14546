import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { once } from "node:events";
import {
  DomainError, TEACHER_IMPORT_FIELDS, TEACHER_IMPORT_LABELS, TeacherRowValidator, isBlankRecord, mapTeacherImportHeader, recordOf,
  type CountyStanding, type HeaderMapping, type ImportRowError, type TeacherImportRow, type TeacherImportScope,
} from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import type { Db } from "../../db/data-source.js";
import { enqueueJob, nodeId, type JobKind } from "../../jobs/job-runner.js";
import { logger } from "../../logger.js";
import { audit } from "../audit/audit.service.js";
import { requireActing } from "../auth/authorize.js";
import { readSheetRows, sniffFormat, type SheetFormat } from "./import-file.reader.js";
import { accountsOutOfScope, applyChunk, unchangeableAmong, type ImportCaller } from "./teacher-import.writer.js";
import { countiesWithCode, knownSchools, unitStanding, type KnownSchool } from "./teacher-import.repository.js";
import { failJob, insertErrors, saveJobProgress } from "./import-job.repository.js";

export const TEACHER_IMPORT_KIND = "TEACHER_IMPORT";
export type ImportMode = "all" | "validOnly";

/** Rows validated and written per step (one transaction per written chunk). */
export const CHUNK_ROWS = 5000;
/** Data rows accepted in one file (Zhejiang has about 600,000 teachers). */
export const MAX_IMPORT_ROWS = 1_000_000;
/** Row errors kept for the screen and the error report; the count beyond is still reported. */
export const MAX_STORED_ERRORS = 100_000;

export type ImportPhase = "QUEUED" | "VALIDATING" | "WRITING" | "FINISHED";

/** What `job.result` holds for a teacher import. */
export interface TeacherImportResult {
  mode: ImportMode;
  fileName: string;
  format: SheetFormat | null;
  phase: ImportPhase;
  /** mode "all" and at least one bad row: nothing was written. */
  refused: boolean;
  rows: number;
  validRows: number;
  created: number;
  updated: number;
  unchanged: number;
  schoolsCreated: number;
  schoolsRenamed: number;
  errorCount: number;
  errorRows: number;
  storedErrors: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface UploadedFile {
  path: string;
  fileName: string;
  bytes: number;
}

const FIELD_ORDER = new Map<string, number>(["file", "header", ...TEACHER_IMPORT_FIELDS].map((f, i) => [f, i]));
const byRow = (a: ImportRowError, b: ImportRowError) => a.row - b.row || (FIELD_ORDER.get(a.field) ?? 99) - (FIELD_ORDER.get(b.field) ?? 99);

/** What a teacher import job needs to run (`job.payload`, server-internal). */
interface TeacherImportPayload {
  file: UploadedFile;
  mode: ImportMode;
  caller: ImportCaller & { unitId: string };
}

/** What a job reports when the process running it stopped (nothing resumes a teacher import). */
export const INTERRUPTED = "导入任务已中断（服务重启或异常退出），已写入的行保持不变，请重新上传同一文件继续";

/**
 * Queues the job for an uploaded file, to run on this node (whose disk holds the file); returns
 * the job id at once (the client polls `importJob(id)`).
 */
export async function startTeacherImport(ctx: Ctx, file: UploadedFile, mode: ImportMode): Promise<string> {
  const acting = requireActing(ctx);
  const result: TeacherImportResult = {
    mode, fileName: file.fileName, format: null, phase: "QUEUED", refused: false, rows: 0, validRows: 0,
    created: 0, updated: 0, unchanged: 0, schoolsCreated: 0, schoolsRenamed: 0, errorCount: 0, errorRows: 0, storedErrors: 0,
    startedAt: null, finishedAt: null,
  };
  const caller: ImportCaller & { unitId: string } = {
    userId: ctx.auth!.userId, scopePath: acting.unitPath, role: acting.role, unitId: acting.unitId,
  };
  const payload: TeacherImportPayload = { file, mode, caller };
  return enqueueJob(ctx.db, { kind: TEACHER_IMPORT_KIND, createdBy: ctx.auth!.userId, result, payload, node: nodeId(ctx.config.dataDir) });
}

/**
 * The job kind (listed in jobs/job-kinds.ts). A job taken over from a stopped process is not run
 * again: it is reported as interrupted (rows already written stay; the same file can be uploaded
 * again), as is a job queued before its payload was kept.
 */
export const teacherImportJob: JobKind = {
  kind: TEACHER_IMPORT_KIND,
  async run(db, job) {
    const p = job.payload as TeacherImportPayload | null;
    if (job.takenOver || !p?.file) {
      if (p?.file) await Promise.all([fs.promises.rm(p.file.path, { force: true }), fs.promises.rm(p.file.path + ".rows.jsonl", { force: true })]).catch(() => undefined);
      await failJob(db, job.id, INTERRUPTED);
      return;
    }
    await runTeacherImport(db, job.id, p.file, p.mode, p.caller, job.result as TeacherImportResult);
  },
};

/** The county standings and own-school rule of the caller (SPEC §1 scope, applied to import rows). */
async function importScope(db: Db, caller: { role: string; unitId: string; scopePath: string }): Promise<{ scope: TeacherImportScope; counties: Map<string, { id: string; cityId: string }> }> {
  const rows = await countiesWithCode(db);
  const counties = new Map(rows.map((r) => [r.code, { id: r.id, cityId: r.city_id }]));
  if (caller.role === "SCHOOL_ADMIN") {
    const own = await unitStanding(db, caller.unitId);
    const standing = (code: string): CountyStanding => {
      const c = counties.get(code);
      if (!c) return "unknown";
      const mine = own?.kind === "PRACTICE_BASE" ? c.cityId === own.city_id : c.id === own?.county_id;
      return mine ? "inScope" : "outOfScope";
    };
    // A school without a code cannot be matched by any row; "" matches nothing.
    return { scope: { county: standing, onlySchoolCode: own?.code ?? "" }, counties };
  }
  const inScope = new Set(rows.filter((r) => r.path.startsWith(caller.scopePath)).map((r) => r.code));
  return { scope: { county: (code) => (inScope.has(code) ? "inScope" : counties.has(code) ? "outOfScope" : "unknown") }, counties };
}

class JobProgress {
  private lastWrite = 0;
  constructor(
    private readonly db: Db,
    private readonly jobId: string,
    readonly result: TeacherImportResult,
  ) {}

  async save(state: "RUNNING" | "DONE" | "FAILED", progress: number, processed: number, total: number | null, error: string | null = null, force = false) {
    const now = Date.now();
    // At most a few writes a second: progress is for people watching a bar.
    if (!force && state === "RUNNING" && now - this.lastWrite < 250) return;
    this.lastWrite = now;
    await saveJobProgress(this.db, this.jobId, { state, progress: Math.min(1, Math.max(0, progress)), processed, total, result: this.result, error });
  }
}

/** Buffers row errors, stores them in row order (up to MAX_STORED_ERRORS) and counts them all. */
class ErrorSink {
  private buffer: ImportRowError[] = [];
  private seq = 0;
  private readonly rowsWithErrors = new Set<number>();
  constructor(
    private readonly db: Db,
    private readonly jobId: string,
    private readonly result: TeacherImportResult,
  ) {}

  get count(): number {
    return this.result.errorCount;
  }

  add(errors: ImportRowError[]) {
    for (const e of errors) {
      this.buffer.push(e);
      this.result.errorCount++;
      if (!this.rowsWithErrors.has(e.row)) {
        this.rowsWithErrors.add(e.row);
        this.result.errorRows++;
      }
    }
  }

  async flush() {
    if (!this.buffer.length) return;
    const batch = this.buffer.sort(byRow).slice(0, Math.max(0, MAX_STORED_ERRORS - this.seq));
    this.buffer = [];
    for (let i = 0; i < batch.length; i += 2000) {
      const part = batch.slice(i, i + 2000);
      const seqs = part.map(() => ++this.seq);
      await insertErrors(this.db, this.jobId, seqs, part);
    }
    this.result.storedErrors = this.seq;
  }
}

async function runTeacherImport(db: Db, jobId: string, file: UploadedFile, mode: ImportMode, caller: ImportCaller & { unitId: string }, result: TeacherImportResult): Promise<void> {
  const progress = new JobProgress(db, jobId, result);
  const errors = new ErrorSink(db, jobId, result);
  const rowsFile = file.path + ".rows.jsonl";
  // Temporary files go before the job reports its end, so a finished job never leaves them behind.
  const cleanup = () =>
    Promise.all([fs.promises.rm(file.path, { force: true }), fs.promises.rm(rowsFile, { force: true })]).catch(() => undefined);
  result.startedAt = new Date().toISOString();
  result.phase = "VALIDATING";
  try {
    await progress.save("RUNNING", 0, 0, null, null, true);
    result.format = await sniffFormat(file.path);

    // Pass 1: read, validate and check against the database; valid rows go to a side file.
    const validated = await validateFile(db, file, result.format, caller, mode, errors, rowsFile, (processed, fraction) =>
      progress.save("RUNNING", fraction * 0.5, processed, null),
    );
    result.rows = validated.rows;
    result.validRows = validated.valid;
    await errors.flush();
    log(jobId, "validated", result);

    if (mode === "all" && result.errorCount > 0) {
      result.refused = true;
    } else if (validated.valid > 0) {
      // Pass 2: write the valid rows, one transaction per chunk.
      result.phase = "WRITING";
      await progress.save("RUNNING", 0.5, 0, validated.valid, null, true);
      let written = 0;
      for await (const chunk of chunksOf(rowsFile)) {
        const out = await db.tx((tx) => applyChunk(tx, chunk, caller));
        result.created += out.created;
        result.updated += out.updated;
        result.unchanged += out.unchanged;
        result.schoolsCreated += out.schoolsCreated;
        result.schoolsRenamed += out.schoolsRenamed;
        if (out.rejected.length) {
          errors.add(out.rejected);
          await errors.flush();
        }
        written += chunk.length;
        await progress.save("RUNNING", 0.5 + 0.5 * (written / validated.valid), written, validated.valid);
      }
    }
    result.phase = "FINISHED";
    result.finishedAt = new Date().toISOString();
    await audit(db, { auth: { userId: caller.userId, acting: { role: caller.role, unitId: caller.unitId } } }, {
      action: "TEACHER_IMPORT",
      targetType: "job",
      targetId: jobId,
      data: {
        mode, fileName: result.fileName, refused: result.refused, rows: result.rows, created: result.created, updated: result.updated,
        unchanged: result.unchanged, schoolsCreated: result.schoolsCreated, schoolsRenamed: result.schoolsRenamed, errorRows: result.errorRows,
      },
    });
    const total = result.refused ? result.rows : result.validRows;
    await cleanup();
    await progress.save("DONE", 1, total, total, null, true);
    log(jobId, "finished", result);
  } catch (e) {
    const known = e instanceof DomainError;
    if (!known) logger.error({ err: e, jobId }, "teacher import failed");
    result.phase = "FINISHED";
    result.finishedAt = new Date().toISOString();
    await errors.flush().catch(() => undefined);
    await cleanup();
    await progress
      .save("FAILED", 1, 0, null, known ? e.message : "导入失败：服务器内部错误，已写入的行保持不变，可重新上传同一文件继续", true)
      .catch((err) => logger.error({ err, jobId }, "could not record the failure of an import job"));
  } finally {
    await cleanup();
  }
}

function log(jobId: string, what: string, r: TeacherImportResult) {
  logger.info({ jobId, rows: r.rows, valid: r.validRows, created: r.created, updated: r.updated, unchanged: r.unchanged, errors: r.errorCount }, `teacher import ${what}`);
}

/**
 * Pass 1. Streams the rows, validates each (pure rules), checks each chunk of otherwise valid rows
 * against the database (accounts of users outside the scope, school codes taken elsewhere), and
 * appends the rows that pass to `rowsFile` (JSON lines).
 */
async function validateFile(
  db: Db,
  file: UploadedFile,
  format: SheetFormat,
  caller: ImportCaller & { unitId: string },
  mode: ImportMode,
  errors: ErrorSink,
  rowsFile: string,
  onProgress: (processed: number, fraction: number) => Promise<void>,
): Promise<{ rows: number; valid: number }> {
  const { scope, counties } = await importScope(db, caller);
  const validator = new TeacherRowValidator(scope);
  const schoolCache = new Map<string, KnownSchool | null>();
  const out = fs.createWriteStream(rowsFile);
  let bytes = 0;
  let mapping: HeaderMapping | null = null;
  let rows = 0;
  let valid = 0;
  let pending: TeacherImportRow[] = [];

  const write = async (line: string) => {
    if (!out.write(line)) await once(out, "drain");
  };

  const flushPending = async () => {
    if (!pending.length) return;
    const chunk = pending;
    pending = [];
    const outside = await accountsOutOfScope(db, chunk.map((r) => r.account), caller.scopePath);
    const unchangeable = await unchangeableAmong(db, chunk.map((r) => r.account), caller);
    const unknownCodes = [...new Set(chunk.map((r) => r.schoolCode))].filter((c) => !schoolCache.has(c));
    if (unknownCodes.length) {
      const found = await knownSchools(db, unknownCodes, caller.scopePath);
      for (const c of unknownCodes) schoolCache.set(c, null);
      for (const s of found) schoolCache.set(s.code, s);
    }
    const L = TEACHER_IMPORT_LABELS;
    for (const r of chunk) {
      const rowErrors: ImportRowError[] = [];
      if (outside.has(r.account)) {
        rowErrors.push({
          row: r.row, field: "account",
          message: `「${L.account}」「${r.account}」已属于您管辖范围以外的单位的用户，不能通过本次导入修改；跨辖区调动请由共同的上级管理员导入`,
        });
      }
      const refusal = unchangeable.get(r.account);
      if (refusal) rowErrors.push({ row: r.row, field: "account", message: refusal });
      const school = schoolCache.get(r.schoolCode);
      if (school) {
        const county = counties.get(r.countyCode);
        if (school.kind !== "SCHOOL" && school.kind !== "PRACTICE_BASE") {
          rowErrors.push({ row: r.row, field: "schoolCode", message: `「${L.schoolCode}」「${r.schoolCode}」已被行政区划或学区使用，不能作为学校代码` });
        } else if (
          !school.in_scope ||
          (school.kind === "SCHOOL" ? school.county_id !== county?.id : school.city_id !== county?.cityId)
        ) {
          rowErrors.push({
            row: r.row, field: "schoolCode",
            message: `「${L.schoolCode}」「${r.schoolCode}」已属于其他县区的学校，不能归入县区「${r.countyCode}」；学校隶属关系的调整请联系上级管理员`,
          });
        }
      } else if (caller.role === "SCHOOL_ADMIN") {
        // Defensive: the validator already limits a school admin to their own (existing) school.
        rowErrors.push({ row: r.row, field: "schoolCode", message: `「${L.schoolCode}」「${r.schoolCode}」不存在，学校管理员不能新建学校` });
      }
      if (rowErrors.length) errors.add(rowErrors);
      else {
        valid++;
        // In mode "all" one bad row refuses the file: no need to keep rows that will not be written.
        if (mode === "validOnly" || errors.count === 0) await write(JSON.stringify(r) + "\n");
      }
    }
    await errors.flush();
    await onProgress(rows, file.bytes ? Math.min(1, bytes / file.bytes) : 0);
  };

  try {
    for await (const { row, cells } of readSheetRows(file.path, format, (n) => (bytes = n))) {
      if (!mapping) {
        // The first non-empty row is the header.
        if (cells.every((c) => !c || !c.trim())) continue;
        const header = mapTeacherImportHeader(cells, row);
        if (!header.mapping) {
          errors.add(header.errors);
          throw new DomainError("FILE_REJECTED", header.errors.map((e) => e.message).join("；"), "file");
        }
        mapping = header.mapping;
        continue;
      }
      const record = recordOf(cells, mapping);
      if (isBlankRecord(record)) continue;
      if (++rows > MAX_IMPORT_ROWS) {
        throw new DomainError("FILE_REJECTED", `文件超过${MAX_IMPORT_ROWS}行，请按县区拆分后分别导入`, "file");
      }
      const r = validator.check(row, record);
      if (r.value) pending.push(r.value);
      else errors.add(r.errors);
      if (pending.length >= CHUNK_ROWS) await flushPending();
    }
    await flushPending();
    if (!mapping) throw new DomainError("FILE_REJECTED", "文件中没有内容：第一行须为表头（师训账号、姓名、手机、学校代码、学校名称、县区代码、学科、学段）", "file");
    if (rows === 0) throw new DomainError("FILE_REJECTED", "文件只有表头，没有教师数据", "file");
  } finally {
    out.end();
    await once(out, "close").catch(() => undefined);
  }
  return { rows, valid };
}

/** Pass 2 input: the validated rows back from the side file, CHUNK_ROWS at a time. */
async function* chunksOf(rowsFile: string): AsyncGenerator<TeacherImportRow[]> {
  const rl = readline.createInterface({ input: fs.createReadStream(rowsFile), crlfDelay: Infinity });
  let chunk: TeacherImportRow[] = [];
  for await (const line of rl) {
    if (!line) continue;
    chunk.push(JSON.parse(line) as TeacherImportRow);
    if (chunk.length >= CHUNK_ROWS) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** Where uploads wait for their job (outside the web root, removed when the job ends). */
export function uploadDir(dataDir: string): string {
  return path.join(dataDir, "tmp");
}
