/**
 * The engine against a brute-force reference scorer on a few hundred random seeded streams.
 *
 * The reference below is written to be obviously right, not fast: its own line splitting, its own
 * validation (a regular expression and Date), exact instants as BigInt, string-keyed maps, and a
 * look-back for login streaks. Every user, every rule, every month, the mobile points, the errors'
 * line numbers and the whole ledger (in order) must agree, with and without --year. The same
 * streams check that scoring one user's partition gives exactly that user's entries.
 */
import { describe, expect, it } from "vitest";
import { parseEventLine, type ActivityEvent } from "./event.js";
import { partitionByUser } from "./partition.js";
import { formatReport, type ActivityReport, type LedgerEntry, type UserActivity } from "./report.js";
import { RULE_NAMES, type RuleName } from "./rule-set.js";
import { scoreEvents } from "./score-events.js";
import { ActivityScoringSession } from "./session.js";

// ---------------------------------------------------------------- random streams

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function formatAt(ms: number, offsetMin: number, style: number, fraction: string): string {
  const d = new Date(ms + offsetMin * 60_000);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = fraction === "" ? "" : `.${fraction}`;
  if (offsetMin === 0 && style === 0) return `${base}${frac}Z`;
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  const hh = pad(Math.floor(abs / 60));
  const mm = pad(abs % 60);
  return `${base}${frac}${sign}${hh}${style === 2 ? "" : ":"}${mm}`;
}

interface Stream {
  text: string;
  /** Chunk sizes to feed the text in. */
  chunks: number[];
}

