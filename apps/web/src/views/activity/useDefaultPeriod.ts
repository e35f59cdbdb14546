import { onMounted, ref, shallowRef, type Ref } from "vue";
import { useRoute } from "vue-router";
import { gql } from "@/api/client";
import { ActivityPeriodsQuery } from "./activity.gql";

/** The years with points last answered by the server, latest first (the year pickers list them first). */
export const yearsWithData = shallowRef<number[]>([]);

export interface PeriodsWithData {
  years: number[];
  latestMonth: string | null;
}

/**
 * A page's period when the address names none: the latest one with points in the scope (the
 * demo data and a fresh deployment have none in the current year), else `fallback()`.
 *
 * `state` is the page's period (useRouteState of `param`); `pick` chooses the default from the
 * periods with data (null: none). `load` runs the page's first reads: at once when the address
 * names a period, otherwise once the default is known — unless the default changes `state`, whose
 * watchers then load. `ready` turns true when the page may render parts that load on their own.
 */
export function useDefaultPeriod<T>(
  state: Ref<T>,
  opts: {
    param: string;
    valid: (raw: unknown) => boolean;
    pick: (p: PeriodsWithData) => T | null;
    unitId?: () => string | null;
    load?: () => void;
  },
): { ready: Ref<boolean> } {
  const route = useRoute();
  const fromUrl = opts.valid(route.query[opts.param]);
  const ready = ref(fromUrl);
  const initial = state.value;

  async function periods(): Promise<PeriodsWithData | null> {
    try {
      const r = (await gql(ActivityPeriodsQuery, { unitId: opts.unitId?.() ?? null })).activityPeriods;
      yearsWithData.value = r.years;
      return { years: r.years, latestMonth: r.latestMonth ?? null };
    } catch {
      // The page's own reads show the error (an out-of-scope unit, a lost session).
      return null;
    }
  }

  onMounted(async () => {
    if (fromUrl) {
      opts.load?.();
      void periods();
      return;
    }
    const p = await periods();
    const next = p ? opts.pick(p) : null;
    ready.value = true;
    // The user chose a period meanwhile: theirs stands (and its watchers loaded it).
    if (state.value !== initial) return;
    if (next !== null && next !== initial) state.value = next;
    else opts.load?.();
  });
  return { ready };
}
