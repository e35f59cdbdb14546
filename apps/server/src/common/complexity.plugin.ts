import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, type GraphQLSchema, type OperationDefinitionNode, type ValueNode } from "graphql";
import type { Ctx } from "./context.js";
import { MAX_COST, MAX_DEPTH, MAX_INTROSPECTION_COST, operationCost } from "./query-cost.js";

export { MAX_COST, MAX_DEPTH } from "./query-cost.js";

/** "Did you mean …?" as graphql-js appends it to validation and coercion messages. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

function badInput(message: string, field: string | undefined, production: boolean): GraphQLError {
  return new GraphQLError(production ? message.replace(SUGGESTION, "") : message, {
    extensions: { code: "BAD_USER_INPUT", ...(field ? { field } : {}), http: { status: 400 } },
  });
}

/** Path of the first string (or object key) holding a NUL character, or null. */
export function nulPath(value: unknown, path: string): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nulPath(value[i], `${path}[${i}]`);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\u0000")) return path;
      const p = nulPath(v, `${path}.${k}`);
      if (p) return p;
    }
  }
  return null;
}

function literalNulPath(node: ValueNode, path: string): string | null {
  switch (node.kind) {
    case Kind.STRING:
      return node.value.includes("\u0000") ? path : null;
    case Kind.LIST:
      for (let i = 0; i < node.values.length; i++) {
        const p = literalNulPath(node.values[i]!, `${path}[${i}]`);
        if (p) return p;
      }
      return null;
    case Kind.OBJECT:
      for (const f of node.fields) {
        const p = literalNulPath(f.value, `${path}.${f.name.value}`);
        if (p) return p;
      }
      return null;
    default:
      return null;
  }
}

/** The first argument written in the document (anywhere, fragments included) whose string holds a NUL. */
function documentNulPath(operation: OperationDefinitionNode, document: { definitions: readonly { kind: string }[] }): string | null {
  const stack: unknown[] = [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)];
  while (stack.length) {
    const node = stack.pop() as { kind?: string; arguments?: readonly { name: { value: string }; value: ValueNode }[]; selectionSet?: { selections: readonly unknown[] }; directives?: readonly unknown[] };
    for (const a of node.arguments ?? []) {
      const p = literalNulPath(a.value, a.name.value);
      if (p) return p;
    }
    for (const d of node.directives ?? []) stack.push(d);
    for (const s of node.selectionSet?.selections ?? []) stack.push(s);
  }
  return null;
}

/**
 * Request limits checked once per operation, after parsing and validation and before anything
 * executes (no resolver, no database): the depth and cost of the operation (query-cost.ts), and
 * NUL characters in string arguments and variables (PostgreSQL cannot store them; they would
 * surface as internal errors). In production, messages about the schema carry no suggestions.
 */
export function complexityPlugin(schema: GraphQLSchema): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          const production = !!contextValue?.config?.production;
          if (!operation) return;
          const variables = request.variables ?? {};
          for (const [name, value] of Object.entries(variables)) {
            const p = nulPath(value, name);
            if (p) throw badInput(`参数 ${p} 含有不允许的空字符（\\u0000），请删除后重试`, p, production);
          }
          const literal = documentNulPath(operation, document);
          if (literal) throw badInput(`参数 ${literal} 含有不允许的空字符（\\u0000），请删除后重试`, literal, production);

          let measured;
          try {
            measured = operationCost(schema, document, request.operationName, variables);
          } catch (e) {
            // Variables that do not fit their declared types (an unknown enum value such as a sort
            // key, a string for an Int) are the request's fault, as GraphQL execution would say.
            if ((e as Error)?.name !== "GraphQLError") throw e;
            throw badInput((e as Error).message, undefined, production);
          }
          if (measured.depth > MAX_DEPTH) {
            throw new GraphQLError(`查询嵌套过深（${measured.depth} 层，上限 ${MAX_DEPTH} 层），请减少嵌套的字段`, {
              extensions: { code: "QUERY_TOO_COMPLEX", depth: measured.depth, maxDepth: MAX_DEPTH, http: { status: 400 } },
            });
          }
          const limit = measured.introspectionOnly ? MAX_INTROSPECTION_COST : MAX_COST;
          if (measured.cost > limit) {
            const cost = Number.isFinite(measured.cost) ? Math.round(measured.cost) : "∞";
            throw new GraphQLError(`查询过于复杂（估算开销 ${cost} > ${limit}），请减少请求的字段、别名或每页条数`, {
              extensions: { code: "QUERY_TOO_COMPLEX", cost, maxCost: limit, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
