/**
 * Scoring an event file as a stream: feed text chunks (or lines), then ask for the ledger or the
 * report. Pure: the caller does the reading (see libs/domain/bin/activity.mjs).
 *
 * Lines end at "\n", "\r\n" or a lone "\r" (as Node's readline and Python's universal newlines
 * read them); line numbers are 1-based; a UTF-8 byte order mark at the start of the file is
 * ignored; blank (whitespace-only) lines are skipped silently.
 */
import { applyRules } from "./engine.js";
import { EventTable } from "./event-table.js";
import {
  EventMessages,
  lineMessage,
  newEventFields,
  readEvent,
  ruleSetLookups,
  type EventError,
  type EventFields,
  type RuleSetLookups,
} from "./event.js";
import { newFieldRanges, readScannedEvent, scanFlatEvent, type FieldRanges } from "./line-scanner.js";
import { LedgerCollector, ReportAggregator, type ActivityReport, type LedgerEntry, type ReportOptions } from "./report.js";
import { DEFAULT_RULE_SET, type RuleSet } from "./rule-set.js";

/** What makes a line unfit for the scanner's native string search: a backslash or a control character. */
const SPECIAL = /[\x00-\x09\x0b\x0c\x0e-\x1f\\]/g;

export interface SessionOptions {
  ruleSet?: RuleSet;
}

export class ActivityScoringSession {
  /** Refused lines, in line order. */
  readonly errors: EventError[] = [];
  private readonly lookups: RuleSetLookups;
  private readonly table: EventTable;
  private readonly fields: EventFields = newEventFields();
  private readonly ranges: FieldRanges = newFieldRanges();
  private lineNo = 0;
  /** The text of a line not yet ended (never holds a line break). */
  private carry = "";
  /** The last chunk ended in "\r", which ended a line. */
  private pendingCr = false;
  private ended = false;

  constructor(options: SessionOptions = {}) {
    this.lookups = ruleSetLookups(options.ruleSet ?? DEFAULT_RULE_SET);
    this.table = new EventTable(this.lookups, 4096);
  }

  get ruleSet(): RuleSet {
    return this.lookups.ruleSet;
  }

  /** Lines seen so far (including blank and refused ones). */
  get lineCount(): number {
    return this.lineNo;
  }

  /** Feeds the next line (without its terminator). */
  pushLine(text: string): void {
    this.pushRange(text, 0, text.length, false);
  }

  /**
   * Feeds the line text[start, end). `clean`: the line is known to hold no backslash and no
   * control character, which lets the scanner find string ends natively.
   */
  private pushRange(text: string, start: number, end: number, clean: boolean): void {
    const line = ++this.lineNo;
    if (line === 1 && text.charCodeAt(start) === 0xfeff) start++;
    if (start === end) return;
    if (scanFlatEvent(text, this.ranges, start, end, clean) && readScannedEvent(text, this.ranges, this.lookups, this.fields)) {
      this.table.add(this.fields);
      return;
    }
    const lineText = start === 0 && end === text.length ? text : text.slice(start, end);
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch {
      if (lineText.trim().length === 0) return;
      this.errors.push({ line, message: lineMessage(line, EventMessages.notJson) });
      return;
    }
    const problem = readEvent(value, this.lookups, this.fields);
    if (problem !== null) {
      this.errors.push({ line, message: lineMessage(line, problem) });
      return;
    }
    this.table.add(this.fields);
  }

  /** Feeds a chunk of the file's text; a line split across chunks is joined. */
  pushChunk(chunk: string): void {
    const n = chunk.length;
    if (n === 0) return;
    let start = 0;
    if (this.pendingCr) {
      // The previous chunk ended in "\r": a "\n" here completes that "\r\n".
      this.pendingCr = false;
      if (chunk.charCodeAt(0) === 10) start = 1;
    }
    if (this.carry.length > 0) {
      // Finish the pending line on its own, then scan the chunk itself: a concatenated string
      // would make every character read slower.
      let i = start;
      while (i < n) {
        const c = chunk.charCodeAt(i);
        if (c === 10 || c === 13) break;
        i++;
      }
      if (i === n) {
        this.carry += chunk.slice(start);
        return;
      }
      const line = this.carry + chunk.slice(start, i);
      this.carry = "";
      this.pushLine(line);
      if (chunk.charCodeAt(i) === 13) {
        if (i + 1 === n) {
          this.pendingCr = true;
          return;
        }
        if (chunk.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.scanChunk(chunk, start);
  }

  /** Position of the next backslash or control character (other than line breaks) from `from`. */
  private nextSpecial(text: string, from: number): number {
    const re = SPECIAL;
    re.lastIndex = from;
    const m = re.exec(text);
    return m === null ? Infinity : m.index;
  }

  private scanChunk(text: string, start: number): void {
    const n = text.length;
    let special = this.nextSpecial(text, start);
    if (text.indexOf("\r", start) === -1) {
      let nl = text.indexOf("\n", start);
      while (nl !== -1) {
        if (special < start) special = this.nextSpecial(text, start);
        this.pushRange(text, start, nl, special >= nl);
        start = nl + 1;
        nl = text.indexOf("\n", start);
      }
      this.carry = start < n ? text.slice(start) : "";
      return;
    }
    for (let i = start; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        if (special < start) special = this.nextSpecial(text, start);
        this.pushRange(text, start, i, special >= i);
        start = i + 1;
      } else if (c === 13) {
        if (special < start) special = this.nextSpecial(text, start);
        this.pushRange(text, start, i, special >= i);
        if (i + 1 === n) {
          this.pendingCr = true;
          this.carry = "";
          return;
        }
        if (text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    this.carry = start < n ? text.slice(start) : "";
  }

  /** Ends the input: the text after the last line break is the last line. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const rest = this.carry;
    this.carry = "";
    this.pendingCr = false;
    if (rest.length > 0) this.pushLine(rest);
  }

  /** The ledger of all events, in application order. */
  ledger(): LedgerEntry[] {
    this.end();
    const sink = new LedgerCollector(this.table);
    applyRules(this.table, this.lookups.ruleSet, sink);
    return sink.entries;
  }

  /** The scoring command's stdout document: `formatReport(this.report(options))`, faster. */
  reportJson(options: ReportOptions = {}): string {
    this.end();
    const sink = new ReportAggregator(this.table, options.year ?? null);
    applyRules(this.table, this.lookups.ruleSet, sink);
    return sink.json(this.errors);
  }

  /** The scoring command's report. */
  report(options: ReportOptions = {}): ActivityReport {
    this.end();
    const year = options.year ?? null;
    const sink = new ReportAggregator(this.table, year);
    applyRules(this.table, this.lookups.ruleSet, sink);
    return { year, users: sink.users(), errors: this.errors.slice() };
  }
}

/** Scores a whole event file given as text (or as its lines). */
export function scoreEventFile(
  input: string | Iterable<string>,
  options: SessionOptions & ReportOptions = {},
): ActivityReport {
  const s = new ActivityScoringSession(options);
  if (typeof input === "string") s.pushChunk(input);
  else for (const line of input) s.pushLine(line);
  return s.report(options);
}
