import http from "node:http";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { BoundedQueue } from "../bounded-queue.js";
import { RequestScope } from "../request-scope.js";
import { mountHealth } from "../../health.js";
import type { Db } from "../../db/data-source.js";

describe("BoundedQueue", () => {
  it("grants up to its concurrency, queues up to its bound, refuses the next at once with SERVER_BUSY", async () => {
    const q = new BoundedQueue("t", 2, 1);
    const a = await q.acquire();
    const b = await q.acquire();
    let cGranted = false;
    const c = q.acquire().then((r) => ((cGranted = true), r));
    await expect(q.acquire()).rejects.toMatchObject({ code: "SERVER_BUSY", message: "系统繁忙，请稍后重试" });
    expect(q.full).toBe(true);
    expect(q.shedCount).toBe(1);
    // Internal work is never shed.
    const internal = q.acquire({ shed: false });
    a();
    const rc = await c;
    expect(cGranted).toBe(true);
    b();
    const ri = await internal;
    rc();
    ri();
    expect([q.running, q.queued]).toEqual([0, 0]);
  });

  it("lets a waiter whose signal aborts leave the queue without ever running", async () => {
    const q = new BoundedQueue("t", 1, 5);
    const held = await q.acquire();
    const ctl = new AbortController();
    const waiting = q.acquire({ signal: ctl.signal });
    expect(q.queued).toBe(1);
    ctl.abort(new Error("client left"));
    await expect(waiting).rejects.toThrow("client left");
    expect(q.queued).toBe(0);
    held();
    expect(q.running).toBe(0);
  });
});

describe("RequestScope", () => {
  it("cancels the statements in flight when aborted, refuses later ones, and ignores an abort once detached", async () => {
    const scope = new RequestScope(0, 0);
    let cancelled = 0;
    let finish!: () => void;
    const running = scope.track(() => cancelled++, () => new Promise<void>((r) => (finish = r)));
    scope.abort(new Error("gone"));
    expect(cancelled).toBe(1);
    finish();
    await running;
    await expect(scope.track(() => undefined, async () => 1)).rejects.toThrow("gone");

    const job = new RequestScope(10_000, 600_000);
    expect(job.statementTimeoutMs).toBe(10_000);
    job.detach();
    job.abort(new Error("late"));
    expect(job.signal.aborted).toBe(false);
    expect([job.statementTimeoutMs, job.shed]).toEqual([600_000, false]);
  });
});

describe("/readyz", () => {
  let server: http.Server | null = null;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it("answers 503 database-unreachable when PostgreSQL does not answer, while /healthz stays 200", async () => {
    const app = express();
    // Nothing listens on port 1: the probe's own connection is refused.
    const db = { kind: "postgres", ds: { options: { url: "postgres://postgres@127.0.0.1:1/none" }, isInitialized: true }, queue: new BoundedQueue("database", 1, 1) } as unknown as Db;
    mountHealth(app, db);
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server!.once("listening", r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    expect((await fetch(base + "/healthz")).status).toBe(200);
    const ready = await fetch(base + "/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "database-unreachable", database: "unreachable" });
  });
});
