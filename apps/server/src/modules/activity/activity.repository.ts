import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type pg from "pg";
import copyStreams from "pg-copy-streams";
import {
  RULE_NAMES, accountSums, scoreEvents, taskPublishers, validateEvent,
  type ActivityEvent, type LedgerEntry,
} from "@zjh/domain/activity/index";
import type { Sql, Tx } from "../../db/data-source.js";
import { fill, sqlQueries } from "../../db/repository.js";
import { logger } from "../../logger.js";
import { countActivityEvents } from "../../common/metrics.js";
import { afterSql, keyColumns, orderBySql, sortTerms, type SortTerm } from "../../common/sort.js";
import { copyTailOf, copyText, type PreparedEvent } from "./activity-line.parser.js";

export type { PreparedEvent };

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

const JOB_COLUMNS = "id::text AS id, state, progress, processed, result, error, created_at, updated_at";

const HOLDER_SQL = `SELECT u.account, u.id::text AS user_id, u.name, o.name AS unit_name, u.locked, u.unit_path
                      FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id`;

export const queries = sqlQueries({
  nextChunk: `SELECT nextval('activity_chunk_seq')::text AS n`,
  storedIds: `SELECT id FROM activity_event WHERE id = ANY($1::text[])`,
  copySavepoint: `SAVEPOINT activity_copy`,
  releaseCopySavepoint: `RELEASE SAVEPOINT activity_copy`,
  rollbackCopySavepoint: `ROLLBACK TO SAVEPOINT activity_copy`,
  /** {table}: activity_event, or the inbox activity_event_in. */
  copyEvents: `COPY {table} (id, seq, type, subject, task_id, at, day, raw, job_id) FROM STDIN`,
  createEventInbox: `CREATE TEMP TABLE IF NOT EXISTS activity_event_in (
         id text, seq bigint, type text, subject text, task_id text, at timestamptz, day date, raw text, job_id bigint
       ) ON COMMIT DELETE ROWS`,
  insertFromInbox: `INSERT INTO activity_event (id, seq, type, subject, task_id, at, day, raw, job_id)
         SELECT id, seq, type, subject, task_id, at, day, raw::jsonb, job_id FROM activity_event_in ORDER BY id
         ON CONFLICT (id) DO NOTHING RETURNING id`,
  insertEvents: `INSERT INTO activity_event (id, seq, type, subject, task_id, at, day, raw, job_id)
       SELECT id, seq, type, subject, task_id, at, day, raw::jsonb, $9::bigint
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::date[], $8::text[])
              AS x(id, seq, type, subject, task_id, at, day, raw)
        ORDER BY id
       ON CONFLICT (id) DO NOTHING RETURNING id`,
  taskPublishers: `SELECT task_id, publisher FROM activity_task WHERE task_id = ANY($1::text[])`,
  taskPublications: `SELECT raw FROM activity_event WHERE task_id = ANY($1::text[]) AND type = 'task_published' ORDER BY seq`,
  setTaskPublishers: `INSERT INTO activity_task (task_id, publisher) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (task_id) DO UPDATE SET publisher = excluded.publisher`,
  taskFirstDays: `SELECT task_id, min(day)::text AS day FROM activity_event WHERE task_id = ANY($1::text[]) GROUP BY task_id`,
  markDirty: `INSERT INTO activity_dirty (account, from_day, ver) SELECT a, d, $3::bigint FROM unnest($1::text[], $2::date[]) AS x(a, d)
     ON CONFLICT (account) DO UPDATE SET from_day = excluded.from_day, ver = excluded.ver WHERE excluded.from_day < activity_dirty.from_day`,
  owners: `SELECT u.account, u.id AS user_id, u.unit_path, o.county_id, o.city_id,
            CASE WHEN o.kind IN ('SCHOOL','PRACTICE_BASE') THEN o.id END AS school_id
       FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id WHERE u.account = ANY($1::text[])`,
  lockAccounts: `SELECT pg_advisory_xact_lock(${ACCOUNT_LOCK}, h) FROM (SELECT DISTINCT hashtext(a) AS h FROM unnest($1::text[]) a ORDER BY h OFFSET 0) s`,
  takeDirty: `SELECT account, from_day::text AS from_day FROM activity_dirty WHERE account = ANY($1::text[]) ORDER BY account FOR UPDATE`,
  clearDirty: `DELETE FROM activity_dirty WHERE account = ANY($1::text[])`,
  accountEvents: `SELECT raw FROM (
       SELECT e.seq, e.raw FROM activity_event e WHERE e.subject = ANY($1::text[])
       UNION ALL
       SELECT e.seq, e.raw FROM activity_task t JOIN activity_event e ON e.task_id = t.task_id WHERE t.publisher = ANY($1::text[])
     ) x ORDER BY seq`,
  deleteLedgerFrom: `DELETE FROM activity_ledger l USING unnest($1::text[], $2::int[], $3::date[]) AS c(account, ord, day)
      WHERE l.account = c.account AND (l.ord >= c.ord OR l.day >= c.day)`,
  deleteDailyFrom: `DELETE FROM activity_daily t USING unnest($1::text[], $2::date[]) AS c(account, day) WHERE t.account = c.account AND t.day >= c.day`,
  deleteTotalsFrom: `DELETE FROM activity_total t USING unnest($1::text[], $2::text[], $3::text[]) AS c(account, month, year)
      WHERE t.account = c.account AND (CASE WHEN length(t.period) = 4 THEN t.period >= c.year ELSE t.period >= c.month END)`,
  insertLedger: `INSERT INTO activity_ledger (account, ord, day, rule, points, mobile, event_id)
       SELECT * FROM unnest($1::text[], $2::int[], $3::date[], $4::text[], $5::int[], $6::boolean[], $7::text[])`,
  insertDaily: `INSERT INTO activity_daily (account, day, rule, year, month, points, mobile_points, user_id, school_id, county_id, city_id, unit_path)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::smallint[], $5::smallint[], $6::int[], $7::int[],
                            $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[])`,
  insertTotals: `INSERT INTO activity_total (account, period, points, mobile_points, rule_points, user_id, school_id, county_id, city_id, unit_path)
       SELECT a, p, pts, mob, r::int[], u, s, co, ci, pa
         FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[])
              AS x(a, p, pts, mob, r, u, s, co, ci, pa)`,
  /** {table}: activity_total or activity_daily; {filter}: stampAccounts or stampUnowned. */
  stampOwners: `UPDATE {table} x SET user_id = u.id, unit_path = u.unit_path, county_id = o.county_id, city_id = o.city_id,
              school_id = CASE WHEN o.kind IN ('SCHOOL','PRACTICE_BASE') THEN o.id END
         FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id
        WHERE u.account = x.account AND {filter}
          AND (x.user_id IS DISTINCT FROM u.id OR x.unit_path IS DISTINCT FROM u.unit_path)`,
  stampAccounts: `x.account = ANY($1::text[])`,
  stampUnowned: `x.user_id IS NULL`,

  // Rescoring what is marked ({limit}: accounts per transaction).
  nextDirty: `SELECT account FROM activity_dirty ORDER BY account LIMIT {limit}`,
  dirtyCount: `SELECT count(*)::int AS n FROM activity_dirty`,

  // Import jobs (rows of job with kind 'activity-import') and their refused lines.
  importErrorsInsert: `INSERT INTO activity_import_error (job_id, line, message) SELECT $1, * FROM unnest($2::bigint[], $3::text[]) ON CONFLICT DO NOTHING`,
  importStoreProgress: `UPDATE job SET progress = $2, processed = $3, updated_at = now() WHERE id = $1`,
  importRestart: `UPDATE job SET progress = 0, processed = 0, error = NULL, updated_at = now() WHERE id = $1`,
  importErrorsClear: `DELETE FROM activity_import_error WHERE job_id = $1`,
  importRescoreProgress: `UPDATE job SET progress = $2, updated_at = now() WHERE id = $1`,
  unknownAccountCount: `SELECT count(*)::int AS n FROM unnest($1::text[]) a WHERE NOT EXISTS (SELECT 1 FROM app_user u WHERE u.account = a)`,
  importDone: `UPDATE job SET state = 'DONE', progress = 1, processed = $2, total = $2, result = $3, updated_at = now() WHERE id = $1`,
  importFailed: `UPDATE job SET state = 'FAILED', error = $2, updated_at = now() WHERE id = $1`,
  importJob: `SELECT ${JOB_COLUMNS} FROM job WHERE id = $1 AND kind = $2`,
  importJobsPage: `SELECT ${JOB_COLUMNS} FROM job WHERE kind = $1 ORDER BY created_at DESC, id DESC OFFSET {offset} LIMIT {limit}`,
  importJobCount: `SELECT count(*)::int AS n FROM job WHERE kind = $1`,
  importErrorsPage: `SELECT line, message FROM activity_import_error WHERE job_id = $1 ORDER BY line OFFSET {offset} LIMIT {limit}`,
  importErrorCount: `SELECT count(*)::int AS n FROM activity_import_error WHERE job_id = $1`,
  importJobExists: `SELECT 1 FROM job WHERE id = $1 AND kind = 'activity-import'`,
  importErrorsAfter: `SELECT line, message FROM activity_import_error WHERE job_id = $1 AND line > $2 ORDER BY line LIMIT 5000`,

  // A teacher's points.
  yearTotals: `SELECT period, points, mobile_points, rule_points FROM activity_total
      WHERE account = $1 AND (period = $2 OR period LIKE $2 || '-%')`,
  holderById: `${HOLDER_SQL} WHERE u.id = $1`,
  holderByIdIn: `${HOLDER_SQL} WHERE u.id = $1 AND u.unit_path LIKE $2`,
  holderByAccount: `${HOLDER_SQL} WHERE u.account = $1`,
  days: `SELECT day::text AS day, sum(points)::int AS points, sum(mobile_points)::int AS mobile FROM activity_daily
      WHERE account = $1 AND day >= $2 AND day < $3 GROUP BY day HAVING sum(points) <> 0 ORDER BY day`,

  // The points log of account $1 from day $2 to before day $3 ({extra}: more columns, e.g. sort keys).
  ledger: `SELECT l.ord, l.day::text AS day, l.rule, l.points, l.mobile, l.event_id, e.type AS event_type, e.at AS event_at{extra}
            FROM activity_ledger l LEFT JOIN activity_event e ON e.id = l.event_id
           WHERE l.account = $1 AND l.day >= $2 AND l.day < $3`,
  ledgerPage: `{ledger} ORDER BY {order} OFFSET {offset} LIMIT {limit}`,
  ledgerKeyset: `{ledger} {after} ORDER BY {order} LIMIT 5000`,
  ledgerCount: `SELECT count(*)::int AS n FROM activity_ledger l WHERE l.account = $1 AND l.day >= $2 AND l.day < $3`,
  /** Sort keys of the points log over `l`; rules in the rule set's order. */
  ledgerByTime: `l.ord`,
  ledgerByPoints: `l.points`,
  ledgerByRule: `coalesce(array_position(ARRAY[${RULE_NAMES.map((r) => `'${r.replace(/'/g, "''")}'`).join(",")}]::text[], l.rule), ${RULE_NAMES.length + 1})`,
});

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
  const stream = pgClientOf(tx).query(copyStreams.from(fill(queries.copyEvents, { table })));
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
    const stored = new Set((await tx.rows<{ id: string }>(queries.storedIds, [events.map((e) => e.id)])).map((r) => r.id));
    const fresh: number[] = [];
    events.forEach((e, i) => stored.has(e.id) || fresh.push(i));
    if (fresh.length === 0) return [];
    await tx.exec(queries.copySavepoint);
    try {
      await copyInto(tx, "activity_event", fresh.map((i) => events[i]!), fresh.map((i) => seqs[i]!), jobId);
      await tx.exec(queries.releaseCopySavepoint);
      return fresh.map((i) => events[i]!);
    } catch (err) {
      const code = (err as { code?: string }).code;
      // 23505: an id stored by a concurrent writer; 40P01: two writers of the same ids deadlocked.
      if (code !== "23505" && code !== "40P01") throw err;
      await tx.exec(queries.rollbackCopySavepoint);
    }
    await tx.exec(queries.createEventInbox);
    await copyInto(tx, "activity_event_in", events, seqs, jobId);
    // In id order, so concurrent chunks that share ids wait on each other instead of deadlocking.
    return inserted(
      await tx.rows<{ id: string }>(queries.insertFromInbox),
    );
  }
  const col = <T>(f: (e: PreparedEvent) => T) => events.map(f);
  return inserted(
    await tx.rows<{ id: string }>(
      queries.insertEvents,
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
    (await tx.rows<{ task_id: string; publisher: string }>(queries.taskPublishers, [taskIds])).map(
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
    const pubs = await tx.rows<{ raw: ActivityEvent }>(queries.taskPublications, [republished]);
    for (const [taskId, publisher] of taskPublishers(pubs.map((p) => p.raw))) {
      const previous = current.get(taskId)!;
      if (publisher !== previous) reassigned.push({ taskId, publisher, previous });
    }
  }
  for (const r of [...set, ...reassigned]) current.set(r.taskId, r.publisher);
  if (set.length + reassigned.length > 0) {
    const all = [...set, ...reassigned];
    await tx.exec(
      queries.setTaskPublishers,
      [all.map((c) => c.taskId), all.map((c) => c.publisher)],
    );
  }
  if (reassigned.length > 0) {
    const firstDays = new Map(
      (await tx.rows<{ task_id: string; day: string }>(
        queries.taskFirstDays,
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
    queries.markDirty,
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
  const chunk = BigInt((await tx.one<{ n: string }>(queries.nextChunk))!.n);
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

interface Owner {
  user_id: string;
  school_id: string | null;
  county_id: string | null;
  city_id: string | null;
  unit_path: string;
}

/** The user and home unit copied onto an account's aggregate rows (null fields for unknown accounts). */
async function ownersOf(tx: Sql, accounts: string[]): Promise<Map<string, Owner>> {
  const rows = await tx.rows<Owner & { account: string }>(queries.owners, [accounts]);
  return new Map(rows.map((r) => [r.account, r]));
}

function columns<K extends string>(...names: K[]): Record<K, unknown[]> {
  return Object.fromEntries(names.map((n) => [n, []])) as unknown as Record<K, unknown[]>;
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
  await tx.exec(queries.lockAccounts, [sorted]);
  // Take the markings before reading events: a writer that marked an account and has not
  // committed yet makes us wait, and its events are then visible to the reads below; a writer
  // that marks after this leaves a new marking for the next rescoring. Row locks in account
  // order, as writers mark in account order.
  const dirty = await tx.rows<{ account: string; from_day: string }>(queries.takeDirty, [sorted]);
  if (dirty.length === 0) return 0;
  const accounts = dirty.map((d) => d.account);
  await tx.exec(queries.clearDirty, [accounts]);
  const rows = await tx.rows<{ raw: ActivityEvent }>(queries.accountEvents, [accounts]);
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
    const { first, days, periods } = accountSums(entries, d.account, d.from_day);
    cut.account.push(d.account);
    cut.ord.push(first);
    cut.day.push(d.from_day);
    cut.month.push(d.from_day.slice(0, 7));
    cut.year.push(d.from_day.slice(0, 4));
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
    }
    // Daily rows from the cut's day on; totals of every month from the cut's month on and of every
    // year from the cut's year on (a year's total includes its months before the cut).
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
  await tx.exec(queries.deleteLedgerFrom, cutParams);
  await tx.exec(queries.deleteDailyFrom, [cut.account, cut.day]);
  await tx.exec(queries.deleteTotalsFrom, [cut.account, cut.month, cut.year]);
  if (ledger.account.length) {
    await tx.exec(
      queries.insertLedger,
      [ledger.account, ledger.ord, ledger.day, ledger.rule, ledger.points, ledger.mobile, ledger.event],
    );
  }
  if (daily.account.length) {
    await tx.exec(
      queries.insertDaily,
      [daily.account, daily.day, daily.rule, daily.year, daily.month, daily.points, daily.mobile, daily.user, daily.school, daily.county, daily.city, daily.path],
    );
  }
  if (totals.account.length) {
    await tx.exec(
      queries.insertTotals,
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
  const filter = accounts ? queries.stampAccounts : queries.stampUnowned;
  const params = accounts ? [accounts] : [];
  let n = 0;
  for (const table of ["activity_total", "activity_daily"]) {
    const r = await tx.exec(fill(queries.stampOwners, { table, filter }), params);
    n += r.affected;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Rescoring what is marked

/** The next accounts marked dirty, in account order. */
export function nextDirtyAccounts(sql: Sql, limit: number): Promise<{ account: string }[]> {
  return sql.rows<{ account: string }>(fill(queries.nextDirty, { limit }));
}

/** How many accounts are still marked dirty. */
export async function dirtyAccountCount(sql: Sql): Promise<number | undefined> {
  return (await sql.one<{ n: number }>(queries.dirtyCount))?.n;
}

// ---------------------------------------------------------------------------------------------
// Import jobs

export function recordImportErrors(tx: Sql, jobId: string | null, errors: { line: number; message: string }[]): Promise<unknown> {
  return tx.exec(queries.importErrorsInsert, [jobId, errors.map((e) => e.line), errors.map((e) => e.message)]);
}

export function setImportStoreProgress(tx: Sql, jobId: string, progress: number, lines: number): Promise<unknown> {
  return tx.exec(queries.importStoreProgress, [jobId, progress, lines]);
}

export function restartImportJob(sql: Sql, jobId: string): Promise<unknown> {
  return sql.exec(queries.importRestart, [jobId]);
}

export function clearImportErrors(sql: Sql, jobId: string): Promise<unknown> {
  return sql.exec(queries.importErrorsClear, [jobId]);
}

export function setImportRescoreProgress(sql: Sql, jobId: string, progress: number): Promise<unknown> {
  return sql.exec(queries.importRescoreProgress, [jobId, progress]);
}

/** How many of the accounts have no user here. */
export async function unknownAccountCount(sql: Sql, accounts: string[]): Promise<number | undefined> {
  return (await sql.one<{ n: number }>(queries.unknownAccountCount, [accounts]))?.n;
}

export function finishImportJob(sql: Sql, jobId: string, lines: number, result: unknown): Promise<unknown> {
  return sql.exec(queries.importDone, [jobId, lines, JSON.stringify(result)]);
}

export function failImportJob(sql: Sql, jobId: string, error: string): Promise<unknown> {
  return sql.exec(queries.importFailed, [jobId, error]);
}

export interface ImportJobRow<R = unknown, S = string> {
  id: string;
  state: S;
  progress: number;
  processed: number;
  result: R;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

export function findImportJob<T>(sql: Sql, id: string, kind: string): Promise<T | undefined> {
  return sql.one<T>(queries.importJob, [id, kind]);
}

export function importJobsPage<T>(sql: Sql, kind: string, offset: number, limit: number): Promise<T[]> {
  return sql.rows<T>(fill(queries.importJobsPage, { offset, limit }), [kind]);
}

export async function importJobCount(sql: Sql, kind: string): Promise<number | undefined> {
  return (await sql.one<{ n: number }>(queries.importJobCount, [kind]))?.n;
}

export function importErrorsPage(sql: Sql, jobId: string, offset: number, limit: number): Promise<{ line: string; message: string }[]> {
  return sql.rows<{ line: string; message: string }>(fill(queries.importErrorsPage, { offset, limit }), [jobId]);
}

export async function importErrorCount(sql: Sql, jobId: string): Promise<number | undefined> {
  return (await sql.one<{ n: number }>(queries.importErrorCount, [jobId]))?.n;
}

export async function importJobExists(sql: Sql, jobId: string): Promise<boolean> {
  return (await sql.one(queries.importJobExists, [jobId])) !== undefined;
}

/** Up to 5000 refused lines of a job after line `after`, in line order. */
export function importErrorsAfter(sql: Sql, jobId: string, after: number): Promise<{ line: string; message: string }[]> {
  return sql.rows<{ line: string; message: string }>(queries.importErrorsAfter, [jobId, after]);
}

// ---------------------------------------------------------------------------------------------
// A teacher's points

export interface TotalRow {
  period: string;
  points: number;
  mobile_points: number;
  rule_points: number[];
}

/** An account's totals of a year ('YYYY') and of its months. */
export function yearTotals(sql: Sql, account: string, year: number): Promise<TotalRow[]> {
  return sql.rows<TotalRow>(queries.yearTotals, [account, String(year)]);
}

export interface HolderRow {
  account: string;
  user_id: string;
  name: string;
  unit_name: string;
  locked: boolean;
  unit_path: string;
}

export function holderById(sql: Sql, userId: string): Promise<HolderRow | undefined> {
  return sql.one<HolderRow>(queries.holderById, [userId]);
}

/** A user by id when its home unit is under `pathPrefix`. */
export function holderByIdIn(sql: Sql, userId: string, pathPrefix: string): Promise<HolderRow | undefined> {
  return sql.one<HolderRow>(queries.holderByIdIn, [userId, pathPrefix + "%"]);
}

export function holderByAccount(sql: Sql, account: string): Promise<HolderRow | undefined> {
  return sql.one<HolderRow>(queries.holderByAccount, [account]);
}

/** Days from `from` to before `until` with points, from the per-day aggregates. */
export function activityDayRows(sql: Sql, account: string, from: string, until: string): Promise<{ day: string; points: number; mobile: number }[]> {
  return sql.rows<{ day: string; points: number; mobile: number }>(queries.days, [account, from, until]);
}

// ---------------------------------------------------------------------------------------------
// The points log

export interface LedgerRow {
  ord: number;
  day: string;
  rule: string;
  points: number;
  mobile: boolean;
  event_id: string;
  event_type: string | null;
  event_at: Date | null;
}

export type LedgerSortKey = "time" | "points" | "rule";

export interface LedgerSort {
  sort: LedgerSortKey;
  desc: boolean;
}

/** Sort keys of the points log as SQL over `l` (fixed text). */
const LEDGER_SORT: Record<LedgerSortKey, readonly string[]> = {
  time: [queries.ledgerByTime],
  points: [queries.ledgerByPoints],
  rule: [queries.ledgerByRule],
};
/** Entries with equal keys: newest first (ord is unique per account). */
const LEDGER_TIES: readonly SortTerm[] = [{ sql: "l.ord", desc: true }];

export function ledgerSortTerms(s: LedgerSort): SortTerm[] {
  return sortTerms(LEDGER_SORT, s.sort, s.desc, s.sort === "time" ? [] : LEDGER_TIES);
}

const ledgerSql = (extra = "") => fill(queries.ledger, { extra: extra ? ", " + extra : "" });

/** A page of the log of `account` from day `from` to before `until`, in `sort` order. */
export function ledgerPageRows(sql: Sql, account: string, from: string, until: string, sort: LedgerSort, offset: number, limit: number): Promise<LedgerRow[]> {
  const order = orderBySql(ledgerSortTerms(sort));
  return sql.rows<LedgerRow>(fill(queries.ledgerPage, { ledger: ledgerSql(), order, offset, limit }), [account, from, until]);
}

export async function ledgerCount(sql: Sql, account: string, from: string, until: string): Promise<number | undefined> {
  return (await sql.one<{ n: number }>(queries.ledgerCount, [account, from, until]))?.n;
}

/**
 * Up to 5000 entries of the log in the order of `terms`, after the row whose key values are
 * `after` (keyset paging; null: from the start), with the key columns k0, k1, … (`keyValues`).
 */
export function ledgerKeysetRows(
  sql: Sql, account: string, from: string, until: string, terms: SortTerm[], after: unknown[] | null,
): Promise<(LedgerRow & Record<string, unknown>)[]> {
  const base = [account, from, until];
  return sql.rows(
    fill(queries.ledgerKeyset, { ledger: ledgerSql(keyColumns(terms)), after: after ? `AND ${afterSql(terms, base.length + 1)}` : "", order: orderBySql(terms) }),
    after ? [...base, ...after] : base,
  );
}
