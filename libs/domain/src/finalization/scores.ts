import { badInput } from "../errors.js";

export interface AggregateOptions {
  /** Flag when max − min of the experts' totals exceeds this many points. */
  spreadThreshold: number;
}

export interface AggregatedScore {
  /** Number of expert scores given. */
  count: number;
  /** The final score, rounded half up to 2 decimals; null without scores. */
  score: number | null;
  /** The scores the mean was taken over (after dropping). */
  used: number[];
  /** With ≥3 scores one highest and one lowest are dropped. */
  dropped: { highest: number; lowest: number } | null;
  /** max − min over all given scores (0 for fewer than 2). */
  spread: number;
  /** Spread above the threshold: needs a further review. */
  flagged: boolean;
}

/**
 * Mean of the experts' totals; with 3 or more, one highest and one lowest are dropped first.
 * Computed in hundredths so the result never carries binary-fraction noise.
 */
export function aggregateScores(scores: readonly number[], options: AggregateOptions): AggregatedScore {
  scores.forEach((s, i) => {
    if (typeof s !== "number" || !Number.isFinite(s) || s < 0) {
      throw badInput([{ field: `scores[${i}]`, rule: "score", message: `专家评分须为非负数，实际为${s}` }]);
    }
  });
  if (scores.length === 0) return { count: 0, score: null, used: [], dropped: null, spread: 0, flagged: false };
  const sorted = [...scores].sort((a, b) => a - b);
  const lowest = sorted[0]!;
  const highest = sorted[sorted.length - 1]!;
  const spread = Math.round((highest - lowest) * 100) / 100;
  const dropping = sorted.length >= 3;
  const used = dropping ? sorted.slice(1, -1) : sorted;
  const hundredths = used.reduce((s, v) => s + Math.round(v * 100), 0);
  const n = used.length;
  const score = Math.floor((2 * hundredths + n) / (2 * n)) / 100;
  return {
    count: scores.length,
    score,
    used,
    dropped: dropping ? { highest, lowest } : null,
    spread,
    flagged: spread > options.spreadThreshold,
  };
}
