import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { applyAndSubmit, fullForm, makeTeachers, review, sampleCase, testCampaign, CONSENT } from "./pipeline-helpers.js";

type Teacher = Client & { phone: string };

const KEYS = ["submittedAt", "lastActionAt", "updatedAt", "title", "applicantName", "unit", "category", "state", "currentLevel", "revision"] as const;
type Key = (typeof KEYS)[number];

const ROW = `id title categoryCode state currentLevel revision firstSubmittedAt lastActionAt updatedAt applicant { name } applicantUnit { code name }`;

interface Row {
  id: string;
  title: string;
  categoryCode: string;
  state: string;
  currentLevel: string | null;
  revision: number;
  firstSubmittedAt: string | null;
  lastActionAt: string | null;
  updatedAt: string;
  applicant: { name: string };
  applicantUnit: { code: string | null; name: string };
}

const STATES = ["DRAFT", "SUBMITTED", "PENDING", "AT_PROVINCE", "EXPERT_REVIEW", "RETURNED", "REJECTED", "FINALIZED", "NOT_SELECTED", "DISQUALIFIED", "WITHDRAWN"];
const LEVELS = ["SCHOOL", "COUNTY", "CITY", "PROVINCE"];

/** Text in code point order (UTF-8 byte order), as the server's COLLATE "C". */
const text = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
const time = (s: string | null) => (s === null ? null : Date.parse(s));

/**
 * The documented order of a key, computed here independently of the server: the key's values
 * (null last in both directions), then the id in the same direction.
 */
function expectedOrder(rows: Row[], key: Key, desc: boolean, categoryPosition: Map<string, number>): string[] {
  const values = (r: Row): (number | string | null)[] => {
    switch (key) {
      case "submittedAt": return [time(r.firstSubmittedAt)];
      case "lastActionAt": return [time(r.lastActionAt ?? r.updatedAt)];
      case "updatedAt": return [time(r.updatedAt)];
      case "title": return [r.title === "" ? null : r.title];
      case "applicantName": return [r.applicant.name];
      case "unit": return [r.applicantUnit.code, r.applicantUnit.name];
      case "category": return [categoryPosition.get(r.categoryCode)!];
      case "state": return [STATES.indexOf(r.state)];
      case "currentLevel": return [r.currentLevel === null ? null : LEVELS.indexOf(r.currentLevel)];
      case "revision": return [r.revision];
    }
  };
  const sign = desc ? -1 : 1;
  return [...rows]
    .sort((x, y) => {
      const a = values(x);
      const b = values(y);
      for (let i = 0; i < a.length; i++) {
        const u = a[i]!, v = b[i]!;
        if (u === null && v === null) continue;
        if (u === null) return 1;
        if (v === null) return -1;
        const c = typeof u === "string" ? text(u, v as string) : u - (v as number);
        if (c !== 0) return sign * Math.sign(c);
      }
      return sign * Math.sign(Number(x.id) - Number(y.id));
    })
    .map((r) => r.id);
}

const NAMES = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "王芳", "黄敏", "周杰", "吴霞", "徐亮"];
const TITLES = [
  "AI助力单元作业设计", "数学空间里的翻转课堂", "以空间为中心的语文单元教学", "英语绘本阅读空间", "科学探究与网络空间",
  "数学空间里的翻转课堂", "小学音乐空间课堂", "美术作品的空间展评", "体育与健康线上打卡", "信息科技项目式学习", "道德与法治空间讨论", "历史空间里的时间轴",
];

