/**
 * Validated, de-duplicated events in columns (typed arrays plus interned ids), built in file order.
 * This is what the scoring loop runs over: no per-event objects survive ingestion.
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
  type EventFields,
  type RuleSetLookups,
} from "./event.js";
import { EventIdSet } from "./id-set.js";
import { StringTable } from "./string-table.js";

/** Strings to dense integers, in first-seen order. */
export class Interner {
  private readonly table = new StringTable();
  private names: string[] | null = null;

  id(s: string): number {
    return this.idRange(s, 0, s.length);
  }

  /** The index of s[start, end). */
  idRange(s: string, start: number, end: number): number {
    const r = this.table.addRange(s, start, end);
    return r < 0 ? -r - 1 : r;
  }

  get size(): number {
    return this.table.size;
  }

  /** The strings by index (materialized once, after ingestion). */
  get list(): readonly string[] {
    if (this.names === null || this.names.length !== this.table.size) {
      const n = this.table.size;
      const names = new Array<string>(n);
      for (let i = 0; i < n; i++) names[i] = this.table.get(i);
      this.names = names;
    }
    return this.names;
  }
}

/**
 * Column layout per row (a / b / c):
 *  login, mobile_op, lesson: user
 *  profile_item:             user / item index
 *  resource_spread:          owner / actor (user namespace) / resource
 *  resource_review:          owner / level index / resource   (approved only)
 *  resource_deleted:         owner / – / resource
 *  task_published:           user / task
 *  task_engaged:             task / student
 *  interaction:              user / counterpart
 *  app_use:                  user / app
 * A resource is its owner plus its resourceId (the same resourceId under two owners is two
 * resources), so every resource belongs to exactly one user.
 */
export class EventTable {
  size = 0;
  private capacity: number;
  type: Uint8Array;
  epochMs: Float64Array;
  subMs: Float64Array;
  day: Int32Array;
  mobile: Uint8Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  /** Reference of each row's event id in `ids`. */
  idRef: Uint32Array;
  /** Sub-nanosecond fraction digits beyond the 18th, by row, when any event has them. */
  subMsRest: Map<number, string> | null = null;

  /** Ids of all valid events seen (also those that earn nothing and are not stored). */
  readonly ids = new EventIdSet();
  readonly users = new Interner();
  readonly tasks = new Interner();
  readonly students = new Interner();
  readonly counterparts = new Interner();
  readonly apps = new Interner();
  private readonly resourceIds = new Interner();
  /** Per resourceId: the first owner seen with it, and that resource's index. */
  private readonly ridOwner: number[] = [];
  private readonly ridResource: number[] = [];
  /** Resources whose resourceId was first seen under another owner: "owner:rid" → index. */
  private readonly extraResources = new Map<string, number>();
  /** Owner of each resource index. */
  readonly resourceOwner: number[] = [];

  constructor(readonly lookups: RuleSetLookups, initialCapacity = 1024) {
    this.capacity = initialCapacity;
    this.type = new Uint8Array(initialCapacity);
    this.epochMs = new Float64Array(initialCapacity);
    this.subMs = new Float64Array(initialCapacity);
    this.day = new Int32Array(initialCapacity);
    this.mobile = new Uint8Array(initialCapacity);
    this.a = new Int32Array(initialCapacity);
    this.b = new Int32Array(initialCapacity);
    this.c = new Int32Array(initialCapacity);
    this.idRef = new Uint32Array(initialCapacity);
  }

  /** The event id of a row. */
  eventId(row: number): string {
    return this.ids.get(this.idRef[row]!);
  }

