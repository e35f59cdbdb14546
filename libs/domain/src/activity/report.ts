/**
 * Ledger entries and the report of the scoring command (SPEC §5, "Scoring command").
 */
import { type EventTable } from "./event-table.js";
import { type EventError } from "./event.js";
import { type ScoreSink } from "./engine.js";
import { RULE_NAMES, type RuleName } from "./rule-set.js";
import { civilFromDays, dayNumber, dayString, yearDayRange } from "./timestamp.js";

/**
 * One award (points > 0) or deduction (points < 0), in application order. This is the teacher's
 * points log: the server stores it as is.
 */
export interface LedgerEntry {
  /** Who gets the points: the event's userId, its ownerId (spread, submission), or the task's publisher. */
  userId: string;
  /** Asia/Shanghai calendar day, "YYYY-MM-DD". */
  day: string;
  rule: RuleName;
  points: number;
  /** The awarding event carried client "mobile" (always false for deductions). */
  mobile: boolean;
  /** The event that caused the entry. */
  eventId: string;
}

export type RuleTotals = Record<RuleName, number>;

export interface UserActivity {
  /** Sum of `rules`; can go down through deletions. */
  total: number;
  /** Points awarded by events carrying client "mobile" (deductions never change it). */
  mobile: number;
  /** All nine rules, in RULE_NAMES order, 0 where none. */
  rules: RuleTotals;
  /** "YYYY-MM" → net points, only months with a non-zero net total, ascending. */
  months: Record<string, number>;
}

export interface ActivityReport {
  /** The reported year, or null when every day counts. */
  year: number | null;
  /** Users with at least one award or deduction in the period, by id. */
  users: Record<string, UserActivity>;
  errors: EventError[];
}

export interface ReportOptions {
  /** Report only awards and deductions on Shanghai days of this year (all events are still applied). */
  year?: number | null;
}

/** Assigns own properties even for keys such as "__proto__" (user ids come from files). */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Builds LedgerEntry objects (with the day strings cached). */
export class LedgerCollector implements ScoreSink {
  readonly entries: LedgerEntry[] = [];
  private readonly dayCache = new Map<number, string>();

  constructor(private readonly table: EventTable) {}

  add(user: number, day: number, rule: number, points: number, mobile: number, row: number): void {
    let ds = this.dayCache.get(day);
    if (ds === undefined) {
      ds = dayString(day);
      this.dayCache.set(day, ds);
    }
    this.entries.push({
      userId: this.table.users.list[user]!,
      day: ds,
      rule: RULE_NAMES[rule]!,
      points,
      mobile: mobile === 1,
      eventId: this.table.eventId(row),
    });
  }
}

const RULE_COUNT = RULE_NAMES.length;
/** Month indexes are year * 12 + month - 1, so below this bound for 4-digit years. */
const MONTH_SPAN = 10_000 * 12;

/** Aggregates entries straight into per-user totals (no entry objects), for the scoring command. */
export class ReportAggregator implements ScoreSink {
  private readonly rules: Float64Array;
  private readonly mobile: Float64Array;
  private readonly present: Uint8Array;
  /** Net points per user per month, months firstMonth.. in a dense grid when it is small enough. */
  private readonly grid: Float64Array | null;
  private readonly firstMonth: number;
  private readonly monthCount: number;
  /** Otherwise: user * MONTH_SPAN + month → net points. */
  private readonly months = new Map<number, number>();
  private readonly lo: number;
  private readonly hi: number;
  private lastDay = Number.NaN;
  private lastMonth = 0;

  constructor(
    private readonly table: EventTable,
    readonly year: number | null,
  ) {
    const n = table.users.size;
    this.rules = new Float64Array(n * RULE_COUNT);
    this.mobile = new Float64Array(n);
    this.present = new Uint8Array(n);
    if (year === null) {
      this.lo = -Infinity;
      this.hi = Infinity;
    } else {
      [this.lo, this.hi] = yearDayRange(year);
    }
    let minDay = Infinity;
    let maxDay = -Infinity;
    const days = table.day;
    for (let i = 0; i < table.size; i++) {
      const d = days[i]!;
      if (d < minDay) minDay = d;
      if (d > maxDay) maxDay = d;
    }
    if (minDay <= maxDay) {
      this.firstMonth = monthIndexOf(minDay);
      this.monthCount = monthIndexOf(maxDay) - this.firstMonth + 1;
    } else {
      this.firstMonth = 0;
      this.monthCount = 0;
    }
    this.grid = n * this.monthCount <= 1 << 22 ? new Float64Array(n * this.monthCount) : null;
  }

