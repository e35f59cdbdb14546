/**
 * A fast path for the common line: a flat JSON object whose strings have no escapes.
 *
 * JSON.parse is the largest cost of scoring a big file (it builds an object per line that is
 * thrown away at once). For a line of the common shape `scanFlatEvent` checks the JSON grammar
 * itself and notes where the fields the rules read are; `readScannedEvent` then validates and
 * reads the event from those places without making a single substring. Neither decides anything
 * JSON.parse and `readEvent` would decide differently: on anything outside the shape (an escape,
 * a nested value, a control character, a repeated field the rules read, such a field holding a
 * non-string, a syntax error, a line not starting with "{") or on any invalid event, they give up
 * and the caller takes the JSON.parse path, which also words the errors. Tests fuzz both promises.
 */

import {
  T_APP,
  T_DELETED,
  T_INTERACTION,
  T_LESSON,
  T_LOGIN,
  T_MOBILE_OP,
  T_PROFILE,
  T_REVIEW,
  T_SPREAD,
  T_TASK_ENGAGED,
  T_TASK_PUBLISHED,
  EVENT_TYPES,
  type EventFields,
  type RuleSetLookups,
} from "./event.js";
import { parseInstant, TimestampStatus } from "./timestamp.js";

/**
 * Where each field `readEvent` reads lies in the scanned text: for field k, [2k] is the start and
 * [2k + 1] the end of its string value (without quotes), or -1 when the field is absent.
 * Field numbers: see FIELD_NAMES.
 */
export type FieldRanges = Int32Array;

export const FIELD_NAMES = [
  "id", "at", "app", "type", "item", "level", "userId", "taskId", "client", "ownerId", "outcome", "studentId", "resourceId", "counterpartId",
] as const;

export function newFieldRanges(): FieldRanges {
  return new Int32Array(2 * FIELD_NAMES.length);
}

const K_ID = 0;
const K_AT = 1;
const K_APP = 2;
const K_TYPE = 3;
const K_ITEM = 4;
const K_LEVEL = 5;
const K_USER = 6;
const K_TASK = 7;
const K_CLIENT = 8;
const K_OWNER = 9;
const K_OUTCOME = 10;
const K_STUDENT = 11;
const K_RESOURCE = 12;
const K_COUNTERPART = 13;
const K_OTHER = -1;

/** Which field a key [start, end) of `s` names (keys here contain no escapes). */
function keyOf(s: string, start: number, end: number): number {
  switch (end - start) {
    case 2:
      return s.startsWith("id", start) ? K_ID : s.startsWith("at", start) ? K_AT : K_OTHER;
    case 3:
      return s.startsWith("app", start) ? K_APP : K_OTHER;
    case 4:
      return s.startsWith("type", start) ? K_TYPE : s.startsWith("item", start) ? K_ITEM : K_OTHER;
    case 5:
      return s.startsWith("level", start) ? K_LEVEL : K_OTHER;
    case 6:
      return s.startsWith("userId", start)
        ? K_USER
        : s.startsWith("taskId", start)
          ? K_TASK
          : s.startsWith("client", start)
            ? K_CLIENT
            : K_OTHER;
    case 7:
      return s.startsWith("ownerId", start) ? K_OWNER : s.startsWith("outcome", start) ? K_OUTCOME : K_OTHER;
    case 9:
      return s.startsWith("studentId", start) ? K_STUDENT : K_OTHER;
    case 10:
      return s.startsWith("resourceId", start) ? K_RESOURCE : K_OTHER;
    case 13:
      return s.startsWith("counterpartId", start) ? K_COUNTERPART : K_OTHER;
    default:
      return K_OTHER;
  }
}

/** Type codes (T_LOGIN …) are the indexes of EVENT_TYPES. */
const TYPE_NAMES: readonly string[] = EVENT_TYPES;

