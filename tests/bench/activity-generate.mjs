#!/usr/bin/env node
// Deterministic generator of realistic activity event streams (SPEC §5 event file format).
//
//   node tests/bench/activity-generate.mjs --events 1000000 --seed 42 [--shuffled] --out tests/bench/out/activity-1m.jsonl
//
// A year of platform activity for a county-sized population: teachers log in (some daily, keeping
// streaks), fill their profiles, teach lessons, publish tasks that students engage with, interact
// with students and parents, use province applications; resources get spread, reviewed and
// sometimes deleted. Lines come mostly in time order (merged logs: a few percent arrive late),
// timestamps are half UTC ("Z") and half "+08:00", some with milli- or microseconds. About 0.3%
// of lines are malformed (each kind the validator knows) and about 0.5% repeat an earlier id.
import { createWriteStream } from "node:fs";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** mulberry32: small, fast, deterministic. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad2 = (n) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** An ISO timestamp of epoch ms `ms`, written in UTC or in +08:00, with an optional fraction. */
function iso(ms, shanghai, fraction) {
  const d = new Date(shanghai ? ms + 8 * 3600_000 : ms);
  const base = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(
    d.getUTCMinutes(),
  )}:${pad2(d.getUTCSeconds())}`;
  return `${base}${fraction}${shanghai ? "+08:00" : "Z"}`;
}

const APPS = ["名师工作室", "学科基地校", "网络教研", "微课网", "学科学习平台"];
const ITEMS = ["avatar", "contact", "affiliation", "subject"];
const LEVELS = ["county", "city", "province"];
const OPS = ["message", "upload", "comment"];
const ACTIONS = ["download", "favorite", "share", "comment", "view"];

/**
 * Yields the lines of a stream (without terminators).
 * options: events (number of lines, default 1e6), seed, start (ISO date, default 2018-01-01),
 * days (span, default 365), teachers (default events / 50).
 */
export function* generateLines(options = {}) {
  const total = options.events ?? 1_000_000;
  const random = rng(options.seed ?? 42);
  const int = (n) => Math.floor(random() * n);
  const startMs = Date.parse(`${options.start ?? "2018-01-01"}T00:00:00+08:00`);
  const days = options.days ?? 365;
  const teachers = options.teachers ?? Math.max(10, Math.floor(total / 50));
  const students = teachers * 5;
  const resources = [];
  const tasks = [];
  const recent = [];
  let nextId = 1;
  let nextResource = 1;
  let nextTask = 1;

  // Teachers follow a Zipf-like activity: a few are very active, most occasionally.
  const teacher = () => `t${Math.floor(teachers * random() ** 2.2)}`;
  const student = () => `s${int(students)}`;

  for (let k = 0; k < total; k++) {
    // Day/night rhythm: activity between 07:00 and 22:00 Shanghai time, days in order.
    const pos = (days * k) / total;
    const dayIndex = Math.floor(pos);
    let ms = startMs + dayIndex * 86_400_000 + 7 * 3_600_000 + Math.floor((pos - dayIndex) * 15 * 3_600_000) + int(60_000);
    if (random() < 0.03) ms -= int(3_600_000); // a late-arriving record
    const shanghai = random() < 0.5;
    const f = random();
    const fraction = f < 0.1 ? `.${pad3(int(1000))}` : f < 0.11 ? `.${pad3(int(1000))}${pad3(int(1000))}` : "";
    const at = iso(ms, shanghai, fraction);
    const client = random() < 0.45 ? ',"client":"mobile"' : random() < 0.5 ? ',"client":"pc"' : "";

    const r = random();
    if (r < 0.003) {
      yield malformed(int, at, nextId++);
      continue;
    }
    if (r < 0.008 && recent.length > 0) {
      // A repeated id: the exact line again (a re-sent record) or another event reusing it.
      const prev = recent[int(recent.length)];
      yield random() < 0.7 ? prev.line : `{"id":"${prev.id}","type":"login","userId":"${teacher()}","at":"${at}"}`;
      continue;
    }
    const id = `e${nextId++}`;
    const p = random();
    let line;
    if (p < 0.24) {
      line = `{"id":"${id}","type":"login","userId":"${teacher()}","at":"${at}"${client}}`;
    } else if (p < 0.25) {
      line = `{"id":"${id}","type":"profile_item","userId":"${teacher()}","item":"${ITEMS[int(4)]}","at":"${at}"${client}}`;
    } else if (p < 0.33) {
      line = `{"id":"${id}","type":"mobile_op","userId":"${teacher()}","op":"${OPS[int(3)]}","at":"${at}","client":"mobile"}`;
    } else if (p < 0.47) {
      if (resources.length === 0 || random() < 0.02) resources.push({ id: `r${nextResource++}`, owner: teacher() });
      const res = resources[resources.length - 1 - int(Math.min(resources.length, 2000))];
      const actor = random() < 0.7 ? student() : teacher();
      line = `{"id":"${id}","type":"resource_spread","userId":"${actor}","ownerId":"${res.owner}","resourceId":"${res.id}","action":"${
        ACTIONS[int(5)]
      }","at":"${at}"${client}}`;
    } else if (p < 0.49) {
      if (resources.length === 0) resources.push({ id: `r${nextResource++}`, owner: teacher() });
      const res = resources[resources.length - 1 - int(Math.min(resources.length, 500))];
      const outcome = random() < 0.8 ? "approved" : "rejected";
      line = `{"id":"${id}","type":"resource_review","ownerId":"${res.owner}","resourceId":"${res.id}","level":"${
        LEVELS[int(3)]
      }","outcome":"${outcome}","at":"${at}"${client}}`;
    } else if (p < 0.493) {
      if (resources.length === 0) resources.push({ id: `r${nextResource++}`, owner: teacher() });
      const res = resources[int(resources.length)];
      line = `{"id":"${id}","type":"resource_deleted","ownerId":"${res.owner}","resourceId":"${res.id}","at":"${at}"}`;
    } else if (p < 0.54) {
      line = `{"id":"${id}","type":"lesson","userId":"${teacher()}","minutes":${20 + int(40)},"at":"${at}"${client}}`;
    } else if (p < 0.56) {
      const task = { id: `k${nextTask++}`, owner: teacher() };
      tasks.push(task);
      line = `{"id":"${id}","type":"task_published","userId":"${task.owner}","taskId":"${task.id}","at":"${at}"${client}}`;
    } else if (p < 0.71) {
      // Mostly recent tasks; sometimes a task nobody published (or not yet).
      const taskId = tasks.length === 0 || random() < 0.02 ? `k${nextTask + int(50)}` : tasks[tasks.length - 1 - int(Math.min(tasks.length, 300))].id;
      line = `{"id":"${id}","type":"task_engaged","taskId":"${taskId}","studentId":"${student()}","at":"${at}"${client}}`;
    } else if (p < 0.93) {
      const cp = random() < 0.7 ? student() : `p${int(students)}`;
      line = `{"id":"${id}","type":"interaction","userId":"${teacher()}","counterpartId":"${cp}","at":"${at}"${client}}`;
    } else {
      line = `{"id":"${id}","type":"app_use","userId":"${teacher()}","app":"${APPS[int(5)]}","at":"${at}"${client}}`;
    }
    if (recent.length < 5000) recent.push({ id, line });
    else recent[int(5000)] = { id, line };
    yield line;
  }
}

