#!/usr/bin/env node
// Activity scoring benchmark: the scoring command against the floor (Node reading the same file
// and JSON.parse-ing each line), measured in one run, alternating, on the same file.
//
//   node tests/bench/activity-bench.mjs [--events 1000000] [--seed 42] [--runs 5] [--shuffled]
//
// The file is generated (deterministically) into tests/bench/out/ when missing. Each run spawns
// fresh processes, so both sides pay Node's start-up:
//   floor      node -e '<stream the file, split lines, JSON.parse each>'
//   readline   the same with node:readline (the textbook way; shown for reference)
//   cli        node libs/domain/bin/activity.mjs score <file>           (what the pnpm script runs)
//   pnpm cli   pnpm --silent activity score <file>                       (as users type it)
// The ratio is median(cli) / median(floor); the target is ≤ 2. A markdown table is printed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { writeStream } from "./activity-generate.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i === -1 ? dflt : Number(args[i + 1]);
};
const events = opt("--events", 1_000_000);
const seed = opt("--seed", 42);
const runs = opt("--runs", 5);
const shuffled = args.includes("--shuffled");
const withPnpm = !args.includes("--no-pnpm");

const FLOOR = `
const { createReadStream } = require("node:fs");
(async () => {
  let carry = "", n = 0;
  for await (const chunk of createReadStream(process.argv[1], { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const text = carry + chunk;
    let start = 0, nl;
    while ((nl = text.indexOf("\\n", start)) !== -1) {
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.length > 0) { try { JSON.parse(line); n++; } catch {} }
    }
    carry = text.slice(start);
  }
  if (carry.length > 0) { try { JSON.parse(carry); n++; } catch {} }
  process.stdout.write(String(n));
})();`;

const READLINE = `
const { createReadStream } = require("node:fs");
const { createInterface } = require("node:readline");
let n = 0;
const rl = createInterface({ input: createReadStream(process.argv[1]), crlfDelay: Infinity });
rl.on("line", (line) => { if (line.length > 0) { try { JSON.parse(line); n++; } catch {} } });
rl.on("close", () => process.stdout.write(String(n)));`;

function timed(cmd, argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed (${r.status}): ${r.stderr}`);
  return { ms, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const name = `activity-${events}-s${seed}${shuffled ? "-shuffled" : ""}.jsonl`;
  const file = join(root, "tests", "bench", "out", name);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${relative(root, file)}…\n`);
    await writeStream(file, { events, seed, shuffled });
  }
  const rel = relative(root, file);
  // Warm-up: builds dist if needed and brings the file into the page cache.
  const warm = timed(process.execPath, ["libs/domain/bin/activity.mjs", "score", rel]);
  const report = JSON.parse(warm.stdout);
  const sides = { floor: [], readline: [], cli: [], pnpm: [] };
  for (let r = 0; r < runs; r++) {
    sides.floor.push(timed(process.execPath, ["-e", FLOOR, rel]).ms);
    sides.readline.push(timed(process.execPath, ["-e", READLINE, rel]).ms);
    const cli = timed(process.execPath, ["libs/domain/bin/activity.mjs", "score", rel]);
    if (cli.stderr !== "") throw new Error(`unexpected stderr: ${cli.stderr}`);
    sides.cli.push(cli.ms);
    if (withPnpm) sides.pnpm.push(timed("pnpm", ["--silent", "activity", "score", rel]).ms);
  }
  const floor = median(sides.floor);
  const row = (label, xs) =>
    `| ${label} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} | ${(median(xs) / floor).toFixed(2)} |`;
  const lines = [
    `Activity scoring, ${events.toLocaleString("en")} lines (${(statSync(file).size / 1e6).toFixed(1)} MB, seed ${seed}${
      shuffled ? ", shuffled order" : ""
    }): ${Object.keys(report.users).length} users scored, ${report.errors.length} malformed lines reported.`,
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${runs} alternating runs (ms).`,
    "",
    "| side | median | min | max | × floor |",
    "|---|---:|---:|---:|---:|",
    row("floor: stream + split + JSON.parse per line", sides.floor),
    row("readline + JSON.parse per line (reference)", sides.readline),
    row("`node libs/domain/bin/activity.mjs score`", sides.cli),
  ];
  if (withPnpm) lines.push(row("`pnpm --silent activity score`", sides.pnpm));
  lines.push("", `Ratio cli / floor: **${(median(sides.cli) / floor).toFixed(2)}** (target ≤ 2).`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
