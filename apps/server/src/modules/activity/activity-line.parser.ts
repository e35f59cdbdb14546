import {
  dayString, newParsedInstant, parseEventLine, parseInstant,
  type ActivityEvent, type EventError,
} from "@zjh/domain/activity/index";

/**
 * One line of the event format turned into an event ready to store (validation, the stored
 * columns, and their bulk-load text). No SQL here: activity.repository.ts writes what this prepares.
 */

/** A validated event ready to store. */
export interface PreparedEvent {
  id: string;
  type: string;
  /** Account the points go to; null for task events (they go to the task's publisher). */
  subject: string | null;
  taskId: string | null;
  /** ISO instant (milliseconds; the exact text stays in raw). */
  at: string;
  /** Asia/Shanghai day. */
  day: string;
  /** The line as received. */
  raw: string;
  /** For task_published: the event (its publisher and exact instant decide the task's publisher). */
  publication: ActivityEvent | null;
  /** The row's columns after seq in the bulk-load text format, once computed (copyTailOf). */
  copyTail?: string;
}

export type PreparedLine = { ok: true; event: PreparedEvent } | { ok: false; error: EventError } | null;

const instant = newParsedInstant();

/** "\u0000" and unpaired UTF-16 surrogate escapes are valid JSON but cannot be stored (PostgreSQL text/jsonb). */
function unstorable(text: string): string | null {
  if (text.indexOf("\\u") === -1) return null;
  if (/\\u0000/.test(text)) return "包含无法存储的字符 \\u0000";
  const re = /\\u([dD][89a-fA-F][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u[dD][c-fC-F][0-9a-fA-F]{2}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] === undefined || m[2] === undefined) return "包含不成对的 Unicode 代理字符，无法存储";
  }
  return null;
}

/** Parses and validates one line (1-based `lineNo`); null for a blank line. */
export function prepareLine(text: string, lineNo: number): PreparedLine {
  const parsed = parseEventLine(text, lineNo);
  if (parsed === null) return null;
  if (!parsed.ok) return parsed;
  const e = parsed.event;
  const bad = unstorable(text);
  if (bad) return { ok: false, error: { line: lineNo, message: `第${lineNo}行：${bad}` } };
  parseInstant(e.at, instant);
  const year = new Date(instant.epochMs + 8 * 3_600_000).getUTCFullYear();
  if (year < 1 || year > 9999) {
    return { ok: false, error: { line: lineNo, message: `第${lineNo}行：字段 at 的年份超出可存储范围（0001–9999）` } };
  }
  let subject: string | null = null;
  let taskId: string | null = null;
  switch (e.type) {
    case "task_published":
    case "task_engaged":
      taskId = e.taskId;
      break;
    case "resource_spread":
    case "resource_review":
    case "resource_deleted":
      subject = e.ownerId;
      break;
    default:
      subject = e.userId;
  }
  return {
    ok: true,
    event: {
      id: e.id, type: e.type, subject, taskId, at: new Date(instant.epochMs).toISOString(), day: dayString(instant.day), raw: text,
      publication: e.type === "task_published" ? e : null,
    },
  };
}

/** A value in the bulk-load text format of PostgreSQL (`\N` for null; backslash, tab, newline and carriage return escaped). */
export function copyText(v: string | null): string {
  if (v === null) return "\\N";
  const plain = v.indexOf("\\") === -1 && v.indexOf("\t") === -1 && v.indexOf("\n") === -1 && v.indexOf("\r") === -1;
  return plain ? v : v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

/**
 * An event's columns after `seq` in the bulk-load text format, computed once: the import computes it while the
 * previous chunk is being written, so the escaping does not wait for the database.
 */
export function copyTailOf(e: PreparedEvent): string {
  return (e.copyTail ??= `\t${e.type}\t${copyText(e.subject)}\t${copyText(e.taskId)}\t${e.at}\t${e.day}\t${copyText(e.raw)}`);
}
