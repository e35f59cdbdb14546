import { afterAll, beforeAll, expect, it } from "vitest";
import { GqlResponseError, type Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, campaignInput, fullForm, review, testCampaign } from "./pipeline-helpers.js";

describeEachDb("quota messages name categories in Chinese, never by their internal codes", (variant) => {
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    server = await startTestServer(variant);
    admin = await loginAs(server.url, "prov_admin");
  });
  afterAll(() => server?.stop());

  it("refuses to drop a county's used 优秀讲师空间 places with the counter's Chinese description", async () => {
    const campaignId = await testCampaign(admin, 2034);
    const teacher = await loginAs(server.url, "ra_teacher1");
    const county = await loginAs(server.url, "ra_county");
    const app = await applyAndSubmit(teacher, campaignId, "LECTURER_SPACE", fullForm("13857700001"));
    await review(county, "recommendApplication", app);

    const input = await campaignInput(admin, campaignId);
    const lecturer = input.categories.find((k: { code: string }) => k.code === "LECTURER_SPACE");
    delete lecturer.quota.perCounty;
    let error: GqlResponseError | null = null;
    try {
      await admin.gql(`mutation($id: ID!, $i: CampaignInput!) { updateCampaign(id: $id, input: $i) { id } }`, { id: campaignId, i: input });
    } catch (e) {
      error = e as GqlResponseError;
    }
    expect(error?.code).toBe("BAD_INPUT");
    const message = error!.errors[0]!.message;
    expect(message).toBe("瑞安市推荐至设区市的「优秀讲师空间」名额已使用1个，不能取消");
    expect(message).not.toMatch(/[A-Z_]{4,}/);
  });
});
