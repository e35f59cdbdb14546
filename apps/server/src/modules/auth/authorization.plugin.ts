import type { ApolloServerPlugin } from "@apollo/server";
import { DomainError } from "@zjh/domain";
import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from "graphql";
import type { Ctx } from "../../common/context.js";
import { toGraphQLError } from "../../common/errors.js";
import { requirePermission } from "./authorize.js";
import { OPERATIONS } from "./operations.js";

function rootFields(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, out: Set<string>, seen = new Set<string>()): Set<string> {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.add(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) rootFields(sel.selectionSet, fragments, out, seen);
    else if (sel.kind === Kind.FRAGMENT_SPREAD && !seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const f = fragments[sel.name.value];
      if (f) rootFields(f.selectionSet, fragments, out, seen);
    }
  }
  return out;
}

/**
 * The one authorization gate for every operation, checked once per request before execution:
 * each root field must be in the matrix and the acting role must grant it. Fails closed.
 */
export function authorizationPlugin(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue: ctx }) {
          if (!operation) return;
          const typeName = operation.operation === "query" ? "Query" : operation.operation === "mutation" ? "Mutation" : null;
          if (!typeName) throw toGraphQLError(new DomainError("FORBIDDEN", "不支持的操作类型"));
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
          for (const field of rootFields(operation.selectionSet, fragments, new Set())) {
            if (field === "__typename") continue;
            if (field === "__schema" || field === "__type") {
              if (ctx.config.production) throw toGraphQLError(new DomainError("FORBIDDEN", "生产环境不开放内省"));
              continue;
            }
            const access = OPERATIONS[typeName][field];
            try {
              if (!access) throw new DomainError("FORBIDDEN", `操作 ${field} 未登记授权规则，已拒绝`);
              if (access === "PUBLIC") continue;
              if (!ctx.auth) throw new DomainError("UNAUTHENTICATED", "请先登录");
              if (access === "AUTHENTICATED") continue;
              requirePermission(ctx, access);
            } catch (e) {
              if (e instanceof DomainError) throw toGraphQLError(e);
              throw e;
            }
          }
        },
      };
    },
  };
}
