import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

const UPCOMING = `{ upcomingResults { campaignId year title stageName expectedBy } }`;

describeEachDb("the public results page's word on results not yet published", (variant) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(variant);
  });
  afterAll(() => server?.stop());

  it("names, to anyone, the open campaign whose results are due and its publication stage, and nothing of drafts", async () => {
    const anonymous = new Client(server.url);
    const before = (await anonymous.gql(UPCOMING)).upcomingResults;
    expect(before).toEqual([
      { campaignId: expect.any(String), year: 2023, title: expect.stringContaining("2023年"), stageName: "入选名单公布", expectedBy: null },
    ]);
    // A draft campaign (not announced yet) is not named.
    const admin = await loginAs(server.url, "prov_admin");
    await admin.gql(`mutation($s: ID!) { copyCampaign(sourceId: $s, year: 2035, title: "草稿活动2035") { id } }`, { s: before[0].campaignId });
    expect((await anonymous.gql(UPCOMING)).upcomingResults.map((u: { title: string }) => u.title)).not.toContain("草稿活动2035");
  });
});
