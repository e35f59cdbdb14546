import { DomainError } from "@zjh/domain";
import type { EventError } from "@zjh/domain/activity/index";
import type { Db } from "../../db/data-source.js";
import { logger } from "../../logger.js";
import { dirtyAccountCount, nextDirtyAccounts, rescoreAccounts, storeEvents } from "./activity.repository.js";
import { prepareLine, type PreparedEvent } from "./activity-line.parser.js";

/** Most lines one GraphQL batch may carry (larger volumes go through the file import). */
export const MAX_BATCH_LINES = 5000;
/** Longest accepted line, in characters (a real event is a few hundred). */
export const MAX_LINE_CHARS = 64 * 1024;
/** Accounts rescored per transaction (fewer on the embedded database, whose one session every request waits for). */
export const RESCORE_CHUNK_ACCOUNTS = 500;
const rescoreChunk = (db: Db) => (db.kind === "postgres" ? RESCORE_CHUNK_ACCOUNTS : 100);

export interface PreparedChunk {
  events: PreparedEvent[];
  errors: EventError[];
  /** Valid events (also repeated ids). */
  valid: number;
}

/** Validates numbered lines: blank lines are skipped, bad lines become errors, the rest is kept. */
export function prepareLines(lines: Iterable<{ text: string; line: number }>): PreparedChunk {
  const events: PreparedEvent[] = [];
  const errors: EventError[] = [];
  let valid = 0;
  for (const { text, line } of lines) {
    if (text.length > MAX_LINE_CHARS) {
      errors.push({ line, message: `第${line}行：超过 ${MAX_LINE_CHARS} 个字符，不是有效的事件` });
      continue;
    }
    const p = prepareLine(text, line);
    if (p === null) continue;
    if (p.ok) {
      events.push(p.event);
      valid++;
    } else errors.push(p.error);
  }
  return { events, errors, valid };
}

/**
 * Runs a transaction again when PostgreSQL aborted it as a deadlock or serialization victim
 * (writers of overlapping ids or accounts at the same moment); every step here can be repeated.
 */
export async function retrying<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (i >= attempts || (code !== "40P01" && code !== "40001")) throw err;
      logger.warn({ code, attempt: i }, "activity transaction aborted by the database; retrying");
      await new Promise((r) => setTimeout(r, 20 * i));
    }
  }
}

/** Rescores the given accounts (those still marked), in chunks; returns how many were rescored. */
export async function rescoreInChunks(db: Db, accounts: string[], onChunk?: (done: number) => Promise<void> | void): Promise<number> {
  const sorted = [...new Set(accounts)].sort();
  let done = 0;
  const n = rescoreChunk(db);
  for (let i = 0; i < sorted.length; i += n) {
    done += await retrying(() => db.tx((tx) => rescoreAccounts(tx, sorted.slice(i, i + n))));
    await onChunk?.(done);
  }
  return done;
}

/**
 * Rescores every account marked dirty (left by an import, by a batch whose rescoring failed, or by
 * a crash), chunk by chunk, until none is left. Safe to run in several processes at once.
 */
export async function drainDirtyAccounts(db: Db, onChunk?: (done: number, left: number) => Promise<void> | void): Promise<number> {
  let done = 0;
  for (;;) {
    const next = await nextDirtyAccounts(db, rescoreChunk(db));
    if (next.length === 0) return done;
    const n = await retrying(() => db.tx((tx) => rescoreAccounts(tx, next.map((r) => r.account))));
    done += n;
    if (n === 0) {
      // Someone else rescored these meanwhile; yield before looking again.
      await new Promise((r) => setTimeout(r, 50));
    }
    if (onChunk) {
      const left = await dirtyAccountCount(db);
      await onChunk(done, left ?? 0);
    }
  }
}

export interface BatchResult {
  received: number;
  valid: number;
  stored: number;
  duplicates: number;
  errors: EventError[];
  rescoredAccounts: number;
}

/**
 * The platform's batch: validates every line (1-based line numbers within the batch), stores the
 * valid events idempotently, then rescores the accounts they change before answering, so the
 * answer reflects them. Sending the same batch twice stores nothing the second time.
 */
export async function ingestBatch(db: Db, lines: string[]): Promise<BatchResult> {
  if (lines.length > MAX_BATCH_LINES) {
    throw new DomainError("BAD_INPUT", `每批最多 ${MAX_BATCH_LINES} 行事件，大量事件请用文件导入`, "lines");
  }
  const prepared = prepareLines(lines.map((text, i) => ({ text, line: i + 1 })));
  const stored = prepared.events.length
    ? await retrying(() => db.tx((tx) => storeEvents(tx, prepared.events, { copy: db.kind === "postgres" })))
    : { stored: 0, accounts: [] };
  let rescored = 0;
  try {
    rescored = await rescoreInChunks(db, stored.accounts);
  } catch (err) {
    // The events are stored and their accounts stay marked: the next drain rescores them.
    logger.error({ err }, "rescoring after an activity batch failed; accounts stay marked");
  }
  return {
    received: lines.length,
    valid: prepared.valid,
    stored: stored.stored,
    duplicates: prepared.valid - stored.stored,
    errors: prepared.errors,
    rescoredAccounts: rescored,
  };
}
