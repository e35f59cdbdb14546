/**
 * Where an item's points come from:
 * - COMPUTED: from platform data; `expertConfirms` items are a proposal the expert may correct.
 * - GATED_EXPERT: the platform decides whether the item scores at all (below the gate → 0);
 *   above it the expert scores.
 * - EXPERT: entered by the expert.
 */
export type RubricItemSource = "COMPUTED" | "GATED_EXPERT" | "EXPERT";

export interface RubricGroup {
  id: string;
  name: string;
  max: number;
}

export interface RubricItem {
  id: string;
  /** RubricGroup.id */
  group: string;
  name: string;
  max: number;
  source: RubricItemSource;
  /** How the points are earned (Chinese), shown on the scoring form. */
  description: string;
  /** Only for COMPUTED items: the expert may correct the computed value. */
  expertConfirms?: boolean;
  /** Granularity of entered points; default 0.5. */
  step?: number;
}

export interface Rubric {
  id: string;
  name: string;
  total: number;
  groups: RubricGroup[];
  items: RubricItem[];
}