describeEachDb("application list sorting", (variant) => {
  let server: TestServer;
  let admin: Client, raCounty: Client, lcCounty: Client, wzCity: Client;
  let campaignId: string;
  const raIds = new Set<string>();
  const lcIds = new Set<string>();
  let categoryPosition: Map<string, number>;

  const listQuery = `query($c: ID!, $s: ApplicationSortField!, $d: Boolean!, $o: Int!, $l: Int!) {
    applications(campaignId: $c, sort: $s, desc: $d, offset: $o, limit: $l) { total items { ${ROW} } } }`;
  const queueQuery = `query($c: ID!, $s: ApplicationSortField!, $d: Boolean!, $o: Int!, $l: Int!) {
    reviewQueue(campaignId: $c, sort: $s, desc: $d, offset: $o, limit: $l) { total items { ${ROW} } } }`;

  async function page(c: Client, op: "applications" | "reviewQueue", key: Key, desc: boolean, offset: number, limit: number) {
    const d = await c.gql(op === "applications" ? listQuery : queueQuery, { c: campaignId, s: key, d: desc, o: offset, l: limit });
    return d[op] as { total: number; items: Row[] };
  }

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, raCounty, lcCounty, wzCity] = await Promise.all(["prov_admin", "ra_county", "lc_county", "wz_city"].map((a) => loginAs(server.url, a)));
    campaignId = await testCampaign(admin, 2031);
    const ra = [
      ...((await makeTeachers(server.db, 5, "3303810001", "sa", server.url)) as Teacher[]),
      ...((await makeTeachers(server.db, 4, "3303810002", "sb", server.url)) as Teacher[]),
      ...((await makeTeachers(server.db, 3, "3303810003", "sc", server.url)) as Teacher[]),
    ];
    const lc = (await makeTeachers(server.db, 3, "3303020001", "sl", server.url)) as Teacher[];
    const accounts = ["sa000", "sa001", "sa002", "sa003", "sa004", "sb000", "sb001", "sb002", "sb003", "sc000", "sc001", "sc002"];
    for (const [i, account] of accounts.entries()) await server.db.exec(`UPDATE app_user SET name = $2 WHERE account = $1`, [account, NAMES[i]]);

    // 瑞安市: twelve teachers in three schools and two categories; the county reviews some.
    const apps: any[] = [];
    for (const [i, t] of ra.entries()) {
      const category = i % 4 === 3 ? "LECTURER_SPACE" : "TEACHING_SPACE";
      const app = await applyAndSubmit(t, campaignId, category, fullForm(t.phone, { personInCharge: NAMES[i], case: sampleCase(TITLES[i]) }));
      apps.push(app);
      raIds.add(app.id);
    }
    await review(raCounty, "recommendApplication", apps[0], `comment: "同意推荐"`);
    await review(raCounty, "recommendApplication", apps[4], `comment: "同意推荐"`);
    await review(raCounty, "rejectApplication", apps[5], `reason: "不符合申报条件"`);
    const returned = await review(raCounty, "returnApplication", apps[6], `comment: "请补充成效数据"`);
    await review(raCounty, "returnApplication", apps[8], `comment: "请补充成效数据"`);
    await ra[6]!.gql(`mutation($id: ID!, $v: Int!) { resubmitApplication(id: $id, version: $v, ${CONSENT}) { id } }`, { id: returned.id, v: returned.version });
    // The county's own region application, a draft without a title: no submission, no level, no action.
    const draft = await raCounty.gql(`mutation($c: ID!) { createApplication(campaignId: $c, categoryCode: "REGION") { id } }`, { c: campaignId });
    raIds.add(draft.createApplication.id);

    // 鹿城区: another county of the same city.
    for (const [i, t] of lc.entries()) {
      const app = await applyAndSubmit(t, campaignId, "TEACHING_SPACE", fullForm(t.phone, { county: "鹿城区", unitName: "温州市广场路小学", case: sampleCase(`鹿城区案例${i}`) }));
      lcIds.add(app.id);
    }

    // Whole-second times with deliberate ties, so the expected order is exact on both databases.
    await server.db.exec(
      `UPDATE application SET
         updated_at = timestamptz '2031-03-01 08:00:00+08' + ((id * 7) % 5)::int * interval '1 minute',
         last_action_at = CASE WHEN last_action_at IS NULL THEN NULL ELSE timestamptz '2031-03-01 09:00:00+08' + (id % 4)::int * interval '1 hour' END,
         first_submitted_at = CASE WHEN first_submitted_at IS NULL THEN NULL ELSE timestamptz '2031-02-01 09:00:00+08' + (id % 3)::int * interval '1 day' END
       WHERE campaign_id = $1`,
      [campaignId],
    );
    const cats = await server.db.rows<{ code: string; position: number }>(`SELECT code, position FROM award_category WHERE campaign_id = $1`, [campaignId]);
    categoryPosition = new Map(cats.map((c) => [c.code, c.position]));
  }, 180_000);
  afterAll(() => server?.stop());

  for (const op of ["applications", "reviewQueue"] as const) {
    describe(op, () => {
      for (const key of KEYS) {
        for (const desc of [false, true]) {
          it(`orders the whole list by ${key} ${desc ? "descending" : "ascending"} across pages`, async () => {
            const all = await page(raCounty, op, key, desc, 0, 200);
            const expected = expectedOrder(all.items, key, desc, categoryPosition);
            expect(all.items.map((r) => r.id)).toEqual(expected);
            const half = Math.ceil(all.total / 2);
            const [p1, p2] = await Promise.all([page(raCounty, op, key, desc, 0, half), page(raCounty, op, key, desc, half, half)]);
            expect([...p1.items, ...p2.items].map((r) => r.id)).toEqual(expected);
            expect(p1.total).toBe(all.total);
          });
        }
      }
    });
  }

  it("sees the seeded variety: the county's list and queue hold every kind of row the keys distinguish", async () => {
    const all = await page(raCounty, "applications", "updatedAt", true, 0, 200);
    expect(all.total).toBe(13);
    expect(new Set(all.items.map((r) => r.state))).toEqual(new Set(["DRAFT", "SUBMITTED", "PENDING", "RETURNED", "REJECTED"]));
    expect(new Set(all.items.map((r) => r.categoryCode))).toEqual(new Set(["TEACHING_SPACE", "LECTURER_SPACE", "REGION"]));
    expect(all.items.some((r) => r.revision === 2)).toBe(true);
    const queue = await page(raCounty, "reviewQueue", "lastActionAt", false, 0, 200);
    expect(queue.total).toBe(8);
    expect(new Set(queue.items.map((r) => r.applicantUnit.name)).size).toBe(3);
  });

  it("keeps today's orders by default: the list newest change first, the queue longest waiting first", async () => {
    const list = await raCounty.gql(`query($c: ID!) { applications(campaignId: $c, limit: 200) { items { ${ROW} } } }`, { c: campaignId });
    const rows = list.applications.items as Row[];
    expect(rows.map((r) => r.id)).toEqual(expectedOrder(rows, "updatedAt", true, categoryPosition));
    const queue = await raCounty.gql(`query($c: ID!) { reviewQueue(campaignId: $c, limit: 200) { items { ${ROW} } } }`, { c: campaignId });
    const q = queue.reviewQueue.items as Row[];
    expect(q.map((r) => r.id)).toEqual(expectedOrder(q, "lastActionAt", false, categoryPosition));
  });

  it("breaks ties by id in the sort's direction, the same on every request and across the page boundary", async () => {
    // Most applications are on revision 1: one tie group larger than a page.
    for (const desc of [false, true]) {
      const pages: Row[] = [];
      for (let offset = 0; ; offset += 3) {
        const p = await page(raCounty, "applications", "revision", desc, offset, 3);
        pages.push(...p.items);
        if (offset + 3 >= p.total) break;
      }
      const ones = pages.filter((r) => r.revision === 1).map((r) => Number(r.id));
      expect(ones.length).toBeGreaterThan(3);
      expect(ones).toEqual([...ones].sort((a, b) => (desc ? b - a : a - b)));
      expect(new Set(pages.map((r) => r.id)).size).toBe(pages.length);
      const again = await page(raCounty, "applications", "revision", desc, 0, 200);
      expect(again.items.map((r) => r.id)).toEqual(pages.map((r) => r.id));
    }
  });

  it("puts missing values last in both directions", async () => {
    const missing: Record<string, (r: Row) => boolean> = {
      submittedAt: (r) => r.firstSubmittedAt === null,
      title: (r) => r.title === "",
      currentLevel: (r) => r.currentLevel === null,
    };
    for (const [key, isMissing] of Object.entries(missing)) {
      for (const desc of [false, true]) {
        const flags = (await page(raCounty, "applications", key as Key, desc, 0, 200)).items.map(isMissing);
        const first = flags.indexOf(true);
        expect(first, `${key} ${desc}`).toBeGreaterThan(0);
        expect(flags.slice(first).every(Boolean), `${key} ${desc}`).toBe(true);
      }
    }
  });

  it("refuses a sort key outside the enum by GraphQL validation", async () => {
    const literal = await raCounty.raw(`query($c: ID!) { applications(campaignId: $c, sort: a_id) { total } }`, { c: campaignId });
    expect(literal.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const queueLiteral = await raCounty.raw(`query($c: ID!) { reviewQueue(campaignId: $c, sort: "title; DROP TABLE application") { total } }`, { c: campaignId });
    expect(queueLiteral.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const variable = await raCounty.raw(listQuery, { c: campaignId, s: "updated_at", d: false, o: 0, l: 10 });
    expect(variable.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(variable.data).toBeUndefined();
  });

  it("keeps the scope: a county sorting sees only its own county's applications; the city sees both", async () => {
    for (const key of KEYS) {
      for (const desc of [false, true]) {
        const ra = await page(raCounty, "applications", key, desc, 0, 200);
        expect(new Set(ra.items.map((r) => r.id))).toEqual(raIds);
        const lcq = await page(lcCounty, "reviewQueue", key, desc, 0, 200);
        expect(new Set(lcq.items.map((r) => r.id))).toEqual(lcIds);
      }
    }
    const lcList = await page(lcCounty, "applications", "unit", false, 0, 200);
    expect(lcList.total).toBe(3);
    const city = await page(wzCity, "applications", "unit", false, 0, 200);
    // Everything submitted in the city (not the county's draft), 瑞安市 (330381) after 鹿城区 (330302) by code.
    expect(city.items.map((r) => r.id)).toEqual(expectedOrder(city.items, "unit", false, categoryPosition));
    expect(city.items.slice(0, 3).map((r) => r.id).sort()).toEqual([...lcIds].sort());
    expect(city.total).toBe(raIds.size - 1 + lcIds.size);
    const cityQueue = await page(wzCity, "reviewQueue", "title", true, 0, 200);
    expect(cityQueue.items.every((r) => r.currentLevel === "CITY")).toBe(true);
    expect(cityQueue.total).toBe(2);
  });

  describe("exports", () => {
    const get = (c: Client, url: string) => fetch(server.url + url, { headers: { authorization: `Bearer ${c.token}` } });
    async function ids(res: Response): Promise<string[]> {
      expect(res.status, await res.clone().text().catch(() => "")).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      // Row 1 title, row 2 scope, row 3 headers, then the data; column 1 is 申报编号.
      return wb.worksheets[0]!.getSheetValues().slice(4).filter(Boolean).map((r) => String((r as unknown[])[1]));
    }

    it("export the list and the queue in the screen's order", async () => {
      for (const [key, desc] of [["applicantName", false], ["title", true], ["unit", true], ["state", false]] as const) {
        const list = await page(raCounty, "applications", key, desc, 0, 200);
        expect(await ids(await get(raCounty, `/api/export/applications.xlsx?campaignId=${campaignId}&sort=${key}&desc=${desc}`))).toEqual(list.items.map((r) => r.id));
        const queue = await page(raCounty, "reviewQueue", key, desc, 0, 200);
        expect(await ids(await get(raCounty, `/api/export/review-queue.xlsx?campaignId=${campaignId}&sort=${key}&desc=${desc}`))).toEqual(queue.items.map((r) => r.id));
      }
      const queue = await page(raCounty, "reviewQueue", "lastActionAt", false, 0, 200);
      expect(await ids(await get(raCounty, `/api/export/review-queue.xlsx?campaignId=${campaignId}`))).toEqual(queue.items.map((r) => r.id));
    });

    it("refuses an unknown sort key or direction in an export, naming the parameter", async () => {
      const bad = await get(raCounty, `/api/export/applications.xlsx?campaignId=${campaignId}&sort=a.id`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("BAD_USER_INPUT");
      const dir = await get(raCounty, `/api/export/review-queue.xlsx?campaignId=${campaignId}&sort=title&desc=maybe`);
      expect(dir.status).toBe(400);
      expect(((await dir.json()) as { error: { code: string } }).error.code).toBe("BAD_USER_INPUT");
    });
  });
});
