import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { exportSheet } from "../support/xlsx.js";

const sheet = (res: Response) => exportSheet(res);

describeEachDb("organization browser export", (variant) => {
  let server: TestServer;
  let admin: Client, wzCity: Client, raCounty: Client, lcCounty: Client;
  const get = (c: Client | null, url: string) => fetch(server.url + url, { headers: c?.token ? { authorization: `Bearer ${c.token}` } : {} });
  const CHILDREN = `query($p: ID, $k: UnitKind, $o: Int!, $l: Int!) { unitChildren(parentId: $p, kind: $k, offset: $o, limit: $l) { total items { id name code kind counts { schools teachers lockedTeachers } } } }`;

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, wzCity, raCounty, lcCounty] = await Promise.all(["prov_admin", "wz_city", "ra_county", "lc_county"].map((a) => loginAs(server.url, a)));
  });
  afterAll(() => server?.stop());

  it("exports the children of the selected unit exactly as the screen lists them, with their counts", async () => {
    const root = (await wzCity.gql(`{ unitChildren(offset: 0, limit: 1) { items { id } } }`)).unitChildren.items[0].id;
    const screen = (await wzCity.gql(CHILDREN, { p: root, o: 0, l: 200 })).unitChildren;
    expect(screen.total).toBeGreaterThan(5);
    const s = await sheet(await get(wzCity, `/api/export/org-children.xlsx?parentId=${root}`));
    expect(s.title).toBe("下级单位名录");
    expect(s.subtitle).toMatch(/^温州市/);
    expect(s.headers).toEqual(["单位名称", "类型", "代码", "学校（含实践基地）", "在岗教师", "已锁定教师"]);
    expect(s.rows.map((r) => r["单位名称"])).toEqual(screen.items.map((u: { name: string }) => u.name));
    const ruian = screen.items.find((u: { name: string }) => u.name === "瑞安市");
    expect(s.rows.find((r) => r["单位名称"] === "瑞安市")).toMatchObject({
      类型: "县（市、区）", 代码: "330381", "学校（含实践基地）": ruian.counts.schools, 在岗教师: ruian.counts.teachers, 已锁定教师: ruian.counts.lockedTeachers,
    });
    expect(ruian.counts.teachers).toBeGreaterThan(0);
  });

  it("pages through every child (more than one page of the list) and honours the type filter", async () => {
    const root = (await admin.gql(`{ unitChildren(offset: 0, limit: 1) { items { id } } }`)).unitChildren.items[0].id;
    const hz = (await admin.gql(CHILDREN, { p: root, o: 0, l: 200 })).unitChildren.items.find((u: { name: string }) => u.name === "杭州市");
    const all = (await sheet(await get(admin, `/api/export/org-children.xlsx?parentId=${hz.id}`))).rows;
    const total = (await admin.gql(CHILDREN, { p: hz.id, o: 0, l: 1 })).unitChildren.total;
    expect(all).toHaveLength(total);
    const counties = await sheet(await get(admin, `/api/export/org-children.xlsx?parentId=${hz.id}&kind=COUNTY`));
    expect(counties.rows.length).toBeGreaterThan(5);
    expect(counties.rows.every((r) => r["类型"] === "县（市、区）")).toBe(true);
    expect(counties.subtitle).toContain("类型：县（市、区）");
  });

  it("refuses units outside the caller's subtree like unknown ones, and anonymous callers", async () => {
    const ruian = (await raCounty.gql(`{ unitChildren(offset: 0, limit: 1) { items { id } } }`)).unitChildren.items[0].id;
    expect((await get(lcCounty, `/api/export/org-children.xlsx?parentId=${ruian}`)).status).toBe(404);
    expect((await get(lcCounty, `/api/export/org-children.xlsx?parentId=99999999`)).status).toBe(404);
    expect((await get(null, `/api/export/org-children.xlsx?parentId=${ruian}`)).status).toBe(401);
    // Without a parent, the acting role's own unit.
    const own = await sheet(await get(raCounty, `/api/export/org-children.xlsx`));
    expect(own.subtitle).toMatch(/^瑞安市/);
  });
});
