/**
 * Scoring events that are already objects (the server's path): a user's stored events, a batch
 * received over the API, a partition from `partitionByUser`.
 */
import { DomainError } from "../errors.js";
import { applyRules } from "./engine.js";
import { EventTable } from "./event-table.js";
import { newEventFields, readEvent, ruleSetLookups, type ActivityEvent } from "./event.js";
import { LedgerCollector, ReportAggregator, type LedgerEntry, type ReportOptions, type UserActivity } from "./report.js";
import { DEFAULT_RULE_SET, type RuleSet } from "./rule-set.js";

export interface ScoreOptions {
  ruleSet?: RuleSet;
}

function buildTable(events: Iterable<ActivityEvent>, ruleSet: RuleSet): EventTable {
  const lookups = ruleSetLookups(ruleSet);
  const table = new EventTable(lookups);
  const fields = newEventFields();
  let index = 0;
  for (const e of events) {
    const problem = readEvent(e, lookups, fields);
    if (problem !== null) {
      throw new DomainError("BAD_INPUT", `第${index + 1}个事件：${problem}`, undefined, { index, eventId: (e as { id?: unknown }).id });
    }
    table.add(fields);
    index++;
  }
  return table;
}

/**
 * The ledger of a list of events: every award and deduction in application order (by instant,
 * ties in list order). Ids are de-duplicated (the first event with an id counts). Throws a
 * DomainError BAD_INPUT when an event is not valid (validate with `validateEvent` first).
 */
export function scoreEvents(events: Iterable<ActivityEvent>, options: ScoreOptions = {}): LedgerEntry[] {
  const ruleSet = options.ruleSet ?? DEFAULT_RULE_SET;
  const table = buildTable(events, ruleSet);
  const sink = new LedgerCollector(table);
  applyRules(table, ruleSet, sink);
  return sink.entries;
}

/** Per-user totals of a list of events, as the scoring command reports them. */
export function summarizeEvents(
  events: Iterable<ActivityEvent>,
  options: ScoreOptions & ReportOptions = {},
): Record<string, UserActivity> {
  const ruleSet = options.ruleSet ?? DEFAULT_RULE_SET;
  const table = buildTable(events, ruleSet);
  const sink = new ReportAggregator(table, options.year ?? null);
  applyRules(table, ruleSet, sink);
  return sink.users();
}
