/**
 * Event timestamps: a hand-written ISO 8601 reader (no Date objects: it runs once per event on
 * millions of events) and Asia/Shanghai calendar days.
 *
 * Accepted (ISO 8601 extended calendar date and time, with a UTC offset):
 *   YYYY-MM-DDThh:mm[:ss[(.|,)f…]](Z | ±hh:mm | ±hhmm | ±hh)
 * The date and the time must exist (2018-02-29 and 24:00 do not; leap seconds are refused).
 * The fraction may have any number of digits and is kept exactly, so events a microsecond apart
 * keep their order.
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Result of reading a timestamp: Ok, or why it was refused. */
export const TimestampStatus = {
  Ok: 0,
  /** Not of the accepted shape. */
  BadFormat: 1,
  /** A date and time without `Z` or a numeric offset. */
  NoOffset: 2,
  /** The shape is right but the date, time or offset does not exist (2018-02-30, 25:00, +24:00). */
  Impossible: 3,
} as const;
export type TimestampStatus = (typeof TimestampStatus)[keyof typeof TimestampStatus];

/**
 * A parsed instant. Order of two instants: `epochMs`, then `subMs`, then `subMsRest` compared as
 * digit strings (trailing zeros removed, so plain string comparison is numeric order).
 */
export interface ParsedInstant {
  /** Whole milliseconds since 1970-01-01T00:00:00Z (floor). */
  epochMs: number;
  /** Fraction digits 4 to 18 as an integer (0 ≤ subMs < 1e15): the part below a millisecond. */
  subMs: number;
  /** Fraction digits from the 19th on, trailing zeros removed ("" almost always). */
  subMsRest: string;
  /** Asia/Shanghai calendar day: days since 1970-01-01 (Shanghai). */
  day: number;
}

export function newParsedInstant(): ParsedInstant {
  return { epochMs: 0, subMs: 0, subMsRest: "", day: 0 };
}

/** The digit at i (i < end), or a large negative number. */
function digit(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i) - 48;
  return i < end && c >= 0 && c <= 9 ? c : -100_000;
}

function two(s: string, i: number, end: number): number {
  return digit(s, i, end) * 10 + digit(s, i + 1, end);
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (month 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The date of a day number (days since 1970-01-01) as [year, month 1–12, day 1–31]. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Reads an event timestamp (`s`, or its part from `start` to `end`) into `out`. Returns a
 * TimestampStatus; `out` is only meaningful for Ok. `out` is reused by callers on the hot path to
 * avoid an allocation per event.
 */
export function parseInstant(s: string, out: ParsedInstant, start = 0, end = s.length): TimestampStatus {
  const len = end;
  const b = start;
  if (len - b < 16) return TimestampStatus.BadFormat;
  const year = digit(s, b, len) * 1000 + digit(s, b + 1, len) * 100 + two(s, b + 2, len);
  const month = two(s, b + 5, len);
  const dom = two(s, b + 8, len);
  const hour = two(s, b + 11, len);
  const minute = two(s, b + 14, len);
  if (
    year < 0 || month < 0 || dom < 0 || hour < 0 || minute < 0 ||
    s.charCodeAt(b + 4) !== 45 || s.charCodeAt(b + 7) !== 45 || s.charCodeAt(b + 10) !== 84 || s.charCodeAt(b + 13) !== 58
  ) {
    return TimestampStatus.BadFormat;
  }
  let pos = b + 16;
  let second = 0;
  let fracMs = 0;
  let subMs = 0;
  let rest = "";
  if (pos < len && s.charCodeAt(pos) === 58) {
    second = two(s, pos + 1, len);
    if (second < 0) return TimestampStatus.BadFormat;
    pos += 3;
    const sep = pos < len ? s.charCodeAt(pos) : 0;
    if (sep === 46 || sep === 44) {
      pos++;
      const fracStart = pos;
      while (pos < len) {
        const c = s.charCodeAt(pos) - 48;
        if (c < 0 || c > 9) break;
        const k = pos - fracStart;
        if (k < 3) fracMs = fracMs * 10 + c;
        else if (k < 18) subMs = subMs * 10 + c;
        pos++;
      }
      const n = pos - fracStart;
      if (n === 0) return TimestampStatus.BadFormat;
      if (n < 3) fracMs *= n === 1 ? 100 : 10;
      else if (n < 18) subMs *= 10 ** (18 - n);
      else if (n > 18) {
        let last = pos;
        while (last > fracStart + 18 && s.charCodeAt(last - 1) === 48) last--;
        rest = s.slice(fracStart + 18, last);
      }
    }
  }
  // Offset.
  let offsetMin = 0;
  if (pos === len) return TimestampStatus.NoOffset;
  const o = s.charCodeAt(pos);
  if (o === 90) {
    if (pos + 1 !== len) return TimestampStatus.BadFormat;
  } else if (o === 43 || o === 45) {
    const oh = two(s, pos + 1, len);
    let om = 0;
    const left = len - pos - 1;
    if (left === 2) {
      // ±hh
    } else if (left === 4) {
      om = two(s, pos + 3, len);
    } else if (left === 5 && s.charCodeAt(pos + 3) === 58) {
      om = two(s, pos + 4, len);
    } else {
      return TimestampStatus.BadFormat;
    }
    if (oh < 0 || om < 0) return TimestampStatus.BadFormat;
    if (oh > 23 || om > 59) return TimestampStatus.Impossible;
    offsetMin = (oh * 60 + om) * (o === 45 ? -1 : 1);
  } else {
    return TimestampStatus.BadFormat;
  }
  if (month < 1 || month > 12 || dom < 1 || dom > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return TimestampStatus.Impossible;
  }
  const days = daysFromCivil(year, month, dom);
  const ms = (((days * 24 + hour) * 60 + minute - offsetMin) * 60 + second) * 1000 + fracMs;
  out.epochMs = ms;
  out.subMs = subMs;
  out.subMsRest = rest;
  out.day = Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
  return TimestampStatus.Ok;
}

/** Compares two parsed instants exactly (negative, zero, positive). */
export function compareInstants(a: ParsedInstant, b: ParsedInstant): number {
  if (a.epochMs !== b.epochMs) return a.epochMs < b.epochMs ? -1 : 1;
  if (a.subMs !== b.subMs) return a.subMs < b.subMs ? -1 : 1;
  if (a.subMsRest !== b.subMsRest) return a.subMsRest < b.subMsRest ? -1 : 1;
  return 0;
}

/** "YYYY-MM-DD" of a Shanghai day number. */
export function dayString(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${pad4(y)}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/** "YYYY-MM" of a Shanghai day number. */
export function monthString(day: number): string {
  const [y, m] = civilFromDays(day);
  return `${pad4(y)}-${m < 10 ? "0" : ""}${m}`;
}

/** The Shanghai day number of a "YYYY-MM-DD" string (no validation beyond the shape). */
export function dayNumber(date: string): number {
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

/** First day number of a year, and of the year after: the half-open range of the year's days. */
export function yearDayRange(year: number): [number, number] {
  return [daysFromCivil(year, 1, 1), daysFromCivil(year + 1, 1, 1)];
}

function pad4(y: number): string {
  return y >= 1000 ? String(y) : String(y).padStart(4, "0");
}

/**
 * The Asia/Shanghai calendar day ("YYYY-MM-DD") of an event timestamp, or null when the timestamp
 * is not valid under the event-file rules.
 */
export function shanghaiDay(at: string): string | null {
  const p = newParsedInstant();
  return parseInstant(at, p) === TimestampStatus.Ok ? dayString(p.day) : null;
}
