import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { exportSheet } from "../support/xlsx.js";
import { applyAndSubmit, fullForm, review, testCampaign } from "./pipeline-helpers.js";

const sheet = (res: Response) => exportSheet(res);

describeEachDb("pipeline exports", (variant) => {
  let server: TestServer;
  let admin: Client, teacher: Client, raCounty: Client, wzCity: Client, hzCity: Client, lcCounty: Client;
  let campaignId: string;
  let appId: string;
  const get = (c: Client | null, url: string) => fetch(server.url + url, { headers: c?.token ? { authorization: `Bearer ${c.token}` } : {} });

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, teacher, raCounty, wzCity, hzCity, lcCounty] = await Promise.all(["prov_admin", "ra_teacher1", "ra_county", "wz_city", "hz_city", "lc_county"].map((a) => loginAs(server.url, a)));
    campaignId = await testCampaign(admin, 2027);
    const app = await applyAndSubmit(teacher, campaignId, "TEACHING_SPACE", fullForm("13857700001"));
    appId = app.id;
    await review(raCounty, "recommendApplication", app, `comment: "同意推荐"`);
    const hzTeacher = await loginAs(server.url, "hz_teacher1");
    await applyAndSubmit(hzTeacher, campaignId, "TEACHING_SPACE", fullForm("13957100001", { county: "西湖区", unitName: "杭州市学军小学", personInCharge: "刘雨桐" }));
  });
  afterAll(() => server?.stop());

  it("exports the application list with Chinese headers, unit names and codes, dates, in the screen's scope", async () => {
    const s = await sheet(await get(wzCity, `/api/export/applications.xlsx?campaignId=${campaignId}`));
    expect(s.title).toBe("申报汇总表");
    expect(s.subtitle).toMatch(/^温州市　测试活动2027　导出人：温州市电教馆审核员　导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(s.headers.slice(0, 8)).toEqual(["申报编号", "设区市", "设区市代码", "县（市、区）", "县级代码", "申报单位", "单位代码", "申报类别"]);
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0]).toMatchObject({
      申报编号: appId, 设区市: "温州市", 设区市代码: "330300", "县（市、区）": "瑞安市", 县级代码: "330381", 申报单位: "瑞安市实验中学", 单位代码: "3303810001",
      申报类别: "优秀教学空间", 申报人: "陈晓明", 手机: "13857700001", 学段: "初中", 状态: "审核中", 当前审核层级: "设区市级", 版本: 1,
    });
    expect(String(s.rows[0]!["首次提交时间"])).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(s.rows[0]!["案例字数"] as number).toBeGreaterThanOrEqual(1000);

    const prov = await sheet(await get(admin, `/api/export/applications.xlsx?campaignId=${campaignId}`));
    expect(prov.rows.map((r) => r["设区市"]).sort()).toEqual(["杭州市", "温州市"]);
    expect((await sheet(await get(hzCity, `/api/export/applications.xlsx?campaignId=${campaignId}`))).rows.map((r) => r["设区市"])).toEqual(["杭州市"]);
    expect((await sheet(await get(lcCounty, `/api/export/applications.xlsx?campaignId=${campaignId}`))).rows).toEqual([]);
  });

  it("exports the review queue of the acting level only, and refuses what the screen refuses", async () => {
    expect((await sheet(await get(wzCity, `/api/export/review-queue.xlsx?campaignId=${campaignId}`))).rows.map((r) => r["申报编号"])).toEqual([appId]);
    expect((await sheet(await get(raCounty, `/api/export/review-queue.xlsx?campaignId=${campaignId}`))).rows).toEqual([]);
    expect((await get(teacher, `/api/export/review-queue.xlsx?campaignId=${campaignId}`)).status).toBe(403);
    expect((await get(null, `/api/export/applications.xlsx?campaignId=${campaignId}`)).status).toBe(401);
    const hz = await admin.gql(`{ searchUnits(query: "330100") { id } }`);
    expect((await get(wzCity, `/api/export/applications.xlsx?campaignId=${campaignId}&unitId=${hz.searchUnits[0].id}`)).status).toBe(404);
    expect((await get(wzCity, `/api/export/applications.xlsx?campaignId=999999`)).status).toBe(404);
    const bad = await get(wzCity, `/api/export/applications.xlsx?campaignId=${campaignId}&states=NOPE`);
    expect(bad.status).toBe(400);
  });

  it("exports the review history and the quota counters", async () => {
    const h = await sheet(await get(teacher, `/api/export/application-history.xlsx?campaignId=${campaignId}&mine=true`));
    expect(h.rows.map((r) => [r["操作"], r["审核层级"], r["办理单位"], r["办理单位代码"], r["意见或理由"] ?? ""])).toEqual([
      ["提交", "申报人", "瑞安市实验中学", "3303810001", ""],
      ["推荐", "县（市、区）级", "瑞安市", "330381", "同意推荐"],
    ]);
    const q = await sheet(await get(wzCity, `/api/export/quotas.xlsx?campaignId=${campaignId}&categoryCode=TEACHING_SPACE`));
    expect(q.rows.find((r) => r["名额类型"] === "设区市名额")).toMatchObject({ 单位: "温州市", 单位代码: "330300", 现行名额: 75, 已推荐: 0, 剩余: 75 });
  });
});
