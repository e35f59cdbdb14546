import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { DEMO } from "../support/demo.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

/** Every refusal code's HTTP status: never a 5xx for a refusal (docs/operations.md). */
describeEachDb("HTTP status of refusals", (variant) => {
  let server: TestServer;
  let teacher: Client;
  beforeAll(async () => {
    server = await startTestServer(variant);
    teacher = await loginAs(server.url, DEMO.TEACHER);
  });
  afterAll(() => server?.stop());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(server.url + "/graphql", { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  it("answers the authorization gate's UNAUTHENTICATED with 401", async () => {
    const r = await new Client(server.url).raw(`{ users(unitId: "1") { total } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(r.status).toBe(401);
  });

  it("answers the authorization gate's FORBIDDEN with 403", async () => {
    const r = await teacher.raw(`{ reviewQueue(campaignId: "1") { total } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(r.status).toBe(403);
  });

  it("answers an unregistered operation type (subscription) with 403 or 400, never 5xx", async () => {
    const r = await teacher.raw(`subscription { me { id } }`);
    expect(r.errors?.length).toBeGreaterThan(0);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });

  it("answers parse, validation, variable and cost refusals with 400", async () => {
    const parse = await teacher.raw(`{ me { id `);
    expect([parse.errors?.[0]?.extensions?.code, parse.status]).toEqual(["GRAPHQL_PARSE_FAILED", 400]);
    const unknownField = await teacher.raw(`{ me { noSuchField } }`);
    expect([unknownField.errors?.[0]?.extensions?.code, unknownField.status]).toEqual(["GRAPHQL_VALIDATION_FAILED", 400]);
    const badVariable = await teacher.raw(`query($id: ID!) { application(id: $id) { id } }`, { id: { not: "an id" } });
    expect([badVariable.errors?.[0]?.extensions?.code, badVariable.status]).toEqual(["BAD_USER_INPUT", 400]);
    const fields = Array.from({ length: 900 }, (_, i) => `a${i}: __typename`).join(" ");
    const tooComplex = await teacher.raw(`{ users(limit: 200) { items { ${fields} } } }`);
    expect([tooComplex.errors?.[0]?.extensions?.code, tooComplex.status]).toEqual(["QUERY_TOO_COMPLEX", 400]);
    const csrf = await post(JSON.stringify({ query: "{ me { id } }" }), { "content-type": "text/plain" });
    expect(csrf.status).toBe(400);
  });

  it("answers refusals from resolvers with 200 and the error beside the data", async () => {
    const notFound = await teacher.raw(`{ application(id: "999999999") { id } }`);
    expect([notFound.errors?.[0]?.extensions?.code, notFound.status]).toEqual(["NOT_FOUND", 200]);
    const wrongPassword = await new Client(server.url).raw(`mutation { login(account: "ra_county", password: "wrong-password") { token } }`);
    expect([wrongPassword.errors?.[0]?.extensions?.code, wrongPassword.status]).toEqual(["BAD_CREDENTIALS", 200]);
  });

  it("answers REST refusals with 401, 403 and 404", async () => {
    const get = (c: Client | null, path: string) => fetch(server.url + path, { headers: c?.token ? { authorization: `Bearer ${c.token}` } : {} });
    expect((await get(null, "/api/export/campaigns.xlsx")).status).toBe(401);
    expect((await get(teacher, "/api/export/users.xlsx")).status).toBe(403);
    expect((await get(teacher, "/api/export/no-such-export.xlsx")).status).toBe(404);
  });
});
