import http from "node:http";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queues } from "../../apps/server/src/common/load-limits.js";
import { Client, loginAs } from "../support/client.js";
import { DEMO } from "../support/demo.js";
import { describeEachDb, DB_VARIANTS, startTestServer, type TestServer } from "../support/server.js";

/**
 * Overload without collapse (docs/operations.md, "Overload"): time budgets, work stopped for
 * clients that left, bounded queues answered with 503 + Retry-After, truthful health.
 *
 * Long statements are made deterministic rather than timed: on PostgreSQL the test holds a lock
 * the expensive query needs (so its statements stay active in pg_stat_activity until they are
 * cancelled), on PGlite it holds the one session; every wait polls for the event with a cap.
 */

const HEAVY = `query { belowTargetTeachers(period: "2018-03", limit: 200) { total items { account points } } }`;
const ME = `{ me { account } }`;

/** Polls `check` until it returns true; fails after `capMs` (a cap, not a sleep: it returns as soon as true). */
async function until(check: () => Promise<boolean> | boolean, what: string, capMs = 30_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - start > capMs) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A GraphQL POST on its own socket, so the test can close it before the answer. */
function openRequest(url: string, token: string, query: string): { req: http.ClientRequest; answer: Promise<{ status: number; body: string } | null> } {
  const u = new URL(url + "/graphql");
  const body = JSON.stringify({ query });
  const agent = new http.Agent({ keepAlive: false });
  const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", agent, headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "content-length": Buffer.byteLength(body) } });
  const answer = new Promise<{ status: number; body: string } | null>((resolve) => {
    req.on("response", (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", () => resolve(null));
    });
    req.on("error", () => resolve(null));
    req.on("close", () => setTimeout(() => resolve(null), 0));
  });
  req.end(body);
  return { req, answer };
}

