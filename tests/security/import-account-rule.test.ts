import { afterAll, beforeAll, expect, it } from "vitest";
import { type Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { csvOf, importTeachers, type TeacherLine } from "../api/import-helpers.js";

/**
 * M2: the teacher import follows the account-change rule. A county's row for `expert_hz` (whose
 * home school is in the county) rewrote the expert's name, phone and school and added a TEACHER
 * role; such rows are now row errors naming the rule and nothing is written for them.
 */
describeEachDb("teacher import and the account-change rule", (variant) => {
  let server: TestServer;
  let xh: Client;

  beforeAll(async () => {
    server = await startTestServer(variant);
    xh = await loginAs(server.url, "xh_county");
  });
  afterAll(() => server?.stop());

  async function account(acc: string) {
    const u = await server.db.one<{ id: string; name: string; phone: string | null; home: string; updated_at: Date }>(
      `SELECT u.id::text AS id, u.name, u.phone, o.code AS home, u.updated_at FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id WHERE u.account = $1`,
      [acc],
    );
    const roles = await server.db.rows<{ r: string }>(
      `SELECT r.role || '@' || o.code AS r FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE r.user_id = $1 ORDER BY 1`,
      [u!.id],
    );
    return { ...u!, roles: roles.map((r) => r.r) };
  }

  const EXPERT: TeacherLine = ["expert_hz", "被改名的专家", "13900000001", "3301060002", "杭州市西湖小学", "330106", "语文", "小学"];
  const SELF: TeacherLine = ["xh_county", "被改名的审核员", "13900000002", "3301060001", "杭州市学军小学", "330106", "语文", "小学"];
  const TEACHER: TeacherLine = ["hz_teacher1", "刘雨桐", "13900000003", "3301060001", "杭州市学军小学", "330106", "语文", "小学"];

  it("refuses the whole file in mode all, and writes nothing for the expert", async () => {
    const before = await account("expert_hz");
    const job = await importTeachers(server.url, xh, csvOf([EXPERT, TEACHER]));
    expect(job.refused).toBe(true);
    expect(job.errors).toEqual([
      expect.objectContaining({ row: 2, field: "account", message: expect.stringMatching(/expert_hz.*不能通过导入修改.*所有角色都低于本人.*担任「省级评审专家」/) }),
    ]);
    expect(await account("expert_hz")).toEqual(before);
  });

  it("in mode validOnly writes the teacher's row and refuses the expert's and the importer's own, naming the rule", async () => {
    const expertBefore = await account("expert_hz");
    const selfBefore = await account("xh_county");
    const job = await importTeachers(server.url, xh, csvOf([EXPERT, SELF, TEACHER]), { mode: "validOnly" });
    expect(job.state).toBe("DONE");
    expect(job.errors.map((e) => [e.row, e.field])).toEqual([[2, "account"], [3, "account"]]);
    expect(job.errors[0]!.message).toMatch(/在「浙江省」担任「省级评审专家」/);
    expect(job.errors[1]!.message).toMatch(/xh_county/);
    expect(job.updated).toBe(1);
    // Name, phone, school and roles of the expert and of the importer stay as they were.
    expect(await account("expert_hz")).toEqual(expertBefore);
    expect(expertBefore.roles).toEqual(["EXPERT@330000"]);
    expect(await account("xh_county")).toEqual(selfBefore);
    expect((await account("hz_teacher1")).phone).toBe("13900000003");
  });

  it("lets the province, which outranks the expert, import the same row", async () => {
    const prov = await loginAs(server.url, "prov_admin");
    const job = await importTeachers(server.url, prov, csvOf([EXPERT]));
    expect(job.errors).toEqual([]);
    expect(job.updated).toBe(1);
    const after = await account("expert_hz");
    expect([after.name, after.home]).toEqual(["被改名的专家", "3301060002"]);
    expect(after.roles).toEqual(["EXPERT@330000", "TEACHER@3301060002"]);
  });
});
