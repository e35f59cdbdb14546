import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { families, samples, scrape, valueOf, type Sample } from "../support/metrics.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { csvOf, importTeachers } from "./import-helpers.js";

/**
 * GET /metrics (docs/operations.md, "Metrics and alerts"): what a province's on-call person watches.
 * Both variants run in one process: the second server's request figures start from zero (the
 * exact counts below hold on each), while the process's (import rates) are read as differences.
 */

const RUIAN = "330381";

/** The operation label values of the GraphQL duration histogram. */
function operationLabels(all: Sample[]): Set<string> {
  return new Set(samples(all, "zjh_graphql_request_duration_seconds_count").map((s) => s.labels.operation!));
}

describeEachDb("metrics", (variant) => {
  let server: TestServer;
  let teacher: Client;

  beforeAll(async () => {
    server = await startTestServer(variant);
    teacher = await loginAs(server.url, "ra_teacher1");
  });
  afterAll(() => server?.stop());

  it("serves Prometheus text with the process's, the pool's, the queues' and the jobs' figures", async () => {
    const m = await scrape(server.url);
    expect(m.status).toBe(200);
    expect(m.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const types = families(m.text);
    for (const [name, type] of Object.entries({
      zjh_graphql_request_duration_seconds: "histogram",
      zjh_graphql_errors_total: "counter",
      zjh_http_request_duration_seconds: "histogram",
      zjh_http_errors_total: "counter",
      zjh_db_pool_size: "gauge",
      zjh_db_pool_in_use: "gauge",
      zjh_db_pool_waiting: "gauge",
      zjh_db_pool_wait_seconds: "histogram",
      zjh_db_pool_shed_total: "counter",
      zjh_queue_running: "gauge",
      zjh_queue_waiting: "gauge",
      zjh_queue_wait_seconds: "histogram",
      zjh_queue_shed_total: "counter",
      zjh_jobs: "gauge",
      zjh_job_oldest_age_seconds: "gauge",
      zjh_jobs_read_ok: "gauge",
      zjh_teacher_import_rows_total: "counter",
      zjh_activity_events_total: "counter",
      process_cpu_seconds_total: "counter",
      nodejs_eventloop_lag_p99_seconds: "gauge",
    })) {
      expect(types.get(name), name).toBe(type);
    }
    expect(valueOf(m.samples, "zjh_db_pool_size")).toBe(variant === "postgres" ? 20 : 1);
    for (const queue of ["argon2", "expensive", "export"]) expect(valueOf(m.samples, "zjh_queue_concurrency", { queue }), queue).toBeGreaterThan(0);
    // Logging in waited (or not) for the database and for argon2: both histograms have samples.
    expect(valueOf(m.samples, "zjh_db_pool_wait_seconds_count")).toBeGreaterThan(0);
    expect(valueOf(m.samples, "zjh_queue_wait_seconds_count", { queue: "argon2" })).toBeGreaterThan(0);
    expect(valueOf(m.samples, "zjh_jobs_read_ok")).toBe(1);
    // A scrape is not a request of the application: it does not time itself.
    expect(samples(m.samples, "zjh_http_request_duration_seconds_count", { route: "/metrics" })).toEqual([]);
  });

  it("times GraphQL requests by operation name and counts their errors by code", async () => {
    await teacher.gql(`query MetricsMe { me { id } }`);
    await teacher.gql(`query MetricsMe { me { id } }`);
    // Refused by the authorization gate (before execution) and by a resolver (during it).
    expect(await teacher.errorCode(`query MetricsPool { expertPool(campaignId: "1") { __typename } }`)).toBe("FORBIDDEN");
    expect(await teacher.errorCode(`query MetricsApplication { application(id: "999999999") { __typename } }`)).toBe("NOT_FOUND");
    // An anonymous caller's refused document does not get a label of its own.
    expect(await new Client(server.url).errorCode(`query MetricsAnonymous { expertPool(campaignId: "1") { __typename } }`)).toBe("UNAUTHENTICATED");

    const m = await scrape(server.url);
    expect(valueOf(m.samples, "zjh_graphql_request_duration_seconds_count", { operation: "MetricsMe" })).toBe(2);
    const buckets = samples(m.samples, "zjh_graphql_request_duration_seconds_bucket", { operation: "MetricsMe" });
    expect(buckets.find((b) => b.labels.le === "+Inf")?.value).toBe(2);
    expect(valueOf(m.samples, "zjh_graphql_errors_total", { operation: "MetricsPool", code: "FORBIDDEN" })).toBe(1);
    expect(valueOf(m.samples, "zjh_graphql_errors_total", { operation: "MetricsApplication", code: "NOT_FOUND" })).toBe(1);
    expect(samples(m.samples, "zjh_graphql_errors_total", { operation: "MetricsMe" })).toEqual([]);
    expect(operationLabels(m.samples).has("MetricsAnonymous")).toBe(false);
    expect(valueOf(m.samples, "zjh_graphql_errors_total", { operation: "other", code: "UNAUTHENTICATED" })).toBeGreaterThanOrEqual(1);
    // The login mutation of beforeAll was anonymous: its label is "anonymous".
    expect(valueOf(m.samples, "zjh_graphql_request_duration_seconds_count", { operation: "anonymous" })).toBeGreaterThanOrEqual(1);
  });

  it("labels REST requests with the route's pattern, never the URL with its ids", async () => {
    const headers = { authorization: `Bearer ${teacher.token}` };
    for (const id of ["987654321", "987654322"]) {
      const res = await fetch(`${server.url}/api/files/${id}`, { headers });
      expect(res.status).toBe(404);
      await res.arrayBuffer();
    }
    const m = await scrape(server.url);
    expect(valueOf(m.samples, "zjh_http_request_duration_seconds_count", { route: "/api/files/:id", method: "GET", status: "4xx" })).toBe(2);
    expect(valueOf(m.samples, "zjh_http_errors_total", { route: "/api/files/:id", code: "NOT_FOUND" })).toBe(2);
    expect(m.text).not.toContain("987654321");
    // GraphQL requests are one route at the HTTP level.
    expect(valueOf(m.samples, "zjh_http_request_duration_seconds_count", { route: "/graphql", method: "POST", status: "2xx" })).toBeGreaterThan(0);
  });

  it("counts rows written by teacher imports and events stored by activity batches", async () => {
    const before = (await scrape(server.url)).samples;
    const county = await loginAs(server.url, "ra_county");
    const job = await importTeachers(server.url, county, csvOf([["ra_metrics_001", "郑国强", "13957713009", "3303810003", "瑞安市塘下中学", RUIAN, "历史", "初中"]]));
    expect(job.state).toBe("DONE");
    const platform = await loginAs(server.url, "prov_admin");
    const lines = [1, 2, 3].map((n) =>
      JSON.stringify({ id: `metrics-${n}`, type: "login", userId: "plat_metrics", at: `2018-03-0${n}T07:30:00+08:00`, client: "pc" }),
    );
    const INGEST = `mutation MetricsIngest($lines: [String!]!) { ingestActivityEvents(lines: $lines) { stored duplicates } }`;
    expect((await platform.gql(INGEST, { lines })).ingestActivityEvents).toEqual({ stored: 3, duplicates: 0 });
    expect((await platform.gql(INGEST, { lines: lines.slice(0, 2) })).ingestActivityEvents).toEqual({ stored: 0, duplicates: 2 });

    const after = (await scrape(server.url)).samples;
    const delta = (name: string, labels: Record<string, string>) => (valueOf(after, name, labels) ?? 0) - (valueOf(before, name, labels) ?? 0);
    expect(delta("zjh_teacher_import_rows_total", { outcome: "created" })).toBe(1);
    expect(delta("zjh_activity_events_total", { outcome: "stored" })).toBe(3);
    expect(delta("zjh_activity_events_total", { outcome: "duplicate" })).toBe(2);
    expect(valueOf(after, "zjh_http_request_duration_seconds_count", { route: "/api/import/teachers", method: "POST", status: "2xx" })).toBe(1);
  });

  it("reports unfinished jobs by kind and state with the age of the oldest", async () => {
    await server.db.exec(
      `INSERT INTO job (kind, state, created_at, updated_at) VALUES ('metrics-check', 'QUEUED', now() - interval '15 minutes', now() - interval '15 minutes'),
                                                                   ('metrics-check', 'QUEUED', now(), now())`,
    );
    try {
      const m = await scrape(server.url);
      expect(valueOf(m.samples, "zjh_jobs", { kind: "metrics-check", state: "QUEUED" })).toBe(2);
      expect(valueOf(m.samples, "zjh_job_oldest_age_seconds", { kind: "metrics-check", state: "QUEUED" })).toBeGreaterThanOrEqual(15 * 60);
      expect(valueOf(m.samples, "zjh_job_stalest_update_seconds", { kind: "metrics-check", state: "QUEUED" })).toBeGreaterThanOrEqual(15 * 60);
    } finally {
      await server.db.exec(`DELETE FROM job WHERE kind = 'metrics-check'`);
    }
    const m = await scrape(server.url);
    expect(samples(m.samples, "zjh_jobs", { kind: "metrics-check" })).toEqual([]);
  });

  it("counts shedding while the pool is full: the session read refused, the REST route's 503, the pool gauges, and a scrape that neither waits nor sheds", async () => {
    const admin = await loginAs(server.url, "prov_admin");
    const before = (await scrape(server.url)).samples;
    const pool = server.db.queue;
    const waiting = pool.maxWaiting;
    pool.maxWaiting = 0;
    const held = await Promise.all(Array.from({ length: pool.concurrency }, () => pool.acquire()));
    let during: Sample[];
    try {
      expect((await admin.raw(`query { me { id } }`)).errors?.[0]?.extensions?.code).toBe("SERVER_BUSY");
      const exp = await fetch(server.url + "/api/export/campaigns.xlsx", { headers: { authorization: `Bearer ${admin.token}` } });
      expect(exp.status).toBe(503);
      await exp.arrayBuffer();
      const m = await scrape(server.url);
      expect(m.status).toBe(200);
      during = m.samples;
    } finally {
      for (const release of held) release();
      pool.maxWaiting = waiting;
    }
    expect(valueOf(during, "zjh_db_pool_in_use")).toBe(pool.concurrency);
    expect(valueOf(during, "zjh_db_pool_waiting")).toBe(0);
    // No connection was free: the scrape skipped the job table rather than wait or be refused.
    expect(valueOf(during, "zjh_jobs_read_ok")).toBe(0);
    const delta = (name: string, labels: Record<string, string> = {}) => (valueOf(during, name, labels) ?? 0) - (valueOf(before, name, labels) ?? 0);
    expect(delta("zjh_db_pool_shed_total")).toBe(2);
    // The session is read before the document: a refusal there has no operation name.
    expect(delta("zjh_graphql_errors_total", { operation: "anonymous", code: "SERVER_BUSY" })).toBe(1);
    expect(delta("zjh_http_errors_total", { route: "/api/export/:name.xlsx", code: "SERVER_BUSY" })).toBe(1);
    expect(delta("zjh_http_request_duration_seconds_count", { route: "/graphql", method: "POST", status: "5xx" })).toBe(1);
    expect(valueOf((await scrape(server.url)).samples, "zjh_jobs_read_ok")).toBe(1);
  });

  it("keeps the operation label set bounded: 300 distinct names give at most 200 labels, then \"other\"", async () => {
    // A name labelled before the flood keeps its label after it.
    await teacher.gql(`query MetricsMe { me { id } }`);
    const known = valueOf((await scrape(server.url)).samples, "zjh_graphql_request_duration_seconds_count", { operation: "MetricsMe" })!;
    const anonymous = new Client(server.url);
    for (let i = 0; i < 300; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, k) => {
          const r = await anonymous.gql<{ __typename: string }>(`query MetricsFlood${i + k} { __typename }`);
          expect(r.__typename).toBe("Query");
        }),
      );
    }
    const m = await scrape(server.url);
    const labels = operationLabels(m.samples);
    // 200 names at most, plus "anonymous" and "other".
    expect(labels.size).toBeLessThanOrEqual(202);
    expect(valueOf(m.samples, "zjh_graphql_operation_names")).toBe(200);
    expect(labels.has("other")).toBe(true);
    const flood = [...labels].filter((l) => l.startsWith("MetricsFlood"));
    expect(flood.length).toBeLessThanOrEqual(199);
    // Every flood request is counted: under its own name or under "other".
    const counted = samples(m.samples, "zjh_graphql_request_duration_seconds_count")
      .filter((s) => s.labels.operation!.startsWith("MetricsFlood") || s.labels.operation === "other")
      .reduce((n, s) => n + s.value, 0);
    expect(counted).toBeGreaterThanOrEqual(300);
    await teacher.gql(`query MetricsMe { me { id } }`);
    expect(valueOf((await scrape(server.url)).samples, "zjh_graphql_request_duration_seconds_count", { operation: "MetricsMe" })).toBe(known + 1);
  });
});