/** JSON insignificant whitespace: space, tab, line feed, carriage return. */
function skipWs(s: string, i: number, len: number): number {
  while (i < len) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

/** End of a string whose opening quote is at i - 1, or -1 (escape, control character, unterminated). */
function stringEnd(s: string, i: number, len: number, clean: boolean): number {
  if (clean) {
    const q = s.indexOf('"', i);
    return q >= 0 && q < len ? q : -1;
  }
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) return i;
    if (c < 32 || c === 92) return -1;
  }
  return -1;
}

function digits(s: string, i: number, len: number): number {
  while (i < len) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/** End of a JSON number starting at i, or -1. */
function numberEnd(s: string, i: number, len: number): number {
  if (s.charCodeAt(i) === 45) i++;
  if (i >= len) return -1;
  const c = s.charCodeAt(i);
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) i = digits(s, i + 1, len);
  else return -1;
  if (i < len && s.charCodeAt(i) === 46) {
    const j = digits(s, i + 1, len);
    if (j === i + 1) return -1;
    i = j;
  }
  if (i < len && (s.charCodeAt(i) | 32) === 101) {
    i++;
    if (i < len && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
    const j = digits(s, i, len);
    if (j === i) return -1;
    i = j;
  }
  return i;
}

/**
 * Scans `text` from `start` to `end` (one line) as a flat JSON object. Returns true and fills
 * `ranges` when the line is of the common shape; false when the caller must use JSON.parse on it
 * (then `ranges` holds nothing useful). `clean` promises that the line holds no backslash and no
 * control character (the caller found none in the chunk), so string ends are found with indexOf. Scanning a range of the chunk avoids slicing every line: characters
 * of a sliced or concatenated string are slower to read.
 */
export function scanFlatEvent(line: string, ranges: FieldRanges, start = 0, end = line.length, clean = false): boolean {
  ranges.fill(-1);
  const len = end;
  let i = skipWs(line, start, len);
  if (i >= len || line.charCodeAt(i) !== 123) return false;
  i = skipWs(line, i + 1, len);
  if (i >= len) return false;
  let seen = 0;
  if (line.charCodeAt(i) === 125) {
    i++;
  } else {
    for (;;) {
      if (line.charCodeAt(i) !== 34) return false;
      const keyStart = i + 1;
      const keyEnd = stringEnd(line, keyStart, len, clean);
      if (keyEnd < 0) return false;
      i = skipWs(line, keyEnd + 1, len);
      if (i >= len || line.charCodeAt(i) !== 58) return false;
      i = skipWs(line, i + 1, len);
      if (i >= len) return false;
      const key = keyOf(line, keyStart, keyEnd);
      const c = line.charCodeAt(i);
      if (c === 34) {
        const close = stringEnd(line, i + 1, len, clean);
        if (close < 0) return false;
        if (key !== K_OTHER) {
          const bit = 1 << key;
          if ((seen & bit) !== 0) return false;
          seen |= bit;
          ranges[2 * key] = i + 1;
          ranges[2 * key + 1] = close;
        }
        i = close + 1;
      } else {
        // A number or a literal: fine for the fields no rule reads; for the others JSON.parse decides.
        if (key !== K_OTHER) return false;
        if (c === 116) {
          if (!line.startsWith("true", i)) return false;
          i += 4;
        } else if (c === 102) {
          if (!line.startsWith("false", i)) return false;
          i += 5;
        } else if (c === 110) {
          if (!line.startsWith("null", i)) return false;
          i += 4;
        } else {
          i = numberEnd(line, i, len);
          if (i < 0) return false;
        }
      }
      i = skipWs(line, i, len);
      if (i >= len) return false;
      const sep = line.charCodeAt(i);
      if (sep === 44) {
        i = skipWs(line, i + 1, len);
        if (i >= len) return false;
        continue;
      }
      if (sep === 125) {
        i++;
        break;
      }
      return false;
    }
  }
  return skipWs(line, i, len) === len;
}

/** t[start, end) equals `word`. */
function equals(t: string, start: number, end: number, word: string): boolean {
  return end - start === word.length && t.startsWith(word, start);
}

/** The index of t[start, end) in `words`, or -1. */
function indexIn(t: string, start: number, end: number, words: readonly string[]): number {
  for (let k = 0; k < words.length; k++) if (equals(t, start, end, words[k]!)) return k;
  return -1;
}

/**
 * Reads the event of a scanned line straight from its ranges into `out`, without making any
 * substring. Returns true only for a line `readEvent` accepts, and then fills `out` exactly as
 * `readEvent(JSON.parse(line))` would (up to where the strings live); returns false when the line
 * is invalid — the caller then takes the JSON.parse path, which words the error. (Tests check
 * both promises on random lines.)
 */
export function readScannedEvent(t: string, r: FieldRanges, lookups: RuleSetLookups, out: EventFields): boolean {
  const idStart = r[2 * K_ID]!;
  const idEnd = r[2 * K_ID + 1]!;
  if (idStart < 0 || idEnd === idStart) return false;
  const ts = r[2 * K_TYPE]!;
  if (ts < 0) return false;
  const code = indexIn(t, ts, r[2 * K_TYPE + 1]!, TYPE_NAMES);
  let f1 = K_USER;
  let f2 = -1;
  let f3 = -1;
  switch (code) {
    case T_LOGIN:
    case T_MOBILE_OP:
    case T_LESSON:
      break;
    case T_PROFILE: {
      const s = r[2 * K_ITEM]!;
      if (s < 0) return false;
      const index = indexIn(t, s, r[2 * K_ITEM + 1]!, lookups.items);
      if (index < 0) return false;
      out.index = index;
      break;
    }
    case T_SPREAD:
      f2 = K_OWNER;
      f3 = K_RESOURCE;
      break;
    case T_REVIEW: {
      f1 = K_OWNER;
      f2 = K_RESOURCE;
      const s = r[2 * K_LEVEL]!;
      if (s < 0) return false;
      const index = indexIn(t, s, r[2 * K_LEVEL + 1]!, lookups.levels);
      if (index < 0) return false;
      out.index = index;
      const os = r[2 * K_OUTCOME]!;
      const oe = r[2 * K_OUTCOME + 1]!;
      if (os < 0 || oe === os) return false;
      out.approved = equals(t, os, oe, "approved");
      break;
    }
    case T_DELETED:
      f1 = K_OWNER;
      f2 = K_RESOURCE;
      break;
    case T_TASK_PUBLISHED:
      f2 = K_TASK;
      break;
    case T_TASK_ENGAGED:
      f1 = K_TASK;
      f2 = K_STUDENT;
      break;
    case T_INTERACTION:
      f2 = K_COUNTERPART;
      break;
    case T_APP:
      f2 = K_APP;
      break;
    default:
      return false;
  }
  const s1 = r[2 * f1]!;
  const e1 = r[2 * f1 + 1]!;
  if (s1 < 0 || e1 === s1) return false;
  let s2 = 0;
  let e2 = 0;
  if (f2 >= 0) {
    s2 = r[2 * f2]!;
    e2 = r[2 * f2 + 1]!;
    if (s2 < 0 || e2 === s2) return false;
  }
  let s3 = 0;
  let e3 = 0;
  if (f3 >= 0) {
    s3 = r[2 * f3]!;
    e3 = r[2 * f3 + 1]!;
    if (s3 < 0 || e3 === s3) return false;
  }
  const as = r[2 * K_AT]!;
  if (as < 0 || parseInstant(t, out.instant, as, r[2 * K_AT + 1]!) !== TimestampStatus.Ok) return false;
  const cs = r[2 * K_CLIENT]!;
  let mobile = false;
  if (cs >= 0) {
    const ce = r[2 * K_CLIENT + 1]!;
    mobile = equals(t, cs, ce, "mobile");
    if (!mobile && !equals(t, cs, ce, "pc")) return false;
  }
  out.type = code;
  out.mobile = mobile;
  out.idText = t;
  out.idStart = idStart;
  out.idEnd = idEnd;
  out.s1Text = t;
  out.s1Start = s1;
  out.s1End = e1;
  out.s2Text = t;
  out.s2Start = s2;
  out.s2End = e2;
  out.s3Text = t;
  out.s3Start = s3;
  out.s3End = e3;
  return true;
}