  add(user: number, day: number, rule: number, points: number, mobile: number, _row: number): void {
    if (day < this.lo || day >= this.hi) return;
    this.present[user] = 1;
    const slot = user * RULE_COUNT + rule;
    this.rules[slot] = this.rules[slot]! + points;
    if (mobile === 1 && points > 0) this.mobile[user] = this.mobile[user]! + points;
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.lastMonth = monthIndexOf(day);
    }
    const grid = this.grid;
    if (grid !== null) {
      const cell = user * this.monthCount + this.lastMonth - this.firstMonth;
      grid[cell] = grid[cell]! + points;
    } else {
      const key = user * MONTH_SPAN + this.lastMonth;
      this.months.set(key, (this.months.get(key) ?? 0) + points);
    }
  }

  users(): Record<string, UserActivity> {
    const names = this.table.users.list;
    const byUser = new Map<number, [number, number][]>();
    if (this.grid === null) {
      for (const [key, pts] of this.months) {
        const user = Math.floor(key / MONTH_SPAN);
        let list = byUser.get(user);
        if (!list) byUser.set(user, (list = []));
        list.push([key - user * MONTH_SPAN, pts]);
      }
    }
    const monthKeys: string[] = [];
    for (let m = 0; m < this.monthCount && this.grid !== null; m++) monthKeys.push(monthKey(this.firstMonth + m));
    const present: number[] = [];
    for (let u = 0; u < names.length; u++) if (this.present[u] === 1) present.push(u);
    present.sort((x, y) => (names[x]! < names[y]! ? -1 : names[x]! > names[y]! ? 1 : 0));
    const out: Record<string, UserActivity> = {};
    for (const u of present) {
      const rules = {} as RuleTotals;
      let total = 0;
      for (let r = 0; r < RULE_COUNT; r++) {
        const v = this.rules[u * RULE_COUNT + r]!;
        rules[RULE_NAMES[r]!] = v;
        total += v;
      }
      const months: Record<string, number> = {};
      if (this.grid !== null) {
        const base = u * this.monthCount;
        for (let m = 0; m < this.monthCount; m++) {
          const v = this.grid[base + m]!;
          if (v !== 0) months[monthKeys[m]!] = v;
        }
      } else {
        const list = byUser.get(u) ?? [];
        list.sort((x, y) => x[0] - y[0]);
        for (const [m, pts] of list) if (pts !== 0) months[monthKey(m)] = pts;
      }
      setOwn(out, names[u]!, { total, mobile: this.mobile[u]!, rules, months });
    }
    return out;
  }

  /**
   * The scoring command's document as text, written straight from the totals:
   * identical to `formatReport({ year, users: this.users(), errors })` without building the
   * users object (20,000 keys) first.
   */
  json(errors: readonly EventError[]): string {
    const names = this.table.users.list;
    const indexLike: number[] = [];
    const others: number[] = [];
    for (let u = 0; u < names.length; u++) {
      if (this.present[u] !== 1) continue;
      (isArrayIndex(names[u]!) ? indexLike : others).push(u);
    }
    indexLike.sort((x, y) => Number(names[x]) - Number(names[y]));
    others.sort((x, y) => (names[x]! < names[y]! ? -1 : names[x]! > names[y]! ? 1 : 0));
    const monthKeys: string[] = [];
    for (let m = 0; m < this.monthCount && this.grid !== null; m++) monthKeys.push(JSON.stringify(monthKey(this.firstMonth + m)));
    const byUser = new Map<number, [number, number][]>();
    if (this.grid === null) {
      for (const [key, pts] of this.months) {
        const user = Math.floor(key / MONTH_SPAN);
        let list = byUser.get(user);
        if (!list) byUser.set(user, (list = []));
        list.push([key - user * MONTH_SPAN, pts]);
      }
    }
    const ruleKeys = RULE_NAMES.map((r) => JSON.stringify(r));
    const parts: string[] = [`{"year":${this.year === null ? "null" : num(this.year)},"users":{`];
    let first = true;
    for (const list of [indexLike, others]) {
      for (const u of list) {
        let total = 0;
        let rules = "";
        for (let r = 0; r < RULE_COUNT; r++) {
          const v = this.rules[u * RULE_COUNT + r]!;
          total += v;
          rules += `${r === 0 ? "" : ","}${ruleKeys[r]}:${num(v)}`;
        }
        let months = "";
        if (this.grid !== null) {
          const base = u * this.monthCount;
          for (let m = 0; m < this.monthCount; m++) {
            const v = this.grid[base + m]!;
            if (v !== 0) months += `${months === "" ? "" : ","}${monthKeys[m]}:${num(v)}`;
          }
        } else {
          const entries = (byUser.get(u) ?? []).sort((x, y) => x[0] - y[0]);
          for (const [m, v] of entries) if (v !== 0) months += `${months === "" ? "" : ","}"${monthKey(m)}":${num(v)}`;
        }
        parts.push(
          `${first ? "" : ","}${JSON.stringify(names[u])}:{"total":${num(total)},"mobile":${num(this.mobile[u]!)},"rules":{${rules}},"months":{${months}}}`,
        );
        first = false;
      }
    }
    parts.push(`},"errors":${JSON.stringify(errors)}}`);
    return parts.join("");
  }
}