function malformed(int, at, n) {
  const id = `e${n}`;
  switch (int(10)) {
    case 0:
      return `{"id":"${id}","type":"login","userId":"t1","at":"${at}"`; // truncated JSON
    case 1:
      return `{"id":"${id}","type":"login","userId":"t1","at":"${at.replace(/(Z|\+08:00)$/, "")}"}`; // no offset
    case 2:
      return `{"id":"${id}","type":"lesson","at":"${at}"}`; // missing userId
    case 3:
      return `{"id":"${id}","type":"profile_item","userId":"t1","item":"nickname","at":"${at}"}`; // bad item
    case 4:
      return `{"id":"${id}","type":"login","userId":"t1","at":"${at}","client":"tablet"}`; // bad client
    case 5:
      return `{"id":"${id}","type":"logout","userId":"t1","at":"${at}"}`; // unknown type
    case 6:
      return `{"id":"${id}","type":"login","userId":"t1","at":"2018-02-30T08:00:00+08:00"}`; // impossible date
    case 7:
      return `["${id}","login"]`; // not an object
    case 8:
      return ""; // blank (skipped silently)
    default:
      return `{"id":"","type":"login","userId":"t1","at":"${at}"}`; // empty id
  }
}

function parseCli(argv) {
  const opts = { events: 1_000_000, seed: 42, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--events") opts.events = Number(argv[++i]);
    else if (a === "--seed") opts.seed = Number(argv[++i]);
    else if (a === "--out") opts.out = argv[++i];
    else if (a === "--days") opts.days = Number(argv[++i]);
    else if (a === "--start") opts.start = argv[++i];
    else if (a === "--shuffled") opts.shuffled = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

/** Writes a stream to `path`; resolves when it is on disk. */
export async function writeStream(path, options) {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let buf = [];
  let size = 0;
  let source = generateLines(options);
  if (options.shuffled) {
    // Worst case for the engine's sort: no time order at all.
    const all = [...source];
    const random = rng((options.seed ?? 42) ^ 0x5eed);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [all[i], all[j]] = [all[j], all[i]];
    }
    source = all;
  }
  for (const line of source) {
    buf.push(line);
    size += line.length;
    if (size > 1 << 20) {
      if (!out.write(`${buf.join("\n")}\n`)) await new Promise((r) => out.once("drain", r));
      buf = [];
      size = 0;
    }
  }
  if (buf.length) out.write(`${buf.join("\n")}\n`);
  await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const opts = parseCli(process.argv.slice(2));
  if (opts.out) await writeStream(opts.out, opts);
  else for (const line of generateLines(opts)) process.stdout.write(`${line}\n`);
}
