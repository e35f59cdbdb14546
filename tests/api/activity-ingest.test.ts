import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

/** One event line (SPEC §5 format). */
const line = (e: Record<string, unknown>) => JSON.stringify(e);

/** Shanghai wall-clock time on a day of March 2018, as an ISO instant with +08:00. */
const at = (day: number, hh: number, mm = 0) => `2018-03-${String(day).padStart(2, "0")}T${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}:00+08:00`;

/**
 * Ten days of one teacher's platform activity that exercises order-dependent rules: a login streak
 * (2 points from the 7th day), daily caps (lessons, mobile use, spread), a resource approved twice
 * then deleted, a task whose students engage across days, interactions crossing both tiers.
 * Ids are prefixed so the same story can be told for two accounts.
 */
function story(prefix: string, account: string): string[] {
  const out: string[] = [];
  let n = 0;
  const add = (e: Record<string, unknown>) => out.push(line({ id: `${prefix}-${++n}`, ...e }));
  for (let d = 1; d <= 10; d++) {
    add({ type: "login", userId: account, at: at(d, 7, 30), client: d % 2 ? "mobile" : "pc" });
    for (let k = 0; k < 3; k++) add({ type: "lesson", userId: account, at: at(d, 8 + k), client: "pc", minutes: 40 });
    for (let k = 0; k < 3; k++) add({ type: "mobile_op", userId: account, op: "message", at: at(d, 12, k), client: "mobile" });
    for (let k = 0; k < 3; k++) {
      add({ type: "resource_spread", userId: `s${d * 10 + k}`, ownerId: account, resourceId: `${prefix}-r1`, action: "download", at: at(d, 13, k) });
    }
    if (d === 3) for (let k = 0; k < 12; k++) add({ type: "interaction", userId: account, counterpartId: `p${k}`, at: at(d, 15, k) });
  }
  add({ type: "resource_review", ownerId: account, resourceId: `${prefix}-r1`, level: "county", outcome: "approved", at: at(2, 9, 30) });
  add({ type: "resource_review", ownerId: account, resourceId: `${prefix}-r1`, level: "city", outcome: "approved", at: at(4, 9, 30) });
  add({ type: "resource_deleted", ownerId: account, resourceId: `${prefix}-r1`, at: at(8, 9, 30) });
  add({ type: "task_published", userId: account, taskId: `${prefix}-k1`, at: at(5, 10) });
  for (let k = 0; k < 12; k++) add({ type: "task_engaged", taskId: `${prefix}-k1`, studentId: `st${k}`, at: at(5 + (k % 3), 18, k) });
  return out;
}