describeEachDb("overload: budgets, abandoned work, bounded queues", (variant) => {
  let server: TestServer;
  let admin: Client;
  let observer: pg.Client | null = null;
  const env = {
    REQUEST_TIMEOUT_MS: "60000",
    EXPENSIVE_CONCURRENCY: "4",
    EXPENSIVE_QUEUE_MAX: "8",
    ARGON2_CONCURRENCY: "1",
    ARGON2_QUEUE_MAX: "0",
  };

  beforeAll(async () => {
    server = await startTestServer(variant, env);
    admin = await loginAs(server.url, DEMO.PROVINCE_ADMIN);
    if (variant === "postgres") {
      observer = new pg.Client({ connectionString: (server.db.ds.options as { url: string }).url });
      await observer.connect();
    }
  });
  afterAll(async () => {
    await observer?.end();
    await server?.stop();
  });

  /** The server's statements on the expensive query's table still active (PostgreSQL). */
  async function activeHeavy(): Promise<number> {
    const r = await observer!.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%activity_total%'`,
    );
    return r.rows[0]!.n;
  }

  /** Makes the expensive query's statements wait until `release()`: a lock (PostgreSQL) or the one session (PGlite). */
  async function blockHeavy(): Promise<() => Promise<void>> {
    if (variant === "postgres") {
      const locker = new pg.Client({ connectionString: (server.db.ds.options as { url: string }).url });
      await locker.connect();
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE activity_total IN ACCESS EXCLUSIVE MODE");
      return async () => {
        await locker.query("ROLLBACK");
        await locker.end();
      };
    }
    let free!: () => void;
    const held = new Promise<void>((r) => (free = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const tx = server.db.tx(async () => {
      entered();
      await held;
    });
    await inside;
    return async () => {
      free();
      await tx;
    };
  }

  it("answers /healthz at once while the database is held, and /readyz says when it sheds", async () => {
    // Readiness reports a queue that refused someone in the last seconds: earlier tests (and the
    // other database's run of this file, in the same process) shed on purpose.
    for (const q of [...Object.values(queues), server.db.queue]) q.lastShedAt = 0;
    const release = await blockHeavy();
    try {
      const h = await fetch(server.url + "/healthz");
      expect(h.status).toBe(200);
      expect(await h.json()).toEqual({ status: "ok", db: variant });
      const ready = await fetch(server.url + "/readyz");
      expect({ status: ready.status, body: await ready.json() }).toMatchObject({ status: 200, body: { status: "ready" } });
    } finally {
      await release();
    }
    // Fill the argon2 queue (one slot, no waiting room): logins are refused, readiness says so.
    const slot = await queues.argon2.acquire();
    try {
      const r = await new Client(server.url).raw(`mutation { login(account: "hz_teacher1", password: "Demo@2023") { token } }`);
      expect(r.errors?.[0]?.extensions?.code).toBe("SERVER_BUSY");
      const shedding = await fetch(server.url + "/readyz");
      expect(shedding.status).toBe(503);
      expect(await shedding.json()).toMatchObject({ status: "shedding", shedding: ["argon2"] });
    } finally {
      slot();
    }
  });

  it("refuses at once with 503 SERVER_BUSY when the database queue is full, while /healthz answers and /readyz names the queue", async () => {
    const q = server.db.queue;
    const waiting = q.maxWaiting;
    q.maxWaiting = 0;
    const held = await Promise.all(Array.from({ length: q.concurrency }, () => q.acquire()));
    try {
      const r = await admin.raw(ME);
      expect([r.status, r.errors?.[0]?.extensions?.code, r.errors?.[0]?.message]).toEqual([503, "SERVER_BUSY", "系统繁忙，请稍后重试"]);
      expect((await fetch(server.url + "/healthz")).status).toBe(200);
      const ready = await fetch(server.url + "/readyz");
      expect(ready.status).toBe(503);
      expect((await ready.json()).shedding).toContain("database");
      // REST routes answer the same way.
      const exp = await fetch(server.url + "/api/export/campaigns.xlsx", { headers: { authorization: `Bearer ${admin.token}` } });
      expect(exp.status).toBe(503);
      expect(exp.headers.get("retry-after")).toMatch(/^\d+$/);
      expect((await exp.json()).error.code).toBe("SERVER_BUSY");
    } finally {
      for (const r of held) r();
      q.maxWaiting = waiting;
    }
    expect((await admin.raw(ME)).data?.me?.account).toBe(DEMO.PROVINCE_ADMIN);
  });

  it("refuses an export at once with 503 when the export queue is full", async () => {
    const waiting = queues.export.maxWaiting;
    queues.export.maxWaiting = 0;
    const held = await Promise.all(Array.from({ length: queues.export.concurrency }, () => queues.export.acquire()));
    try {
      const exp = await fetch(server.url + "/api/export/campaigns.xlsx", { headers: { authorization: `Bearer ${admin.token}` } });
      expect(exp.status).toBe(503);
      expect(exp.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await exp.json()).toEqual({ error: { code: "SERVER_BUSY", message: "系统繁忙，请稍后重试" } });
    } finally {
      for (const r of held) r();
      queues.export.maxWaiting = waiting;
    }
    expect((await fetch(server.url + "/api/export/campaigns.xlsx", { headers: { authorization: `Bearer ${admin.token}` } })).status).toBe(200);
  });

  it("sheds a login burst with 503 + Retry-After without counting shed attempts as failures", async () => {
    const account = "hz_teacher2";
    // Failed attempts as the login throttle counts them for the account (login-throttle.ts).
    const failures = async () => (await server.db.one<{ n: number }>(`SELECT failures AS n FROM login_throttle WHERE key = $1`, [`acct:${account}`]))?.n ?? 0;
    const before = await failures();
    const slot = await queues.argon2.acquire();
    try {
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          fetch(server.url + "/graphql", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query: `mutation { login(account: "${account}", password: "wrong-${Math.random()}") { token } }` }),
          }),
        ),
      );
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
        const body = await res.json();
        expect(body.errors[0].extensions.code).toBe("SERVER_BUSY");
        expect(body.errors[0].message).toBe("系统繁忙，请稍后重试");
      }
    } finally {
      slot();
    }
    expect(await failures()).toBe(before);
    // Not locked: the right password still logs in, and a real wrong attempt still counts.
    await loginAs(server.url, account);
    const wrong = await new Client(server.url).raw(`mutation { login(account: "${account}", password: "wrong") { token } }`);
    expect(wrong.errors?.[0]?.extensions?.code).toBe("BAD_CREDENTIALS");
    expect(await failures()).toBe(1);
  });

  it("keeps cheap requests answered while expensive ones flood, sheds the excess with 503, and stops the work of clients that left", async () => {
    // PostgreSQL: the heavy statements really run (and wait on the lock). PGlite: its one session
    // cannot be held without holding every request, so the test holds the expensive queue's slots.
    const held = variant === "pglite" ? await Promise.all(Array.from({ length: 4 }, () => queues.expensive.acquire())) : [];
    const release = variant === "postgres" ? await blockHeavy() : async () => held.forEach((r) => r());
    const flood: ReturnType<typeof openRequest>[] = [];
    try {
      for (let i = 0; i < 20; i++) flood.push(openRequest(server.url, admin.token!, HEAVY));
      // 4 run (waiting for the lock or the session), 8 wait in the expensive queue, the rest are shed at once.
      await until(() => queues.expensive.running === 4 && queues.expensive.queued === 8, "the expensive queue to fill");
      // Each running request has its statements active on the lock (the list and its count).
      if (variant === "postgres") await until(async () => (await activeHeavy()) >= 4, "the heavy statements active");
      // The others are refused at once (which ones depends on arrival order): 503, SERVER_BUSY, Retry-After.
      const answered: { status: number; body: string }[] = [];
      for (const f of flood) void f.answer.then((a) => a && answered.push(a));
      await until(() => answered.length === (variant === "pglite" ? 12 : 8), "the excess to be refused");
      const busy: string[] = [];
      for (const a of answered) {
        expect(a.status).toBe(503);
        busy.push(JSON.parse(a.body).errors[0].extensions.code);
      }
      // Cheap requests keep coming while the flood holds every expensive slot.
      const cheap = await Promise.all(Array.from({ length: 30 }, () => admin.raw(ME)));
      for (const r of cheap) expect([r.status, r.data?.me?.account]).toEqual([200, DEMO.PROVINCE_ADMIN]);
      // The clients leave.
      for (const f of flood) f.req.destroy();
      await until(() => queues.expensive.running === (variant === "pglite" ? 4 : 0) && queues.expensive.queued === 0, "the expensive queue to empty");
      if (variant === "postgres") await until(async () => (await activeHeavy()) === 0, "no heavy statement active in pg_stat_activity");
      expect(server.db.queue.queued).toBe(0);
      expect(busy.every((c) => c === "SERVER_BUSY")).toBe(true);
    } finally {
      for (const f of flood) f.req.destroy();
      await release();
    }
    // Afterwards every kind of request is answered again.
    const after = await admin.raw(HEAVY);
    expect(after.status).toBe(200);
    expect((await admin.raw(ME)).data?.me?.account).toBe(DEMO.PROVINCE_ADMIN);
  });
});