function randomStream(seed: number): Stream {
  const r = prng(seed);
  // Some streams pile spreads on one resource for two months, to reach its life cap of 50.
  const spreadHeavy = r.next() < 0.1;
  const nEvents = spreadHeavy ? 500 + r.int(500) : 30 + r.int(r.next() < 0.2 ? 1500 : 500);
  const nDays = spreadHeavy ? 40 + r.int(30) : 1 + r.int(r.next() < 0.3 ? 40 : 10);
  const base = Date.parse(`${r.pick(["2017-12-27", "2018-03-28", "2018-12-30", "2018-07-15"])}T00:00:00+08:00`);
  const teachers = spreadHeavy ? ["t1"] : ["t1", "t2", "t3", "t4"].slice(0, 1 + r.int(4));
  const nActors = spreadHeavy ? 150 : r.next() < 0.3 ? 70 : 6;
  const actors = [...teachers, ...Array.from({ length: nActors }, (_, i) => `s${i + 1}`)];
  const resources = spreadHeavy ? ["r1"] : ["r1", "r2", "r3"];
  const tasks = ["k1", "k2", "k3", "k4"];
  const students = Array.from({ length: 14 }, (_, i) => `s${i + 1}`);
  const counterparts = Array.from({ length: 13 }, (_, i) => `p${i + 1}`);
  const apps = ["网络教研", "微课网", "名师工作室"];
  const items = ["avatar", "contact", "affiliation", "subject"];
  const levels = ["county", "city", "province"];
  const offsets = [0, 0, 480, 480, -300, 345, -720];
  const weights: [string, number][] = [
    ["login", 18], ["profile_item", 4], ["mobile_op", 8], ["resource_spread", spreadHeavy ? 300 : 16], ["resource_review", 6],
    ["resource_deleted", spreadHeavy ? 0.1 : 1.5], ["lesson", 6], ["task_published", 3], ["task_engaged", 16], ["interaction", 16], ["app_use", 6],
  ];
  const totalW = weights.reduce((a, [, w]) => a + w, 0);
  const pickType = () => {
    let x = r.next() * totalW;
    for (const [t, w] of weights) if ((x -= w) < 0) return t;
    return "login";
  };
  const usedIds: string[] = [];
  const usedTimes: string[] = [];
  const lines: string[] = [];
  let nextId = 1;
  for (let k = 0; k < nEvents; k++) {
    // Times: hours spread over the day in Shanghai, many near 00:00 Shanghai (16:00Z).
    const day = r.int(nDays);
    const minute = r.next() < 0.25 ? 23 * 60 + 50 + r.int(20) : r.int(24 * 60);
    const ms = base + day * 86_400_000 + minute * 60_000 + r.int(60) * 1000 + (r.next() < 0.3 ? r.int(1000) : 0);
    const fr = r.next();
    const fraction = fr < 0.6 ? "" : fr < 0.75 ? pad(r.int(1000), 3) : fr < 0.9 ? pad(r.int(10_000_000), 7) : `${pad(r.int(1000), 3)}000000000000000${r.int(10)}${r.int(10)}`;
    let at = formatAt(ms - (fraction === "" ? 0 : ms % 1000), r.pick(offsets), r.int(3), fraction);
    if (usedTimes.length > 0 && r.next() < 0.08) at = r.pick(usedTimes);
    usedTimes.push(at);
    const c = r.next();
    const client = c < 0.4 ? "mobile" : c < 0.7 ? "pc" : undefined;
    const type = pickType();
    const e: Record<string, unknown> = { id: `e${nextId++}`, type };
    const teacher = r.pick(teachers);
    switch (type) {
      case "login":
      case "mobile_op":
      case "lesson":
        e.userId = teacher;
        break;
      case "profile_item":
        e.userId = teacher;
        e.item = r.pick(items);
        break;
      case "resource_spread":
        e.userId = r.pick(actors);
        e.ownerId = teacher;
        e.resourceId = r.pick(resources);
        e.action = "view";
        break;
      case "resource_review":
        e.ownerId = teacher;
        e.resourceId = r.pick(resources);
        e.level = r.pick(levels);
        e.outcome = r.next() < 0.8 ? "approved" : "rejected";
        break;
      case "resource_deleted":
        e.ownerId = teacher;
        e.resourceId = r.pick(resources);
        break;
      case "task_published":
        e.userId = teacher;
        e.taskId = r.pick(tasks);
        break;
      case "task_engaged":
        e.taskId = r.next() < 0.05 ? "k99" : r.pick(tasks);
        e.studentId = r.pick(students);
        break;
      case "interaction":
        e.userId = teacher;
        e.counterpartId = r.pick(counterparts);
        break;
      case "app_use":
        e.userId = teacher;
        e.app = r.pick(apps);
        break;
    }
    e.at = at;
    if (client !== undefined) e.client = client;
    // Repeated ids, sometimes after an invalid line that carried the id first.
    if (usedIds.length > 0 && r.next() < 0.05) e.id = r.pick(usedIds);
    usedIds.push(e.id as string);
    const m = r.next();
    if (m < 0.06) {
      const bad = r.int(8);
      if (bad === 0) lines.push(JSON.stringify(e).slice(0, -2));
      else if (bad === 1) lines.push(JSON.stringify({ ...e, at: (e.at as string).replace(/(Z|[+-]\d\d:?\d\d)$/, "") }));
      else if (bad === 2) lines.push(JSON.stringify({ ...e, type: "logout" }));
      else if (bad === 3) lines.push(JSON.stringify({ ...e, client: "tv" }));
      else if (bad === 4) lines.push(JSON.stringify({ ...e, at: "2018-02-29T10:00:00Z" }));
      else if (bad === 5) lines.push(JSON.stringify({ ...e, id: "" }));
      else if (bad === 6) lines.push(JSON.stringify([e]));
      else lines.push(JSON.stringify({ ...e, userId: undefined, ownerId: undefined, taskId: undefined }));
      if (r.next() < 0.5) lines.push(JSON.stringify(e)); // the valid line right after, same id
    } else {
      // Some lines through JSON.parse's path: escapes, spaces, nested extras.
      const style = r.next();
      if (style < 0.05) lines.push(JSON.stringify(e).replace(/"id":"e/, '"id":"\\u0065'));
      else if (style < 0.1) lines.push(` ${JSON.stringify({ ...e, extra: { nested: [1, 2] } }, null, 0).replace(/,/g, " , ")} `);
      else lines.push(JSON.stringify(e));
    }
    if (r.next() < 0.02) lines.push(r.pick(["", "   ", "\t"]));
  }
  const eol = r.pick(["\n", "\r\n", "\r"]);
  const text = (r.next() < 0.1 ? "\ufeff" : "") + lines.join(eol) + (r.next() < 0.5 ? eol : "");
  const chunks: number[] = [];
  let left = text.length;
  while (left > 0) {
    const n = 1 + r.int(r.next() < 0.3 ? 8 : 400);
    chunks.push(n);
    left -= n;
  }
  return { text, chunks };
}

// ---------------------------------------------------------------- the reference scorer

interface RefEvent {
  line: number;
  e: Record<string, string>;
  key: bigint;
  day: string;
}

const AT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)$/;
const FIELDS: Record<string, string[]> = {
  login: ["userId"],
  profile_item: ["userId", "item"],
  mobile_op: ["userId"],
  resource_spread: ["userId", "ownerId", "resourceId"],
  resource_review: ["ownerId", "resourceId", "level", "outcome"],
  resource_deleted: ["ownerId", "resourceId"],
  lesson: ["userId"],
  task_published: ["userId", "taskId"],
  task_engaged: ["taskId", "studentId"],
  interaction: ["userId", "counterpartId"],
  app_use: ["userId", "app"],
};

function refParse(text: string, line: number): RefEvent | "error" | null {
  if (text.trim() === "") return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return "error";
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "error";
  const o = v as Record<string, unknown>;
  const isId = (x: unknown) => typeof x === "string" && x !== "";
  if (!isId(o.id) || typeof o.type !== "string" || !(o.type in FIELDS)) return "error";
  for (const f of FIELDS[o.type]!) if (!isId(o[f])) return "error";
  if (o.type === "profile_item" && !["avatar", "contact", "affiliation", "subject"].includes(o.item as string)) return "error";
  if (o.type === "resource_review" && !["county", "city", "province"].includes(o.level as string)) return "error";
  if ("client" in o && o.client !== "mobile" && o.client !== "pc") return "error";
  if (typeof o.at !== "string") return "error";
  const m = AT_RE.exec(o.at);
  if (!m) return "error";
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo! - 1 || date.getUTCDate() !== d || date.getUTCHours() !== h || date.getUTCMinutes() !== mi || date.getUTCSeconds() !== s) {
    return "error";
  }
  const oh = Number(m[10] ?? 0);
  const om = Number(m[11] ?? 0);
  if (oh > 23 || om > 59) return "error";
  const offsetMs = (m[8] ? 0 : (m[9] === "-" ? -1 : 1) * (oh * 60 + om)) * 60_000;
  const utcMs = date.getTime() - offsetMs;
  const frac = (m[7] ?? "").padEnd(40, "0");
  const key = BigInt(utcMs) * 10n ** 37n + BigInt(frac.slice(0, 40)) ; // ms * 10^37 + seconds' fraction in 10^-40 s
  const day = new Date(utcMs + 8 * 3_600_000).toISOString().slice(0, 10);
  return { line, e: o as Record<string, string>, key, day };
}

