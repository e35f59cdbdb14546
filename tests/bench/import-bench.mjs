#!/usr/bin/env node
// Teacher import benchmark: the real server (built) imports the platform's export through
// POST /api/import/teachers, on PostgreSQL and on PGlite, against a raw COPY floor measured in
// the same run on the same engine and file.
//
//   pnpm --filter @zjh/domain build && pnpm --filter @zjh/server build
//   node tests/bench/import-bench.mjs [--rows 600000] [--only postgres|pglite] [--xlsx]
//
// Per database:
//   first      a fresh seeded database imports the file: every school and account is created
//   again      the same file once more: nothing changes, nothing is written
//   COPY floor COPY of the same CSV into an unindexed 8-column text table (the cheapest way to
//              get the bytes into that engine), on a fresh database of the same engine
// Ratios are import time / COPY floor time. A markdown table is printed.
// PostgreSQL is the server at TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres);
// PGlite runs on a data directory on disk, as the embedded default does.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, createReadStream } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeCsv, writeXlsx } from "./import-generate.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const DIST = join(ROOT, "apps/server/dist");
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const ROWS = Number(arg("rows", 600_000));
const ONLY = arg("only", null);
const XLSX = process.argv.includes("--xlsx");
const PG_ADMIN = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

if (!existsSync(join(DIST, "app.js"))) {
  console.error("The server is not built: run `pnpm --filter @zjh/domain build && pnpm --filter @zjh/server build` first.");
  process.exit(1);
}
process.env.LOG_LEVEL ??= "warn";
const serverRequire = createRequire(join(ROOT, "apps/server/package.json"));
const pg = serverRequire("pg");
const { from: copyFrom } = serverRequire("pg-copy-streams");
const { PGlite } = await import(pathToFileURL(serverRequire.resolve("@electric-sql/pglite")).href);
const { loadConfig } = await import(pathToFileURL(join(DIST, "config.js")).href);
const { openDb } = await import(pathToFileURL(join(DIST, "db/data-source.js")).href);
const { seed } = await import(pathToFileURL(join(DIST, "db/seed.js")).href);
const { startServer } = await import(pathToFileURL(join(DIST, "app.js")).href);
const { startBackground } = await import(pathToFileURL(join(DIST, "background.js")).href);

const label = ROWS >= 1000 ? `${Math.round(ROWS / 1000)}k` : String(ROWS);
const csvFile = join(ROOT, `tests/bench/out/teachers-${label}.csv`);
const xlsxFile = join(ROOT, `tests/bench/out/teachers-${label}.xlsx`);
if (!existsSync(csvFile)) {
  process.stderr.write(`generating ${csvFile} …\n`);
  await writeCsv(csvFile, { rows: ROWS, seed: 7 });
}
if (XLSX && !existsSync(xlsxFile)) {
  process.stderr.write(`generating ${xlsxFile} …\n`);
  await writeXlsx(xlsxFile, { rows: ROWS, seed: 7 });
}

const secs = (ms) => (ms / 1000).toFixed(1);

