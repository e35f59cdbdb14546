import type { FieldViolation } from "../errors.js";
import type { RankedEntry } from "./ranking.js";

/** How a fractional place count is turned into whole places. */
export type PlaceRounding = "HALF_UP" | "FLOOR" | "CEIL";

/**
 * Grades (等次) by share of the ranked list, best grade first (e.g. 一等 10%, 二等 20%, 三等 30%),
 * or by minimum score, best grade first. Entries below the last band get no grade (not selected).
 */
export type GradingScheme =
  | { mode: "PROPORTIONS"; bands: { grade: string; proportion: number }[]; rounding?: PlaceRounding }
  | { mode: "THRESHOLDS"; bands: { grade: string; minScore: number }[] };

export interface GradedEntry extends RankedEntry {
  /** null: below every band, i.e. not selected. */
  grade: string | null;
}

export function validateGradingScheme(scheme: GradingScheme): FieldViolation[] {
  const v: FieldViolation[] = [];
  if (scheme.bands.length === 0) v.push({ field: "grading.bands", rule: "required", message: "请至少设置一个等次" });
  const names = new Set<string>();
  scheme.bands.forEach((b, i) => {
    const field = `grading.bands[${i}]`;
    if (b.grade.trim() === "") v.push({ field: `${field}.grade`, rule: "required", message: `第${i + 1}个等次的名称不能为空` });
    else if (names.has(b.grade)) v.push({ field: `${field}.grade`, rule: "unique", message: `等次名称「${b.grade}」重复` });
    names.add(b.grade);
  });
  if (scheme.mode === "PROPORTIONS") {
    let sum = 0;
    scheme.bands.forEach((b, i) => {
      if (!(b.proportion > 0 && b.proportion <= 1)) {
        v.push({ field: `grading.bands[${i}].proportion`, rule: "range", message: `「${b.grade}」的比例须大于0且不超过100%` });
      }
      sum += b.proportion;
    });
    if (sum > 1 + 1e-9) v.push({ field: "grading.bands", rule: "sum", message: `各等次比例合计${Math.round(sum * 1000) / 10}%，不能超过100%` });
  } else {
    scheme.bands.forEach((b, i) => {
      if (!Number.isFinite(b.minScore) || b.minScore < 0) {
        v.push({ field: `grading.bands[${i}].minScore`, rule: "range", message: `「${b.grade}」的最低分须为非负数` });
      }
      const prev = scheme.bands[i - 1];
      if (prev && !(b.minScore < prev.minScore)) {
        v.push({ field: `grading.bands[${i}].minScore`, rule: "order", message: `「${b.grade}」的最低分须低于「${prev.grade}」的最低分${prev.minScore}` });
      }
    });
  }
  return v;
}

function roundPlaces(x: number, rounding: PlaceRounding): number {
  // The epsilon keeps 0.3 × 10 = 3.0000000000000004 from becoming 4 under CEIL, and 2.4999… from HALF_UP errors.
  const e = 1e-9;
  if (rounding === "FLOOR") return Math.floor(x + e);
  if (rounding === "CEIL") return Math.ceil(x - e);
  return Math.floor(x + 0.5 + e);
}

/**
 * Grades a ranked list (as rankByScore returns it).
 *
 * PROPORTIONS: band i ends at the rounded cumulative share of the list (cumulative rounding, so
 * the bands add up exactly: 75 entries at 10/20/30% → 8, 15, 22 with HALF_UP). Ties are never
 * split: entries tied with the last one inside a band get that band too, and the next band starts
 * after them (it shrinks, its end stays where the cumulative share put it).
 *
 * THRESHOLDS: the best band whose minScore the score reaches (≥).
 */
export function assignGrades(ranked: readonly RankedEntry[], scheme: GradingScheme): GradedEntry[] {
  if (scheme.mode === "THRESHOLDS") {
    return ranked.map((e) => ({ ...e, grade: scheme.bands.find((b) => e.score >= b.minScore)?.grade ?? null }));
  }
  const rounding = scheme.rounding ?? "HALF_UP";
  const n = ranked.length;
  const grades: (string | null)[] = new Array<string | null>(n).fill(null);
  let cumulative = 0;
  let next = 0;
  for (const band of scheme.bands) {
    cumulative += band.proportion;
    let end = Math.min(n, roundPlaces(cumulative * n, rounding));
    if (end > next) {
      const last = ranked[end - 1]!;
      while (end < n && ranked[end]!.score === last.score) end++;
    }
    for (let i = next; i < end; i++) grades[i] = band.grade;
    next = Math.max(next, end);
  }
  return ranked.map((e, i) => ({ ...e, grade: grades[i] ?? null }));
}
