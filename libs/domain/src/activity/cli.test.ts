/**
 * The scoring command as users run it: a child process on fixture files. stdout must be exactly one
 * JSON document, stderr empty, exit code 0 unless the file cannot be read (usage errors: 2).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scoreEventFile } from "./session.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = join(root, "libs/domain/bin/activity.mjs");
const fixtures = join(root, "tests/fixtures/activity");

function run(args: string[], options: { bin?: string; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [options.bin ?? bin, ...args], { cwd: options.cwd ?? root, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exactly one JSON document (and a final newline), parsed. */
function oneDocument(stdout: string): unknown {
  expect(stdout.endsWith("\n")).toBe(true);
  expect(stdout.indexOf("\n")).toBe(stdout.length - 1);
  return JSON.parse(stdout);
}

let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "activity-cli-"));
  // Builds dist when it is missing or stale, so the runs below see a clean stderr.
  run(["score", join(fixtures, "basic.jsonl")]);
}, 120_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe("activity score", { timeout: 60_000 }, () => {
  it.each([
    ["basic.jsonl", [], "basic.expected.json"],
    ["basic.jsonl", ["--year", "2018"], "basic.2018.expected.json"],
    ["basic.jsonl", ["--year=2019"], "basic.2019.expected.json"],
    ["streak-new-year.jsonl", [], "streak-new-year.expected.json"],
    ["streak-new-year.jsonl", ["--year", "2018"], "streak-new-year.2018.expected.json"],
    ["streak-new-year.jsonl", ["--year", "2017"], "streak-new-year.2017.expected.json"],
  ])("%s %j prints the expected document", (file, args, expected) => {
    const r = run(["score", join(fixtures, file), ...(args as string[])]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(oneDocument(r.stdout)).toEqual(JSON.parse(readFileSync(join(fixtures, expected), "utf8")));
    expect(r.stdout).toBe(readFileSync(join(fixtures, expected), "utf8"));
  });

  it("accepts --year before the file", () => {
    const r = run(["score", "--year", "2018", join(fixtures, "basic.jsonl")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(fixtures, "basic.2018.expected.json"), "utf8"));
  });

  it("agrees with the library on a generated file", () => {
    const file = join(fixtures, "generated-3000.jsonl");
    for (const year of [null, 2017, 2018]) {
      const r = run(["score", file, ...(year === null ? [] : ["--year", String(year)])]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(oneDocument(r.stdout)).toEqual(scoreEventFile(readFileSync(file, "utf8"), { year }));
    }
  });

  it("reads CRLF files like LF files", () => {
    const lf = readFileSync(join(fixtures, "basic.jsonl"), "utf8");
    const crlf = join(tmp, "basic-crlf.jsonl");
    writeFileSync(crlf, lf.replace(/\n/g, "\r\n"));
    const r = run(["score", crlf]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(fixtures, "basic.expected.json"), "utf8"));
  });

  it("prints an empty report for an empty file", () => {
    const empty = join(tmp, "empty.jsonl");
    writeFileSync(empty, "");
    const r = run(["score", empty]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(oneDocument(r.stdout)).toEqual({ year: null, users: {}, errors: [] });
  });

  it.each([
    ["a missing file", () => join(tmp, "nope.jsonl")],
    ["a directory", () => tmp],
  ])("fails with a message on stderr for %s", (_name, file) => {
    const r = run(["score", file()]);
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("无法读取事件文件");
  });

  it.each([
    ["no arguments", []],
    ["an unknown command", ["count", "x.jsonl"]],
    ["no file", ["score"]],
    ["two files", ["score", "a.jsonl", "b.jsonl"]],
    ["a two-digit year", ["score", "a.jsonl", "--year", "18"]],
    ["a year without value", ["score", "a.jsonl", "--year"]],
    ["a repeated year", ["score", "a.jsonl", "--year", "2018", "--year", "2019"]],
    ["an unknown option", ["score", "a.jsonl", "--month", "3"]],
  ])("prints usage and exits 2 for %s", (_name, args) => {
    const r = run(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("usage: pnpm --silent activity score <file.jsonl> [--year YYYY]");
  });

  it("runs through the pnpm script", () => {
    const r = spawnSync("pnpm", ["--silent", "activity", "score", "tests/fixtures/activity/basic.jsonl", "--year", "2018"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(fixtures, "basic.2018.expected.json"), "utf8"));
  }, 60_000);
});

describe("activity score in a clean checkout", () => {
  it(
    "builds dist when missing or older than the sources, with build output on stderr only",
    () => {
      // A copy of the package with its own (absent) dist, sharing the installed node_modules.
      const repo = join(tmp, "repo");
      const pkg = join(repo, "libs/domain");
      mkdirSync(join(pkg, "src"), { recursive: true });
      cpSync(join(root, "tsconfig.base.json"), join(repo, "tsconfig.base.json"));
      for (const f of ["package.json", "tsconfig.json", "tsconfig.build.json"]) cpSync(join(root, "libs/domain", f), join(pkg, f));
      cpSync(join(root, "libs/domain/bin"), join(pkg, "bin"), { recursive: true });
      cpSync(join(root, "libs/domain/src/activity"), join(pkg, "src/activity"), { recursive: true });
      cpSync(join(root, "libs/domain/src/errors.ts"), join(pkg, "src/errors.ts"));
      writeFileSync(join(pkg, "src/index.ts"), 'export * from "./errors.js";\nexport * from "./activity/index.js";\n');
      symlinkSync(join(root, "node_modules"), join(repo, "node_modules"), "dir");
      const copyBin = join(pkg, "bin/activity.mjs");
      const expected = readFileSync(join(fixtures, "basic.expected.json"), "utf8");
      const args = ["score", join(fixtures, "basic.jsonl")];

      const first = run(args, { bin: copyBin, cwd: repo });
      expect(first.status).toBe(0);
      expect(first.stdout).toBe(expected);
      expect(first.stderr).toContain("building libs/domain");
      expect(readFileSync(join(pkg, "dist/activity/index.js"), "utf8")).toContain("ActivityScoringSession");

      const second = run(args, { bin: copyBin, cwd: repo });
      expect(second.stderr).toBe("");
      expect(second.stdout).toBe(expected);

      // A compiled file older than its source triggers a rebuild.
      const past = new Date(Date.now() - 3_600_000);
      utimesSync(join(pkg, "dist/activity/engine.js"), past, past);
      const third = run(args, { bin: copyBin, cwd: repo });
      expect(third.stderr).toContain("building libs/domain");
      expect(third.stdout).toBe(expected);
    },
    180_000,
  );
});