  get resourceCount(): number {
    return this.resourceOwner.length;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const g = <T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(cap);
      next.set(old);
      return next;
    };
    this.type = g(this.type, (n) => new Uint8Array(n));
    this.epochMs = g(this.epochMs, (n) => new Float64Array(n));
    this.subMs = g(this.subMs, (n) => new Float64Array(n));
    this.day = g(this.day, (n) => new Int32Array(n));
    this.mobile = g(this.mobile, (n) => new Uint8Array(n));
    this.a = g(this.a, (n) => new Int32Array(n));
    this.b = g(this.b, (n) => new Int32Array(n));
    this.c = g(this.c, (n) => new Int32Array(n));
    this.idRef = g(this.idRef, (n) => new Uint32Array(n));
    this.capacity = cap;
  }

  private resource(owner: number, text: string, start: number, end: number): number {
    const rid = this.resourceIds.idRange(text, start, end);
    if (rid === this.ridOwner.length) {
      const r = this.resourceOwner.length;
      this.resourceOwner.push(owner);
      this.ridOwner.push(owner);
      this.ridResource.push(r);
      return r;
    }
    if (this.ridOwner[rid] === owner) return this.ridResource[rid]!;
    const key = `${owner}:${rid}`;
    let r = this.extraResources.get(key);
    if (r === undefined) {
      r = this.resourceOwner.length;
      this.resourceOwner.push(owner);
      this.extraResources.set(key, r);
    }
    return r;
  }

  /**
   * Adds an event read by `readEvent`. A repeated id is ignored; events that can never earn or
   * change state (a review not approved, a spread by the owner) are remembered as seen but not
   * stored. Returns false when the id was already seen.
   */
  add(f: EventFields): boolean {
    const idRef = this.ids.add(f.idText, f.idStart, f.idEnd);
    if (idRef < 0) return false;
    const type = f.type;
    const users = this.users;
    let a: number;
    let b = 0;
    let c = 0;
    switch (type) {
      case T_LOGIN:
      case T_MOBILE_OP:
      case T_LESSON:
        a = users.idRange(f.s1Text, f.s1Start, f.s1End);
        break;
      case T_PROFILE:
        a = users.idRange(f.s1Text, f.s1Start, f.s1End);
        b = f.index;
        break;
      case T_SPREAD:
        if (sameText(f.s1Text, f.s1Start, f.s1End, f.s2Text, f.s2Start, f.s2End)) return true;
        a = users.idRange(f.s2Text, f.s2Start, f.s2End);
        b = users.idRange(f.s1Text, f.s1Start, f.s1End);
        c = this.resource(a, f.s3Text, f.s3Start, f.s3End);
        break;
      case T_REVIEW:
        if (!f.approved) return true;
        a = users.idRange(f.s1Text, f.s1Start, f.s1End);
        b = f.index;
        c = this.resource(a, f.s2Text, f.s2Start, f.s2End);
        break;
      case T_DELETED:
        a = users.idRange(f.s1Text, f.s1Start, f.s1End);
        c = this.resource(a, f.s2Text, f.s2Start, f.s2End);
        break;
      case T_TASK_PUBLISHED:
        a = users.idRange(f.s1Text, f.s1Start, f.s1End);
        b = this.tasks.idRange(f.s2Text, f.s2Start, f.s2End);
        break;
      case T_TASK_ENGAGED:
        a = this.tasks.idRange(f.s1Text, f.s1Start, f.s1End);
        b = this.students.idRange(f.s2Text, f.s2Start, f.s2End);
        break;
      case T_INTERACTION:
        a = users.idRange(f.s1Text, f.s1Start, f.s1End);
        b = this.counterparts.idRange(f.s2Text, f.s2Start, f.s2End);
        break;
      case T_APP:
        a = users.idRange(f.s1Text, f.s1Start, f.s1End);
        b = this.apps.idRange(f.s2Text, f.s2Start, f.s2End);
        break;
      default:
        throw new Error(`unknown event type code ${type}`);
    }
    const t = f.instant;
    const row = this.size;
    if (row === this.capacity) this.grow();
    this.type[row] = type;
    this.epochMs[row] = t.epochMs;
    this.subMs[row] = t.subMs;
    this.day[row] = t.day;
    this.mobile[row] = f.mobile ? 1 : 0;
    this.a[row] = a;
    this.b[row] = b;
    this.c[row] = c;
    this.idRef[row] = idRef;
    if (t.subMsRest !== "") (this.subMsRest ??= new Map()).set(row, t.subMsRest);
    this.size = row + 1;
    return true;
  }

  /**
   * Rows in application order: by instant (exactly, to the last fraction digit), ties in file
   * order. Returns null when the rows already are in that order (the common case for exports).
   */
  applicationOrder(): Uint32Array | null {
    const n = this.size;
    const ms = this.epochMs;
    const sub = this.subMs;
    const rest = this.subMsRest;
    let sorted = true;
    for (let i = 1; i < n; i++) {
      const d = ms[i]! - ms[i - 1]!;
      if (d < 0 || (d === 0 && (sub[i]! < sub[i - 1]! || (sub[i] === sub[i - 1] && rest !== null && restOf(rest, i) < restOf(rest, i - 1))))) {
        sorted = false;
        break;
      }
    }
    if (sorted) return null;
    const order = radixOrderByMs(ms, n);
    // Rows of the same millisecond keep file order; order them by the rest of the fraction
    // where it differs (rare: most timestamps have no sub-millisecond digits).
    let runStart = 0;
    for (let k = 1; k <= n; k++) {
      if (k < n && ms[order[k]!] === ms[order[runStart]!]) continue;
      if (k - runStart > 1) {
        let fractions = false;
        for (let j = runStart; j < k; j++) {
          const row = order[j]!;
          if (sub[row] !== 0 || (rest !== null && rest.has(row))) {
            fractions = true;
            break;
          }
        }
        if (fractions) {
          const run = Array.from(order.subarray(runStart, k));
          run.sort((x, y) => {
            if (sub[x] !== sub[y]) return sub[x]! - sub[y]!;
            const rx = rest === null ? "" : restOf(rest, x);
            const ry = rest === null ? "" : restOf(rest, y);
            return rx < ry ? -1 : rx > ry ? 1 : x - y;
          });
          order.set(run, runStart);
        }
      }
      runStart = k;
    }
    return order;
  }
}

