/**
 * A hash map from pairs of integers (0 ≤ a < 2^31 - 1, b any int32) to int32 values, in typed arrays.
 * The scoring loop keeps its "seen" facts here (resource–actor pairs, task–student pairs, the day a
 * user last met a counterpart or used an app): a JS Map with such composite keys boxes most keys as
 * heap numbers, and this is several times faster on a million events.
 */
export class PairTable {
  private mask: number;
  private count = 0;
  /** Per slot: a + 1 (0 = empty), b, value. */
  private slots: Int32Array;

  constructor(expected = 1024) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size * 3);
  }

  get size(): number {
    return this.count;
  }

  private static hash(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 12);
  }

  /** The value stored for (a, b), or `missing`. */
  get(a: number, b: number, missing: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let p = PairTable.hash(a, b) & mask;
    for (;;) {
      const s = p * 3;
      const ka = slots[s]!;
      if (ka === 0) return missing;
      if (ka === a + 1 && slots[s + 1] === b) return slots[s + 2]!;
      p = (p + 1) & mask;
    }
  }

  /** Stores `value` for (a, b). */
  set(a: number, b: number, value: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let p = PairTable.hash(a, b) & mask;
    for (;;) {
      const s = p * 3;
      const ka = slots[s]!;
      if (ka === 0) {
        slots[s] = a + 1;
        slots[s + 1] = b;
        slots[s + 2] = value;
        if (++this.count * 2 > mask) this.grow();
        return;
      }
      if (ka === a + 1 && slots[s + 1] === b) {
        slots[s + 2] = value;
        return;
      }
      p = (p + 1) & mask;
    }
  }

  /** Stores `value` for (a, b) and returns the value it replaces, or `missing` (one probe). */
  swap(a: number, b: number, value: number, missing: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let p = PairTable.hash(a, b) & mask;
    for (;;) {
      const s = p * 3;
      const ka = slots[s]!;
      if (ka === 0) {
        slots[s] = a + 1;
        slots[s + 1] = b;
        slots[s + 2] = value;
        if (++this.count * 2 > mask) this.grow();
        return missing;
      }
      if (ka === a + 1 && slots[s + 1] === b) {
        const old = slots[s + 2]!;
        slots[s + 2] = value;
        return old;
      }
      p = (p + 1) & mask;
    }
  }

  /** Adds (a, b) as a set member; false when it was already there. */
  add(a: number, b: number): boolean {
    return this.swap(a, b, 0, -1) === -1;
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const slots = new Int32Array(size * 3);
    for (let s = 0; s < old.length; s += 3) {
      const ka = old[s]!;
      if (ka === 0) continue;
      const b = old[s + 1]!;
      let p = PairTable.hash(ka - 1, b) & mask;
      while (slots[p * 3] !== 0) p = (p + 1) & mask;
      slots[p * 3] = ka;
      slots[p * 3 + 1] = b;
      slots[p * 3 + 2] = old[s + 2]!;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
