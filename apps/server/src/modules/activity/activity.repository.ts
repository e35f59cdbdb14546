import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type pg from "pg";
import copyStreams from "pg-copy-streams";
import {
  RULE_NAMES, dayString, newParsedInstant, parseEventLine, parseInstant, scoreEvents, taskPublishers, validateEvent,
  type ActivityEvent, type EventError, type LedgerEntry,
} from "@zjh/domain/activity/index";
import type { Sql, Tx } from "../../db/data-source.js";
import { logger } from "../../logger.js";
import { countActivityEvents } from "../../common/metrics.js";

/**
 * The activity event store and the ledger/aggregates derived from it (the repository layer of the
 * activity module: SQL only here, no authorization).
 *
 * Writing is two steps, each atomic:
 *  1. storeEvents: append new events (idempotent by id), keep task publishers right, and mark the
 *     accounts whose ledger they change as dirty (with the earliest day that may change).
 *  2. rescoreAccounts: for dirty accounts, rescore all their stored events (every year: streaks
 *     and lifetime caps span years) and replace ledger rows and aggregates from that day on.
 * Step 2 can run right after step 1 (the platform's batch) or once after a whole file (imports),
 * so an account is rescored once per file, not once per chunk.
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
  /** The row's columns after seq in COPY text format, once computed (copyTailOf). */
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

/** Positions per chunk: seq = chunk * 2^20 + position, so a chunk holds at most 2^20 events. */
export const MAX_CHUNK_EVENTS = 1 << 20;

export interface StoreResult {
  /** Events newly stored (the rest repeated ids already stored, or repeated within the chunk). */
  stored: number;
  /** Accounts marked for rescoring. */
  accounts: string[];
}

/** Lock namespace for advisory locks on accounts (first key of pg_advisory_xact_lock). */
const ACCOUNT_LOCK = 730_001;

