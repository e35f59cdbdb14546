import type { FieldViolation } from "../errors.js";
import type { ComputedItem } from "./featured-space.js";
import type { Rubric, RubricItem } from "./types.js";

export type ScoreSheetMode = "draft" | "submit";

export interface ScoreSheetLine {
  itemId: string;
  value: number | null;
  /** Where the value came from; null when there is none yet. */
  origin: "COMPUTED" | "EXPERT" | null;
}

export interface ScoreSheet {
  lines: ScoreSheetLine[];
  /** Sum of all lines, or null while any line has no value. */
  total: number | null;
  /** Items still without a value. */
  missing: string[];
  violations: FieldViolation[];
}

const DEFAULT_STEP = 0.5;

/** Is `value` a whole multiple of `step` (tolerating binary fractions like 0.1)? */
function onStep(value: number, step: number): boolean {
  const q = value / step;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

/** Sums in hundredths so that 0.1 + 0.2 style errors never reach a total. */
export function sumPoints(values: readonly number[]): number {
  return values.reduce((s, v) => s + Math.round(v * 100), 0) / 100;
}

/**
 * Who enters what on an expert's scoring form:
 * - EXPERT items: the expert, 0..max in `step` increments;
 * - COMPUTED items: the platform; an item with `expertConfirms` may be corrected by the expert;
 *   when the platform has no data the expert enters the value from the evidence;
 * - GATED_EXPERT items: 0 when the platform says the gate is closed (an expert value is refused),
 *   else the expert.
 *
 * In "submit" mode every item needs a value; "draft" only checks what is entered.
 */
export function buildScoreSheet(
  rubric: Rubric,
  computed: readonly ComputedItem[],
  entered: Readonly<Record<string, number | null | undefined>>,
  mode: ScoreSheetMode = "submit",
): ScoreSheet {
  const violations: FieldViolation[] = [];
  const byId = new Map(computed.map((c) => [c.itemId, c]));
  const known = new Set(rubric.items.map((i) => i.id));
  for (const id of Object.keys(entered)) {
    if (!known.has(id) && entered[id] != null) {
      violations.push({ field: `scores.${id}`, rule: "unknownItem", message: `评分项「${id}」不在「${rubric.name}」中` });
    }
  }

  const lines: ScoreSheetLine[] = rubric.items.map((item) => {
    const field = `scores.${item.id}`;
    const c = byId.get(item.id);
    const value = entered[item.id];
    const hasValue = value !== undefined && value !== null;
    const platformValue = c?.status === "COMPUTED" ? c.value : null;

    if (hasValue && !validEntry(item, value, field, violations)) {
      return { itemId: item.id, value: null, origin: null };
    }
    if (platformValue !== null) {
      const expertMay = item.source === "COMPUTED" && item.expertConfirms === true;
      if (hasValue && value !== platformValue && !expertMay) {
        const rule = item.source === "GATED_EXPERT" ? "gated" : "computed";
        violations.push({
          field, rule,
          message: `「${item.name}」由平台数据计算为${platformValue}分，不能改为${value}分`,
        });
        return { itemId: item.id, value: platformValue, origin: "COMPUTED" };
      }
      if (hasValue && expertMay) return { itemId: item.id, value, origin: "EXPERT" };
      return { itemId: item.id, value: platformValue, origin: "COMPUTED" };
    }
    return hasValue ? { itemId: item.id, value, origin: "EXPERT" } : { itemId: item.id, value: null, origin: null };
  });

  const missing = lines.filter((l) => l.value === null).map((l) => l.itemId);
  if (mode === "submit") {
    for (const id of missing) {
      const item = rubric.items.find((i) => i.id === id)!;
      if (violations.some((v) => v.field === `scores.${id}`)) continue;
      violations.push({ field: `scores.${id}`, rule: "required", message: `请填写「${item.name}」的得分（0–${item.max}分）` });
    }
  }
  const total = missing.length === 0 ? sumPoints(lines.map((l) => l.value as number)) : null;
  return { lines, total, missing, violations };
}

function validEntry(item: RubricItem, value: number, field: string, out: FieldViolation[]): boolean {
  const v = scoreEntryViolation(item, value, field);
  if (v) out.push(v);
  return v === null;
}

/**
 * The rule for one value an expert types for an item: a number from 0 to the item's maximum, in
 * the item's steps (0.5 unless the rubric says otherwise). Null when the value is acceptable. The
 * score sheet (server) and the scoring page (as the expert types) both apply it, so an
 * out-of-range value is refused with this message, never clamped.
 */
export function scoreEntryViolation(
  item: Pick<RubricItem, "name" | "max" | "step">,
  value: number,
  field = "score",
): FieldViolation | null {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > item.max) {
    return { field, rule: "range", message: `「${item.name}」得分须在0到${item.max}分之间，实际为${value}` };
  }
  const step = item.step ?? DEFAULT_STEP;
  if (!onStep(value, step)) {
    return { field, rule: "step", message: `「${item.name}」得分须为${step}分的整数倍，实际为${value}` };
  }
  return null;
}
