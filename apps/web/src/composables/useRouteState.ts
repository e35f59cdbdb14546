import { ref, watch, type Ref } from "vue";
import { useRoute, useRouter, type LocationQuery } from "vue-router";

/** Changes made in one tick, applied together (two filters set at once must not undo each other). */
let pending: Record<string, string | undefined> | null = null;

/**
 * A page filter mirrored in the address (?name=value), so a statistics view can be bookmarked,
 * shared and reloaded as it is. The ref is the page's state (read at once after a change); the
 * address follows, replacing the history entry.
 */
export function useRouteState<T>(name: string, parse: (raw: string | undefined) => T, format: (v: T) => string | undefined): Ref<T> {
  const route = useRoute();
  const router = useRouter();
  const raw = route.query[name];
  const state = ref(parse(typeof raw === "string" ? raw : undefined)) as Ref<T>;
  watch(state, (v) => {
    const first = pending === null;
    pending = { ...pending, [name]: format(v) || undefined };
    if (!first) return;
    queueMicrotask(() => {
      const patch = pending ?? {};
      pending = null;
      const query: LocationQuery = { ...route.query };
      for (const [k, text] of Object.entries(patch)) {
        if (text === undefined) delete query[k];
        else query[k] = text;
      }
      void router.replace({ query });
    });
  });
  return state;
}