/**
 * Row indexes sorted by `ms` (whole milliseconds), stable, by least-significant-digit radix sort
 * over 16-bit digits of (ms - min): linear time whatever the input order.
 */
function radixOrderByMs(ms: Float64Array, n: number): Uint32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = ms[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  let idx = new Uint32Array(n);
  let key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    idx[i] = i;
    key[i] = ms[i]! - min;
  }
  let idx2 = new Uint32Array(n);
  let key2 = new Float64Array(n);
  const digit = new Uint16Array(n);
  const count = new Int32Array(65_536);
  for (let div = 1; div <= range; div *= 65_536) {
    count.fill(0);
    for (let k = 0; k < n; k++) {
      const d = Math.floor(key[k]! / div) % 65_536;
      digit[k] = d;
      count[d]++;
    }
    let pos = 0;
    for (let d = 0; d < 65_536; d++) {
      const c = count[d]!;
      count[d] = pos;
      pos += c;
    }
    for (let k = 0; k < n; k++) {
      const p = count[digit[k]!]!++;
      idx2[p] = idx[k]!;
      key2[p] = key[k]!;
    }
    [idx, idx2] = [idx2, idx];
    [key, key2] = [key2, key];
  }
  return idx;
}

/** x[xs, xe) and y[ys, ye) hold the same characters. */
function sameText(x: string, xs: number, xe: number, y: string, ys: number, ye: number): boolean {
  if (xe - xs !== ye - ys) return false;
  for (let i = 0; i < xe - xs; i++) if (x.charCodeAt(xs + i) !== y.charCodeAt(ys + i)) return false;
  return true;
}

function restOf(rest: Map<number, string>, row: number): string {
  return rest.get(row) ?? "";
}
