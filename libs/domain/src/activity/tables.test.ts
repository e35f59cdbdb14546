import { describe, expect, it } from "vitest";
import { PairTable } from "./pair-table.js";
import { EventIdSet } from "./id-set.js";
import { StringTable } from "./string-table.js";

describe("StringTable", () => {
  it("adds, finds and returns strings exactly, through growth", () => {
    const t = new StringTable();
    const words = Array.from({ length: 50_000 }, (_, i) => (i % 7 === 0 ? `网${i}` : i % 11 === 0 ? `\ud83d\ude00${i}` : `w${i}`));
    words.push("", "a".repeat(10_000), "\ud800", "\udc00x");
    words.forEach((w, i) => expect(t.add(w)).toBe(i));
    words.forEach((w, i) => expect(t.add(w)).toBe(-(i + 1)));
    words.forEach((w, i) => expect(t.get(i)).toBe(w));
    expect(t.size).toBe(words.length);
  });

  it("tells apart strings with the same characters in another order or length", () => {
    const t = new StringTable();
    expect(t.add("ab")).toBe(0);
    expect(t.add("ba")).toBe(1);
    expect(t.add("a")).toBe(2);
    expect(t.add("ab\u0000")).toBe(3);
    expect(t.add("ab")).toBe(-1);
  });
});

describe("PairTable", () => {
  it("maps pairs to values and works as a set, through growth", () => {
    const t = new PairTable(4);
    const ref = new Map<string, number>();
    let seed = 3;
    const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    for (let i = 0; i < 100_000; i++) {
      const a = rand(2000);
      const b = rand(i % 2 === 0 ? 50 : 2 ** 31 - 1);
      const key = `${a},${b}`;
      expect(t.get(a, b, -7)).toBe(ref.get(key) ?? -7);
      t.set(a, b, i);
      ref.set(key, i);
    }
    expect(t.size).toBe(ref.size);
    const s = new PairTable();
    expect(s.add(1, 2)).toBe(true);
    expect(s.add(1, 2)).toBe(false);
    expect(s.add(2, 1)).toBe(true);
    expect(s.add(0, 0)).toBe(true);
    expect(s.add(0, 0)).toBe(false);
  });
});

describe("EventIdSet", () => {
  it("agrees with a Set on ids of every shape, and gives each id back", () => {
    const ids = new EventIdSet();
    const ref = new Set<string>();
    const refs = new Map<string, number>();
    let seed = 5;
    const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n));
    const shapes = [
      () => `e${rand(5000)}`,
      () => `e0${rand(50)}`,
      () => `${rand(3000)}`,
      () => `0${rand(10)}`,
      () => `p${rand(40)}-${rand(3000)}`,
      () => `x${rand(2) === 0 ? 16_777_215 : 16_777_216 + rand(5)}`,
      () => `big${123_456_789 + rand(3)}`,
      () => `u-${rand(1e9).toString(16)}`,
      () => `网${rand(100)}`,
      () => "",
      () => "0",
    ];
    for (let i = 0; i < 60_000; i++) {
      const id = shapes[rand(shapes.length)]!();
      const padded = `""${id}"`;
      const r = ids.add(padded, 2, 2 + id.length);
      if (ref.has(id)) {
        expect(r, id).toBe(-1);
      } else {
        expect(r, id).toBeGreaterThanOrEqual(0);
        ref.add(id);
        refs.set(id, r);
      }
    }
    for (const [id, r] of refs) expect(ids.get(r)).toBe(id);
  });
});

describe("PairTable.swap", () => {
  it("returns the replaced value or the missing marker", () => {
    const t = new PairTable();
    expect(t.swap(3, 4, 10, -9)).toBe(-9);
    expect(t.swap(3, 4, 11, -9)).toBe(10);
    expect(t.get(3, 4, -9)).toBe(11);
    expect(t.size).toBe(1);
  });
});