/** A key JavaScript orders first in objects (an array index: canonical, below 2^32 - 1). */
function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  if (key !== "0" && !/^[1-9][0-9]*$/.test(key)) return false;
  return Number(key) < 4_294_967_295;
}

function num(n: number): string {
  return Number.isFinite(n) ? String(n) : JSON.stringify(n);
}

function monthIndexOf(day: number): number {
  const [y, m] = civilFromDays(day);
  return y * 12 + m - 1;
}

function monthKey(monthIndex: number): string {
  const y = Math.floor(monthIndex / 12);
  const m = monthIndex - y * 12 + 1;
  return `${String(y).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}`;
}

/** Aggregates a stored ledger (e.g. one user's points log) the same way the scoring command does. */
export function summarizeLedger(entries: Iterable<LedgerEntry>, options: ReportOptions = {}): Record<string, UserActivity> {
  const year = options.year ?? null;
  const range = year === null ? null : yearDayRange(year);
  const acc = new Map<string, { rules: RuleTotals; mobile: number; months: Map<string, number> }>();
  for (const e of entries) {
    if (range !== null) {
      const d = dayNumber(e.day);
      if (d < range[0] || d >= range[1]) continue;
    }
    let a = acc.get(e.userId);
    if (!a) {
      a = { rules: emptyRuleTotals(), mobile: 0, months: new Map() };
      acc.set(e.userId, a);
    }
    a.rules[e.rule] += e.points;
    if (e.mobile && e.points > 0) a.mobile += e.points;
    const month = e.day.slice(0, 7);
    a.months.set(month, (a.months.get(month) ?? 0) + e.points);
  }
  const out: Record<string, UserActivity> = {};
  for (const userId of [...acc.keys()].sort()) {
    const a = acc.get(userId)!;
    const months: Record<string, number> = {};
    for (const m of [...a.months.keys()].sort()) {
      const v = a.months.get(m)!;
      if (v !== 0) months[m] = v;
    }
    let total = 0;
    for (const r of RULE_NAMES) total += a.rules[r];
    setOwn(out, userId, { total, mobile: a.mobile, rules: a.rules, months });
  }
  return out;
}

export function emptyRuleTotals(): RuleTotals {
  const rules = {} as RuleTotals;
  for (const r of RULE_NAMES) rules[r] = 0;
  return rules;
}

/** The scoring command's stdout document (one line of JSON, keys in the documented order). */
export function formatReport(report: ActivityReport): string {
  return JSON.stringify({ year: report.year, users: report.users, errors: report.errors });
}
