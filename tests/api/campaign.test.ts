import { afterAll, beforeAll, expect, it } from "vitest";
import { loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

describeEachDb("campaigns", (variant) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(variant);
  });
  afterAll(() => server?.stop());

  it("seeds the 2023 campaign as demo data", async () => {
    const c = await loginAs(server.url, "ra_teacher1");
    const d = await c.gql(`{ campaigns { id year title docNo status categories { code name applicantKind } stages { stage name deadline effectiveDeadline open } } }`);
    expect(d.campaigns).toHaveLength(1);
    expect(d.campaigns[0].docNo).toBe("浙教技中心〔2023〕27号");
  });
});