describe.each(DB_VARIANTS)("overload: the time budget [%s]", (variant) => {
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    server = await startTestServer(variant, { REQUEST_TIMEOUT_MS: "1500" });
    admin = await loginAs(server.url, DEMO.PROVINCE_ADMIN);
  });
  afterAll(() => server?.stop());
  let release: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await release?.();
    release = null;
  });

  it("answers a request that outlives its budget with TIMEOUT (503, Retry-After), never a hang, and the database is free after", async () => {
    if (variant === "postgres") {
      const locker = new pg.Client({ connectionString: (server.db.ds.options as { url: string }).url });
      await locker.connect();
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE activity_total IN ACCESS EXCLUSIVE MODE");
      release = async () => {
        await locker.query("ROLLBACK");
        await locker.end();
      };
    } else {
      let free!: () => void;
      const held = new Promise<void>((r) => (free = r));
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const tx = server.db.tx(async () => {
        entered();
        await held;
      });
      await inside;
      release = async () => {
        free();
        await tx;
      };
    }
    const res = await fetch(server.url + "/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: HEAVY }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    const body = await res.json();
    expect(body.errors[0].extensions.code).toBe("TIMEOUT");
    expect(body.errors[0].message).toMatch(/超时/);
    await release!();
    release = null;
    expect((await admin.raw(HEAVY)).status).toBe(200);
  });
});
