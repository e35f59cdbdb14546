import { expect } from "vitest";
import type { Client } from "../support/client.js";

/** The eight columns as the teacher-training platform's export names them. */
export const CN_HEADER = ["师训账号", "姓名", "手机", "学校代码", "学校名称", "县区代码", "学科", "学段"];
export const EN_HEADER = ["account", "name", "phone", "schoolCode", "schoolName", "countyCode", "subject", "stage"];

export type TeacherLine = [account: string, name: string, phone: string, schoolCode: string, schoolName: string, countyCode: string, subject: string, stage: string];

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** CSV text of a header and rows, with CRLF line ends as Excel writes them. */
export function csvOf(lines: readonly (readonly string[])[], header: readonly string[] = CN_HEADER): string {
  return [header, ...lines].map((l) => l.map(quote).join(",")).join("\r\n") + "\r\n";
}

export interface UploadAnswer {
  status: number;
  body: { jobId?: string; error?: { code: string; message: string; field?: string } };
}

/** Uploads a file to POST /api/import/teachers as the web app does (multipart, X-Requested-With). */
export async function uploadTeachers(
  baseUrl: string,
  c: Client | null,
  content: string | Uint8Array,
  opts: { mode?: string; fileName?: string; headers?: Record<string, string> } = {},
): Promise<UploadAnswer> {
  const fd = new FormData();
  fd.append("file", new Blob([content]), opts.fileName ?? "教师名单.csv");
  const headers: Record<string, string> = { "x-requested-with": "XMLHttpRequest", ...opts.headers };
  if (c?.token) headers.authorization = `Bearer ${c.token}`;
  if (c?.actingRole) headers["x-acting-role"] = c.actingRole;
  const q = opts.mode === undefined ? "" : `?mode=${encodeURIComponent(opts.mode)}`;
  const res = await fetch(`${baseUrl}/api/import/teachers${q}`, { method: "POST", headers, body: fd });
  return { status: res.status, body: (await res.json()) as UploadAnswer["body"] };
}

export const JOB_FIELDS = `id state phase mode fileName format progress processed total refused rows validRows created updated unchanged
  schoolsCreated schoolsRenamed errorCount errorRowCount storedErrorCount errorReportUrl error finishedAt errors { row field column message }`;

export interface Job {
  id: string;
  state: "QUEUED" | "RUNNING" | "DONE" | "FAILED";
  phase: string;
  mode: string;
  fileName: string;
  format: string | null;
  progress: number;
  processed: number;
  total: number | null;
  refused: boolean;
  rows: number;
  validRows: number;
  created: number;
  updated: number;
  unchanged: number;
  schoolsCreated: number;
  schoolsRenamed: number;
  errorCount: number;
  errorRowCount: number;
  storedErrorCount: number;
  errorReportUrl: string;
  error: string | null;
  errors: { row: number; field: string; column: string; message: string }[];
}

/** Polls importJob(id) until the job is DONE or FAILED; `seen` collects every polled snapshot. */
export async function waitForJob(c: Client, id: string, seen: Job[] = []): Promise<Job> {
  for (let i = 0; i < 6000; i++) {
    const { importJob } = await c.gql<{ importJob: Job }>(`query($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`, { id });
    seen.push(importJob);
    if (importJob.state === "DONE" || importJob.state === "FAILED") return importJob;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import job ${id} did not finish`);
}

/** Uploads and waits for the outcome. */
export async function importTeachers(baseUrl: string, c: Client, content: string | Uint8Array, opts: { mode?: string; fileName?: string } = {}): Promise<Job> {
  const up = await uploadTeachers(baseUrl, c, content, opts);
  expect(up.status, JSON.stringify(up.body)).toBe(202);
  return waitForJob(c, up.body.jobId!);
}

let gbMap: Map<string, number[]> | null = null;

/** Encodes text as GB18030 (what Excel on a Chinese Windows writes), for the characters tests use. */
export function gb18030(text: string): Uint8Array {
  if (!gbMap) {
    gbMap = new Map();
    const dec = new TextDecoder("gb18030");
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([a, b]));
        if (ch.length === 1 && ch !== "\uFFFD" && !gbMap.has(ch)) gbMap.set(ch, [a, b]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbMap.get(ch);
      if (!bytes) throw new Error(`no GB18030 two-byte code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}
