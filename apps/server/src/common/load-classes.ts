import type { ApolloServerPlugin } from "@apollo/server";
import { DomainError } from "@zjh/domain";
import { Kind, type OperationDefinitionNode } from "graphql";
import type { Ctx } from "./context.js";
import { toGraphQLError } from "./errors.js";
import { queues } from "./load-limits.js";
import type { BoundedQueue } from "./bounded-queue.js";

/**
 * Root operations that are expensive: statistics and rankings over a whole region read many rows.
 * They run in the bounded `expensive` queue (EXPENSIVE_CONCURRENCY at a time, EXPENSIVE_QUEUE_MAX
 * waiting), so a flood of them cannot take every database connection: cheap requests (me, the
 * review queue, an application) keep theirs, and expensive ones past the bound are shed (503).
 */
export const EXPENSIVE_OPERATIONS: ReadonlySet<string> = new Set([
  "teacherActivityPage",
  "belowTargetTeachers",
  "unitActivity",
  "childUnitsActivity",
  "schoolRanking",
  "belowTargetSchools",
  "categoryRanking",
  "scoringProgress",
]);

function queueOf(operation: OperationDefinitionNode): BoundedQueue | null {
  for (const sel of operation.selectionSet.selections) {
    if (sel.kind === Kind.FIELD && EXPENSIVE_OPERATIONS.has(sel.name.value)) return queues.expensive;
  }
  return null;
}

/** Holds a slot of the operation's queue from the resolved operation to the answer. */
export function loadSheddingPlugin(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      let release: (() => void) | undefined;
      // Hooks of one stage run side by side: when the authorization gate refuses while this
      // waits, the answer goes out first and the slot, once granted, is given straight back.
      let answered = false;
      return {
        async didResolveOperation({ operation, contextValue: ctx }) {
          // Anonymous callers are refused by the authorization gate: never let them hold a slot.
          if (!operation || !ctx.auth) return;
          const queue = queueOf(operation);
          if (!queue) return;
          try {
            const granted = await queue.acquire({ signal: ctx.db.scope?.signal });
            if (answered) granted();
            else release = granted;
          } catch (e) {
            if (e instanceof DomainError) throw toGraphQLError(e);
            throw e;
          }
        },
        async willSendResponse() {
          answered = true;
          release?.();
          release = undefined;
        },
      };
    },
  };
}
