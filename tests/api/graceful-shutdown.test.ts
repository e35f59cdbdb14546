import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDb } from "../support/server.js";
import { createThrowawayDatabase } from "../support/pg.js";

/**
 * SIGTERM on the real server process (apps/server/dist/main.js), over HTTP, on both databases.
 * Requests are made in flight deterministically with the test-only hold (NODE_ENV=test and
 * ZJH_TEST_HOOKS=1): a request with `x-test-hold` waits until the shutdown has closed the
 * listener, then runs for real (GraphQL reads, logins that hash a password and write a session).
 */
const ROOT = path.resolve(new URL("../..", import.meta.url).pathname);
const MAIN = path.join(ROOT, "apps/server/dist/main.js");

beforeAll(async () => {
  // The server process runs the compiled server, as in production.
  try {
    await promisify(execFile)("pnpm", ["--filter", "@zjh/server", "build"], { cwd: ROOT });
  } catch (e) {
    // tsc reports its errors on stdout.
    throw new Error(`building the server failed:\n${(e as { stdout?: string }).stdout ?? ""}${(e as Error).message}`);
  }
}, 600_000);

interface Log {
  msg?: string;
  url?: string;
  held?: number;
}

class ServerProcess {
  readonly logs: Log[] = [];
  private waiters: { test: (l: Log) => boolean; resolve: (l: Log) => void }[] = [];
  readonly exited: Promise<number | null>;
  stderr = "";

  constructor(readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      let l: Log;
      try {
        l = JSON.parse(line) as Log;
      } catch {
        return;
      }
      this.logs.push(l);
      for (const w of [...this.waiters]) {
        if (w.test(l)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    });
    child.stderr!.on("data", (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  }

  /** The first log line (already written or to come) that passes `test`. */
  waitFor(test: (l: Log) => boolean): Promise<Log> {
    const seen = this.logs.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      this.waiters.push({ test, resolve });
      void this.exited.then((code) => reject(new Error(`server exited (${code}) before the awaited log line\n${this.stderr}`)));
    });
  }
}

function startServerProcess(env: Record<string, string>): ServerProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.VITEST;
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...childEnv, NODE_ENV: "test", ZJH_TEST_HOOKS: "1", LOG_LEVEL: "info", PORT: "0", HOST: "127.0.0.1", SEED_DEMO: "true", WEB_DIST: path.join(os.tmpdir(), "zjh-no-web") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new ServerProcess(child);
}

interface Answer {
  status: number;
  connection: string | undefined;
  body: { data?: Record<string, unknown>; errors?: unknown[] };
}

function post(url: string, agent: http.Agent, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + "/graphql", { method: "POST", agent, headers: { "content-type": "application/json", ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode!, connection: res.headers.connection, body: JSON.parse(text) });
        } catch (e) {
          reject(new Error(`incomplete answer (${res.statusCode}): ${text.slice(0, 200)} ${(e as Error).message}`));
        }
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

function connectError(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: "127.0.0.1" });
    s.once("connect", () => {
      s.destroy();
      resolve(null);
    });
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

const LOGIN = `mutation($a: String!, $p: String!) { login(account: $a, password: $p) { token me { account } } }`;
const READ = `{ me { account roles { role unit { code name } } } campaigns { id title year status } }`;

describeEachDb("graceful shutdown on SIGTERM", (variant) => {
  let dataDir: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  let server: ServerProcess | undefined;

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await drop?.();
  });

  it("finishes every request in flight, refuses new connections, closes the database and exits 0", { timeout: 600_000 }, async () => {
    const env: Record<string, string> = {};
    if (variant === "postgres") {
      const tmp = await createThrowawayDatabase();
      drop = tmp.drop;
      env.DATABASE_URL = tmp.url;
    } else {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zjh-shutdown-"));
      env.DATA_DIR = dataDir;
    }
    server = startServerProcess(env);
    const { url } = await server.waitFor((l) => l.msg === "server started");
    const port = Number(new URL(url!).port);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const login = await post(url!, agent, { query: LOGIN, variables: { a: "prov_admin", p: "Demo@2023" } });
    const token = (login.body.data!.login as { token: string }).token;

    // 32 requests in flight: 24 reads of a signed-in user and 8 logins, each of its own account
    // (concurrent attempts on one account count against its login throttle).
    const N = 32;
    const accounts = ["wz_city", "hz_city", "ra_county", "lc_county", "xh_county", "ra_teacher1", "ra_teacher2", "lc_teacher1"];
    const answers = Array.from({ length: N }, (_, i) =>
      i % 4 === 3
        ? post(url!, agent, { query: LOGIN, variables: { a: accounts[(i - 3) / 4]!, p: "Demo@2023" } }, { "x-test-hold": "1" })
        : post(url!, agent, { query: READ }, { "x-test-hold": "1", authorization: `Bearer ${token}` }),
    );
    const settled = Promise.allSettled(answers);
    await server.waitFor((l) => l.msg === "test hold" && l.held === N);

    server.child.kill("SIGTERM");
    await server.waitFor((l) => l.msg === "shutdown: listener closed, draining requests in flight");
    // The listener is closed: a new connection is refused.
    expect(await connectError(port)).toBe("ECONNREFUSED");

    const results = await settled;
    const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    for (const [i, r] of results.entries()) {
      const a = (r as PromiseFulfilledResult<Answer>).value;
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(a.body.errors).toBeUndefined();
      // Keep-alive connections are told to close.
      expect(a.connection).toBe("close");
      if (i % 4 === 3) expect((a.body.data!.login as { me: { account: string } }).me.account).toBe(accounts[(i - 3) / 4]);
      else expect((a.body.data!.me as { account: string }).account).toBe("prov_admin");
    }

    expect(await server.exited).toBe(0);
    expect(server.logs.some((l) => l.msg === "shutdown complete")).toBe(true);
    expect(server.logs.some((l) => l.msg?.startsWith("shutdown: grace period over"))).toBe(false);
    expect(await connectError(port)).toBe("ECONNREFUSED");
    agent.destroy();
  });
});
