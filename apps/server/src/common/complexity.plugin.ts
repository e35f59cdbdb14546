import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { createRequire } from "node:module";

// The CommonJS build on purpose: the package's ESM build imports graphql's .mjs files, a second
// graphql "realm" that graphql-js refuses to mix with the schema's.
const { getComplexity, simpleEstimator } = createRequire(import.meta.url)("graphql-query-complexity") as typeof import("graphql-query-complexity");

/** Upper bound on fields one request may resolve (list arguments are capped separately). */
export const MAX_COMPLEXITY = 800;

/** Refuses operations whose static cost exceeds MAX_COMPLEXITY, before anything executes. */
export function complexityPlugin(schema: GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              operationName: request.operationName,
              query: document,
              variables: request.variables,
              estimators: [simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (e) {
            // Variables that do not fit their declared types (an unknown enum value such as a sort
            // key, a string for an Int) are the request's fault, as GraphQL execution would say.
            if ((e as Error)?.name !== "GraphQLError") throw e;
            throw new GraphQLError((e as Error).message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
          }
          if (complexity > MAX_COMPLEXITY) {
            throw new GraphQLError(`查询过于复杂（${complexity} > ${MAX_COMPLEXITY}），请减少请求的字段`, {
              extensions: { code: "QUERY_TOO_COMPLEX" },
            });
          }
        },
      };
    },
  };
}
