import type { GradingMode, GradingSchemeInput, PlaceRounding } from "@/gql/graphql";

/** A grading scheme as the editor holds it: proportions in percent, empty inputs as null. */
export interface SchemeDraft {
  mode: GradingMode;
  rounding: PlaceRounding;
  bands: { grade: string; percent: number | null; minScore: number | null }[];
}

/** A scheme as the server returns or stores it (proportions as shares of 1). */
export interface SchemeLike {
  mode: GradingMode;
  rounding?: PlaceRounding | null;
  bands: { grade: string; proportion?: number | null; minScore?: number | null }[];
}

export function schemeDraft(s: SchemeLike): SchemeDraft {
  return {
    mode: s.mode,
    rounding: s.rounding ?? "HALF_UP",
    bands: s.bands.map((b) => ({
      grade: b.grade,
      percent: b.proportion === null || b.proportion === undefined ? null : Math.round(b.proportion * 1000) / 10,
      minScore: b.minScore ?? null,
    })),
  };
}

/**
 * The scheme to send. Empty inputs are sent as out-of-range values, so the server's refusal
 * names the band ("比例须大于0", "最低分须为非负数") instead of the page guessing.
 */
export function schemeInput(d: SchemeDraft): GradingSchemeInput {
  return {
    mode: d.mode,
    rounding: d.mode === "PROPORTIONS" ? d.rounding : null,
    bands: d.bands.map((b) =>
      d.mode === "PROPORTIONS"
        ? { grade: b.grade.trim(), proportion: b.percent === null ? 0 : Math.round(b.percent * 10) / 1000 }
        : { grade: b.grade.trim(), minScore: b.minScore ?? -1 },
    ),
  };
}

/** The stored (JSON) form of a scheme, as the campaign's finalization settings hold it. */
export function schemeJson(d: SchemeDraft): Record<string, unknown> {
  const i = schemeInput(d);
  return d.mode === "PROPORTIONS"
    ? { mode: i.mode, rounding: i.rounding, bands: i.bands.map((b) => ({ grade: b.grade, proportion: b.proportion })) }
    : { mode: i.mode, bands: i.bands.map((b) => ({ grade: b.grade, minScore: b.minScore })) };
}

export function sameScheme(a: SchemeDraft, b: SchemeDraft): boolean {
  return JSON.stringify(schemeInput(a)) === JSON.stringify(schemeInput(b));
}

/** The error fields of a scheme's bands under a prefix ("grading" or "finalization.grading"). */
export function schemeFields(prefix: string, d: SchemeDraft): string[] {
  return [`${prefix}.bands`, ...d.bands.flatMap((_, i) => ["grade", "proportion", "minScore"].map((k) => `${prefix}.bands[${i}].${k}`))];
}
