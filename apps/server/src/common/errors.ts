import { DomainError } from "@zjh/domain";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { logger } from "../logger.js";

export function toGraphQLError(err: DomainError): GraphQLError {
  return new GraphQLError(err.message, {
    extensions: { code: err.code, ...(err.field ? { field: err.field } : {}), ...(err.details ?? {}) },
  });
}

const PASS_THROUGH = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "PERSISTED_QUERY_NOT_FOUND",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
  "QUERY_TOO_COMPLEX",
]);

/**
 * The one place errors become responses: domain errors keep their code, Chinese message and
 * field; anything unexpected is logged and answered with a generic message (no internals leak).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      path: formatted.path,
      extensions: { code: original.code, ...(original.field ? { field: original.field } : {}), ...(original.details ?? {}) },
    };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && (PASS_THROUGH.has(code) || DOMAIN_CODES.has(code))) {
    return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { ...formatted.extensions, stacktrace: undefined } };
  }
  const refusal = concurrencyRefusal(original);
  if (refusal) {
    logger.warn({ err: original }, "concurrent operation refused");
    return { message: refusal.message, path: formatted.path, extensions: { code: refusal.code } };
  }
  logger.error({ err: original }, "unexpected error in GraphQL operation");
  return { message: "服务器内部错误，请稍后重试", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}

const DOMAIN_CODES = new Set([
  "BAD_INPUT", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "OUT_OF_SCOPE", "CONFLICT", "STALE_REVISION",
  "QUOTA_EXCEEDED", "DEADLINE_PASSED", "INVALID_TRANSITION", "ACCOUNT_LOCKED", "LOGIN_THROTTLED",
  "BAD_CREDENTIALS", "EXPERT_CONFLICT", "SCORE_LOCKED", "FILE_REJECTED", "CONSENT_REQUIRED", "CONSENT_OUTDATED",
  "SERVER_BUSY", "TIMEOUT", "CANCELLED",
]);

/**
 * Database refusals that concurrency can cause despite the locks (a deadlock or serialization
 * failure chosen by PostgreSQL, the quota CHECK backstop): a clean refusal, never a server error.
 */
export function concurrencyRefusal(err: unknown): { code: "CONFLICT" | "QUOTA_EXCEEDED"; message: string } | null {
  const e = err as { code?: unknown; constraint?: unknown; driverError?: { code?: unknown; constraint?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  const constraint = e?.constraint ?? e?.driverError?.constraint;
  if (code === "40001" || code === "40P01" || code === "55P03") {
    return { code: "CONFLICT", message: "该操作与他人同时进行的操作冲突，未生效，请刷新后重试" };
  }
  if (code === "23514" && constraint === "quota_usage_within_cap") {
    return { code: "QUOTA_EXCEEDED", message: "名额已用完，本次操作未生效，请刷新后查看名额" };
  }
  return null;
}
