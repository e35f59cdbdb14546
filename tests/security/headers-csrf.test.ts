import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { startTestServer, type TestServer } from "../support/server.js";

/** Security headers on the built web app and the API (L2), CSRF on every mutating REST route (L6). */

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../apps/web/dist");

function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get("content-security-policy") ?? "";
  return new Map(
    header
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

type RouterStack = { route?: { path: unknown; methods: Record<string, boolean> }; handle?: { stack?: RouterStack } }[];

/**
 * Every POST/PUT/PATCH/DELETE route of the Express app, read from its router (nested routers
 * included), so a new route is covered without being listed here.
 */
function mutatingRoutes(server: TestServer): { method: string; path: string }[] {
  const app = server.httpServer.listeners("request")[0] as unknown as { router: { stack: RouterStack } };
  const out: { method: string; path: string }[] = [];
  const walk = (stack: RouterStack) => {
    for (const layer of stack) {
      if (layer.handle?.stack) walk(layer.handle.stack);
      const route = layer.route;
      if (!route) continue;
      for (const m of Object.keys(route.methods)) {
        if (["post", "put", "patch", "delete", "_all"].includes(m)) out.push({ method: m === "_all" ? "POST" : m.toUpperCase(), path: String(route.path) });
      }
    }
  };
  walk(app.router.stack);
  return out;
}

/** The mutating routes of the REST API, with their parameters filled in. */
function mutatingApiRoutes(server: TestServer): { method: string; path: string }[] {
  return mutatingRoutes(server)
    .filter((r) => r.path.startsWith("/api/"))
    .map((r) => ({ ...r, path: r.path.replace(/:(\w+)/g, "1") }));
}

function multipart(): FormData {
  const fd = new FormData();
  fd.append("file", new Blob(["account,name\n"]), "a.csv");
  return fd;
}

describe("security headers on the built app (L2)", () => {
  let server: TestServer;
  let prod: TestServer;
  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, "index.html"))) {
      throw new Error(`The web app is not built (${WEB_DIST}). Run \`pnpm --filter @zjh/web build\` (the root \`pnpm test\` does).`);
    }
    [server, prod] = await Promise.all([startTestServer("pglite"), startTestServer("pglite", { NODE_ENV: "production" })]);
  });
  afterAll(async () => {
    await server?.stop();
    await prod?.stop();
  });

  it("serves the SPA, its assets and the API with CSP, frame-ancestors 'none', nosniff and a referrer policy", async () => {
    const index = await fetch(server.url + "/login");
    expect(index.status).toBe(200);
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const answers = await Promise.all([
      Promise.resolve(index),
      fetch(server.url + asset),
      fetch(server.url + "/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ me { id } }" }) }),
      fetch(server.url + "/api/exports"),
      fetch(server.url + "/healthz"),
    ]);
    for (const res of answers) {
      const p = csp(res);
      expect(p.get("default-src")).toEqual(["'self'"]);
      expect(p.get("script-src")).toEqual(["'self'"]);
      expect(p.get("object-src")).toEqual(["'none'"]);
      expect(p.get("frame-ancestors")).toEqual(["'none'"]);
      expect(p.get("base-uri")).toEqual(["'self'"]);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(res.headers.get("x-powered-by")).toBeNull();
      // Development over plain HTTP: no HSTS, no upgrade of requests.
      expect(res.headers.get("strict-transport-security")).toBeNull();
      expect(p.has("upgrade-insecure-requests")).toBe(false);
    }
  });

  it("passes the built index.html: no inline script, every script and stylesheet from the app's own origin", () => {
    const html = fs.readFileSync(path.join(WEB_DIST, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim(), "inline script (script-src 'self' refuses it)").toBe("");
      expect(attrs).toMatch(/src="\/[^/]/);
    }
    for (const [, href] of html.matchAll(/<link\b[^>]*href="([^"]+)"/g)) expect(href!.startsWith("/") || href!.startsWith("data:")).toBe(true);
    expect(html).not.toMatch(/\son[a-z]+=/i); // inline event handlers (script-src-attr 'none')
  });

  it("adds HSTS and upgrade-insecure-requests in production only", async () => {
    const res = await fetch(prod.url + "/login");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}; includeSubDomains/);
    expect(csp(res).has("upgrade-insecure-requests")).toBe(true);
    expect(csp(res).get("frame-ancestors")).toEqual(["'none'"]);
  });
});

describe("CSRF check on every mutating REST route (L6)", () => {
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    server = await startTestServer("pglite");
    admin = await loginAs(server.url, "prov_admin");
  });
  afterAll(() => server?.stop());

  it("finds the upload and import routes", () => {
    const routes = mutatingApiRoutes(server).map((r) => `${r.method} ${r.path}`);
    expect(routes).toEqual(expect.arrayContaining(["POST /api/files", "POST /api/import/teachers", "POST /api/activity/import"]));
  });

  it("mounts every mutating route under /api, behind the CSRF guard (common/http.ts)", () => {
    // /graphql is not a route of the router: Apollo's own CSRF prevention covers it.
    const outside = mutatingRoutes(server).filter((r) => !String(r.path).startsWith("/api/"));
    expect(outside).toEqual([]);
  });

  it("refuses a cookie-only request (what a cross-site form sends) on each of them", async () => {
    for (const r of mutatingApiRoutes(server)) {
      const res = await fetch(`${server.url}${r.path}?purpose=STAMPED_SCAN`, { method: r.method, headers: { cookie: `zjh_session=${admin.token}`, origin: "https://evil.example" }, body: multipart() });
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
      expect(((await res.json()) as { error: { code: string; message: string } }).error, `${r.method} ${r.path}`).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/X-Requested-With/) });
    }
  });

  it("lets the web app's request (cookie and X-Requested-With) and an API client's bearer token through to the route", async () => {
    for (const r of mutatingApiRoutes(server)) {
      for (const headers of [{ cookie: `zjh_session=${admin.token}`, "x-requested-with": "XMLHttpRequest" }, { authorization: `Bearer ${admin.token}` }]) {
        const res = await fetch(`${server.url}${r.path}?purpose=STAMPED_SCAN`, { method: r.method, headers, body: multipart() });
        const body = (await res.json()) as { error?: { message: string } };
        // Whatever the route answers (a refused file, a job), it is not the CSRF refusal.
        expect(body.error?.message ?? "", `${r.method} ${r.path}`).not.toMatch(/X-Requested-With/);
      }
    }
  });

  it("answers an anonymous request (no cookie, no token) as the route does: 401", async () => {
    const res = await fetch(`${server.url}/api/files?purpose=STAMPED_SCAN`, { method: "POST", body: multipart() });
    expect(res.status).toBe(401);
  });

  it("refuses a NUL in a query parameter as BAD_INPUT naming it", async () => {
    const res = await fetch(`${server.url}/api/export/users.xlsx?search=a%00b`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: "BAD_INPUT", field: "search" });
  });
});
