// Activity ingestion benchmark: the server's import code storing an event file into PostgreSQL,
// against a raw COPY of the same rows into a table with the same indexes, in one run.
//
//   pnpm exec tsx tests/bench/activity-ingest-bench.ts [--events 1000000] [--seed 42] [--runs 3]
//
// Needs the PostgreSQL server for tests (TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres);
// every measurement uses a throwaway database, dropped at the end. The event file is generated
// (deterministically) into tests/bench/out/ when missing. Measured:
//   store (COPY)     the import job's store phase: read the file as a stream, split lines, validate,
//                    COPY each chunk into a temp table, INSERT … ON CONFLICT DO NOTHING, task
//                    publishers, mark accounts dirty — one transaction per chunk
//   store (arrays)   the same with one INSERT from arrays per chunk (the embedded database's path)
//   rescore          the job's second phase: every account marked dirty rescored from all its stored
//                    events, ledger, daily rows and period totals written
//   floor            the same rows, already prepared, COPY-ed straight into a copy of activity_event
//                    (same indexes, no conflict handling): what the database alone needs
// The three are run in turn, `runs` times, each into a fresh database, and the medians compared,
// so a change in the machine's load during the run weighs on all of them alike.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openDb, type Db } from "../../apps/server/src/db/data-source.js";
import { IMPORT_CHUNK_LINES, storeEventFile } from "../../apps/server/src/modules/activity/activity-import.job.js";
import { drainDirtyAccounts, prepareLines } from "../../apps/server/src/modules/activity/activity-ingest.service.js";
import type { PreparedEvent } from "../../apps/server/src/modules/activity/activity.repository.js";
import { LineSplitter } from "../../apps/server/src/modules/activity/utils/line-splitter.util.js";
import { createThrowawayDatabase } from "../support/pg.js";
// @ts-expect-error plain ESM module without types
import { writeStream } from "./activity-generate.mjs";

// The server's own dependency (the root workspace does not list it).
const copyStreams = createRequire(new URL("../../apps/server/package.json", import.meta.url))("pg-copy-streams") as typeof import("pg-copy-streams");

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i === -1 ? dflt : Number(args[i + 1]);
};
const events = opt("--events", 1_000_000);
const seed = opt("--seed", 42);
const chunkLines = IMPORT_CHUNK_LINES;
const runs = opt("--runs", 3);
// The same file the scoring benchmark uses (activity-bench.mjs), when it is there.
const file = path.join(root, "tests/bench/out", `activity-${events}-s${seed}.jsonl`);

if (!fs.existsSync(file)) {
  process.stderr.write(`generating ${path.relative(root, file)} …\n`);
  await writeStream(file, { events, seed });
}

/** Reads the file as the import job does, calling `onChunk` with each chunk of prepared lines. */
async function readChunks(onChunk: (c: ReturnType<typeof prepareLines>) => Promise<void>): Promise<number> {
  const splitter = new LineSplitter();
  let pending: { text: string; line: number }[] = [];
  const onLine = (text: string, line: number) => void pending.push({ text, line });
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    splitter.push(chunk as Buffer, onLine);
    if (pending.length >= chunkLines) {
      const lines = pending;
      pending = [];
      await onChunk(prepareLines(lines));
    }
  }
  splitter.end(onLine);
  if (pending.length) await onChunk(prepareLines(pending));
  return splitter.lines;
}

async function withDb<T>(fn: (db: Db, url: string) => Promise<T>): Promise<T> {
  const tmp = await createThrowawayDatabase();
  const db = await openDb({ databaseUrl: tmp.url });
  try {
    return await fn(db, tmp.url);
  } finally {
    await db.close();
    await tmp.drop();
  }
}

