/**
 * A fast path for the common line: a flat JSON object whose strings have no escapes.
 *
 * JSON.parse is the largest cost of scoring a big file (it builds an object per line that is
 * thrown away at once). For a line of the common shape this scanner checks the JSON grammar itself
 * and picks out the fields `readEvent` reads, into one reused object. It never decides anything
 * JSON.parse would decide differently: on anything outside the shape (an escape, a nested value, a
 * control character, a repeated field the rules read, a field the rules read holding a non-string,
 * a syntax error, a line not starting with "{") it gives up and the caller uses JSON.parse.
 * When it succeeds, `readEvent(raw)` equals `readEvent(JSON.parse(line))` (tests fuzz this).
 */

/** The fields `readEvent` reads; undefined when absent. */
export interface RawEventFields {
  id: string | undefined;
  type: string | undefined;
  userId: string | undefined;
  ownerId: string | undefined;
  resourceId: string | undefined;
  item: string | undefined;
  level: string | undefined;
  outcome: string | undefined;
  taskId: string | undefined;
  studentId: string | undefined;
  counterpartId: string | undefined;
  app: string | undefined;
  at: string | undefined;
  client: string | undefined;
}

export function newRawEventFields(): RawEventFields {
  return {
    id: undefined,
    type: undefined,
    userId: undefined,
    ownerId: undefined,
    resourceId: undefined,
    item: undefined,
    level: undefined,
    outcome: undefined,
    taskId: undefined,
    studentId: undefined,
    counterpartId: undefined,
    app: undefined,
    at: undefined,
    client: undefined,
  };
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

function setField(raw: RawEventFields, key: number, value: string): void {
  switch (key) {
    case K_ID:
      raw.id = value;
      break;
    case K_AT:
      raw.at = value;
      break;
    case K_APP:
      raw.app = value;
      break;
    case K_TYPE:
      raw.type = value;
      break;
    case K_ITEM:
      raw.item = value;
      break;
    case K_LEVEL:
      raw.level = value;
      break;
    case K_USER:
      raw.userId = value;
      break;
    case K_TASK:
      raw.taskId = value;
      break;
    case K_CLIENT:
      raw.client = value;
      break;
    case K_OWNER:
      raw.ownerId = value;
      break;
    case K_OUTCOME:
      raw.outcome = value;
      break;
    case K_STUDENT:
      raw.studentId = value;
      break;
    case K_RESOURCE:
      raw.resourceId = value;
      break;
    case K_COUNTERPART:
      raw.counterpartId = value;
      break;
  }
}

const TYPE_NAMES = [
  "login",
  "profile_item",
  "mobile_op",
  "resource_spread",
  "resource_review",
  "resource_deleted",
  "lesson",
  "task_published",
  "task_engaged",
  "interaction",
  "app_use",
];
const CLIENT_NAMES = ["mobile", "pc"];
const OUTCOME_NAMES = ["approved"];

/**
 * The value [start, end) as a string: one of `known` when it equals it (no allocation for the
 * few values most lines repeat), else a fresh slice.
 */
function valueOf(s: string, start: number, end: number, known: readonly string[]): string {
  const len = end - start;
  for (let k = 0; k < known.length; k++) {
    const name = known[k]!;
    if (name.length === len && s.startsWith(name, start)) return name;
  }
  return s.slice(start, end);
}

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
function stringEnd(s: string, i: number, len: number): number {
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
 * Scans `text` from `start` to `end` (one line) as a flat JSON object. Returns true and fills `raw`
 * when the line is of the common shape; false when the caller must use JSON.parse on it (then
 * `raw` holds nothing useful). Scanning a range of the chunk avoids slicing every line: characters
 * of a sliced or concatenated string are slower to read.
 */
export function scanFlatEvent(line: string, raw: RawEventFields, start = 0, end = line.length): boolean {
  raw.id = undefined;
  raw.type = undefined;
  raw.userId = undefined;
  raw.ownerId = undefined;
  raw.resourceId = undefined;
  raw.item = undefined;
  raw.level = undefined;
  raw.outcome = undefined;
  raw.taskId = undefined;
  raw.studentId = undefined;
  raw.counterpartId = undefined;
  raw.app = undefined;
  raw.at = undefined;
  raw.client = undefined;
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
      const keyEnd = stringEnd(line, keyStart, len);
      if (keyEnd < 0) return false;
      i = skipWs(line, keyEnd + 1, len);
      if (i >= len || line.charCodeAt(i) !== 58) return false;
      i = skipWs(line, i + 1, len);
      if (i >= len) return false;
      const key = keyOf(line, keyStart, keyEnd);
      const c = line.charCodeAt(i);
      if (c === 34) {
        const end = stringEnd(line, i + 1, len);
        if (end < 0) return false;
        if (key !== K_OTHER) {
          const bit = 1 << key;
          if ((seen & bit) !== 0) return false;
          seen |= bit;
          const known = key === K_TYPE ? TYPE_NAMES : key === K_CLIENT ? CLIENT_NAMES : key === K_OUTCOME ? OUTCOME_NAMES : null;
          setField(raw, key, known === null ? line.slice(i + 1, end) : valueOf(line, i + 1, end, known));
        }
        i = end + 1;
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
