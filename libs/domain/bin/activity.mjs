#!/usr/bin/env node
// The scoring command (SPEC §5): `pnpm --silent activity score <file.jsonl> [--year YYYY]`.
// Prints exactly one JSON document on stdout; everything else (usage, read errors, build output)
// goes to stderr. Runs the compiled engine from libs/domain/dist, building it first when it is
// missing or older than its sources, so it works right after `pnpm install` in a clean clone.
import { spawnSync } from "node:child_process";
import { createReadStream, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const domainDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(domainDir, "src");
const distDir = join(domainDir, "dist");

const USAGE = `用法：pnpm --silent activity score <file.jsonl> [--year YYYY]
  score          按活跃度规则（2018 试行版）计算事件文件（JSON Lines）的积分，向标准输出打印一个 JSON 文档
  --year YYYY    只统计该年（上海时间）内的加分与扣分；所有事件仍全部参与计算
usage: pnpm --silent activity score <file.jsonl> [--year YYYY]
`;

function usage(problem) {
  process.stderr.write(`${problem ? `${problem}\n` : ""}${USAGE}`);
  process.exitCode = 2;
}

function parseArgs(argv) {
  if (argv[0] !== "score") return { problem: argv.length === 0 ? "缺少子命令 score" : `未知子命令：${argv[0]}` };
  let file = null;
  let year = null;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    let value = null;
    if (arg === "--year") {
      if (i + 1 >= argv.length) return { problem: "--year 缺少年份" };
      value = argv[++i];
    } else if (arg.startsWith("--year=")) {
      value = arg.slice("--year=".length);
    } else if (arg.startsWith("-") && arg !== "-") {
      return { problem: `未知选项：${arg}` };
    } else if (file === null) {
      file = arg;
      continue;
    } else {
      return { problem: `多余的参数：${arg}` };
    }
    if (year !== null) return { problem: "--year 只能给一次" };
    if (!/^\d{4}$/.test(value)) return { problem: `--year 须为四位年份：${value}` };
    year = Number(value);
  }
  if (file === null) return { problem: "缺少事件文件" };
  return { file, year };
}

/** The engine's sources (what dist/activity is compiled from), as [source, compiled] pairs. */
function engineSources() {
  const pairs = [[join(srcDir, "errors.ts"), join(distDir, "errors.js")]];
  const walk = (dir) => {
    for (const ent of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.name.endsWith(".ts") && !ent.name.endsWith(".test.ts") && !ent.name.endsWith(".d.ts")) {
        pairs.push([p, join(distDir, relative(srcDir, p)).replace(/\.ts$/, ".js")]);
      }
    }
  };
  walk(join(srcDir, "activity"));
  return pairs;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** True when a compiled file is missing or (with `checkAge`) older than its source. */
function needsBuild(checkAge) {
  for (const [src, out] of engineSources()) {
    const o = mtime(out);
    if (o === null) return true;
    if (checkAge && o < mtime(src)) return true;
  }
  return false;
}

function ensureBuilt() {
  if (!needsBuild(true)) return true;
  const require = createRequire(import.meta.url);
  const tsc = require.resolve("typescript/bin/tsc");
  process.stderr.write("activity: building libs/domain (dist is missing or older than the sources)…\n");
  // tsc prints diagnostics on stdout: send them to stderr, stdout is the report's alone.
  const r = spawnSync(process.execPath, [tsc, "-p", join(domainDir, "tsconfig.build.json")], {
    stdio: ["ignore", 2, 2],
  });
  if (r.error) {
    process.stderr.write(`activity: could not run tsc: ${r.error.message}\n`);
    return false;
  }
  // Only presence is checked now: a source dated in the future (clock skew) must not loop.
  if (needsBuild(false)) {
    process.stderr.write(`activity: the build did not produce libs/domain/dist/activity (tsc exit ${r.status})\n`);
    return false;
  }
  if (r.status !== 0) process.stderr.write(`activity: tsc reported errors (exit ${r.status}); the engine was emitted and is used\n`);
  return true;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.problem) return usage(args.problem);
  if (!ensureBuilt()) {
    process.exitCode = 1;
    return;
  }
  const { ActivityScoringSession } = await import(pathToFileURL(join(distDir, "activity", "index.js")).href);
  const session = new ActivityScoringSession();
  try {
    const stream = createReadStream(args.file, { encoding: "utf8", highWaterMark: 1 << 20 });
    for await (const chunk of stream) session.pushChunk(chunk);
  } catch (err) {
    process.stderr.write(`无法读取事件文件 ${args.file}：${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${session.reportJson({ year: args.year })}\n`);
}

await main();
