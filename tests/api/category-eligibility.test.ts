import { afterAll, beforeAll, expect, it } from "vitest";
import { type Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { testCampaign } from "./pipeline-helpers.js";

const ELIGIBILITY = `query($id: ID!) { campaign(id: $id) { categoryEligibility { code name applicantKind eligible reason } } }`;
type Row = { code: string; eligible: boolean; reason: string | null };

describeEachDb("the categories a user may still apply for, and why not the others", (variant) => {
  let server: TestServer;
  let admin: Client;
  let campaignId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    admin = await loginAs(server.url, "prov_admin");
    campaignId = await testCampaign(admin, 2033);
  });
  afterAll(() => server?.stop());

  const eligibility = async (c: Client): Promise<Record<string, Row>> =>
    Object.fromEntries((await c.gql(ELIGIBILITY, { id: campaignId })).campaign.categoryEligibility.map((r: Row) => [r.code, r]));

  it("offers a teacher the teacher categories, names why the others are missing, and drops one already applied for", async () => {
    const teacher = await loginAs(server.url, "ra_teacher1");
    let e = await eligibility(teacher);
    expect(e.TEACHING_SPACE).toMatchObject({ eligible: true, reason: null });
    expect(e.LECTURER_SPACE!.eligible).toBe(true);
    expect(e.SCHOOL).toMatchObject({ eligible: false, reason: "「空间应用优秀学校」须由学校平台管理员申报，当前账号没有相应角色" });
    expect(e.REGION!.reason).toMatch(/须由县（市、区）或设区市审核员/);

    await teacher.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "TEACHING_SPACE") { id } }`, { c: campaignId });
    e = await eligibility(teacher);
    expect(e.TEACHING_SPACE).toMatchObject({ eligible: false, reason: "本次活动中已有「优秀教学空间」的申报，可在列表中点击“继续填写”" });
    expect(e.LECTURER_SPACE!.eligible).toBe(true);
    // Another teacher is not affected by it.
    expect((await eligibility(await loginAs(server.url, "ra_teacher2"))).TEACHING_SPACE!.eligible).toBe(true);
  });

  it("tells a school admin acting as teacher to switch roles for the school category", async () => {
    const c = await loginAs(server.url, "ra_school_admin");
    let e = await eligibility(c);
    expect(e.SCHOOL).toMatchObject({ eligible: false, reason: "「空间应用优秀学校」须以「学校平台管理员」身份申报，请切换角色后再新建" });
    await c.as("SCHOOL_ADMIN");
    e = await eligibility(c);
    expect(e.SCHOOL).toMatchObject({ eligible: true, reason: null });
    expect(e.TEACHING_SPACE!.reason).toMatch(/须以「教师」身份申报/);
  });

  it("offers nothing to roles that do not apply, and nothing in a campaign that is not open", async () => {
    const expert = await loginAs(server.url, "expert_hz");
    const r = await expert.raw(ELIGIBILITY, { id: campaignId });
    if (r.errors?.length) expect(r.errors[0]!.extensions?.code).toBe("FORBIDDEN");
    else expect(Object.values((r.data as any).campaign.categoryEligibility as Row[]).every((x) => !x.eligible && !!x.reason)).toBe(true);
    const province = await eligibility(admin);
    expect(Object.values(province).every((x) => !x.eligible && !!x.reason)).toBe(true);

    await admin.gql(`mutation($id: ID!) { closeCampaign(id: $id) { id } }`, { id: campaignId });
    const teacher = await loginAs(server.url, "ra_teacher3");
    expect(Object.values(await eligibility(teacher)).every((x) => !x.eligible && /已结束/.test(x.reason!))).toBe(true);
  });
});
