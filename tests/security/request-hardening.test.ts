import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAs } from "../support/client.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer("pglite");
});
afterAll(() => server?.stop());

describe("request hardening", () => {
  it("refuses an operation whose cost is above the limit before running it", async () => {
    const c = await loginAs(server.url, "prov_admin");
    // 900 fields on each of 200 rows (the cost model multiplies a list by its page size).
    const fields = Array.from({ length: 900 }, (_, i) => `a${i}: __typename`).join(" ");
    const r = await c.raw(`{ users(limit: 200) { items { ${fields} } } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
  });

  it("refuses a cross-site simple request (CSRF prevention stays on)", async () => {
    const res = await fetch(server.url + "/graphql", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    expect(res.status).toBe(400);
  });

  it("answers unexpected input without leaking internals", async () => {
    const c = await loginAs(server.url, "prov_admin");
    const r = await c.raw(`{ unit(id: "not-a-number") { id } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(JSON.stringify(r)).not.toMatch(/stack|at .*\.ts/);
  });

  it("sets the session cookie httpOnly and SameSite", async () => {
    const res = await fetch(server.url + "/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `mutation { login(account: "ra_county", password: "Demo@2023") { token } }` }),
    });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/zjh_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
});
