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
// Wall time is measured around each child; the Node children also report their CPU time (user +
// system), which is what to compare on a busy machine.
// The floor is the faster of the two floor medians; the ratio is median(cli) / floor and the
// target is ≤ 2. A markdown table is printed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
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

// The floor reads the way the scoring command does (1 MiB chunks, lines cut with indexOf, a line
// split across chunks joined on its own), so nothing but JSON.parse separates it from reading.
const FLOOR = `
const { createReadStream } = require("node:fs");
(async () => {
  let carry = "", n = 0;
  const parse = (line) => { if (line.length > 0) { try { JSON.parse(line); n++; } catch {} } };
  for await (const chunk of createReadStream(process.argv[1], { encoding: "utf8", highWaterMark: 1 << 20 })) {
    let start = 0, nl = chunk.indexOf("\\n");
    if (carry !== "") {
      if (nl === -1) { carry += chunk; continue; }
      parse(carry + chunk.slice(0, nl));
      carry = "";
      start = nl + 1;
      nl = chunk.indexOf("\\n", start);
    }
    while (nl !== -1) {
      parse(chunk.slice(start, nl));
      start = nl + 1;
      nl = chunk.indexOf("\\n", start);
    }
    carry = chunk.slice(start);
  }
  parse(carry);
  process.stdout.write(String(n));
})();`;

const READLINE = `
const { createReadStream } = require("node:fs");
const { createInterface } = require("node:readline");
let n = 0;
const rl = createInterface({ input: createReadStream(process.argv[1]), crlfDelay: Infinity });
rl.on("line", (line) => { if (line.length > 0) { try { JSON.parse(line); n++; } catch {} } });
rl.on("close", () => process.stdout.write(String(n)));`;

// Node children report their own CPU time (user + system) on fd 3 when they exit, so the figures
// stay meaningful on a shared machine, where wall time mostly measures the wait for a core.
const CPU_HOOK = `data:text/javascript,${encodeURIComponent(
  'import { writeSync } from "node:fs"; process.on("exit", () => { const u = process.cpuUsage(); try { writeSync(3, String((u.user + u.system) / 1000)); } catch {} });',
)}`;

function timed(cmd, argv) {
  const node = cmd === process.execPath;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, node ? ["--import", CPU_HOOK, ...argv] : argv, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed (${r.status}): ${r.stderr}`);
  const cpu = node ? Number(r.output[3]?.toString()) : NaN;
  return { ms, cpu, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
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
  const cpu = { floor: [], readline: [], cli: [] };
  for (let r = 0; r < runs; r++) {
    const f = timed(process.execPath, ["-e", FLOOR, rel]);
    sides.floor.push(f.ms);
    cpu.floor.push(f.cpu);
    const rl = timed(process.execPath, ["-e", READLINE, rel]);
    sides.readline.push(rl.ms);
    cpu.readline.push(rl.cpu);
    const cli = timed(process.execPath, ["libs/domain/bin/activity.mjs", "score", rel]);
    if (cli.stderr !== "") throw new Error(`unexpected stderr: ${cli.stderr}`);
    if (cli.stdout !== warm.stdout) throw new Error("the command printed another document than in the warm-up run");
    sides.cli.push(cli.ms);
    cpu.cli.push(cli.cpu);
    if (withPnpm) sides.pnpm.push(timed("pnpm", ["--silent", "activity", "score", rel]).ms);
  }
  const floor = Math.min(median(sides.floor), median(sides.readline));
  const floorCpu = Math.min(median(cpu.floor), median(cpu.readline));
  const row = (label, xs, cs) =>
    `| ${label} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} | ${(median(xs) / floor).toFixed(2)} | ${
      cs ? `${median(cs).toFixed(0)} | ${(median(cs) / floorCpu).toFixed(2)}` : "– | –"
    } |`;
  const lines = [
    `Activity scoring, ${events.toLocaleString("en")} lines (${(statSync(file).size / 1e6).toFixed(1)} MB, seed ${seed}${
      shuffled ? ", shuffled order" : ""
    }): ${Object.keys(report.users).length} users scored, ${report.errors.length} malformed lines reported.`,
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${runs} alternating runs (ms).`,
    "",
    "| side | wall median | wall min | wall max | wall × floor | CPU median | CPU × floor |",
    "|---|---:|---:|---:|---:|---:|---:|",
    row("floor: stream 1 MiB chunks + split + JSON.parse per line", sides.floor, cpu.floor),
    row("floor: readline + JSON.parse per line", sides.readline, cpu.readline),
    row("`node libs/domain/bin/activity.mjs score`", sides.cli, cpu.cli),
  ];
  if (withPnpm) lines.push(row("`pnpm --silent activity score`", sides.pnpm, null));
  lines.push(
    "",
    `Floor = the faster floor: ${floor.toFixed(0)} ms wall, ${floorCpu.toFixed(0)} ms CPU. ` +
      `Wall ratio cli / floor: **${(median(sides.cli) / floor).toFixed(2)}**` +
      (withPnpm ? `, pnpm cli / floor: **${(median(sides.pnpm) / floor).toFixed(2)}**` : "") +
      `; CPU ratio cli / floor: **${(median(cpu.cli) / floorCpu).toFixed(2)}** (target ≤ 2). ` +
      `Load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(" ")}.`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
