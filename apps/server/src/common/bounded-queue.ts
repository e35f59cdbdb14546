import { DomainError } from "@zjh/domain";

/** The answer when a queue is full: 503 with Retry-After (common/http-status.ts). */
export function serverBusy(): DomainError {
  return new DomainError("SERVER_BUSY", "系统繁忙，请稍后重试");
}

export interface AcquireOptions {
  /** Waiting stops when this signal aborts (the request's deadline passed or its client left). */
  signal?: AbortSignal;
  /** false: internal work (seed, jobs) waits however long the queue is, it is never shed. */
  shed?: boolean;
}

interface Waiter {
  grant: () => void;
  reject: (err: unknown) => void;
}

/**
 * At most `concurrency` holders at a time and at most `maxWaiting` callers waiting behind them;
 * a caller arriving at a full queue is refused at once with SERVER_BUSY instead of waiting. A
 * waiter whose signal aborts leaves the queue without ever running.
 */
export class BoundedQueue {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  /** When a caller was last refused (ms since epoch): readiness reports shedding for a moment after. */
  lastShedAt = 0;
  shedCount = 0;
  /**
   * Told how long each granted caller waited, in seconds (0 when a slot was free): the metrics'
   * wait histogram (common/metrics.ts). Callers that were refused or left are not granted.
   */
  onWait?: (seconds: number) => void;

  constructor(
    readonly name: string,
    public concurrency: number,
    public maxWaiting: number,
  ) {}

  get running(): number {
    return this.active;
  }
  get queued(): number {
    return this.waiting.length;
  }
  /** True when the next caller would be refused. */
  get full(): boolean {
    return this.active >= this.concurrency && this.waiting.length >= this.maxWaiting;
  }

  /** Waits for a slot; resolves with the function that gives it back (call it exactly once). */
  acquire(opts: AcquireOptions = {}): Promise<() => void> {
    const { signal, shed = true } = opts;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.concurrency) {
      this.active++;
      this.onWait?.(0);
      return Promise.resolve(this.releaser());
    }
    if (shed && this.waiting.length >= this.maxWaiting) {
      this.lastShedAt = Date.now();
      this.shedCount++;
      return Promise.reject(serverBusy());
    }
    const since = performance.now();
    return new Promise<() => void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          this.onWait?.((performance.now() - since) / 1000);
          resolve(this.releaser());
        },
        reject,
      };
      this.waiting.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Runs `fn` holding a slot. */
  async run<T>(fn: () => Promise<T>, opts: AcquireOptions = {}): Promise<T> {
    const release = await this.acquire(opts);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter: `active` stays the same.
      if (next) next.grant();
      else this.active--;
    };
  }
}