/** The import job's two phases (storeEventFile, then drainDirtyAccounts), timed apart. */
async function store(copy: boolean) {
  return withDb(async (db) => {
    const t0 = performance.now();
    const r = await storeEventFile(db, file, { jobId: null, bytes: fs.statSync(file).size, copy });
    const storeMs = performance.now() - t0;
    let rescoreMs = 0;
    let accounts = 0;
    let ledger = 0;
    if (copy) {
      const t1 = performance.now();
      accounts = await drainDirtyAccounts(db);
      rescoreMs = performance.now() - t1;
      ledger = (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM activity_ledger`))!.n;
    }
    return { lines: r.lines, valid: r.valid, stored: r.stored, storeMs, rescoreMs, accounts, ledger };
  });
}

const esc = (v: string | null) => (v === null ? "\\N" : v.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!));

/** The floor's input: the rows that get stored, prepared beforehand (not timed), as COPY text. */
async function floorFile() {
  const tsv = path.join(root, "tests/bench/out", "activity-floor.tsv");
  const out = fs.createWriteStream(tsv);
  const seen = new Set<string>();
  let seq = 0;
  let rows = 0;
  await readChunks(async (c) => {
    const parts: string[] = [];
    for (const e of c.events as PreparedEvent[]) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      rows++;
      parts.push(`${esc(e.id)}\t${++seq}\t${e.type}\t${esc(e.subject)}\t${esc(e.taskId)}\t${e.at}\t${e.day}\t${esc(e.raw)}\n`);
    }
    if (!out.write(parts.join(""))) await new Promise((r) => out.once("drain", r));
  });
  await new Promise<void>((r) => out.end(r));
  return { tsv, rows };
}

/** The floor: those rows COPY-ed straight into a copy of the table (same indexes, no conflict handling). */
async function floor(tsv: string) {
  return withDb(async (db, url) => {
    await db.exec(`CREATE TABLE activity_event_floor (LIKE activity_event INCLUDING DEFAULTS INCLUDING INDEXES)`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const t0 = performance.now();
      await pipeline(
        fs.createReadStream(tsv, { highWaterMark: 1 << 20 }),
        client.query(copyStreams.from(`COPY activity_event_floor (id, seq, type, subject, task_id, at, day, raw) FROM STDIN`)),
      );
      return performance.now() - t0;
    } finally {
      await client.end();
    }
  });
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const prepared = await floorFile();
const floors: number[] = [];
const copies: Awaited<ReturnType<typeof store>>[] = [];
const arrays: Awaited<ReturnType<typeof store>>[] = [];
for (let i = 0; i < runs; i++) {
  floors.push(await floor(prepared.tsv));
  copies.push(await store(true));
  arrays.push(await store(false));
}
fs.rmSync(prepared.tsv, { force: true });
const floorRun = { rows: prepared.rows, ms: med(floors) };
const copyRun = { ...copies[0]!, storeMs: med(copies.map((r) => r.storeMs)), rescoreMs: med(copies.map((r) => r.rescoreMs)) };
const arraysRun = { ...arrays[0]!, storeMs: med(arrays.map((r) => r.storeMs)) };
const totalMs = med(copies.map((r) => r.storeMs + r.rescoreMs));

const perSec = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en-US");
const rel = (ms: number) => (ms / floorRun.ms).toFixed(2);
process.stdout.write(
  [
    `Activity ingestion into PostgreSQL — ${copyRun.lines.toLocaleString("en-US")} lines (${copyRun.valid.toLocaleString("en-US")} valid, ` +
      `${copyRun.stored.toLocaleString("en-US")} stored), chunks of ${chunkLines.toLocaleString("en-US")} lines, ` +
      `${copyRun.accounts.toLocaleString("en-US")} accounts, ${copyRun.ledger.toLocaleString("en-US")} ledger entries; medians of ${runs} runs`,
    "",
    "| step | time (s) | events/s | × floor |",
    "|---|---:|---:|---:|",
    `| floor: raw COPY of the prepared rows | ${(floorRun.ms / 1000).toFixed(2)} | ${perSec(floorRun.rows, floorRun.ms)} | 1.00 |`,
    `| store (COPY + INSERT … ON CONFLICT) | ${(copyRun.storeMs / 1000).toFixed(2)} | ${perSec(copyRun.lines, copyRun.storeMs)} | ${rel(copyRun.storeMs)} |`,
    `| store (INSERT from arrays) | ${(arraysRun.storeMs / 1000).toFixed(2)} | ${perSec(arraysRun.lines, arraysRun.storeMs)} | ${rel(arraysRun.storeMs)} |`,
    `| rescore every account | ${(copyRun.rescoreMs / 1000).toFixed(2)} | ${perSec(copyRun.stored, copyRun.rescoreMs)} | ${rel(copyRun.rescoreMs)} |`,
    `| import job total (store COPY + rescore) | ${(totalMs / 1000).toFixed(2)} | ${perSec(copyRun.lines, totalMs)} | ${rel(totalMs)} |`,
    "",
  ].join("\n"),
);
