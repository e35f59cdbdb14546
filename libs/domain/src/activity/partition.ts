/**
 * Which user an event's points go to, so a server can keep each teacher's events apart and rescore
 * one teacher alone. Every piece of scoring state belongs to exactly one user (a resource to its
 * owner, a task to its publisher), so scoring a user's partition gives exactly that user's entries
 * of the whole score, in the same order.
 */
import { type ActivityEvent } from "./event.js";
import { compareInstants, newParsedInstant, parseInstant, TimestampStatus, type ParsedInstant } from "./timestamp.js";

/**
 * Each task's publisher: the userId of its first `task_published` in application order (earliest
 * instant, ties in list order; later publications of the same taskId are ignored by the rules).
 * Events with a repeated id are skipped as the engine skips them.
 */
export function taskPublishers(events: Iterable<ActivityEvent>): Map<string, string> {
  const seen = new Set<string>();
  const first = new Map<string, { userId: string; at: ParsedInstant }>();
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    if (e.type !== "task_published") continue;
    const at = newParsedInstant();
    if (parseInstant(e.at, at) !== TimestampStatus.Ok) continue;
    const current = first.get(e.taskId);
    if (current === undefined || compareInstants(at, current.at) < 0) first.set(e.taskId, { userId: e.userId, at });
  }
  const out = new Map<string, string>();
  for (const [taskId, v] of first) out.set(taskId, v.userId);
  return out;
}

/**
 * The user an event's points go to: `userId` for the user's own actions, `ownerId` for resource
 * events (spread, review, deletion), the task's publisher for task events; null for an engagement
 * with a task nobody published (it can never earn).
 */
export function beneficiaryOf(event: ActivityEvent, publishers: ReadonlyMap<string, string>): string | null {
  switch (event.type) {
    case "resource_spread":
    case "resource_review":
    case "resource_deleted":
      return event.ownerId;
    case "task_published":
      return publishers.get(event.taskId) ?? event.userId;
    case "task_engaged":
      return publishers.get(event.taskId) ?? null;
    default:
      return event.userId;
  }
}

/**
 * Splits events by beneficiary, keeping their relative order and dropping repeated ids (the first
 * event with an id counts, as in scoring). `scoreEvents(partition.get(u))` equals the entries of
 * `scoreEvents(events)` whose userId is u.
 */
export function partitionByUser(events: Iterable<ActivityEvent>): Map<string, ActivityEvent[]> {
  const list = [...events];
  const publishers = taskPublishers(list);
  const seen = new Set<string>();
  const out = new Map<string, ActivityEvent[]>();
  for (const e of list) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const user = beneficiaryOf(e, publishers);
    if (user === null) continue;
    let part = out.get(user);
    if (!part) out.set(user, (part = []));
    part.push(e);
  }
  return out;
}
