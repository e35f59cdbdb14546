import type http from "node:http";
import type { NextFunction, Request, Response } from "express";
import { logger } from "../logger.js";

/**
 * Requests in flight on one HTTP server, and its drain on shutdown.
 *
 * `middleware` counts every request from its arrival until its response closes. `drain` stops
 * accepting connections (the listener closes, idle keep-alive connections are closed), marks
 * every response not yet started and every later one `Connection: close`, and waits until no
 * request is in flight or the deadline passes; then it closes what is left.
 */
export class HttpDrain {
  private readonly inflight = new Set<Response>();
  private idleWaiters: (() => void)[] = [];
  private draining = false;
  private readonly drainListeners: (() => void)[] = [];

  constructor(private readonly server: http.Server) {}

  get isDraining(): boolean {
    return this.draining;
  }

  get inflightCount(): number {
    return this.inflight.size;
  }

  /** Runs `fn` when the drain begins (after the listener has closed). */
  onDrain(fn: () => void): void {
    if (this.draining) fn();
    else this.drainListeners.push(fn);
  }

  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    if (this.draining) res.setHeader("Connection", "close");
    this.inflight.add(res);
    res.once("close", () => {
      this.inflight.delete(res);
      if (this.draining) {
        // The connection of a finished keep-alive exchange is idle now: close it.
        this.server.closeIdleConnections();
        if (!this.inflight.size) this.wakeIdle();
      }
    });
    next();
  };

  private wakeIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  /**
   * Stops accepting and waits for the requests in flight, at most until `deadline` (epoch ms).
   * Resolves with the number of requests whose connections had to be cut at the deadline.
   */
  async drain(deadline: number): Promise<number> {
    if (!this.draining) {
      this.draining = true;
      // close() stops the listener at once; its callback waits for every connection to end.
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      void closed;
      for (const res of this.inflight) if (!res.headersSent) res.setHeader("Connection", "close");
      this.server.closeIdleConnections();
      logger.info({ inflight: this.inflight.size }, "shutdown: listener closed, draining requests in flight");
      for (const f of this.drainListeners.splice(0)) f();
    }
    if (this.inflight.size) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        }),
      ]);
      clearTimeout(timer);
    }
    const cut = this.inflight.size;
    if (cut) logger.warn({ cut }, "shutdown: grace period over, closing connections of requests still in flight");
    this.server.closeAllConnections();
    return cut;
  }
}

/** Test hook: a request with `x-test-hold` waits until the drain begins, then runs normally. */
export function testHoldMiddleware(drain: HttpDrain) {
  let held = 0;
  let released = false;
  const waiters: (() => void)[] = [];
  drain.onDrain(() => {
    released = true;
    for (const w of waiters.splice(0)) w();
  });
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.headers["x-test-hold"] === undefined || released) return next();
    held++;
    logger.info({ held }, "test hold");
    waiters.push(() => next());
  };
}

/** Whether test-only hooks are on: ZJH_TEST_HOOKS=1, honoured only when NODE_ENV=test. */
export function testHooksEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === "test" && env.ZJH_TEST_HOOKS === "1";
}
