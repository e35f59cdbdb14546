import { copiedDates, defaultCopyYear, demoCampaign2023 } from "../../libs/domain/src/campaign/index.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

const COPY = `mutation($s: ID!, $y: Int, $t: String!) { copyCampaign(sourceId: $s, year: $y, title: $t) { id year issuedOn status stages { stage deadline } } }`;
const WARNINGS = `query($id: ID!) { campaignOpeningWarnings(id: $id) { code message } }`;
const STAGES = `mutation($id: ID!, $s: [StageDateInput!]!) { updateCampaignStages(id: $id, stages: $s) { id title stages { stage deadline } categories { code } } }`;
const STATUS = (m: string) => `mutation($id: ID!) { ${m}(id: $id) { id status } }`;

/** A province starts this year's campaign: copy, check, set the dates, open, close last year's. */
describeEachDb("a province's campaign of a new year", (variant) => {
  let server: TestServer;
  let admin: Client, city: Client, teacher: Client, anonymous: Client;
  let demoId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, city, teacher] = await Promise.all(["prov_admin", "wz_city", "ra_teacher1"].map((a) => loginAs(server.url, a)));
    anonymous = new Client(server.url);
    const list = await admin.gql(`{ campaigns { id year status } }`);
    demoId = list.campaigns.find((c: { year: number }) => c.year === 2023).id;
  });
  afterAll(() => server?.stop());

  it("a copy without a year goes where its dates are still ahead, with the issue date and stage dates moved", async () => {
    const expected = defaultCopyYear(demoCampaign2023(), new Date());
    const c = (await admin.gql(COPY, { s: demoId, t: "新年度活动" })).copyCampaign;
    // The copy was made a moment after `expected` was computed: the same year unless a year ended in between.
    expect([expected, expected + 1]).toContain(c.year);
    const dates = copiedDates(demoCampaign2023(), c.year);
    expect(c.issuedOn).toBe(dates.issuedOn);
    expect(c.issuedOn).toBe(`${c.year}-04-03`);
    expect(c.stages).toEqual(dates.stages.map((s) => ({ stage: s.stage, deadline: s.deadline })));
    expect(c.status).toBe("DRAFT");
  });

  it("opening a copy to a past year warns about passed dates, a county without a reviewer and the campaign still open", async () => {
    const c = (await admin.gql(COPY, { s: demoId, y: 2024, t: "过期日期的活动" })).copyCampaign;
    const w: { code: string; message: string }[] = (await admin.gql(WARNINGS, { id: c.id })).campaignOpeningWarnings;
    const codes = w.map((x) => x.code);
    expect(codes).toEqual(expect.arrayContaining(["DEADLINE_PASSED", "ALL_STAGES_CLOSED", "NO_REVIEWER", "OTHER_CAMPAIGN_OPEN"]));
    // 瓯海区 has a school and a teacher but no county reviewer in the demo.
    expect(w.filter((x) => x.code === "NO_REVIEWER").map((x) => x.message).join()).toContain("瓯海区");
    expect(w.find((x) => x.code === "OTHER_CAMPAIGN_OPEN")!.message).toContain("2023");
  });

  it("the stage dates alone: the chain's order is checked, the rest of the configuration stays, passed-date warnings go", async () => {
    const c = (await admin.gql(COPY, { s: demoId, y: 2024, t: "改日期的活动" })).copyCampaign;
    const year = new Date().getUTCFullYear() + 2;
    const dated = (s: { stage: string; deadline: string | null }) => ({ stage: s.stage, deadline: s.deadline ? `${year}${s.deadline.slice(4)}` : null });
    const wrong = c.stages.map((s: { stage: string; deadline: string | null }) => (s.stage === "CITY_REVIEW" ? { stage: s.stage, deadline: `${year}-01-01` } : dated(s)));
    const r = await admin.raw(STAGES, { id: c.id, s: wrong });
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_INPUT");
    expect(JSON.stringify(r.errors)).toContain("早于前一阶段");
    const missing = await admin.raw(STAGES, { id: c.id, s: c.stages.slice(1).map(dated) });
    expect(missing.errors?.[0]?.extensions?.code).toBe("BAD_INPUT");

    const ok = (await admin.gql(STAGES, { id: c.id, s: c.stages.map(dated) })).updateCampaignStages;
    expect(ok.title).toBe("改日期的活动");
    expect(ok.stages.find((s: { stage: string }) => s.stage === "CITY_REVIEW").deadline).toBe(`${year}-09-30`);
    expect(ok.categories.length).toBeGreaterThan(0);
    const codes = (await admin.gql(WARNINGS, { id: c.id })).campaignOpeningWarnings.map((x: { code: string }) => x.code);
    expect(codes).not.toContain("DEADLINE_PASSED");
    expect(codes).not.toContain("ALL_STAGES_CLOSED");

    // Open the new one, close the old one (which then takes no date change).
    expect((await admin.gql(STATUS("openCampaign"), { id: c.id })).openCampaign.status).toBe("OPEN");
    expect((await admin.gql(STATUS("closeCampaign"), { id: demoId })).closeCampaign.status).toBe("CLOSED");
    const closed = await admin.raw(STAGES, { id: demoId, s: c.stages.map(dated) });
    expect(closed.errors?.[0]?.extensions?.code).toBe("INVALID_TRANSITION");
    const after = (await admin.gql(WARNINGS, { id: c.id })).campaignOpeningWarnings.map((x: { code: string }) => x.code);
    expect(after).not.toContain("OTHER_CAMPAIGN_OPEN");
  });

  it("refuses outsiders: a city reviewer and a teacher are FORBIDDEN, anonymous UNAUTHENTICATED", async () => {
    const stages = [{ stage: "APPLICATION", deadline: "2030-01-01" }];
    for (const c of [city, teacher]) {
      expect(await c.errorCode(WARNINGS, { id: demoId })).toBe("FORBIDDEN");
      expect(await c.errorCode(STAGES, { id: demoId, s: stages })).toBe("FORBIDDEN");
      expect(await c.errorCode(STATUS("closeCampaign"), { id: demoId })).toBe("FORBIDDEN");
    }
    expect(await anonymous.errorCode(WARNINGS, { id: demoId })).toBe("UNAUTHENTICATED");
    expect(await anonymous.errorCode(STAGES, { id: demoId, s: stages })).toBe("UNAUTHENTICATED");
  });
});
