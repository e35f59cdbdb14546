import { reactive } from "vue";
import type { ApplicationState, ReviewLevel } from "@/gql/graphql";
import type { ApplicationOrder } from "@/views/campaign/applicationSort";

/**
 * Each tab's default order, sorted by the server over the whole list: the queue longest waiting
 * first, all applications latest handled first.
 */
export const DEFAULT_ORDERS: Record<"queue" | "all", ApplicationOrder> = {
  queue: { sort: "lastActionAt", desc: false },
  all: { sort: "lastActionAt", desc: true },
};

function blankFilters() {
  return {
    categoryCode: null as string | null,
    states: [] as ApplicationState[],
    currentLevel: null as ReviewLevel | null,
    unitId: null as string | null,
    search: "",
  };
}

function initial(actingId: string | null, campaignId: string | null) {
  return {
    actingId,
    campaignId,
    tab: "queue" as "queue" | "all",
    page: 1,
    pageSize: 20,
    /** What the filter controls show. */
    filters: blankFilters(),
    /** What the lists were last loaded with. */
    applied: blankFilters(),
    orders: { queue: { ...DEFAULT_ORDERS.queue }, all: { ...DEFAULT_ORDERS.all } },
  };
}

/**
 * The review page's tab, filters, orders and page, kept for this browser tab while the app runs:
 * a reviewer who opens an application and comes back finds the list as it was. Another acting
 * role (another scope) or another campaign starts from the defaults.
 */
const state = reactive(initial(null, null));

export type ReviewQueueState = typeof state;

/** The remembered state, back to the defaults first if the role or the campaign changed (objects kept, patched in place). */
export function reviewQueueState(actingId: string | null, campaignId: string | null): ReviewQueueState {
  if (state.actingId !== actingId || state.campaignId !== campaignId) {
    const fresh = initial(actingId, campaignId);
    Object.assign(state.filters, fresh.filters);
    Object.assign(state.applied, fresh.applied);
    Object.assign(state.orders.queue, fresh.orders.queue);
    Object.assign(state.orders.all, fresh.orders.all);
    Object.assign(state, { actingId, campaignId, tab: fresh.tab, page: fresh.page, pageSize: fresh.pageSize });
  }
  return state;
}
