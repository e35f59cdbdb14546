/**
 * The set of event ids seen, for de-duplication.
 *
 * Platform exports usually number their events ("e1", "e2", … or "1001", "1002", …). Such an id —
 * a prefix and a canonical decimal number (no leading zero) below 2^24 — is kept as one bit in a
 * bitmap per prefix: consecutive ids touch neighbouring bits, where a hash table would touch a
 * random place of a large table for every event (a cache and TLB miss each, the largest cost of
 * scoring a million events). Every other id goes to a StringTable. Which of the two holds an id
 * depends only on the id itself and on whether its prefix was admitted (at most 16 prefixes,
 * admitted at first sight while there is room, never removed), so a repeated id is always found
 * where it was put.
 */
import { StringTable } from "./string-table.js";

const MAX_PREFIXES = 16;
const MAX_NUMBER = 1 << 24;
/** References at or above this are numbered ids: NUMBERED + prefix * MAX_NUMBER + number. */
const NUMBERED = 2 ** 31;

export class EventIdSet {
  private readonly strings = new StringTable();
  private readonly prefixes = new StringTable();
  private readonly bitmaps: Uint8Array[] = [];

  /**
   * Adds the id text[start, end). Returns a reference (≥ 0, below 2^32) when it is new, -1 when
   * it was seen before.
   */
  add(t: string, start: number, end: number): number {
    let i = end;
    while (i > start) {
      const c = t.charCodeAt(i - 1);
      if (c < 48 || c > 57) break;
      i--;
    }
    const digits = end - i;
    if (digits > 0 && digits <= 8 && (digits === 1 || t.charCodeAt(i) !== 48)) {
      let n = 0;
      for (let k = i; k < end; k++) n = n * 10 + (t.charCodeAt(k) - 48);
      if (n < MAX_NUMBER) {
        let prefix = this.prefixes.indexOfRange(t, start, i);
        if (prefix < 0 && this.prefixes.size < MAX_PREFIXES) {
          prefix = this.prefixes.addRange(t, start, i);
          this.bitmaps.push(new Uint8Array(1024));
        }
        if (prefix >= 0) {
          let bits = this.bitmaps[prefix]!;
          const byte = n >>> 3;
          if (byte >= bits.length) {
            let size = bits.length * 2;
            while (size <= byte) size *= 2;
            const grown = new Uint8Array(size);
            grown.set(bits);
            this.bitmaps[prefix] = bits = grown;
          }
          const mask = 1 << (n & 7);
          if ((bits[byte]! & mask) !== 0) return -1;
          bits[byte] = bits[byte]! | mask;
          return NUMBERED + prefix * MAX_NUMBER + n;
        }
      }
    }
    const r = this.strings.addRange(t, start, end);
    return r < 0 ? -1 : r;
  }

  /** The id of a reference returned by `add`. */
  get(ref: number): string {
    if (ref < NUMBERED) return this.strings.get(ref);
    const k = ref - NUMBERED;
    const prefix = Math.floor(k / MAX_NUMBER);
    return this.prefixes.get(prefix) + String(k - prefix * MAX_NUMBER);
  }
}
