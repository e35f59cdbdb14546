import { DomainError } from "@zjh/domain";

export function timeoutError(budgetMs: number): DomainError {
  return new DomainError("TIMEOUT", `请求处理超时（超过${Math.max(1, Math.round(budgetMs / 1000))}秒），已中止；请缩小查询范围后重试，或稍后再试`);
}

export function cancelledError(): DomainError {
  return new DomainError("CANCELLED", "客户端已断开连接，请求已中止");
}

/**
 * The life of one HTTP request as the database sees it: a time budget and an abort signal.
 *
 * - While the request is answered, every statement it runs is bounded by `budgetMs` in the
 *   database (statement_timeout) and the whole request by a deadline: when the deadline passes
 *   or the client disconnects, the signal aborts, the statements in flight are cancelled
 *   (`cancelInFlight`) and any further statement is refused at once.
 * - Work that outlives its answer (an import job started by the request) is detached when the
 *   response has been sent: no deadline, no shedding, statements bounded by `jobBudgetMs`.
 */
export class RequestScope {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly inflight = new Set<() => void>();
  private detachedFlag = false;

  constructor(
    readonly budgetMs: number,
    readonly jobBudgetMs: number,
  ) {
    if (budgetMs > 0) {
      this.timer = setTimeout(() => this.abort(timeoutError(budgetMs)), budgetMs);
      this.timer.unref();
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get detached(): boolean {
    return this.detachedFlag;
  }
  /** statement_timeout for the next statement (0: none). */
  get statementTimeoutMs(): number {
    return this.detachedFlag ? this.jobBudgetMs : this.budgetMs;
  }
  /** Whether waits of this scope may be refused with SERVER_BUSY (detached jobs wait). */
  get shed(): boolean {
    return !this.detachedFlag;
  }

  /** Stops the request's work: cancels the statements in flight; later statements are refused. */
  abort(reason: unknown): void {
    if (this.detachedFlag || this.controller.signal.aborted) return;
    this.controller.abort(reason);
    clearTimeout(this.timer);
    for (const cancel of this.inflight) cancel();
    this.inflight.clear();
  }

  /** The answer has been sent: what still runs is a job of its own. */
  detach(): void {
    if (this.controller.signal.aborted) return;
    clearTimeout(this.timer);
    this.detachedFlag = true;
  }

  throwIfAborted(): void {
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
  }

  /** Runs one statement; `cancel` stops it if the scope aborts while it runs. */
  async track<T>(cancel: () => void, fn: () => Promise<T>): Promise<T> {
    this.throwIfAborted();
    this.inflight.add(cancel);
    try {
      return await fn();
    } finally {
      this.inflight.delete(cancel);
    }
  }
}
