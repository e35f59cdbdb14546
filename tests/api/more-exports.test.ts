import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { exportSheet } from "../support/xlsx.js";

const sheet = (res: Response) => exportSheet(res, "");

const STATUS = { DRAFT: "草稿", OPEN: "进行中", CLOSED: "已结束" } as Record<string, string>;

describeEachDb("campaign list and expert pool exports", (variant) => {
  let server: TestServer;
  let admin: Client, teacher: Client, county: Client, city: Client, expert: Client;
  let demoId: string, draftId: string;
  const get = (c: Client | null, url: string) => fetch(server.url + url, { headers: c?.token ? { authorization: `Bearer ${c.token}` } : {} });

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, teacher, county, city, expert] = await Promise.all(["prov_admin", "ra_teacher1", "ra_county", "wz_city", "expert_hz"].map((a) => loginAs(server.url, a)));
    demoId = (await admin.gql(`{ campaigns { id year } }`)).campaigns.find((c: { year: number }) => c.year === 2023).id;
    // A draft: the province sees it in its list, no one else does.
    draftId = (
      await admin.gql(`mutation($s: ID!) { copyCampaign(sourceId: $s, year: 2031, title: "草稿活动2031", docNo: "浙教技中心〔2031〕1号", issuedOn: "2031-03-01") { id } }`, { s: demoId })
    ).copyCampaign.id;
  });
  afterAll(() => server?.stop());

  const LIST = `{ campaigns { id year title docNo issuer issuedOn status categories { name } stages { stage name deadline } createdAt updatedAt } }`;

  it("exports the campaign list as the province sees it, drafts included, in the list's order", async () => {
    const list = (await admin.gql(LIST)).campaigns as any[];
    expect(list.map((c) => c.id)).toContain(draftId);
    const s = await sheet(await get(admin, `/api/export/campaigns.xlsx`));
    expect(s.title).toBe("活动列表");
    expect(s.subtitle).toMatch(/^导出人：.+　导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(s.headers).toEqual([
      "年度", "活动名称", "文号", "发文单位", "发文日期", "状态", "申报类别数", "申报类别", "申报截止日期", "设区市推荐截止日期", "时间安排", "各阶段截止日期", "结果发布时间", "创建时间", "最后修改时间",
    ]);
    expect(s.rows.map((r) => [r["年度"], r["活动名称"], r["文号"], r["发文单位"], r["发文日期"], r["状态"], r["申报类别数"], r["申报类别"]])).toEqual(
      list.map((c) => [c.year, c.title, c.docNo, c.issuer, c.issuedOn ?? "", STATUS[c.status], c.categories.length, c.categories.map((k: { name: string }) => k.name).join("、")]),
    );
    const demo = s.rows[list.findIndex((c) => c.id === demoId)]!;
    const demoStages = list.find((c) => c.id === demoId).stages as { stage: string; name: string; deadline: string | null }[];
    expect(demo).toMatchObject({
      年度: 2023, 状态: "进行中", 申报类别数: 4,
      申报截止日期: demoStages.find((x) => x.stage === "APPLICATION")!.deadline,
      设区市推荐截止日期: demoStages.find((x) => x.stage === "CITY_REVIEW")!.deadline,
      时间安排: "2023-04-10 至 2023-09-30",
    });
    expect(demo["各阶段截止日期"]).toBe(demoStages.map((x) => `${x.name}：${x.deadline ?? "未设置"}`).join("；"));
    expect(String(demo["最后修改时间"])).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const draft = s.rows[list.findIndex((c) => c.id === draftId)]!;
    expect(draft).toMatchObject({ 年度: 2031, 活动名称: "草稿活动2031", 文号: "浙教技中心〔2031〕1号", 发文日期: "2031-03-01", 状态: "草稿", 结果发布时间: "" });
  });

  it("exports only the published campaigns to the other roles, as their list shows", async () => {
    for (const c of [teacher, county]) {
      const list = (await c.gql(LIST)).campaigns as any[];
      expect(list.map((x) => x.id)).not.toContain(draftId);
      const s = await sheet(await get(c, `/api/export/campaigns.xlsx`));
      expect(s.rows.map((r) => [r["年度"], r["活动名称"], r["状态"]])).toEqual(list.map((x) => [x.year, x.title, STATUS[x.status]]));
      expect(s.rows.map((r) => r["活动名称"])).not.toContain("草稿活动2031");
    }
  });

  it("exports the expert pool with each expert's load in the campaign, as the GraphQL list gives it", async () => {
    const pool = (await admin.gql(`query($c: ID!) { expertPool(campaignId: $c) { name account unitName cityName locked load } }`, { c: demoId })).expertPool as any[];
    expect(pool.length).toBeGreaterThan(0);
    expect(pool.some((e) => e.load > 0)).toBe(true);
    const s = await sheet(await get(admin, `/api/export/expert-pool.xlsx?campaignId=${demoId}`));
    expect(s.title).toMatch(/^之江汇教育广场2023年空间建设与应用活动.*评审专家库$/);
    expect(s.headers).toEqual(["姓名", "账号", "单位", "设区市", "账号状态", "本次活动已分配"]);
    expect(s.rows).toEqual(
      pool.map((e) => ({ 姓名: e.name, 账号: e.account, 单位: e.unitName, 设区市: e.cityName ?? "", 账号状态: e.locked ? "已锁定" : "正常", 本次活动已分配: e.load })),
    );
    // Another campaign, no assignments yet: every load is 0.
    const fresh = await sheet(await get(admin, `/api/export/expert-pool.xlsx?campaignId=${draftId}`));
    expect(fresh.rows.map((r) => r["本次活动已分配"])).toEqual(pool.map(() => 0));
  });

  it("refuses the expert pool to everyone but the province, the campaign list to anonymous callers", async () => {
    for (const c of [teacher, county, city, expert]) {
      const res = await get(c, `/api/export/expert-pool.xlsx?campaignId=${demoId}`);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("FORBIDDEN");
    }
    expect(await county.errorCode(`query($c: ID!) { expertPool(campaignId: $c) { id } }`, { c: demoId })).toBe("FORBIDDEN");
    expect((await get(null, `/api/export/expert-pool.xlsx?campaignId=${demoId}`)).status).toBe(401);
    expect((await get(null, `/api/export/campaigns.xlsx`)).status).toBe(401);
    expect((await get(admin, `/api/export/expert-pool.xlsx?campaignId=999999`)).status).toBe(404);
  });
});
