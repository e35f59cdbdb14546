import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
// @ts-expect-error plain ESM module without types (the benchmarks' data generator)
import { generateLines } from "../bench/activity-generate.mjs";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

const ROOT = path.resolve(new URL("../..", import.meta.url).pathname);

interface Report {
  year: number | null;
  users: Record<string, { total: number; mobile: number; rules: Record<string, number>; months: Record<string, number> }>;
  errors: { line: number; message: string }[];
}

/**
 * One realistic event file (late records, mixed offsets and fractions, repeated ids, every kind of
 * malformed line), scored by the command and imported into the server: every user's totals, rules
 * and months, and every refused line, must agree.
 */
let file: string;
let report: Report;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zjh-activity-"));
  file = path.join(dir, "events.jsonl");
  const lines = [...(generateLines({ events: 20_000, seed: 2018, start: "2018-01-01", days: 365, teachers: 300 }) as Iterable<string>)];
  // The last days of the year in UTC, so some events fall on Shanghai's 2019-01-01.
  lines.push('{"id":"edge-1","type":"lesson","userId":"t1","at":"2018-12-31T16:30:00Z","client":"mobile"}');
  lines.push('{"id":"edge-2","type":"lesson","userId":"t1","at":"2018-12-31T15:59:59.999Z"}');
  fs.writeFileSync(file, lines.join("\n") + "\n");
  const { stdout } = await promisify(execFile)("pnpm", ["--silent", "activity", "score", file, "--year", "2018"], { cwd: ROOT, maxBuffer: 64 << 20 });
  report = JSON.parse(stdout) as Report;
}, 180_000);

afterAll(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

const FIELDS = "account total mobile rules { rule points } months { month points }";

describeEachDb("the scoring command and the server agree", (variant) => {
  let server: TestServer;
  let platform: Client;

  beforeAll(async () => {
    server = await startTestServer(variant);
    platform = await loginAs(server.url, "prov_admin");
  });
  afterAll(() => server?.stop());

  async function importFile(content: string | Buffer) {
    const fd = new FormData();
    fd.append("file", new Blob([content]), "events.jsonl");
    const res = await fetch(`${server.url}/api/activity/import`, { method: "POST", headers: { authorization: `Bearer ${platform.token}` }, body: fd });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    let job: Record<string, any> = {};
    for (let i = 0; i < 1200 && job.state !== "DONE" && job.state !== "FAILED"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await platform.gql(`query($id: ID!) { activityImportJob(id: $id) { state errorCount } }`, { id: jobId })).activityImportJob;
    }
    return { jobId, job };
  }

  /** The server's view of accounts through the API, shaped like the command's report. */
  async function serverUsers(accounts: string[]) {
    const out: Report["users"] = {};
    for (let i = 0; i < accounts.length; i += 25) {
      const batch = accounts.slice(i, i + 25);
      const query = `query { ${batch.map((a, k) => `u${k}: teacherActivity(account: ${JSON.stringify(a)}, year: 2018) { ${FIELDS} }`).join(" ")} }`;
      const data = await platform.gql<Record<string, { account: string; total: number; mobile: number; rules: { rule: string; points: number }[]; months: { month: string; points: number }[] }>>(query);
      for (const v of Object.values(data)) {
        out[v.account] = {
          total: v.total,
          mobile: v.mobile,
          rules: Object.fromEntries(v.rules.map((r) => [r.rule, r.points])),
          months: Object.fromEntries(v.months.filter((m) => m.points !== 0).map((m) => [m.month, m.points])),
        };
      }
    }
    return out;
  }

  it("scores one file the same way, user by user, and refuses the same lines", async () => {
    const { jobId, job } = await importFile(fs.readFileSync(file));
    expect(job).toEqual({ state: "DONE", errorCount: report.errors.length });

    // The same refused lines with the same messages.
    const refused: { line: number; message: string }[] = [];
    for (let offset = 0; offset < report.errors.length; offset += 200) {
      const page = await platform.gql(`query($id: ID!, $o: Int!) { activityImportJob(id: $id) { errors(offset: $o, limit: 200) { items { line message } } } }`, { id: jobId, o: offset });
      refused.push(...page.activityImportJob.errors.items);
    }
    expect(refused).toEqual(report.errors);

    // The same users have points in 2018 ...
    const accounts = (await server.db.rows<{ account: string }>(`SELECT account FROM activity_total WHERE period = '2018' ORDER BY account`)).map((r) => r.account);
    expect(accounts).toEqual(Object.keys(report.users).sort());
    expect(accounts.length).toBeGreaterThan(250);

    // ... and the same totals, mobile points, rules and months, read through the API.
    const users = await serverUsers(accounts);
    for (const a of accounts) expect(users[a], a).toEqual(report.users[a]);
  });

  it("agrees when the same events arrive as three files, last part first", async () => {
    // Other ids and accounts (so nothing is a repeat of the first test), and each id once: with
    // parts in reverse order, a repeated id would keep its later line, unlike the command.
    const rename = (l: string) => l.replace(/"(id|userId|ownerId|taskId|resourceId)":"/g, '"$1":"z');
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const l of fs.readFileSync(file, "utf8").split("\n")) {
      let id: unknown;
      try {
        id = (JSON.parse(l) as { id?: unknown }).id;
      } catch {
        continue;
      }
      if (typeof id !== "string" || seen.has(id)) continue;
      seen.add(id);
      lines.push(rename(l));
    }
    const third = Math.ceil(lines.length / 3);
    const parts = [lines.slice(0, third), lines.slice(third, 2 * third), lines.slice(2 * third)];
    for (const part of [parts[2]!, parts[1]!, parts[0]!]) expect((await importFile(part.join("\n"))).job.state).toBe("DONE");

    // The command on the same events, in file order.
    const whole = path.join(path.dirname(file), "renamed.jsonl");
    fs.writeFileSync(whole, lines.join("\n"));
    const { stdout } = await promisify(execFile)("pnpm", ["--silent", "activity", "score", whole, "--year", "2018"], { cwd: ROOT, maxBuffer: 64 << 20 });
    const expected = (JSON.parse(stdout) as Report).users;
    const accounts = (await server.db.rows<{ account: string }>(`SELECT account FROM activity_total WHERE period = '2018' AND account LIKE 'z%' ORDER BY account`)).map((r) => r.account);
    expect(accounts).toEqual(Object.keys(expected).sort());
    const users = await serverUsers(accounts);
    for (const a of accounts) expect(users[a], a).toEqual(expected[a]);
  });
});
