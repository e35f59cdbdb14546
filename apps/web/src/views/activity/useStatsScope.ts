import { computed } from "vue";
import { useRoute } from "vue-router";
import { useAuthStore } from "@/stores/auth";
import { isPeriod } from "./period";
import { useRouteState } from "@/composables/useRouteState";

/**
 * What the statistics pages (dashboard, ranking, below-target lists) share: the page title as the
 * menu names it for the acting role, the unit and period in the address, and moving to a unit
 * (the acting role's own unit is the default and is left out of the address).
 */
export function useStatsScope(defaultPeriod: () => string) {
  const auth = useAuthStore();
  const route = useRoute();
  /** The page title as the menu names it for the acting role (本校活跃度, 未达标教师 …). */
  const pageTitle = computed(() => (auth.role && route.meta.menu?.labels?.[auth.role]) || route.meta.title || "");
  const actingIsSchool = computed(() => auth.acting?.unit.kind === "SCHOOL" || auth.acting?.unit.kind === "PRACTICE_BASE");
  const unitId = useRouteState<string | null>("unitId", (raw) => (raw && /^\d+$/.test(raw) ? raw : null), (v) => v ?? undefined);
  const period = useRouteState("period", (raw) => (isPeriod(raw) ? raw : defaultPeriod()), (v) => v);

  function setUnit(id: string | null) {
    unitId.value = id && id !== auth.acting?.unit.id ? id : null;
  }

  return { auth, pageTitle, actingIsSchool, unitId, period, setUnit };
}
