// Builds the province-scale benchmark data set (tests/bench/province-data.ts) into PostgreSQL,
// with the built server's code (pnpm --filter @zjh/domain build && pnpm --filter @zjh/server build).
//
//   pnpm exec tsx tests/bench/province-generate.ts                      # 600,000 teachers, 10,000 schools, 15,000 applications
//   pnpm exec tsx tests/bench/province-generate.ts --small              # 2,000 / 50 / 200 (what the test builds)
//   pnpm exec tsx tests/bench/province-generate.ts --teachers 100000 --schools 2000 --applications 3000 \
//        [--active-days 12] [--seed 7] [--url postgres://…/db] [--keep] [--checksums]
//
// Without --url a throwaway database is created on TEST_PG_URL's server (default
// postgres://postgres@127.0.0.1:5432) and kept (its URL is printed) so benchmarks can start from
// it; drop it with `DROP DATABASE … WITH (FORCE)` when done, or pass --drop to drop it at the end.
// With --url the database must be empty: the server's migrations and seed run first.
import { buildProvinceData, builtServerModules, FULL, rowChecksums, SMALL, type ProvinceOptions } from "./province-data.js";
import { createThrowawayDatabase } from "../support/pg.js";

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const base = args.includes("--small") ? SMALL : FULL;
const num = (name: string, dflt: number) => (opt(name) === undefined ? dflt : Number(opt(name)));
const o: ProvinceOptions = {
  teachers: num("--teachers", base.teachers),
  schools: num("--schools", base.schools),
  applications: num("--applications", base.applications),
  activeDays: num("--active-days", base.activeDays),
  year: num("--year", base.year),
  seed: num("--seed", base.seed),
  log: (l) => process.stderr.write(l + "\n"),
};

let url = opt("--url");
let drop: (() => Promise<void>) | null = null;
if (!url) {
  const tmp = await createThrowawayDatabase();
  url = tmp.url;
  drop = tmp.drop;
}
process.stderr.write(`building into ${url}: ${JSON.stringify({ ...o, log: undefined })}\n`);
const t0 = performance.now();
try {
  const { counts, states, seconds } = await buildProvinceData(await builtServerModules(), url, o);
  const total = (performance.now() - t0) / 1000;
  const lines = [
    `Province data set: ${o.teachers.toLocaleString("en-US")} teachers, ${o.schools.toLocaleString("en-US")} schools, ${o.applications.toLocaleString("en-US")} applications, seed ${o.seed} — built in ${total.toFixed(1)} s`,
    "",
    "| table | rows |",
    "|---|---:|",
    ...Object.entries(counts).map(([t, n]) => `| ${t} | ${n.toLocaleString("en-US")} |`),
    "",
    `Applications by state: ${Object.entries(states).map(([k, n]) => `${k} ${n.toLocaleString("en-US")}`).join(", ")}`,
    "",
    "| step | s |",
    "|---|---:|",
    ...Object.entries(seconds).map(([s, n]) => `| ${s} | ${n.toFixed(1)} |`),
    "",
    `DATABASE_URL=${url}`,
  ];
  if (args.includes("--checksums")) lines.push("", JSON.stringify(await rowChecksums(url), null, 2));
  process.stdout.write(lines.join("\n") + "\n");
} finally {
  if (drop && args.includes("--drop")) await drop();
}
