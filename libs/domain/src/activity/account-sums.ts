/**
 * The per-day and per-period sums of one account's ledger that the server stores after rescoring
 * it from a day on (its per-day rows and its month and year totals). Pure arithmetic over the
 * ledger entries; the server writes the result.
 */
import { type LedgerEntry } from "./report.js";
import { RULE_NAMES } from "./rule-set.js";

const RULE_INDEX = new Map<string, number>(RULE_NAMES.map((r, i) => [r, i]));

export interface PointSum {
  points: number;
  /** Points of awards carried by mobile clients (deductions never count). */
  mobile: number;
}

export interface PeriodSum extends PointSum {
  /** Points per rule, in RULE_NAMES order. */
  rules: number[];
}

export interface AccountSums {
  /** Index of the first entry on or after the day (the number of entries when none). */
  first: number;
  /** Per "YYYY-MM-DD|rule": the account's entries from `first` on, in order of first appearance. */
  days: Map<string, PointSum>;
  /**
   * Per month ("YYYY-MM") from the day's month on and per year ("YYYY") from the day's year on
   * (a year's sum includes its months before the day), in order of first appearance.
   */
  periods: Map<string, PeriodSum>;
}

function addTo(map: Map<string, PeriodSum>, key: string, e: LedgerEntry, rule: number): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = { points: 0, mobile: 0, rules: new Array<number>(RULE_NAMES.length).fill(0) }));
  t.points += e.points;
  if (e.mobile && e.points > 0) t.mobile += e.points;
  t.rules[rule]! += e.points;
}

/** The sums of `account`'s entries (others in `entries` are ignored) from `fromDay` ("YYYY-MM-DD") on. */
export function accountSums(entries: readonly LedgerEntry[], account: string, fromDay: string): AccountSums {
  let first = entries.findIndex((e) => e.day >= fromDay);
  if (first === -1) first = entries.length;
  const days = new Map<string, PointSum>();
  for (let i = first; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.userId !== account) continue;
    const key = e.day + "|" + e.rule;
    let t = days.get(key);
    if (!t) days.set(key, (t = { points: 0, mobile: 0 }));
    t.points += e.points;
    if (e.mobile && e.points > 0) t.mobile += e.points;
  }
  const periods = new Map<string, PeriodSum>();
  const fromMonth = fromDay.slice(0, 7);
  const fromYear = fromDay.slice(0, 4);
  for (const e of entries) {
    if (e.userId !== account) continue;
    const rule = RULE_INDEX.get(e.rule)!;
    const month = e.day.slice(0, 7);
    if (month >= fromMonth) addTo(periods, month, e, rule);
    const year = e.day.slice(0, 4);
    if (year >= fromYear) addTo(periods, year, e, rule);
  }
  return { first, days, periods };
}
