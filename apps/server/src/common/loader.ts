import DataLoader from "dataloader";
import type { Ctx } from "./context.js";

/** A DataLoader memoized per request (never shared across users), batching at most 500 keys. */
export function loader<K, V>(ctx: Ctx, name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
  let l = ctx.loaders.get(name) as DataLoader<K, V> | undefined;
  if (!l) {
    l = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
    ctx.loaders.set(name, l);
  }
  return l;
}
