import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, seedDemoOf } from "../../apps/server/src/config.js";
import { openDb, type Db } from "../../apps/server/src/db/data-source.js";
import { seed } from "../../apps/server/src/db/seed.js";
import { startServer } from "../../apps/server/src/app.js";
import { Client } from "../support/client.js";
import { createThrowawayDatabase, pgReachable } from "../support/pg.js";

const ROOT = path.resolve(new URL("../..", import.meta.url).pathname);

/** Runs `pnpm admin …` as a child process; `stdin` is written and closed. */
function adminCommand(args: string[], env: Record<string, string>, stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv.VITEST;
    if (!("ADMIN_PASSWORD" in env)) delete childEnv.ADMIN_PASSWORD;
    if (!("DATABASE_URL" in env)) delete childEnv.DATABASE_URL;
    const child = spawn("pnpm", ["--silent", "admin", ...args], { cwd: ROOT, env: childEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Logs in over HTTP on a real server over `db` and returns the account's roles. */
async function rolesAfterLogin(db: Db, account: string, password: string): Promise<string[]> {
  const server = await startServer({ ...loadConfig({}), port: 0, host: "127.0.0.1" }, db);
  try {
    const c = await new Client(server.url).login(account, password);
    const me = await c.gql<{ me: { roles: { role: string; unit: { code: string } }[] } }>(`{ me { roles { role unit { code } } } }`);
    return me.me.roles.map((r) => `${r.role}@${r.unit.code}`);
  } finally {
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

describe("production defaults: no demo accounts", () => {
  it("production loads the demo seed only when SEED_DEMO=true is given", () => {
    expect(seedDemoOf({ NODE_ENV: "production" })).toBe(false);
    expect(seedDemoOf({ NODE_ENV: "production", SEED_DEMO: "1" })).toBe(false);
    expect(seedDemoOf({ NODE_ENV: "production", SEED_DEMO: "true" })).toBe(true);
    expect(seedDemoOf({})).toBe(true);
    expect(seedDemoOf({ SEED_DEMO: "false" })).toBe(false);
  });

  it("a production start with no SEED_DEMO has no prov_admin", { timeout: 180_000 }, async () => {
    const db = await openDb({ inMemory: true });
    try {
      await seed(db, { demo: loadConfig({ NODE_ENV: "production" }).seedDemo });
      expect(await db.rows(`SELECT account FROM app_user`)).toEqual([]);
      expect((await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM org_unit WHERE kind = 'CITY'`))!.n).toBe(11);
    } finally {
      await db.close();
    }
  });
});

describe("pnpm admin create on PGlite (DATA_DIR)", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zjh-admin-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("refuses a weak password and creates nothing", async () => {
    const r = await adminCommand(["create", "--account", "zj_admin"], { DATA_DIR: dataDir, ADMIN_PASSWORD: "Admin1234" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ADMIN_PASSWORD");
    expect(r.stderr).toContain("12位");
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("refuses a call without --account", async () => {
    const r = await adminCommand(["create"], { DATA_DIR: dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--account");
  });

  it("creates a province admin with ADMIN_PASSWORD who can log in; a second create of the account is refused", { timeout: 300_000 }, async () => {
    const password = "Qiantang-Tide-2026";
    const r = await adminCommand(["create", "--account", "zj_admin", "--name", "省平台管理员"], { DATA_DIR: dataDir, ADMIN_PASSWORD: password });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("zj_admin");
    expect(r.stdout).not.toContain(password);

    const again = await adminCommand(["create", "--account", "zj_admin"], { DATA_DIR: dataDir, ADMIN_PASSWORD: "Another-Strong-2027" });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("已存在");

    const db = await openDb({ dataDir });
    try {
      expect(await rolesAfterLogin(db, "zj_admin", password)).toEqual(["PROVINCE_ADMIN@330000"]);
      // No demo account came with it.
      expect((await db.rows<{ account: string }>(`SELECT account FROM app_user`)).map((u) => u.account)).toEqual(["zj_admin"]);
    } finally {
      await db.close();
    }
  });
});

const PG = await pgReachable();
describe.skipIf(!PG)("pnpm admin create on PostgreSQL (DATABASE_URL)", () => {
  let tmp: Awaited<ReturnType<typeof createThrowawayDatabase>> | undefined;
  afterAll(async () => tmp?.drop());

  it("reads the password from stdin, or generates and prints a strong one when none is given", { timeout: 300_000 }, async () => {
    tmp = await createThrowawayDatabase();
    const piped = await adminCommand(["create", "--account", "zj_admin"], { DATABASE_URL: tmp.url }, "Wenzhou-Bay-Bridge-9\n");
    expect(piped.stderr).toBe("");
    expect(piped.code).toBe(0);

    const gen = await adminCommand(["create", "--account", "zj_admin2", "--name", "备用管理员"], { DATABASE_URL: tmp.url });
    expect(gen.code).toBe(0);
    const generated = /: (\S+)\n?$/.exec(gen.stdout.trim().split("\n").at(-1)!)?.[1];
    expect(generated).toMatch(/^.{24}$/);

    const weak = await adminCommand(["create", "--account", "zj_admin3"], { DATABASE_URL: tmp.url }, "password123\n");
    expect(weak.code).toBe(1);

    const db = await openDb({ databaseUrl: tmp.url });
    try {
      expect(await rolesAfterLogin(db, "zj_admin", "Wenzhou-Bay-Bridge-9")).toEqual(["PROVINCE_ADMIN@330000"]);
      expect(await rolesAfterLogin(db, "zj_admin2", generated!)).toEqual(["PROVINCE_ADMIN@330000"]);
      expect((await db.rows<{ account: string }>(`SELECT account FROM app_user ORDER BY account`)).map((u) => u.account)).toEqual(["zj_admin", "zj_admin2"]);
    } finally {
      await db.close();
    }
  });
});