/** A deterministic shuffle (the platform's batches arrive in any order). */
function shuffled<T>(list: T[], seed: number): T[] {
  const a = [...list];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const INGEST = `mutation($lines: [String!]!) { ingestActivityEvents(lines: $lines) { received valid stored duplicates rescoredAccounts errors { line message } } }`;

const ACTIVITY = `query($account: String, $year: Int!, $month: String) {
  teacherActivity(account: $account, year: $year) {
    account userId total mobile mobileShare yearTargetMet
    rules { rule points } months { month points mobile targetMet }
    ledger(month: $month, limit: 200) { total items { seq day rule points mobile eventId eventType } }
  }
}`;

interface Activity {
  account: string;
  userId: string | null;
  total: number;
  mobile: number;
  mobileShare: number;
  yearTargetMet: boolean;
  rules: { rule: string; points: number }[];
  months: { month: string; points: number; mobile: number; targetMet: boolean }[];
  ledger: { total: number; items: { seq: number; day: string; rule: string; points: number; mobile: boolean; eventId: string; eventType: string }[] };
}

async function activityOf(c: Client, account: string, year = 2018): Promise<Activity> {
  return (await c.gql<{ teacherActivity: Activity }>(ACTIVITY, { account, year })).teacherActivity;
}

async function upload(server: TestServer, c: Client, content: string, headers: Record<string, string> = { "x-requested-with": "XMLHttpRequest" }) {
  const fd = new FormData();
  fd.append("file", new Blob([content]), "事件.jsonl");
  const res = await fetch(`${server.url}/api/activity/import`, { method: "POST", headers: { authorization: `Bearer ${c.token}`, ...headers }, body: fd });
  return { status: res.status, body: (await res.json()) as { jobId?: string; error?: { code: string; message: string } } };
}

const JOB = `query($id: ID!) { activityImportJob(id: $id) {
  id state fileName bytes progress processed lines valid stored duplicates errorCount accounts unknownAccounts error
  errors(limit: 50) { total items { line message } } } }`;

async function waitForJob(c: Client, id: string) {
  for (let i = 0; i < 600; i++) {
    const j = (await c.gql<{ activityImportJob: Record<string, any> }>(JOB, { id })).activityImportJob;
    if (j.state === "DONE" || j.state === "FAILED") return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

describeEachDb("activity ingestion", (variant) => {
  let server: TestServer;
  let platform: Client;

  beforeAll(async () => {
    server = await startTestServer(variant);
    platform = await loginAs(server.url, "prov_admin");
  });
  afterAll(() => server?.stop());

  it("stores a batch once: sending the same batch again changes nothing", async () => {
    const lines = story("idem", "plat_idem");
    const first = (await platform.gql(INGEST, { lines })).ingestActivityEvents;
    expect(first).toMatchObject({ received: lines.length, valid: lines.length, stored: lines.length, duplicates: 0, errors: [], rescoredAccounts: 1 });
    const before = await activityOf(platform, "plat_idem");
    expect(before.total).toBeGreaterThan(0);

    const again = (await platform.gql(INGEST, { lines })).ingestActivityEvents;
    expect(again).toMatchObject({ received: lines.length, valid: lines.length, stored: 0, duplicates: lines.length, rescoredAccounts: 0 });
    expect(await activityOf(platform, "plat_idem")).toEqual(before);
  });

  it("stores each event once when the same batch arrives twice at the same time", async () => {
    const lines = [...story("twin", "plat_twin"), ...story("twin2", "plat_twin2")];
    const [a, b] = await Promise.all([platform.gql(INGEST, { lines }), platform.gql(INGEST, { lines })]);
    expect(a.ingestActivityEvents.stored + b.ingestActivityEvents.stored).toBe(lines.length);
    expect(a.ingestActivityEvents.duplicates + b.ingestActivityEvents.duplicates).toBe(lines.length);
    const once = await activityOf(platform, "plat_twin");
    const count = await server.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM activity_event WHERE id LIKE 'twin-%'`);
    expect(count!.n).toBe(lines.length / 2);
    expect(once.ledger.total).toBe((await activityOf(platform, "plat_twin2")).ledger.total);
  });

  it("gives out-of-order batches the same ledger as one sorted file", async () => {
    const sorted = story("sorted", "plat_sorted");
    const ingestSorted = (await platform.gql(INGEST, { lines: sorted })).ingestActivityEvents;
    expect(ingestSorted.errors).toEqual([]);

    // The same story for another account, shuffled into four batches; the task's publication comes last.
    const events = story("late", "plat_late");
    const publication = events.find((l) => l.includes("task_published"))!;
    const rest = shuffled(events.filter((l) => l !== publication), 7);
    const batches = [rest.slice(0, 40), rest.slice(40, 80), rest.slice(80), [publication]];
    for (const b of [batches[2]!, batches[0]!, batches[1]!, batches[3]!]) {
      expect((await platform.gql(INGEST, { lines: b })).ingestActivityEvents.errors).toEqual([]);
    }

    const a = await activityOf(platform, "plat_sorted");
    const b = await activityOf(platform, "plat_late");
    const shape = (x: Activity) => ({
      total: x.total,
      mobile: x.mobile,
      rules: x.rules,
      months: x.months,
      ledger: x.ledger.items.map((e) => ({ ...e, eventId: e.eventId.replace(/^\w+-/, "") })),
    });
    expect(shape(b)).toEqual(shape(a));
    // The story earns on every rule it touches, including the streak, the task and the deduction.
    const rules = Object.fromEntries(a.rules.map((r) => [r.rule, r.points]));
    expect(rules).toMatchObject({ login: 6 + 4 * 2, mobile_use: 20, lesson: 100, spread: 14, submission: 0, task: 5, interaction: 5 });
    expect(a.ledger.items.some((e) => e.rule === "submission" && e.points === -10 && e.day === "2018-03-08")).toBe(true);
    expect(a.months.find((m) => m.month === "2018-03")).toMatchObject({ points: a.total, targetMet: true });
  });

  it("reports bad lines with their line numbers and stores the rest", async () => {
    const lines = [
      line({ id: "bad-1", type: "login", userId: "plat_bad", at: at(1, 8) }),
      "{not json",
      "",
      line({ id: "bad-2", type: "login", userId: "plat_bad", at: "2018-03-02T08:00:00" }),
      line({ id: "bad-3", type: "lesson", at: at(2, 9) }),
      line({ id: "bad-4", type: "lesson", userId: "plat_bad", at: at(2, 9) }),
      line({ id: "bad-5", type: "teleport", userId: "plat_bad", at: at(2, 9) }),
    ];
    const r = (await platform.gql(INGEST, { lines })).ingestActivityEvents;
    expect(r).toMatchObject({ received: 7, valid: 2, stored: 2 });
    expect(r.errors.map((e: { line: number }) => e.line)).toEqual([2, 4, 5, 7]);
    expect(r.errors[0].message).toMatch(/^第2行：/);
    expect(r.errors[1].message).toContain("时区");
    expect(r.errors[2].message).toContain("userId");
    const a = await activityOf(platform, "plat_bad");
    expect(a.total).toBe(1 + 5);
  });

  it("refuses a batch above the size limit, naming the field", async () => {
    const lines = Array.from({ length: 5001 }, (_, i) => line({ id: `big-${i}`, type: "login", userId: "plat_big", at: at(1, 8) }));
    const res = await platform.raw(INGEST, { lines });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_INPUT", field: "lines" });
  });

  it("imports a file as a job: progress to DONE, refused lines listed by number and exported", async () => {
    const good = story("file", "ra_teacher2");
    const content = ["\ufeff" + good[0], ...good.slice(1, 20), "garbage", ...good.slice(20), good[3], '{"id":"x1","type":"login","userId":"ra_teacher2","at":"2018-13-01T00:00:00Z"}'].join("\r\n");
    const up = await upload(server, platform, content);
    expect(up.status).toBe(202);
    const job = await waitForJob(platform, up.body.jobId!);
    expect(job).toMatchObject({
      state: "DONE", fileName: "事件.jsonl", progress: 1, lines: good.length + 3, valid: good.length + 1, stored: good.length,
      duplicates: 1, errorCount: 2, accounts: 1, unknownAccounts: 0, error: null,
    });
    expect(job.errors.items.map((e: { line: number }) => e.line)).toEqual([21, good.length + 3]);

    const wb = new ExcelJS.Workbook();
    const res = await fetch(`${server.url}/api/export/activity-import-errors.xlsx?jobId=${job.id}`, { headers: { authorization: `Bearer ${platform.token}` } });
    expect(res.status).toBe(200);
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const rows = wb.worksheets[0]!.getSheetValues().slice(4).map((r) => (r as unknown[])[1]);
    expect(rows).toEqual([21, good.length + 3]);

    // The teacher sees the imported points as their own.
    const teacher = await loginAs(server.url, "ra_teacher2");
    const mine = await teacher.gql(`{ myActivity(year: 2018) { total ledger(limit: 5) { total items { rule eventType } } } }`);
    expect(mine.myActivity.total).toBe((await activityOf(platform, "ra_teacher2")).total);
    expect(mine.myActivity.ledger.total).toBeGreaterThan(5);
  });

  it("refuses imports from anyone but the province, and cross-site uploads", async () => {
    const county = await loginAs(server.url, "ra_county");
    expect((await upload(server, county, line({ id: "z", type: "login", userId: "x", at: at(1, 1) }))).status).toBe(403);
    const fd = new FormData();
    fd.append("file", new Blob(["{}"]), "a.jsonl");
    const cookieOnly = await fetch(`${server.url}/api/activity/import`, { method: "POST", headers: { cookie: `zjh_session=${platform.token}` }, body: fd });
    expect(cookieOnly.status).toBe(403);
    expect((await county.raw(JOB, { id: "1" })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("keeps events of unknown accounts, attributed to no unit: only the province sees them", async () => {
    await platform.gql(INGEST, { lines: [line({ id: "unk-1", type: "lesson", userId: "nobody_here", at: at(3, 9) })] });
    expect(await activityOf(platform, "nobody_here")).toMatchObject({ userId: null, total: 5 });
    const county = await loginAs(server.url, "ra_county");
    expect(await county.errorCode(ACTIVITY, { account: "nobody_here", year: 2018 })).toBe("NOT_FOUND");
  });
});
