import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { startTestServer, type TestServer } from "../support/server.js";

/**
 * Hostile GraphQL operations (finding H2 and L1, L3 of the outside probe): refused before they
 * execute, with QUERY_TOO_COMPLEX or BAD_USER_INPUT, and the server keeps answering /healthz.
 */
let server: TestServer;
let admin: Client;
let teacher: Client;

async function healthy(url: string) {
  const res = await fetch(url + "/healthz");
  expect(res.status).toBe(200);
  expect((await res.json()).status).toBe("ok");
}

beforeAll(async () => {
  server = await startTestServer("pglite");
  [admin, teacher] = await Promise.all([loginAs(server.url, "prov_admin"), loginAs(server.url, "ra_teacher1")]);
});
afterAll(() => server?.stop());

describe("cost and depth limits (H2)", () => {
  it("has no user ↔ roles cycle: a role assignment leads to no user", async () => {
    const r = await teacher.raw(`{ me { roles { user { roles { user { id } } } } } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    await healthy(server.url);
  });

  it("refuses a selection deeper than the limit, before running it", async () => {
    let q = "id";
    for (let i = 0; i < 30; i++) q = `ancestors { ${q} }`;
    const r = await admin.raw(`{ users(limit: 200) { items { homeUnit { ${q} } } } }`);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", maxDepth: expect.any(Number) });
    expect(r.data).toBeUndefined();
    await healthy(server.url);
  });

  it("multiplies lists by their page size: nested lists under a large page are refused", async () => {
    const r = await admin.raw(`{ users(limit: 200) { items { roles { unit { ancestors { ancestors { ancestors { id name } } } } } } } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    // The same selection on a small page is fine.
    const ok = await admin.raw(`{ users(limit: 2) { items { roles { unit { ancestors { id name } } } } } }`);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.users.items).toHaveLength(2);
  });

  it("counts every use of a fragment, however the fragments nest", async () => {
    // Few selections once expanded (under Apollo's recursive-selection cap), but 40^4 units.
    const defs = Array.from({ length: 4 }, (_, i) =>
      `fragment F${i} on OrgUnit { ${Array.from({ length: 4 }, (_, j) => `a${j}: ancestors { ...F${i + 1} }`).join(" ")} }`,
    );
    defs.push(`fragment F4 on OrgUnit { id }`);
    const r = await admin.raw(`{ me { homeUnit { ...F0 } } } ${defs.join(" ")}`);
    expect(r.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    // A wider bomb (12^8 fields once expanded) is refused without being expanded.
    const wide = Array.from({ length: 8 }, (_, i) =>
      `fragment W${i} on OrgUnit { ${Array.from({ length: 12 }, (_, j) => `a${j}: ancestors { ...W${i + 1} }`).join(" ")} }`,
    );
    wide.push(`fragment W8 on OrgUnit { id name }`);
    const w = await admin.raw(`{ me { homeUnit { ...W0 } } } ${wide.join(" ")}`);
    expect(w.status).toBe(400);
    expect(["QUERY_TOO_COMPLEX", "GRAPHQL_VALIDATION_FAILED"]).toContain(w.errors?.[0]?.extensions?.code);
    await healthy(server.url);
  });

  it("refuses 150 aliased province-wide statistics, ten requests at once, and keeps answering /healthz", async () => {
    const aliases = Array.from({ length: 150 }, (_, i) => `s${i}: unitActivity(period: "2023") { teachers meanPoints }`).join("\n");
    const answers = await Promise.all(Array.from({ length: 10 }, () => admin.raw(`{ ${aliases} }`)));
    for (const r of answers) {
      expect(r.status).toBe(400);
      expect(r.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
      expect(r.data).toBeUndefined();
    }
    await healthy(server.url);
    // The web app's own trend (twelve months in one request) still passes.
    const months = Array.from({ length: 12 }, (_, i) => `m${i}: unitActivity(period: "2023-${String(i + 1).padStart(2, "0")}") { period meanPoints }`).join(" ");
    const trend = await admin.raw(`{ ${months} }`);
    expect(trend.errors).toBeUndefined();
  });

  it("refuses hundreds of aliased root fields and repeated logins in one request", async () => {
    const roots = Array.from({ length: 400 }, (_, i) => `u${i}: me { id }`).join(" ");
    expect(await admin.errorCode(`{ ${roots} }`)).toBe("QUERY_TOO_COMPLEX");
    const logins = Array.from({ length: 3 }, (_, i) => `l${i}: login(account: "ra_teacher2", password: "guess${i}") { token }`).join(" ");
    expect(await new Client(server.url).errorCode(`mutation { ${logins} }`)).toBe("QUERY_TOO_COMPLEX");
  });

  it("refuses, before validation, documents that would make validation itself slow (repeated fields)", async () => {
    const nest = (d: number): string => (d === 0 ? "id" : `ancestors { ${nest(d - 1)} } ancestors { ${nest(d - 1)} }`);
    const shapes = [
      `{ unit(id: "1") { ${nest(8)} } }`,
      `{ me { ${Array(480).fill("homeUnit { id }").join(" ")} } }`,
      `{ ${Array(480).fill("me { id }").join(" ")} }`,
    ];
    const answers = await Promise.all(shapes.flatMap((q) => Array.from({ length: 5 }, () => admin.raw(q))));
    for (const r of answers) {
      expect(r.status).toBe(400);
      expect(r.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    }
    await healthy(server.url);
  });

  it("lets the standard introspection through in development, not a walk of the schema's cycles", async () => {
    const anon = new Client(server.url);
    expect((await anon.raw(getIntrospectionQuery())).errors).toBeUndefined();
    // Two levels (under graphql-js's own introspection-depth rule): refused by the cost model.
    const walk = await anon.raw(`{ __schema { types { fields { type { fields { type { name } } } } } } }`);
    expect(walk.errors?.[0]?.extensions?.code, walk.errors?.[0]?.message).toBe("QUERY_TOO_COMPLEX");
    const deeper = await anon.raw(`{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`);
    expect(["QUERY_TOO_COMPLEX", "GRAPHQL_VALIDATION_FAILED"]).toContain(deeper.errors?.[0]?.extensions?.code);
    await healthy(server.url);
  });

  it("refuses batched requests (an array body)", async () => {
    const res = await fetch(server.url + "/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin.token}` },
      body: JSON.stringify(Array.from({ length: 50 }, () => ({ query: "{ me { id } }" }))),
    });
    expect(res.status).toBe(400);
    await healthy(server.url);
  });
});

describe("NUL characters in arguments (L3)", () => {
  it("refuses a NUL in an argument written in the query as BAD_USER_INPUT naming the argument", async () => {
    const r = await admin.raw(`{ users(search: "ra\\u0000x", limit: 5) { total } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "search" });
    expect(r.errors?.[0]?.message).toMatch(/search/);
  });

  it("refuses a NUL in a variable, nested ones included, naming the field", async () => {
    const r = await admin.raw(`query($s: String) { users(search: $s, limit: 5) { total } }`, { s: "ra\u0000" });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "s" });
    const campaigns = (await admin.gql(`{ campaigns { id } }`)).campaigns;
    const contact = await admin.raw(
      `mutation($c: ID!, $input: RegionalContactInput!) { saveRegionalContact(campaignId: $c, input: $input) { id } }`,
      { c: campaigns[0].id, input: { unitId: "1", contactName: "张\u0000三" } },
    );
    expect(contact.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.contactName" });
    const login = await new Client(server.url).raw(`mutation($a: String!, $p: String!) { login(account: $a, password: $p) { token } }`, { a: "prov_admin\u0000", p: "x" });
    expect(login.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "a" });
  });
});

describe("no schema suggestions in production (L1)", () => {
  let prod: TestServer;
  beforeAll(async () => {
    prod = await startTestServer("pglite", { NODE_ENV: "production" });
  });
  afterAll(() => prod?.stop());

  it("answers an anonymous misspelt field without 'Did you mean'", async () => {
    const anon = new Client(prod.url);
    const r = await anon.raw(`{ usr { id } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(JSON.stringify(r)).not.toMatch(/Did you mean/i);
    const e = await anon.raw(`query($s: UserSortField!) { users(sort: $s) { total } }`, { s: "acount" });
    expect(e.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(e)).not.toMatch(/Did you mean/i);
    const lit = await anon.raw(`{ users(sort: acount) { total } }`);
    expect(JSON.stringify(lit)).not.toMatch(/Did you mean/i);
  });

  it("still suggests in development", async () => {
    const r = await new Client(server.url).raw(`{ usr { id } }`);
    expect(JSON.stringify(r)).toMatch(/Did you mean/);
  });
});
