import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

/**
 * The periods with points that the activity pages open on. The demo seed's events are all in 2023;
 * the test adds one lesson for ra_teacher1 in March 2018 and one for lc_teacher1 (鹿城区) in May
 * 2019, so own-account and scope answers differ.
 */
const PERIODS = `query($u: ID) { activityPeriods(unitId: $u) { years latestMonth } }`;

const lesson = (id: string, account: string, at: string) => JSON.stringify({ id, type: "lesson", userId: account, at, client: "pc", minutes: 40 });

describeEachDb("activity periods", (variant) => {
  let server: TestServer;
  let province: Client;
  const unitIds: Record<string, string> = {};
  /** ra_teacher1's latest 2023 month with points, from their own points by month. */
  let teacherLatest: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    province = await loginAs(server.url, "prov_admin");
    const teacher = await loginAs(server.url, "ra_teacher1");
    const months = (await teacher.gql(`{ myActivity(year: 2023) { months { month points } } }`)).myActivity.months as { month: string; points: number }[];
    teacherLatest = months.filter((m) => m.points !== 0).map((m) => m.month).sort().at(-1)!;
    expect(teacherLatest).toMatch(/^2023-\d\d$/);

    const lines = [lesson("p-1", "ra_teacher1", "2018-03-05T08:00:00+08:00"), lesson("p-2", "lc_teacher1", "2019-05-06T08:00:00+08:00")];
    const r = await province.gql(`mutation($l: [String!]!) { ingestActivityEvents(lines: $l) { stored errors { line } } }`, { l: lines });
    expect(r.ingestActivityEvents).toEqual({ stored: 2, errors: [] });
    for (const code of ["330302", "330381", "3303810003", "330700"]) {
      const s = await province.gql(`query($q: String!) { searchUnits(query: $q, limit: 5) { id code } }`, { q: code });
      unitIds[code] = s.searchUnits.find((u: { code: string }) => u.code === code).id;
    }
  });
  afterAll(() => server?.stop());

  it("gives a teacher the years and latest month of their own points only", async () => {
    const teacher = await loginAs(server.url, "ra_teacher1");
    expect((await teacher.gql(PERIODS)).activityPeriods).toEqual({ years: [2023, 2018], latestMonth: teacherLatest });
    // A unit id changes nothing for a teacher: still their own account (lc_teacher1's 2019 is not theirs).
    expect((await teacher.gql(PERIODS, { u: unitIds["330302"] })).activityPeriods).toEqual({ years: [2023, 2018], latestMonth: teacherLatest });
    // A school admin acting as a teacher: their own points; as the school admin: the school's.
    const admin = await loginAs(server.url, "ra_school_admin");
    const own = (await (await admin.as("TEACHER")).gql(PERIODS)).activityPeriods;
    expect(own.years).toEqual([2023]);
    const school = (await (await admin.as("SCHOOL_ADMIN")).gql(PERIODS)).activityPeriods;
    expect(school.years).toEqual([2023, 2018]);
  });

  it("gives an expert without points nothing", async () => {
    const expert = await loginAs(server.url, "expert_hz");
    expect((await expert.gql(PERIODS)).activityPeriods).toEqual({ years: [], latestMonth: null });
  });

  it("gives reviewers their scope, or a unit inside it, and nothing of other counties", async () => {
    const county = await loginAs(server.url, "ra_county");
    expect((await county.gql(PERIODS)).activityPeriods).toEqual({ years: [2023, 2018], latestMonth: "2023-12" });
    const school = (await county.gql(PERIODS, { u: unitIds["3303810003"] })).activityPeriods;
    expect(school.years).toEqual([2023]);

    const lc = await loginAs(server.url, "lc_county");
    expect((await lc.gql(PERIODS)).activityPeriods).toEqual({ years: [2023, 2019], latestMonth: "2023-12" });
    const wz = await loginAs(server.url, "wz_city");
    expect((await wz.gql(PERIODS)).activityPeriods.years).toEqual([2023, 2019, 2018]);
    const hz = await loginAs(server.url, "hz_city");
    expect((await hz.gql(PERIODS)).activityPeriods).toEqual({ years: [2023], latestMonth: "2023-12" });
    expect((await province.gql(PERIODS)).activityPeriods.years).toEqual([2023, 2019, 2018]);
    // A city with schools but no points.
    expect((await province.gql(PERIODS, { u: unitIds["330700"] })).activityPeriods).toEqual({ years: [], latestMonth: null });
  });

  it("refuses a unit outside the scope as if it did not exist", async () => {
    const county = await loginAs(server.url, "ra_county");
    expect(await county.errorCode(PERIODS, { u: unitIds["330302"] })).toBe("NOT_FOUND");
    expect(await county.errorCode(PERIODS, { u: "999999999" })).toBe("NOT_FOUND");
    const hz = await loginAs(server.url, "hz_city");
    expect(await hz.errorCode(PERIODS, { u: unitIds["330381"] })).toBe("NOT_FOUND");
  });
});
