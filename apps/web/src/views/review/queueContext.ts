import type { LocationQuery, LocationQueryRaw } from "vue-router";
import type { ApplicationSortField } from "@/gql/graphql";
import { APPLICATION_SORT_FIELDS } from "@/views/campaign/applicationSort";

/**
 * Where an application sits in the review queue it was opened from: the queue's filter and order,
 * and its offset in that order. Carried in the detail page's address (`?queue=2&campaign=…&sort=…`)
 * so a reload keeps the navigator; the server stays the source of the order, and a stale offset
 * is corrected by the navigator.
 */
export interface QueueContext {
  campaignId: string;
  categoryCode: string | null;
  sort: ApplicationSortField;
  desc: boolean;
  /** 0-based offset in the queue. */
  position: number;
}

function one(v: LocationQuery[string] | undefined): string | null {
  const s = Array.isArray(v) ? v[0] : v;
  return s ?? null;
}

/** The context in a detail page's query, or null when the page was not opened from the queue. */
export function parseQueueContext(q: LocationQuery): QueueContext | null {
  const pos = one(q.queue);
  const campaignId = one(q.campaign);
  if (pos === null || !/^\d{1,6}$/.test(pos) || !campaignId || !/^\d+$/.test(campaignId)) return null;
  const sort = APPLICATION_SORT_FIELDS.find((f) => f === one(q.sort)) ?? "lastActionAt";
  return { campaignId, categoryCode: one(q.cat) || null, sort, desc: one(q.desc) === "1", position: Number(pos) };
}

/** The query that puts `ctx` into a detail page's address (defaults left out to keep it short). */
export function queueContextQuery(ctx: QueueContext): LocationQueryRaw {
  return {
    queue: String(ctx.position),
    campaign: ctx.campaignId,
    ...(ctx.categoryCode ? { cat: ctx.categoryCode } : {}),
    ...(ctx.sort !== "lastActionAt" ? { sort: ctx.sort } : {}),
    ...(ctx.desc ? { desc: "1" } : {}),
  };
}