function copyText(v: string | null): string {
  if (v === null) return "\\N";
  const plain = v.indexOf("\\") === -1 && v.indexOf("\t") === -1 && v.indexOf("\n") === -1 && v.indexOf("\r") === -1;
  return plain ? v : v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

/**
 * An event's columns after `seq` as COPY text, computed once: the import computes it while the
 * previous chunk is being written, so the escaping does not wait for the database.
 */
export function copyTailOf(e: PreparedEvent): string {
  return (e.copyTail ??= `\t${e.type}\t${copyText(e.subject)}\t${copyText(e.taskId)}\t${e.at}\t${e.day}\t${copyText(e.raw)}`);
}

function pgClientOf(tx: Tx): pg.PoolClient {
  const client = (tx.manager.queryRunner as unknown as { databaseConnection?: pg.PoolClient }).databaseConnection;
  if (!client) throw new Error("no database connection in this transaction");
  return client;
}

/** One event as a line of COPY text format. */
function copyRow(e: PreparedEvent, seq: bigint, jobId: string | null): string {
  return `${copyText(e.id)}\t${seq}${copyTailOf(e)}\t${jobId ?? "\\N"}\n`;
}

async function copyInto(tx: Tx, table: string, events: PreparedEvent[], seqs: bigint[], jobId: string | null): Promise<void> {
  const stream = pgClientOf(tx).query(copyStreams.from(`COPY ${table} (id, seq, type, subject, task_id, at, day, raw, job_id) FROM STDIN`));
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 0;
  for (let i = 0; i < events.length; i++) {
    const row = copyRow(events[i]!, seqs[i]!, jobId);
    parts.push(row);
    size += row.length;
    if (size > 1 << 20) {
      chunks.push(parts.join(""));
      parts = [];
      size = 0;
    }
  }
  if (parts.length) chunks.push(parts.join(""));
  await pipeline(Readable.from(chunks), stream);
}

/**
 * Inserts a chunk of events (ids unique within it) and returns those actually inserted (ids not
 * stored before). With `copy` (PostgreSQL servers): ids already stored are filtered out first, and
 * the rest is COPY-ed straight into the table; if a concurrent writer stored one of them meanwhile
 * (unique violation), the chunk goes again through a temporary table and INSERT … ON CONFLICT DO
 * NOTHING. Without `copy` (PGlite): one INSERT from arrays with ON CONFLICT DO NOTHING.
 */
async function insertChunk(tx: Tx, copy: boolean, events: PreparedEvent[], base: bigint, jobId: string | null): Promise<PreparedEvent[]> {
  const seqs = events.map((_, i) => base + BigInt(i));
  const byId = new Map(events.map((e, i) => [e.id, i]));
  const inserted = (rows: { id: string }[]) => rows.map((r) => byId.get(r.id)!).sort((a, b) => a - b).map((i) => events[i]!);
  if (copy) {
    const stored = new Set((await tx.rows<{ id: string }>(`SELECT id FROM activity_event WHERE id = ANY($1::text[])`, [events.map((e) => e.id)])).map((r) => r.id));
    const fresh: number[] = [];
    events.forEach((e, i) => stored.has(e.id) || fresh.push(i));
    if (fresh.length === 0) return [];
    await tx.exec(`SAVEPOINT activity_copy`);
    try {
      await copyInto(tx, "activity_event", fresh.map((i) => events[i]!), fresh.map((i) => seqs[i]!), jobId);
      await tx.exec(`RELEASE SAVEPOINT activity_copy`);
      return fresh.map((i) => events[i]!);
    } catch (err) {
      const code = (err as { code?: string }).code;
      // 23505: an id stored by a concurrent writer; 40P01: two writers of the same ids deadlocked.
      if (code !== "23505" && code !== "40P01") throw err;
      await tx.exec(`ROLLBACK TO SAVEPOINT activity_copy`);
    }
    await tx.exec(
      `CREATE TEMP TABLE IF NOT EXISTS activity_event_in (
         id text, seq bigint, type text, subject text, task_id text, at timestamptz, day date, raw text, job_id bigint
       ) ON COMMIT DELETE ROWS`,
    );
    await copyInto(tx, "activity_event_in", events, seqs, jobId);
    // In id order, so concurrent chunks that share ids wait on each other instead of deadlocking.
    return inserted(
      await tx.rows<{ id: string }>(
        `INSERT INTO activity_event (id, seq, type, subject, task_id, at, day, raw, job_id)
         SELECT id, seq, type, subject, task_id, at, day, raw::jsonb, job_id FROM activity_event_in ORDER BY id
         ON CONFLICT (id) DO NOTHING RETURNING id`,
      ),
    );
  }
  const col = <T>(f: (e: PreparedEvent) => T) => events.map(f);
  return inserted(
    await tx.rows<{ id: string }>(
      `INSERT INTO activity_event (id, seq, type, subject, task_id, at, day, raw, job_id)
       SELECT id, seq, type, subject, task_id, at, day, raw::jsonb, $9::bigint
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::date[], $8::text[])
              AS x(id, seq, type, subject, task_id, at, day, raw)
        ORDER BY id
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [col((e) => e.id), seqs.map(String), col((e) => e.type), col((e) => e.subject), col((e) => e.taskId), col((e) => e.at), col((e) => e.day), col((e) => e.raw), jobId],
    ),
  );
}

function minDay(map: Map<string, string>, account: string, day: string): void {
  const cur = map.get(account);
  if (cur === undefined || day < cur) map.set(account, day);
}

/**
 * Keeps task publishers right after new task events and marks the publishers affected. A task's
 * publisher is the userId of its earliest task_published (ties in arrival order), exactly as the
 * engine decides it. A task published for the first time is decided from this chunk alone, and
 * its publisher rescored from the publication's day (engagements count only after it). When an
 * existing task's publisher changes (an earlier publication arrived late, rare), both the old and
 * the new publisher are rescored from the task's first event.
 */
async function updateTasks(tx: Sql, inserted: PreparedEvent[], marks: Map<string, string>): Promise<void> {
  const publications = new Map<string, ActivityEvent[]>();
  const publishedFrom = new Map<string, string>();
  const eventsFrom = new Map<string, string>();
  for (const e of inserted) {
    if (e.taskId === null) continue;
    if (e.publication) {
      let list = publications.get(e.taskId);
      if (!list) publications.set(e.taskId, (list = []));
      list.push(e.publication);
      minDay(publishedFrom, e.taskId, e.day);
    }
    minDay(eventsFrom, e.taskId, e.day);
  }
  if (eventsFrom.size === 0) return;
  const taskIds = [...eventsFrom.keys()].sort();
  const current = new Map(
    (await tx.rows<{ task_id: string; publisher: string }>(`SELECT task_id, publisher FROM activity_task WHERE task_id = ANY($1::text[])`, [taskIds])).map(
      (r) => [r.task_id, r.publisher],
    ),
  );
  const set: { taskId: string; publisher: string }[] = [];
  const reassigned: { taskId: string; publisher: string; previous: string }[] = [];
  const fresh = [...publications.keys()].filter((t) => !current.has(t));
  for (const [taskId, publisher] of taskPublishers(fresh.flatMap((t) => publications.get(t)!))) {
    set.push({ taskId, publisher });
    minDay(marks, publisher, publishedFrom.get(taskId)!);
  }
  const republished = [...publications.keys()].filter((t) => current.has(t)).sort();
  if (republished.length > 0) {
    const pubs = await tx.rows<{ raw: ActivityEvent }>(
      `SELECT raw FROM activity_event WHERE task_id = ANY($1::text[]) AND type = 'task_published' ORDER BY seq`,
      [republished],
    );
    for (const [taskId, publisher] of taskPublishers(pubs.map((p) => p.raw))) {
      const previous = current.get(taskId)!;
      if (publisher !== previous) reassigned.push({ taskId, publisher, previous });
    }
  }
  for (const r of [...set, ...reassigned]) current.set(r.taskId, r.publisher);
  if (set.length + reassigned.length > 0) {
    const all = [...set, ...reassigned];
    await tx.exec(
      `INSERT INTO activity_task (task_id, publisher) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (task_id) DO UPDATE SET publisher = excluded.publisher`,
      [all.map((c) => c.taskId), all.map((c) => c.publisher)],
    );
  }
  if (reassigned.length > 0) {
    const firstDays = new Map(
      (await tx.rows<{ task_id: string; day: string }>(
        `SELECT task_id, min(day)::text AS day FROM activity_event WHERE task_id = ANY($1::text[]) GROUP BY task_id`,
        [reassigned.map((c) => c.taskId)],
      )).map((r) => [r.task_id, r.day]),
    );
    for (const c of reassigned) {
      minDay(marks, c.publisher, firstDays.get(c.taskId)!);
      minDay(marks, c.previous, firstDays.get(c.taskId)!);
    }
  }
  // New engagements (and publications) of tasks whose publisher stays: from their own day.
  for (const [taskId, day] of eventsFrom) {
    const publisher = current.get(taskId);
    if (publisher !== undefined && !set.some((x) => x.taskId === taskId)) minDay(marks, publisher, day);
  }
}

/**
 * Marks accounts dirty from the given days on (an earlier day already marked wins; `ver`, the
 * chunk that set the day, is informative).
 */
async function markDirty(tx: Sql, marks: Map<string, string>, ver: bigint): Promise<void> {
  if (marks.size === 0) return;
  // Sorted, so concurrent writers lock queue rows in the same order.
  const accounts = [...marks.keys()].sort();
  await tx.exec(
    `INSERT INTO activity_dirty (account, from_day, ver) SELECT a, d, $3::bigint FROM unnest($1::text[], $2::date[]) AS x(a, d)
     ON CONFLICT (account) DO UPDATE SET from_day = excluded.from_day, ver = excluded.ver WHERE excluded.from_day < activity_dirty.from_day`,
    [accounts, accounts.map((a) => marks.get(a)!), ver.toString()],
  );
}

/**
 * Appends events (idempotent by id: an id already stored, or repeated earlier in `events`, is
 * ignored) and marks the accounts whose points they change. `events` are in arrival order.
 */
export async function storeEvents(tx: Tx, events: PreparedEvent[], opts: { copy: boolean; jobId?: string | null }): Promise<StoreResult> {
  if (events.length > MAX_CHUNK_EVENTS) throw new Error(`a chunk holds at most ${MAX_CHUNK_EVENTS} events`);
  const seen = new Set<string>();
  const unique: PreparedEvent[] = [];
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    unique.push(e);
  }
  if (unique.length === 0) return { stored: 0, accounts: [] };
  const chunk = BigInt((await tx.one<{ n: string }>(`SELECT nextval('activity_chunk_seq')::text AS n`))!.n);
  const inserted = await insertChunk(tx, opts.copy, unique, chunk * BigInt(MAX_CHUNK_EVENTS), opts.jobId ?? null);
  const marks = new Map<string, string>();
  for (const e of inserted) if (e.subject !== null) minDay(marks, e.subject, e.day);
  await updateTasks(tx, inserted, marks);
  await markDirty(tx, marks, chunk);
  // Counted when written (a transaction rolled back later counts too): a rate for operators.
  countActivityEvents(events.length, inserted.length);
  return { stored: inserted.length, accounts: [...marks.keys()] };
}

// ---------------------------------------------------------------------------------------------
// Rescoring

const RULE_INDEX = new Map<string, number>(RULE_NAMES.map((r, i) => [r, i]));

interface Owner {
  user_id: string;
  school_id: string | null;
  county_id: string | null;
  city_id: string | null;
  unit_path: string;
}

/** The user and home unit copied onto an account's aggregate rows (null fields for unknown accounts). */
async function ownersOf(tx: Sql, accounts: string[]): Promise<Map<string, Owner>> {
  const rows = await tx.rows<Owner & { account: string }>(
    `SELECT u.account, u.id AS user_id, u.unit_path, o.county_id, o.city_id,
            CASE WHEN o.kind IN ('SCHOOL','PRACTICE_BASE') THEN o.id END AS school_id
       FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id WHERE u.account = ANY($1::text[])`,
    [accounts],
  );
  return new Map(rows.map((r) => [r.account, r]));
}

function columns<K extends string>(...names: K[]): Record<K, unknown[]> {
  return Object.fromEntries(names.map((n) => [n, []])) as unknown as Record<K, unknown[]>;
}

interface PeriodTotal {
  points: number;
  mobile: number;
  rules: number[];
}

function addTo(map: Map<string, PeriodTotal>, key: string, e: LedgerEntry, rule: number): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = { points: 0, mobile: 0, rules: new Array<number>(RULE_NAMES.length).fill(0) }));
  t.points += e.points;
  if (e.mobile && e.points > 0) t.mobile += e.points;
  t.rules[rule]! += e.points;
}

/**
 * Scores stored events. They were valid when stored; should a later engine version refuse some,
 * those are left out (and logged) rather than blocking the accounts' rescoring for good.
 */
function scoreStored(events: ActivityEvent[]): LedgerEntry[] {
  try {
    return scoreEvents(events);
  } catch (err) {
    const valid = events.filter((e) => validateEvent(e) === null);
    logger.warn({ err, refused: events.length - valid.length }, "stored activity events refused by the engine are left out of scoring");
    return scoreEvents(valid);
  }
}

/**
 * Rescores the given accounts where they are marked dirty: locks them (advisory, in one order),
 * takes their markings, rescores every stored event of them, and replaces ledger rows, daily rows
 * and period totals from the marked day on. Accounts not marked (any more) are skipped. Returns
 * how many were rescored.
 */
export async function rescoreAccounts(tx: Sql, candidates: string[]): Promise<number> {
  if (candidates.length === 0) return 0;
  const sorted = [...new Set(candidates)].sort();
  await tx.exec(
    `SELECT pg_advisory_xact_lock(${ACCOUNT_LOCK}, h) FROM (SELECT DISTINCT hashtext(a) AS h FROM unnest($1::text[]) a ORDER BY h OFFSET 0) s`,
    [sorted],
  );
  // Take the markings before reading events: a writer that marked an account and has not
  // committed yet makes us wait, and its events are then visible to the reads below; a writer
  // that marks after this leaves a new marking for the next rescoring. Row locks in account
  // order, as writers mark in account order.
  const dirty = await tx.rows<{ account: string; from_day: string }>(
    `SELECT account, from_day::text AS from_day FROM activity_dirty WHERE account = ANY($1::text[]) ORDER BY account FOR UPDATE`,
    [sorted],
  );
  if (dirty.length === 0) return 0;
  const accounts = dirty.map((d) => d.account);
  await tx.exec(`DELETE FROM activity_dirty WHERE account = ANY($1::text[])`, [accounts]);
  const rows = await tx.rows<{ raw: ActivityEvent }>(
    `SELECT raw FROM (
       SELECT e.seq, e.raw FROM activity_event e WHERE e.subject = ANY($1::text[])
       UNION ALL
       SELECT e.seq, e.raw FROM activity_task t JOIN activity_event e ON e.task_id = t.task_id WHERE t.publisher = ANY($1::text[])
     ) x ORDER BY seq`,
    [accounts],
  );
  // One engine run for all of them: every piece of scoring state belongs to one account (a
  // resource to its owner, a task to its publisher), so each account's entries are exactly those
  // of scoring its own events alone, in the same order.
  const byAccount = new Map<string, LedgerEntry[]>(accounts.map((a) => [a, []]));
  for (const e of scoreStored(rows.map((r) => (typeof r.raw === "string" ? (JSON.parse(r.raw) as ActivityEvent) : r.raw)))) {
    byAccount.get(e.userId)?.push(e);
  }
  const owners = await ownersOf(tx, accounts);
  const ledger = columns("account", "ord", "day", "rule", "points", "mobile", "event");
  const daily = columns("account", "day", "rule", "year", "month", "points", "mobile", "user", "school", "county", "city", "path");
  const totals = columns("account", "period", "points", "mobile", "rules", "user", "school", "county", "city", "path");
  const cut = columns("account", "ord", "day", "month", "year");

  for (const d of dirty) {
    const entries = byAccount.get(d.account)!;
    const owner = owners.get(d.account);
    let first = entries.findIndex((e) => e.day >= d.from_day);
    if (first === -1) first = entries.length;
    cut.account.push(d.account);
    cut.ord.push(first);
    cut.day.push(d.from_day);
    cut.month.push(d.from_day.slice(0, 7));
    cut.year.push(d.from_day.slice(0, 4));
    const days = new Map<string, { points: number; mobile: number }>();
    const periods = new Map<string, PeriodTotal>();
    for (let i = first; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.userId !== d.account) continue;
      ledger.account.push(d.account);
      ledger.ord.push(i);
      ledger.day.push(e.day);
      ledger.rule.push(e.rule);
      ledger.points.push(e.points);
      ledger.mobile.push(e.mobile);
      ledger.event.push(e.eventId);
      const key = e.day + "|" + e.rule;
      let t = days.get(key);
      if (!t) days.set(key, (t = { points: 0, mobile: 0 }));
      t.points += e.points;
      if (e.mobile && e.points > 0) t.mobile += e.points;
    }
    // Totals of every month from the cut's month on and of every year from the cut's year on
    // (a year's total includes its months before the cut).
    const fromMonth = d.from_day.slice(0, 7);
    const fromYear = d.from_day.slice(0, 4);
    for (const e of entries) {
      if (e.userId !== d.account) continue;
      const rule = RULE_INDEX.get(e.rule)!;
      const month = e.day.slice(0, 7);
      if (month >= fromMonth) addTo(periods, month, e, rule);
      const year = e.day.slice(0, 4);
      if (year >= fromYear) addTo(periods, year, e, rule);
    }
    for (const [key, t] of days) {
      const day = key.slice(0, 10);
      daily.account.push(d.account);
      daily.day.push(day);
      daily.rule.push(key.slice(11));
      daily.year.push(Number(day.slice(0, 4)));
      daily.month.push(Number(day.slice(5, 7)));
      daily.points.push(t.points);
      daily.mobile.push(t.mobile);
      daily.user.push(owner?.user_id ?? null);
      daily.school.push(owner?.school_id ?? null);
      daily.county.push(owner?.county_id ?? null);
      daily.city.push(owner?.city_id ?? null);
      daily.path.push(owner?.unit_path ?? null);
    }
    for (const [period, t] of periods) {
      totals.account.push(d.account);
      totals.period.push(period);
      totals.points.push(t.points);
      totals.mobile.push(t.mobile);
      totals.rules.push(`{${t.rules.join(",")}}`);
      totals.user.push(owner?.user_id ?? null);
      totals.school.push(owner?.school_id ?? null);
      totals.county.push(owner?.county_id ?? null);
      totals.city.push(owner?.city_id ?? null);
      totals.path.push(owner?.unit_path ?? null);
    }
  }

  const cutParams = [cut.account, cut.ord, cut.day];
  await tx.exec(
    `DELETE FROM activity_ledger l USING unnest($1::text[], $2::int[], $3::date[]) AS c(account, ord, day)
      WHERE l.account = c.account AND (l.ord >= c.ord OR l.day >= c.day)`,
    cutParams,
  );
  await tx.exec(
    `DELETE FROM activity_daily t USING unnest($1::text[], $2::date[]) AS c(account, day) WHERE t.account = c.account AND t.day >= c.day`,
    [cut.account, cut.day],
  );
  await tx.exec(
    `DELETE FROM activity_total t USING unnest($1::text[], $2::text[], $3::text[]) AS c(account, month, year)
      WHERE t.account = c.account AND (CASE WHEN length(t.period) = 4 THEN t.period >= c.year ELSE t.period >= c.month END)`,
    [cut.account, cut.month, cut.year],
  );
  if (ledger.account.length) {
    await tx.exec(
      `INSERT INTO activity_ledger (account, ord, day, rule, points, mobile, event_id)
       SELECT * FROM unnest($1::text[], $2::int[], $3::date[], $4::text[], $5::int[], $6::boolean[], $7::text[])`,
      [ledger.account, ledger.ord, ledger.day, ledger.rule, ledger.points, ledger.mobile, ledger.event],
    );
  }
  if (daily.account.length) {
    await tx.exec(
      `INSERT INTO activity_daily (account, day, rule, year, month, points, mobile_points, user_id, school_id, county_id, city_id, unit_path)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::smallint[], $5::smallint[], $6::int[], $7::int[],
                            $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[])`,
      [daily.account, daily.day, daily.rule, daily.year, daily.month, daily.points, daily.mobile, daily.user, daily.school, daily.county, daily.city, daily.path],
    );
  }
  if (totals.account.length) {
    await tx.exec(
      `INSERT INTO activity_total (account, period, points, mobile_points, rule_points, user_id, school_id, county_id, city_id, unit_path)
       SELECT a, p, pts, mob, r::int[], u, s, co, ci, pa
         FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[])
              AS x(a, p, pts, mob, r, u, s, co, ci, pa)`,
      [totals.account, totals.period, totals.points, totals.mobile, totals.rules, totals.user, totals.school, totals.county, totals.city, totals.path],
    );
  }
  return dirty.length;
}

/**
 * Copies each account's current user and home unit onto its aggregate rows: for accounts that
 * were unknown when their events arrived, or whose user moved. Call it in the transaction that
 * creates, imports or transfers users (with their accounts), or without accounts to repair
 * every aggregate row still without a user.
 */
export async function stampActivityOwners(tx: Sql, accounts?: string[]): Promise<number> {
  const filter = accounts ? "x.account = ANY($1::text[])" : "x.user_id IS NULL";
  const params = accounts ? [accounts] : [];
  let n = 0;
  for (const table of ["activity_total", "activity_daily"]) {
    const r = await tx.exec(
      `UPDATE ${table} x SET user_id = u.id, unit_path = u.unit_path, county_id = o.county_id, city_id = o.city_id,
              school_id = CASE WHEN o.kind IN ('SCHOOL','PRACTICE_BASE') THEN o.id END
         FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id
        WHERE u.account = x.account AND ${filter}
          AND (x.user_id IS DISTINCT FROM u.id OR x.unit_path IS DISTINCT FROM u.unit_path)`,
      params,
    );
    n += r.affected;
  }
  return n;
}
