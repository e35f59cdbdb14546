import type { ApolloServerPlugin } from "@apollo/server";
import { REFUSAL_STATUS, RETRY_AFTER_SECONDS, UNAVAILABLE_CODES } from "./http-status.js";

/**
 * Sets the HTTP status of GraphQL answers that carry refusals (see common/http-status.ts).
 * Apollo answers an error thrown before execution (e.g. by the authorization gate) with 500
 * unless the error names a status: this plugin gives each refusal code its own.
 */
export function httpStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          const codes = (result.errors ?? []).map((e) => String(e.extensions?.code ?? ""));
          if (codes.length === 0) return;
          if (codes.some((c) => UNAVAILABLE_CODES.has(c))) {
            response.http.status = 503;
            response.http.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
            return;
          }
          // Execution started: partial data and per-field errors go out as 200.
          if ("data" in result && result.data !== undefined) return;
          const status = REFUSAL_STATUS[codes[0]!];
          // NOT_FOUND before execution does not occur; from resolvers it stays 200 (above).
          if (status && status !== 404) response.http.status = status;
        },
      };
    },
  };
}
