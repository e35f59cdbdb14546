export interface Scored {
  id: string;
  /** null: not scored yet; such entries are not ranked. */
  score: number | null;
}

export interface RankedEntry {
  id: string;
  score: number;
  /** Standard competition rank ("1224"): ties share the best rank. */
  rank: number;
}

/**
 * Ranks by score, highest first; equal scores share a rank and the next rank skips. Within a tie
 * the order is by id, so the list is deterministic. Unscored entries are left out.
 */
export function rankByScore(entries: readonly Scored[]): RankedEntry[] {
  const scored = entries.filter((e): e is { id: string; score: number } => e.score !== null);
  scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: RankedEntry[] = [];
  scored.forEach((e, i) => {
    const prev = out[i - 1];
    const rank = prev && prev.score === e.score ? prev.rank : i + 1;
    out.push({ id: e.id, score: e.score, rank });
  });
  return out;
}

/** Competition ranks of plain values in their original order, highest value = rank 1. */
export function competitionRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const ranks = new Array<number>(values.length);
  order.forEach((e, pos) => {
    const prev = order[pos - 1];
    ranks[e.i] = prev && prev.v === e.v ? ranks[prev.i]! : pos + 1;
  });
  return ranks;
}
