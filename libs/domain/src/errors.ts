/**
 * Domain errors carry a stable code for programs and a Chinese message for people.
 * The server maps them once to GraphQL errors (`extensions.code`, plus `extensions.field`).
 */
export type ErrorCode =
  | "BAD_INPUT"
  /** An argument outside a fixed list (e.g. a sort key), as GraphQL answers for an unknown enum value. */
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "OUT_OF_SCOPE"
  | "CONFLICT"
  | "STALE_REVISION"
  | "QUOTA_EXCEEDED"
  /** A cap change that would leave fewer places than are already used. */
  | "QUOTA_BELOW_USED"
  /** A reviewer acting on an application they applied for or are listed on. */
  | "CONFLICT_OF_INTEREST"
  /** A submission or recommendation into a category that is finalized or a campaign whose results are published. */
  | "PIPELINE_CLOSED"
  | "DEADLINE_PASSED"
  | "INVALID_TRANSITION"
  | "ACCOUNT_LOCKED"
  | "LOGIN_THROTTLED"
  | "BAD_CREDENTIALS"
  | "EXPERT_CONFLICT"
  | "SCORE_LOCKED"
  | "FILE_REJECTED"
  /** A (re)submission without accepting the 参赛须知. */
  | "CONSENT_REQUIRED"
  /** A (re)submission accepting a wording of the 参赛须知 that is no longer current. */
  | "CONSENT_OUTDATED"
  /** The server is shedding load (a bounded queue is full): HTTP 503 with Retry-After. */
  | "SERVER_BUSY"
  /** The request did not finish within its time budget; its statements were cancelled: HTTP 503. */
  | "TIMEOUT"
  /** The client left before the answer; its work was stopped (nobody receives this answer). */
  | "CANCELLED";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field the error is about, when there is one (e.g. "mobile", "case.summary"). */
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** One refused input: which field, which rule, and a message naming both in Chinese. */
export interface FieldViolation {
  field: string;
  rule: string;
  message: string;
}

export function badInput(violations: FieldViolation[]): DomainError {
  const first = violations[0];
  return new DomainError(
    "BAD_INPUT",
    violations.map((v) => v.message).join("；"),
    first?.field,
    { violations },
  );
}