interface RefResult {
  errorLines: number[];
  ledger: LedgerEntry[];
  hits: Record<string, number>;
}

function prevDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function reference(text: string): RefResult {
  const rawLines = (text.startsWith("\ufeff") ? text.slice(1) : text).split(/\r\n|\r|\n/);
  if (rawLines.length > 0 && rawLines[rawLines.length - 1] === "") rawLines.pop();
  const errorLines: number[] = [];
  const seenIds = new Set<string>();
  const events: RefEvent[] = [];
  rawLines.forEach((t, i) => {
    const r = refParse(t, i + 1);
    if (r === null) return;
    if (r === "error") {
      errorLines.push(i + 1);
      return;
    }
    if (seenIds.has(r.e.id!)) return;
    seenIds.add(r.e.id!);
    events.push(r);
  });
  events.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.line - b.line));

  const ledger: LedgerEntry[] = [];
  const hits: Record<string, number> = {};
  const hit = (k: string) => (hits[k] = (hits[k] ?? 0) + 1);
  const award = (userId: string, day: string, rule: RuleName, points: number, mobile: boolean, eventId: string) =>
    ledger.push({ userId, day, rule, points, mobile, eventId });

  const loginDays = new Map<string, Set<string>>();
  const profileItems = new Map<string, Set<string>>();
  const profileDone = new Set<string>();
  const perDay = new Map<string, number>();
  const count = (k: string) => perDay.get(k) ?? 0;
  const bump = (k: string, by = 1) => perDay.set(k, count(k) + by);
  const deletedRes = new Set<string>();
  const weighedPairs = new Set<string>();
  const lifeSpread = new Map<string, number>();
  const reviewed = new Set<string>();
  const earnedSubmission = new Map<string, number>();
  const publisher = new Map<string, string>();
  const taskStudents = new Map<string, Set<string>>();
  const taskDone = new Set<string>();
  const counterpartsOfDay = new Map<string, Set<string>>();
  const appsOfDay = new Set<string>();
  const LEVEL_POINTS: Record<string, number> = { county: 3, city: 7, province: 10 };

  for (const { e, day } of events) {
    const mobile = e.client === "mobile";
    switch (e.type) {
      case "login": {
        const set = loginDays.get(e.userId!) ?? new Set<string>();
        loginDays.set(e.userId!, set);
        if (set.has(day)) break;
        set.add(day);
        let streak = 1;
        for (let d = prevDay(day); set.has(d); d = prevDay(d)) streak++;
        if (streak >= 7) hit("streak");
        award(e.userId!, day, "login", streak >= 7 ? 2 : 1, mobile, e.id!);
        break;
      }
      case "profile_item": {
        if (profileDone.has(e.userId!)) break;
        const set = profileItems.get(e.userId!) ?? new Set<string>();
        profileItems.set(e.userId!, set);
        set.add(e.item!);
        if (set.size === 4) {
          profileDone.add(e.userId!);
          award(e.userId!, day, "profile", 5, mobile, e.id!);
        }
        break;
      }
      case "mobile_op": {
        const k = `mu|${e.userId}|${day}`;
        if (count(k) >= 2) {
          hit("mobile_use cap");
          break;
        }
        bump(k);
        award(e.userId!, day, "mobile_use", 1, mobile, e.id!);
        break;
      }
      case "resource_spread": {
        if (e.userId === e.ownerId) break;
        const res = `${e.ownerId}\u0000${e.resourceId}`;
        if (deletedRes.has(res)) break;
        const pair = `${res}\u0000${e.userId}`;
        if (weighedPairs.has(pair)) break;
        weighedPairs.add(pair);
        if ((lifeSpread.get(res) ?? 0) >= 50) {
          hit("spread life cap");
          break;
        }
        const k = `sp|${e.ownerId}|${day}`;
        if (count(k) >= 2) {
          hit("spread day cap");
          break;
        }
        bump(k);
        lifeSpread.set(res, (lifeSpread.get(res) ?? 0) + 1);
        award(e.ownerId!, day, "spread", 1, mobile, e.id!);
        break;
      }
      case "resource_review": {
        const res = `${e.ownerId}\u0000${e.resourceId}`;
        if (deletedRes.has(res) || e.outcome !== "approved") break;
        const lv = `${res}\u0000${e.level}`;
        if (reviewed.has(lv)) break;
        reviewed.add(lv);
        earnedSubmission.set(res, (earnedSubmission.get(res) ?? 0) + LEVEL_POINTS[e.level!]!);
        award(e.ownerId!, day, "submission", LEVEL_POINTS[e.level!]!, mobile, e.id!);
        break;
      }
      case "resource_deleted": {
        const res = `${e.ownerId}\u0000${e.resourceId}`;
        if (deletedRes.has(res)) break;
        deletedRes.add(res);
        const earned = earnedSubmission.get(res) ?? 0;
        if (earned > 0) {
          hit("deduction");
          award(e.ownerId!, day, "submission", -earned, false, e.id!);
        }
        break;
      }
      case "lesson": {
        const k = `ls|${e.userId}|${day}`;
        if (count(k) >= 2) {
          hit("lesson cap");
          break;
        }
        bump(k);
        award(e.userId!, day, "lesson", 5, mobile, e.id!);
        break;
      }
      case "task_published":
        if (!publisher.has(e.taskId!)) publisher.set(e.taskId!, e.userId!);
        break;
      case "task_engaged": {
        const pub = publisher.get(e.taskId!);
        if (pub === undefined || taskDone.has(e.taskId!)) break;
        const set = taskStudents.get(e.taskId!) ?? new Set<string>();
        taskStudents.set(e.taskId!, set);
        set.add(e.studentId!);
        if (set.size < 10) break;
        taskDone.add(e.taskId!);
        const k = `tk|${pub}|${day}`;
        if (count(k) >= 1) {
          hit("task cap");
          break;
        }
        bump(k);
        award(pub, day, "task", 5, mobile, e.id!);
        break;
      }
      case "interaction": {
        const k = `${e.userId}|${day}`;
        const set = counterpartsOfDay.get(k) ?? new Set<string>();
        counterpartsOfDay.set(k, set);
        if (set.has(e.counterpartId!)) break;
        set.add(e.counterpartId!);
        if (set.size === 5) award(e.userId!, day, "interaction", 3, mobile, e.id!);
        if (set.size === 10) {
          hit("interaction 10");
          award(e.userId!, day, "interaction", 2, mobile, e.id!);
        }
        break;
      }
      case "app_use": {
        const k = `${e.userId}|${day}|${e.app}`;
        if (appsOfDay.has(k)) break;
        appsOfDay.add(k);
        award(e.userId!, day, "app", 2, mobile, e.id!);
        break;
      }
    }
  }
  return { errorLines, ledger, hits };
}

