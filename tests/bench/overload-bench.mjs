#!/usr/bin/env node
// Overload benchmark: latency of cheap requests (me, the review queue) with and without a flood
// of expensive ones (the province's below-target teacher list), on PostgreSQL, and what is left
// running after the flooding clients leave.
//
//   pnpm --filter @zjh/domain build && pnpm --filter @zjh/server build
//   node tests/bench/overload-bench.mjs [--teachers 50000] [--seconds 8] [--flood 24] [--cheap 4]
//
// A fresh seeded database gets `--teachers` generated teachers (SQL, spread over the seeded
// schools, none with points: every one is below target, so the province's list sorts and counts
// all of them). Then, against the built server with its default limits:
//   quiet   `--cheap` clients loop over me / reviewQueue for `--seconds`
//   flood   the same, while `--flood` clients loop over belowTargetTeachers for the province
//           (a client refused with 503 waits its Retry-After, as a person pressing 重试 would)
// At the end of the flood its clients abort their requests (the sockets close) and the script
// polls pg_stat_activity until no statement of the server's is active. Prints a markdown row.
// PostgreSQL is the server at TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const DIST = join(ROOT, "apps/server/dist");
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const TEACHERS = arg("teachers", 50_000);
const SECONDS = arg("seconds", 8);
const FLOOD = arg("flood", 24);
const CHEAP = arg("cheap", 4);
const PG_ADMIN = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

if (!existsSync(join(DIST, "app.js"))) {
  console.error("The server is not built: run `pnpm --filter @zjh/domain build && pnpm --filter @zjh/server build` first.");
  process.exit(1);
}
process.env.LOG_LEVEL ??= "warn";
const serverRequire = createRequire(join(ROOT, "apps/server/package.json"));
const pg = serverRequire("pg");
const { loadConfig } = await import(pathToFileURL(join(DIST, "config.js")).href);
const { openDb } = await import(pathToFileURL(join(DIST, "db/data-source.js")).href);
const { seed } = await import(pathToFileURL(join(DIST, "db/seed.js")).href);
const { startServer } = await import(pathToFileURL(join(DIST, "app.js")).href);

const name = `zjh_bench_overload_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: PG_ADMIN });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);

const HEAVY = `{ belowTargetTeachers(period: "2023", limit: 50) { total items { account points } } }`;
const ME = `{ me { account roles { role } } }`;

async function post(base, token, query, signal) {
  const t0 = performance.now();
  const res = await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal,
  });
  const body = await res.json();
  return { ms: performance.now() - t0, status: res.status, ok: res.status === 200 && !body.errors, body, retryAfter: res.headers.get("retry-after") };
}

async function login(base, account) {
  const res = await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `mutation { login(account: "${account}", password: "Demo@2023") { token } }` }),
  });
  return (await res.json()).data.login.token;
}

const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

let server;
let db;
try {
  db = await openDb({ databaseUrl: url });
  await seed(db, { demo: true });
  const g = new pg.Client({ connectionString: url });
  await g.connect();
  const t0 = performance.now();
  await g.query(
    `WITH s AS (SELECT id, path, (row_number() OVER (ORDER BY id))::int - 1 AS i, count(*) OVER ()::int AS n FROM org_unit WHERE kind = 'SCHOOL')
     INSERT INTO app_user (account, name, home_unit_id, unit_path)
     SELECT 'bench_t' || x, '压测教师' || x, s.id, s.path FROM generate_series(1, $1::int) x JOIN s ON s.i = x % s.n`,
    [TEACHERS],
  );
  await g.query(`INSERT INTO role_assignment (user_id, role, unit_id) SELECT id, 'TEACHER', home_unit_id FROM app_user WHERE account LIKE 'bench\\_t%'`);
  await g.query("ANALYZE");
  process.stderr.write(`generated ${TEACHERS} teachers in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  server = await startServer({ ...loadConfig(process.env), port: 0, host: "127.0.0.1" }, db);
  const base = server.url;
  const province = await login(base, "prov_admin");
  const county = await login(base, "ra_county");
  const campaignId = (await post(base, county, `{ campaigns { id } }`)).body.data.campaigns[0].id;
  const QUEUE = `{ reviewQueue(campaignId: "${campaignId}", limit: 20) { total items { id } } }`;
  const one = await post(base, province, HEAVY);
  process.stderr.write(`one province-wide below-target list alone: ${one.ms.toFixed(0)} ms (total ${one.body.data?.belowTargetTeachers.total})\n`);

  async function cheapLoop(until, out) {
    let k = 0;
    while (performance.now() < until) {
      const r = k++ % 2 === 0 ? await post(base, province, ME) : await post(base, county, QUEUE);
      out.push(r);
    }
  }

  // quiet
  const quiet = [];
  let until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CHEAP }, () => cheapLoop(until, quiet)));

  // flood
  const flooded = [];
  const heavy = [];
  const stop = new AbortController();
  until = performance.now() + SECONDS * 1000;
  const flooders = Array.from({ length: FLOOD }, async () => {
    while (!stop.signal.aborted) {
      try {
        const r = await post(base, province, HEAVY, stop.signal);
        heavy.push(r);
        // As the web app's user would: after a 503, retry when Retry-After says.
        if (r.status === 503) {
          await new Promise((ok) => {
            const t = setTimeout(ok, 1000 * Number(r.retryAfter ?? 2));
            stop.signal.addEventListener("abort", () => (clearTimeout(t), ok()), { once: true });
          });
        }
      } catch {
        return;
      }
    }
  });
  await Promise.all(Array.from({ length: CHEAP }, () => cheapLoop(until, flooded)));
  stop.abort();
  const leftAt = performance.now();
  const obs = new pg.Client({ connectionString: url });
  await obs.connect();
  let active = 0;
  let drainMs = 0;
  let peak = 0;
  for (;;) {
    const r = await obs.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`);
    active = r.rows[0].n;
    peak = Math.max(peak, active);
    drainMs = performance.now() - leftAt;
    if (active === 0 || drainMs > 60_000) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await obs.end();
  await Promise.all(flooders);
  await g.end();

  const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : "—");
  const q = quiet.map((r) => r.ms);
  const f = flooded.map((r) => r.ms);
  const heavyOk = heavy.filter((r) => r.status === 200).length;
  const heavyBusy = heavy.filter((r) => r.status === 503).length;
  const cheapFailed = flooded.filter((r) => !r.ok).length + quiet.filter((r) => !r.ok).length;
  console.log(
    `\n| teachers | cheap clients | flood clients | cheap p50 / p95 quiet | cheap p50 / p95 flood | cheap requests (failed) | expensive answered 200 / 503 | active after the clients left |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|`);
  console.log(
    `| ${TEACHERS} | ${CHEAP} | ${FLOOD} | ${ms(pct(q, 50))} / ${ms(pct(q, 95))} | ${ms(pct(f, 50))} / ${ms(pct(f, 95))} | ${quiet.length + flooded.length} (${cheapFailed}) | ${heavyOk} / ${heavyBusy} | ${active} after ${ms(drainMs)} (peak ${peak}) |`,
  );
  const limits = loadConfig(process.env).limits;
  console.log(`\nlimits: expensive ${limits.expensiveConcurrency} at a time, ${limits.expensiveQueueMax} waiting; pool ${limits.dbPoolSize}`);
  console.log(`${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.versions.node}, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}, ${SECONDS} s per phase`);
} finally {
  await new Promise((r) => (server ? server.httpServer.close(() => r()) : r()));
  await server?.close().catch(() => undefined);
  if (!server) await db?.close().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
