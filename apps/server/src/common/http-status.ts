/**
 * HTTP status codes of refusals, in one place for GraphQL and the REST routes.
 *
 * A refusal is never a 5xx: monitoring pages people on 5xx, not on a wrong password. The only
 * 5xx a refusal-like answer gets is 503 for SERVER_BUSY and TIMEOUT: the server could not do the
 * work now (it is shedding load, or the work did not finish within its time budget), the client
 * may retry later (`Retry-After`).
 *
 * GraphQL: a request refused before execution (parse, validation, the authorization gate, the
 * cost limit) takes the status of its code; once execution has started, the answer is 200 with
 * the error beside the data (NOT_FOUND, CONFLICT, … from resolvers), except SERVER_BUSY and
 * TIMEOUT, which are 503 wherever they arise.
 */
export const REFUSAL_STATUS: Readonly<Record<string, number>> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_USER_INPUT: 400,
  BAD_INPUT: 400,
  BAD_REQUEST: 400,
  QUERY_TOO_COMPLEX: 400,
  PERSISTED_QUERY_NOT_FOUND: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  OUT_OF_SCOPE: 403,
  NOT_FOUND: 404,
  SERVER_BUSY: 503,
  TIMEOUT: 503,
};

/** Codes answered with 503 and `Retry-After` wherever they arise. */
export const UNAVAILABLE_CODES = new Set(["SERVER_BUSY", "TIMEOUT"]);

/** Seconds a client is told to wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 2;

/** Adds Retry-After to a 503 about to be sent. */
export function retryAfterOn(res: { setHeader(name: string, value: string): unknown }, status: number): void {
  if (status === 503) res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
}
