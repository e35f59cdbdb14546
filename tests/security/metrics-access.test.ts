import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../apps/server/src/config.js";
import { loginAs } from "../support/client.js";
import { scrape, valueOf } from "../support/metrics.js";
import { startTestServer, type TestServer } from "../support/server.js";

/**
 * GET /metrics tells how the process is loaded and which operations fail: in production it is off
 * unless METRICS_TOKEN is set, and then only a caller with that bearer token reads it.
 */

const TOKEN = "metrics-token-0123456789abcdef";

describe("/metrics in production (protected by METRICS_TOKEN)", () => {
  let off: TestServer;
  let guarded: TestServer;
  beforeAll(async () => {
    [off, guarded] = await Promise.all([
      startTestServer("pglite", { NODE_ENV: "production" }),
      startTestServer("pglite", { NODE_ENV: "production", METRICS_TOKEN: TOKEN }),
    ]);
  });
  afterAll(async () => {
    await off?.stop();
    await guarded?.stop();
  });

  it("without METRICS_TOKEN: 404 for everyone, a bearer token or a signed-in province administrator alike", async () => {
    expect((await scrape(off.url)).status).toBe(404);
    expect((await scrape(off.url, { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
    const admin = await loginAs(off.url, "prov_admin");
    const res = await scrape(off.url, { authorization: `Bearer ${admin.token}` });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("zjh_");
    // Not the web app's index either: /metrics is never a page.
    expect(res.contentType).toMatch(/^text\/plain/);
  });

  it("with METRICS_TOKEN: 401 without the token or with a wrong one, 200 with it", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }];
    for (const headers of attempts) {
      const res = await scrape(guarded.url, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.text).not.toContain("zjh_");
    }
    // A session token is not the metrics token.
    const admin = await loginAs(guarded.url, "prov_admin");
    expect((await scrape(guarded.url, { authorization: `Bearer ${admin.token}` })).status).toBe(401);

    const ok = await scrape(guarded.url, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("# TYPE zjh_graphql_request_duration_seconds histogram");
    expect(valueOf(ok.samples, "zjh_db_pool_size")).toBe(1);
  });

  it("a refused scrape sheds nothing, never reaches GraphQL and does not count as a request", async () => {
    for (let i = 0; i < 5; i++) expect((await scrape(guarded.url, { authorization: "Bearer wrong" })).status).toBe(401);
    const ok = await scrape(guarded.url, { authorization: `Bearer ${TOKEN}` });
    expect(valueOf(ok.samples, "zjh_db_pool_shed_total")).toBe(0);
    expect(ok.samples.filter((s) => s.name === "zjh_http_request_duration_seconds_count" && s.labels.route === "/metrics")).toEqual([]);
  });
});

describe("/metrics outside production", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite", { METRICS_TOKEN: TOKEN });
  });
  afterAll(() => server?.stop());

  it("with METRICS_TOKEN set, requires it there too", async () => {
    expect((await scrape(server.url)).status).toBe(401);
    expect((await scrape(server.url, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it("refuses a METRICS_TOKEN shorter than 16 characters at start", () => {
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
    expect(loadConfig({ METRICS_TOKEN: "" }).metricsToken).toBeUndefined();
  });
});