async function gql(url, token, query, variables) {
  const res = await fetch(url + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Uploads the file and waits for the job; returns the elapsed time and the job. */
async function importOnce(url, token, file, type) {
  const t0 = performance.now();
  const fd = new FormData();
  fd.append("file", new Blob([readFileSync(file)], { type }), file.split("/").pop());
  const res = await fetch(`${url}/api/import/teachers?mode=all`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "x-requested-with": "bench" },
    body: fd,
  });
  const { jobId, error } = await res.json();
  if (!jobId) throw new Error(JSON.stringify(error));
  let lastPhase = "";
  for (;;) {
    const { importJob: j } = await gql(url, token, `query($id: ID!) { importJob(id: $id) { state phase progress rows created updated unchanged schoolsCreated errorCount error } }`, { id: jobId });
    if (j.phase !== lastPhase) {
      process.stderr.write(`  ${j.phase} ${secs(performance.now() - t0)} s\n`);
      lastPhase = j.phase;
    }
    if (j.state === "DONE" || j.state === "FAILED") {
      if (j.state === "FAILED" || j.errorCount) throw new Error(`import failed: ${j.error ?? j.errorCount + " errors"}`);
      return { ms: performance.now() - t0, job: j };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function withServer(variant, fn) {
  const tmp = mkdtempSync(join(tmpdir(), "zjh-import-bench-"));
  let dropDb = null;
  let db;
  if (variant === "postgres") {
    const name = `zjh_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    db = await openDb({ databaseUrl: PG_ADMIN.replace(/\/[^/]*$/, `/${name}`) });
    dropDb = async () => {
      const a = new pg.Client({ connectionString: PG_ADMIN });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  } else {
    db = await openDb({ dataDir: join(tmp, "pglite") });
  }
  await seed(db, { demo: true });
  const config = { ...loadConfig({ ...process.env, DATA_DIR: tmp }), port: 0, host: "127.0.0.1" };
  const server = await startServer(config, db, startBackground(db, config));
  try {
    const { login } = await gql(server.url, null, `mutation { login(account: "prov_admin", password: "Demo@2023") { token } }`);
    return await fn(server, login.token);
  } finally {
    await new Promise((r) => server.httpServer.close(() => r()));
    await server.close();
    await dropDb?.();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const FLOOR_TABLE = `CREATE TABLE copy_floor (account text, name text, phone text, school_code text, school_name text, county_code text, subject text, stage text)`;

async function copyFloor(variant) {
  if (variant === "postgres") {
    const name = `zjh_bench_floor_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const c = new pg.Client({ connectionString: PG_ADMIN.replace(/\/[^/]*$/, `/${name}`) });
    await c.connect();
    try {
      await c.query(FLOOR_TABLE);
      const t0 = performance.now();
      await pipeline(createReadStream(csvFile), c.query(copyFrom(`COPY copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)`)));
      const ms = performance.now() - t0;
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM copy_floor`);
      if (rows[0].n !== ROWS) throw new Error(`COPY loaded ${rows[0].n} rows`);
      return ms;
    } finally {
      await c.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "zjh-import-floor-"));
  const db = await PGlite.create({ dataDir: dir });
  try {
    await db.exec(FLOOR_TABLE);
    const t0 = performance.now();
    // PGlite reads COPY input from a blob; reading the file is part of the floor, as on PostgreSQL.
    const blob = new Blob([readFileSync(csvFile)]);
    await db.query(`COPY copy_floor FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob });
    const ms = performance.now() - t0;
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM copy_floor`);
    if (rows[0].n !== ROWS) throw new Error(`COPY loaded ${rows[0].n} rows`);
    return ms;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const loadBefore = loadavg()[0];
const results = [];
for (const variant of ["postgres", "pglite"]) {
  if (ONLY && ONLY !== variant) continue;
  process.stderr.write(`${variant}: COPY floor …\n`);
  const floor = await copyFloor(variant);
  process.stderr.write(`${variant}: COPY floor ${secs(floor)} s\n${variant}: first import …\n`);
  const r = await withServer(variant, async (server, token) => {
    const first = await importOnce(server.url, token, csvFile, "text/csv");
    if (first.job.created !== ROWS) throw new Error(`created ${first.job.created}`);
    process.stderr.write(`${variant}: first import ${secs(first.ms)} s; again …\n`);
    const again = await importOnce(server.url, token, csvFile, "text/csv");
    if (again.job.created || again.job.updated || again.job.unchanged !== ROWS) throw new Error(`second import changed rows: ${JSON.stringify(again.job)}`);
    process.stderr.write(`${variant}: again ${secs(again.ms)} s\n`);
    return { first, again };
  });
  let xlsx = null;
  if (XLSX) {
    process.stderr.write(`${variant}: xlsx import …\n`);
    xlsx = await withServer(variant, (server, token) => importOnce(server.url, token, xlsxFile, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
  }
  results.push({ variant, floor, ...r, xlsx, schools: r.first.job.schoolsCreated });
}

const mb = (statSync(csvFile).size / 1024 / 1024).toFixed(0);
const load = `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`;
console.log(`\n${ROWS.toLocaleString("en")} rows (${mb} MB CSV), ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${load}\n`);
console.log(`| database | COPY floor | first import (create all) | ratio | again (no change) | ratio |${XLSX ? " first import, xlsx | ratio |" : ""}`);
console.log(`|---|---|---|---|---|---|${XLSX ? "---|---|" : ""}`);
for (const r of results) {
  const rate = Math.round(ROWS / (r.first.ms / 1000)).toLocaleString("en");
  const cells = [
    r.variant === "postgres" ? "PostgreSQL 15" : "PGlite (disk)",
    `${secs(r.floor)} s`,
    `${secs(r.first.ms)} s (${rate} rows/s, ${r.schools.toLocaleString("en")} schools)`,
    `${(r.first.ms / r.floor).toFixed(1)}×`,
    `${secs(r.again.ms)} s`,
    `${(r.again.ms / r.floor).toFixed(1)}×`,
  ];
  if (XLSX) cells.push(`${secs(r.xlsx.ms)} s`, `${(r.xlsx.ms / r.floor).toFixed(1)}×`);
  console.log(`| ${cells.join(" | ")} |`);
}