function refReport(ledger: LedgerEntry[], year: number | null): Record<string, UserActivity> {
  const users: Record<string, UserActivity> = {};
  for (const l of ledger) {
    if (year !== null && l.day.slice(0, 4) !== String(year)) continue;
    const u = (users[l.userId] ??= {
      total: 0,
      mobile: 0,
      rules: Object.fromEntries(RULE_NAMES.map((r) => [r, 0])) as Record<RuleName, number>,
      months: {},
    });
    u.total += l.points;
    u.rules[l.rule] += l.points;
    if (l.mobile && l.points > 0) u.mobile += l.points;
    u.months[l.day.slice(0, 7)] = (u.months[l.day.slice(0, 7)] ?? 0) + l.points;
  }
  for (const u of Object.values(users)) {
    for (const [m, v] of Object.entries(u.months)) if (v === 0) delete u.months[m];
  }
  return users;
}

// ---------------------------------------------------------------- the comparison

function engineRun(stream: Stream): ActivityScoringSession {
  const s = new ActivityScoringSession();
  let pos = 0;
  for (const n of stream.chunks) {
    s.pushChunk(stream.text.slice(pos, pos + n));
    pos += n;
  }
  s.end();
  return s;
}

const sortKeys = <T,>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

describe("engine against the brute-force reference", { timeout: 60_000 }, () => {
  const SEEDS = Array.from({ length: 300 }, (_, i) => 1000 + i);
  const allHits: Record<string, number> = {};

  it.each(SEEDS)("stream %i", (seed) => {
    const stream = randomStream(seed);
    const ref = reference(stream.text);
    for (const [k, v] of Object.entries(ref.hits)) allHits[k] = (allHits[k] ?? 0) + v;
    const session = engineRun(stream);

    expect(session.ledger()).toEqual(ref.ledger);
    const years = new Set<number | null>([null, ...ref.ledger.map((l) => Number(l.day.slice(0, 4)))]);
    for (const year of years) {
      const report: ActivityReport = session.report({ year });
      expect(report.year).toBe(year);
      expect(report.errors.map((e) => e.line)).toEqual(ref.errorLines);
      expect(report.users).toEqual(sortKeys(refReport(ref.ledger, year)));
      expect(Object.keys(report.users)).toEqual(Object.keys(sortKeys(report.users)));
      expect(session.reportJson({ year })).toBe(formatReport(report));
    }
  });

  it("the streams exercised every cap and threshold", () => {
    for (const k of ["streak", "mobile_use cap", "spread day cap", "spread life cap", "deduction", "lesson cap", "task cap", "interaction 10"]) {
      expect(allHits[k] ?? 0, k).toBeGreaterThan(0);
    }
  });
});

describe("per-user partitions", { timeout: 60_000 }, () => {
  it.each(Array.from({ length: 120 }, (_, i) => 5000 + i))("stream %i: each user's partition scores to that user's entries", (seed) => {
    const stream = randomStream(seed);
    const lines = (stream.text.startsWith("\ufeff") ? stream.text.slice(1) : stream.text).split(/\r\n|\r|\n/);
    const events: ActivityEvent[] = [];
    lines.forEach((t, i) => {
      const p = parseEventLine(t, i + 1);
      if (p?.ok) events.push(p.event);
    });
    const whole = scoreEvents(events);
    // The object path and the streaming path agree.
    expect(whole).toEqual(engineRun(stream).ledger());
    const parts = partitionByUser(events);
    const users = new Set(whole.map((l) => l.userId));
    for (const u of users) expect(parts.has(u), u).toBe(true);
    for (const [u, part] of parts) {
      expect(scoreEvents(part), u).toEqual(whole.filter((l) => l.userId === u));
    }
  });
});
