/**
 * A set of strings stored as characters in one growing buffer, with an open-addressing index.
 *
 * Used to de-duplicate event ids: a million ids kept in a JS Set cost about three times more
 * (every id string survives young-generation collections and is copied into old space), while
 * here each id is copied once into a typed array and the string itself becomes garbage at once.
 * Comparison is exact (hash, then length, then every UTF-16 code unit).
 */
export class StringTable {
  private count = 0;
  private mask = (1 << 12) - 1;
  /** Open addressing, two ints per slot: the hash, and the entry index + 1 (0 = empty). */
  private slots = new Int32Array(2 << 12);
  /** starts[i] .. starts[i + 1] are the characters of string i. */
  private starts = new Int32Array((1 << 11) + 1);
  private chars = new Uint16Array(1 << 14);
  private used = 0;

  get size(): number {
    return this.count;
  }

  /**
   * Adds `s`. Returns its new index (≥ 0) when it was absent, or `-(index + 1)` of the existing
   * entry when it was already there.
   */
  add(s: string): number {
    return this.addRange(s, 0, s.length);
  }

  /** `add` for the part of `s` from `start` to `end` (no substring is made). */
  addRange(s: string, start: number, end: number): number {
    return this.lookup(s, start, end, true);
  }

  /** The index of s[start, end), or -1 when absent (nothing is added). */
  indexOfRange(s: string, start: number, end: number): number {
    const r = this.lookup(s, start, end, false);
    return r < 0 ? -r - 1 : -1;
  }

  private lookup(s: string, start: number, end: number, insert: boolean): number {
    const len = end - start;
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 16_777_619);
    h ^= h >>> 15;
    const slots = this.slots;
    const mask = this.mask;
    let p = h & mask;
    for (;;) {
      const v = slots[2 * p + 1]!;
      if (v === 0) break;
      if (slots[2 * p] === h) {
        const st = this.starts[v - 1]!;
        if (this.starts[v]! - st === len) {
          const chars = this.chars;
          let i = 0;
          while (i < len && chars[st + i] === s.charCodeAt(start + i)) i++;
          if (i === len) return -v;
        }
      }
      p = (p + 1) & mask;
    }
    if (!insert) return 0;
    const index = this.count;
    if (this.used + len > this.chars.length) this.growChars(this.used + len);
    const cc = this.chars;
    let u = this.used;
    for (let i = start; i < end; i++) cc[u++] = s.charCodeAt(i);
    this.used = u;
    if (index + 2 > this.starts.length) this.growStarts();
    this.starts[index + 1] = u;
    this.count = index + 1;
    slots[2 * p] = h;
    slots[2 * p + 1] = index + 1;
    if (this.count * 2 > mask) this.rehash();
    return index;
  }

  /** The string at `index`. */
  get(index: number): string {
    const st = this.starts[index]!;
    const end = this.starts[index + 1]!;
    let out = "";
    // Chunked so that very long ids do not overflow the argument list.
    for (let i = st; i < end; i += 4096) {
      out += String.fromCharCode.apply(null, this.chars.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
    }
    return out;
  }

  private growChars(min: number): void {
    let n = this.chars.length * 2;
    while (n < min) n *= 2;
    const c = new Uint16Array(n);
    c.set(this.chars.subarray(0, this.used));
    this.chars = c;
  }

  private growStarts(): void {
    const ss = new Int32Array((this.starts.length - 1) * 2 + 1);
    ss.set(this.starts);
    this.starts = ss;
  }

  private rehash(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const slots = new Int32Array(2 * size);
    for (let q = 0; q < old.length; q += 2) {
      const v = old[q + 1]!;
      if (v === 0) continue;
      const h = old[q]!;
      let p = h & mask;
      while (slots[2 * p + 1] !== 0) p = (p + 1) & mask;
      slots[2 * p] = h;
      slots[2 * p + 1] = v;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
