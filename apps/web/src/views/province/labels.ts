import type { PlaceRounding, RubricItemSource } from "@/gql/graphql";

export { EXPERT_ASSIGNMENT_STATE_LABELS as ASSIGNMENT_STATE_LABELS, CONTACT_STATE_LABELS } from "@zjh/domain/labels";
export const SOURCE_LABELS: Record<RubricItemSource, string> = { COMPUTED: "平台计算", GATED_EXPERT: "平台门槛＋专家评分", EXPERT: "专家评分" };
export const ROUNDING_LABELS: Record<PlaceRounding, string> = { HALF_UP: "四舍五入", FLOOR: "向下取整", CEIL: "向上取整" };

/** A score as experts and the province read it: up to two decimals, no trailing zeros. */
export function formatScore(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  return String(Math.round(v * 100) / 100);
}
