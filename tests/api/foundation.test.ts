import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../apps/server/src/config.js";
import { openDb, type Db } from "../../apps/server/src/db/data-source.js";
import { seed } from "../../apps/server/src/db/seed.js";
import { startServer, type RunningServer } from "../../apps/server/src/app.js";
import { Client, loginAs } from "../support/client.js";
import { DEMO_PASSWORD } from "../support/demo.js";
import { createThrowawayDatabase } from "../support/pg.js";
import { describeEachDb, startTestServer, type DbVariant, type TestServer } from "../support/server.js";

const ME = `{ me { account name homeUnit { code } roles { id role unit { code } } actingRole { id role unit { code } } } }`;
const LOGIN = `mutation($a: String!, $p: String!) { login(account: $a, password: $p) { token } }`;

interface Unit {
  id: string;
  code: string | null;
  name: string;
  kind: string;
}

/** Every demo account with the roles (and units) it holds; README lists them. */
const DEMO_ROLES: [account: string, home: string, roles: [string, string][], acting: string][] = [
  ["prov_admin", "330000", [["PROVINCE_ADMIN", "330000"]], "PROVINCE_ADMIN"],
  ["wz_city", "330300", [["CITY_REVIEWER", "330300"]], "CITY_REVIEWER"],
  ["hz_city", "330100", [["CITY_REVIEWER", "330100"]], "CITY_REVIEWER"],
  ["ra_county", "330381", [["COUNTY_REVIEWER", "330381"]], "COUNTY_REVIEWER"],
  ["lc_county", "330302", [["COUNTY_REVIEWER", "330302"]], "COUNTY_REVIEWER"],
  ["ra_school_admin", "3303810001", [["SCHOOL_ADMIN", "3303810001"], ["TEACHER", "3303810001"]], "TEACHER"],
  ["ra_teacher3", "3303810002", [["TEACHER", "3303810002"]], "TEACHER"],
  ["pb_teacher1", "PB3303000001", [["TEACHER", "PB3303000001"]], "TEACHER"],
  ["expert_hz", "3301060001", [["EXPERT", "330000"]], "EXPERT"],
];

async function xlsxRows(res: Response): Promise<unknown[][]> {
  expect(res.status, await res.clone().text().catch(() => "")).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  // Row 1 title, row 2 scope and exporter, row 3 column headers, then the data.
  return wb.worksheets[0]!.getSheetValues().slice(4).filter(Boolean).map((r) => (r as unknown[]).slice(1));
}

function download(server: { url: string }, c: Client | null, pathAndQuery: string) {
  return fetch(server.url + pathAndQuery, { headers: c?.token ? { authorization: `Bearer ${c.token}` } : {} });
}

describeEachDb("foundation", (variant) => {
  let server: TestServer;
  let prov: Client;
  let county: Client;
  let schoolAdmin: Client;
  const units = new Map<string, Unit>();
  const unit = (code: string) => {
    const u = units.get(code);
    if (!u) throw new Error(`no unit ${code}`);
    return u;
  };

  beforeAll(async () => {
    server = await startTestServer(variant);
    prov = await loginAs(server.url, "prov_admin");
    county = await loginAs(server.url, "ra_county");
    schoolAdmin = await (await loginAs(server.url, "ra_school_admin")).as("SCHOOL_ADMIN");
    for (const q of ["浙江", "瑞安", "鹿城", "温州", "330381", "330302", "3303", "PB33"]) {
      const r = await prov.gql<{ searchUnits: Unit[] }>(`query($q: String!) { searchUnits(query: $q, limit: 50) { id code name kind } }`, { q });
      for (const u of r.searchUnits) if (u.code) units.set(u.code, u);
    }
  });
  afterAll(() => server?.stop());

  it("answers the health check with the database kind", async () => {
    const res = await fetch(server.url + "/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: variant });
  });

  it.each(DEMO_ROLES)("%s logs in and sees their home unit and roles", async (account, home, roles, acting) => {
    const c = await loginAs(server.url, account);
    const { me } = await c.gql(ME);
    expect(me.account).toBe(account);
    expect(me.homeUnit.code).toBe(home);
    expect(me.roles.map((r: { role: string; unit: { code: string } }) => [r.role, r.unit.code]).sort()).toEqual([...roles].sort());
    // A new session starts in the least-privileged role.
    expect(me.actingRole.role).toBe(acting);
  });

  it("answers a wrong password and an unknown account alike, and throttles an account at an address after five failures", async () => {
    const anon = new Client(server.url);
    const wrong = await anon.raw(LOGIN, { a: "nb_teacher1", p: "Wrong@2023" });
    const unknown = await anon.raw(LOGIN, { a: "no_such_user", p: "Wrong@2023" });
    expect(wrong.errors![0]).toMatchObject({ message: "账号或密码错误", extensions: { code: "BAD_CREDENTIALS" } });
    expect(unknown.errors![0]).toMatchObject({ message: "账号或密码错误", extensions: { code: "BAD_CREDENTIALS" } });
    for (let i = 2; i <= 5; i++) expect(await anon.errorCode(LOGIN, { a: "nb_teacher1", p: "Wrong@2023" })).toBe("BAD_CREDENTIALS");
    const sixth = await anon.raw(LOGIN, { a: "nb_teacher1", p: "Wrong@2023" });
    expect(sixth.errors![0]).toMatchObject({ extensions: { code: "LOGIN_THROTTLED" }, message: expect.stringMatching(/登录尝试过于频繁.*分钟后再试/) });
    // Blocked means blocked: the right password does not get through either, until the time is up.
    const right = await anon.raw(LOGIN, { a: "nb_teacher1", p: DEMO_PASSWORD });
    expect(right.errors![0]).toMatchObject({ extensions: { code: "LOGIN_THROTTLED" }, message: expect.stringMatching(/分钟后再试/) });
  });

  it("ends the session on logout", async () => {
    const c = await loginAs(server.url, "oh_teacher1");
    expect(await c.gql(`mutation { logout }`)).toEqual({ logout: true });
    expect((await c.gql(`{ me { account } }`)).me).toBeNull();
    expect(await c.errorCode(`{ unitChildren { total } }`)).toBe("UNAUTHENTICATED");
  });

  it("refuses a locked (retired) user even with the right password", async () => {
    const r = await new Client(server.url).raw(LOGIN, { a: "ra_teacher_retired", p: DEMO_PASSWORD });
    expect(r.errors![0]).toMatchObject({ extensions: { code: "ACCOUNT_LOCKED" }, message: expect.stringMatching(/已停用（调离或退休）/) });
  });

  it("changes a password: the old one stops working and the user's other sessions end", async () => {
    const tab1 = await loginAs(server.url, "hz_teacher1");
    const tab2 = await loginAs(server.url, "hz_teacher1");
    const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
    expect(await tab1.errorCode(CHANGE, { c: "Wrong@2023", n: "Newpass2024" })).toBe("BAD_CREDENTIALS");
    const weak = await tab1.raw(CHANGE, { c: DEMO_PASSWORD, n: "short" });
    expect(weak.errors![0]).toMatchObject({ extensions: { code: "BAD_INPUT", field: "newPassword" }, message: expect.stringMatching(/密码长度/) });
    expect(await tab1.gql(CHANGE, { c: DEMO_PASSWORD, n: "Newpass2024" })).toEqual({ changePassword: true });
    expect((await tab1.gql(`{ me { account } }`)).me).toEqual({ account: "hz_teacher1" });
    expect((await tab2.gql(`{ me { account } }`)).me).toBeNull();
    expect(await new Client(server.url).errorCode(LOGIN, { a: "hz_teacher1", p: DEMO_PASSWORD })).toBe("BAD_CREDENTIALS");
    await loginAs(server.url, "hz_teacher1", "Newpass2024");
  });

  it("lets only an admin above the user reset a password, inside their scope", async () => {
    const RESET = `mutation($u: ID!, $p: String!) { resetPassword(userId: $u, newPassword: $p) }`;
    const teacherSession = await loginAs(server.url, "ra_teacher1");
    const idOf = async (c: Client, account: string) =>
      (await c.gql<{ users: { items: { id: string }[] } }>(`query($s: String) { users(search: $s) { items { id } } }`, { s: account })).users.items[0]!.id;
    const teacherId = await idOf(schoolAdmin, "ra_teacher1");
    const adminId = await idOf(county, "ra_school_admin");
    const lcTeacherId = await idOf(prov, "lc_teacher1");

    expect(await schoolAdmin.gql(RESET, { u: teacherId, p: "Reset2024a" })).toEqual({ resetPassword: true });
    expect((await teacherSession.gql(`{ me { account } }`)).me).toBeNull();
    await loginAs(server.url, "ra_teacher1", "Reset2024a");

    // Not themselves, not an equal, not outside their scope, not by a teacher.
    expect(await schoolAdmin.errorCode(RESET, { u: adminId, p: "Reset2024a" })).toBe("FORBIDDEN");
    expect(await schoolAdmin.errorCode(RESET, { u: lcTeacherId, p: "Reset2024a" })).toBe("NOT_FOUND");
    expect(await county.errorCode(RESET, { u: lcTeacherId, p: "Reset2024a" })).toBe("NOT_FOUND");
    const asTeacher = await (await loginAs(server.url, "ra_school_admin")).as("TEACHER");
    expect(await asTeacher.errorCode(RESET, { u: teacherId, p: "Reset2024a" })).toBe("FORBIDDEN");
    // The county is above the school admin.
    expect(await county.gql(RESET, { u: adminId, p: "Admin2024b" })).toEqual({ resetPassword: true });
    schoolAdmin = await (await loginAs(server.url, "ra_school_admin", "Admin2024b")).as("SCHOOL_ADMIN");
  });

  it("shows the org tree of the caller's scope, with school and teacher counts", async () => {
    const root = await county.gql(`{ unitChildren { items { code name kind } total } }`);
    expect(root.unitChildren).toEqual({ items: [{ code: "330381", name: "瑞安市", kind: "COUNTY" }], total: 1 });

    const kids = await county.gql(`query($p: ID) { unitChildren(parentId: $p) { items { code name kind childCount } total } }`, { p: unit("330381").id });
    expect(kids.unitChildren.items).toEqual([
      { code: "3303810001", name: "瑞安市实验中学", kind: "SCHOOL", childCount: 0 },
      { code: "3303810003", name: "瑞安市塘下中学", kind: "SCHOOL", childCount: 0 },
      { code: "D330381001", name: "瑞安市安阳学区", kind: "DISTRICT", childCount: 1 },
    ]);

    // 瑞安市: three schools (one inside the district), five active teachers (the school admin teaches
    // too) and the retired one.
    const counts = await county.gql(`query($id: ID!) { unit(id: $id) { name counts { schools teachers lockedTeachers } } }`, { id: unit("330381").id });
    expect(counts.unit).toEqual({ name: "瑞安市", counts: { schools: 3, teachers: 5, lockedTeachers: 1 } });
    const province = await prov.gql(`query($id: ID!) { unit(id: $id) { counts { schools } } }`, { id: unit("330000").id });
    expect(province.unit.counts.schools).toBe(10);

    const school = await county.gql(`query($id: ID!) { unit(id: $id) { name ancestors { code } } }`, { id: unit("3303810002").id });
    expect(school.unit).toEqual({ name: "瑞安市安阳实验小学", ancestors: [{ code: "330381" }, { code: "D330381001" }] });
  });

  it("never shows a county reviewer another county's units or users", async () => {
    for (const code of ["330302", "3303020001", "330300", "330000"]) {
      expect(await county.errorCode(`query($id: ID!) { unit(id: $id) { id } }`, { id: unit(code).id }), code).toBe("NOT_FOUND");
    }
    expect(await county.errorCode(`query($p: ID) { unitChildren(parentId: $p) { total } }`, { p: unit("330302").id })).toBe("NOT_FOUND");
    const found = await county.gql<{ searchUnits: Unit[] }>(`{ searchUnits(query: "小学", limit: 50) { code name } }`);
    expect(found.searchUnits.map((u) => u.code)).toEqual(["3303810002"]);
    expect((await county.gql(`{ searchUnits(query: "鹿城") { code } }`)).searchUnits).toEqual([]);
    expect((await county.gql(`{ searchUnits(query: "3303020001") { code } }`)).searchUnits).toEqual([]);

    const list = await county.gql<{ users: { total: number; items: { account: string; homeUnit: { code: string } }[] } }>(
      `{ users(limit: 200) { total items { account homeUnit { code } } } }`,
    );
    expect(list.users.items.map((u) => u.account)).toEqual([
      "ra_county", "ra_school_admin", "ra_teacher1", "ra_teacher2", "ra_teacher3", "ra_teacher4", "ra_teacher_retired",
    ]);
    expect(list.users.total).toBe(7);
    expect(await county.errorCode(`query($u: ID) { users(unitId: $u) { total } }`, { u: unit("330302").id })).toBe("NOT_FOUND");
    expect((await county.gql(`{ users(search: "lc_") { total } }`)).users.total).toBe(0);
    const lcId = (await prov.gql(`{ users(search: "lc_teacher1") { items { id } } }`)).users.items[0].id;
    expect(await county.errorCode(`query($id: ID!) { user(id: $id) { id } }`, { id: lcId })).toBe("NOT_FOUND");
    const audit = await county.gql<{ roleAssignments: { items: { unit: { code: string } }[] } }>(`{ roleAssignments(limit: 200) { items { unit { code } } } }`);
    expect(new Set(audit.roleAssignments.items.map((r) => r.unit.code))).toEqual(new Set(["330381", "3303810001", "3303810002", "3303810003"]));
  });

  it("lets the school admin lock and unlock a teacher, who then drops out of the counts and cannot log in", async () => {
    const LOCK = `mutation($u: ID!, $r: String!) { lockUser(userId: $u, reason: $r) { account locked lockedReason } }`;
    const UNLOCK = `mutation($u: ID!) { unlockUser(userId: $u) { locked lockedReason } }`;
    const COUNTS = `query($id: ID!) { unit(id: $id) { counts { teachers lockedTeachers } } }`;
    const shiyan = unit("3303810001").id;
    const before = (await schoolAdmin.gql(COUNTS, { id: shiyan })).unit.counts;
    const teacher = await loginAs(server.url, "ra_teacher2");
    const id = (await schoolAdmin.gql(`{ users(search: "ra_teacher2") { items { id } } }`)).users.items[0].id;

    expect(await schoolAdmin.errorCode(LOCK, { u: id, r: "  " })).toBe("BAD_INPUT");
    expect(await schoolAdmin.gql(LOCK, { u: id, r: "调离" })).toEqual({ lockUser: { account: "ra_teacher2", locked: true, lockedReason: "调离" } });
    expect((await schoolAdmin.gql(COUNTS, { id: shiyan })).unit.counts).toEqual({ teachers: before.teachers - 1, lockedTeachers: before.lockedTeachers + 1 });
    expect((await teacher.gql(`{ me { account } }`)).me).toBeNull();
    expect(await new Client(server.url).errorCode(LOGIN, { a: "ra_teacher2", p: DEMO_PASSWORD })).toBe("ACCOUNT_LOCKED");
    expect((await schoolAdmin.gql(`{ users(locked: true) { items { account } } }`)).users.items.map((u: { account: string }) => u.account).sort()).toEqual([
      "ra_teacher2", "ra_teacher_retired",
    ]);

    expect(await schoolAdmin.gql(UNLOCK, { u: id })).toEqual({ unlockUser: { locked: false, lockedReason: null } });
    expect((await schoolAdmin.gql(COUNTS, { id: shiyan })).unit.counts).toEqual(before);
    await loginAs(server.url, "ra_teacher2");

    // Not a teacher of another school, not themselves.
    const other = (await county.gql(`{ users(search: "ra_teacher4") { items { id } } }`)).users.items[0].id;
    expect(await schoolAdmin.errorCode(LOCK, { u: other, r: "调离" })).toBe("NOT_FOUND");
    const self = (await schoolAdmin.gql(`{ users(search: "ra_school_admin") { items { id } } }`)).users.items[0].id;
    expect(await schoolAdmin.errorCode(LOCK, { u: self, r: "调离" })).toBe("FORBIDDEN");
  });

  it("grants and revokes roles only below the granter's own, only inside their subtree", async () => {
    const GRANT = `mutation($u: ID!, $r: Role!, $unit: ID!) { grantRole(userId: $u, role: $r, unitId: $unit) { id role unit { code } } }`;
    const REVOKE = `mutation($a: ID!) { revokeRole(assignmentId: $a) }`;
    const idOf = async (account: string) => (await prov.gql(`query($s: String) { users(search: $s) { items { id } } }`, { s: account })).users.items[0].id;
    const t4 = await idOf("ra_teacher4");
    const lc = await idOf("lc_teacher1");

    const granted = (await county.gql(GRANT, { u: t4, r: "SCHOOL_ADMIN", unit: unit("3303810003").id })).grantRole;
    expect(granted).toMatchObject({ role: "SCHOOL_ADMIN", unit: { code: "3303810003" } });
    expect(await county.errorCode(GRANT, { u: t4, r: "SCHOOL_ADMIN", unit: unit("3303810003").id })).toBe("CONFLICT");
    expect(await county.errorCode(GRANT, { u: t4, r: "COUNTY_REVIEWER", unit: unit("330381").id })).toBe("FORBIDDEN");
    expect(await county.errorCode(GRANT, { u: t4, r: "EXPERT", unit: unit("330381").id })).toBe("FORBIDDEN");
    expect(await county.errorCode(GRANT, { u: t4, r: "SCHOOL_ADMIN", unit: unit("3303020001").id })).toBe("NOT_FOUND");
    expect(await county.errorCode(GRANT, { u: lc, r: "SCHOOL_ADMIN", unit: unit("3303810003").id })).toBe("NOT_FOUND");
    expect(await county.errorCode(GRANT, { u: t4, r: "TEACHER", unit: unit("3303810001").id })).toBe("BAD_INPUT");
    expect(await county.errorCode(GRANT, { u: t4, r: "SCHOOL_ADMIN", unit: unit("330381").id })).toBe("BAD_INPUT");
    expect(await schoolAdmin.errorCode(GRANT, { u: t4, r: "SCHOOL_ADMIN", unit: unit("3303810001").id })).toBe("NOT_FOUND");
    const t1 = (await schoolAdmin.gql(`{ users(search: "ra_teacher1") { items { id } } }`)).users.items[0].id;
    expect(await schoolAdmin.errorCode(GRANT, { u: t1, r: "SCHOOL_ADMIN", unit: unit("3303810001").id })).toBe("FORBIDDEN");

    // The new admin acts in the role; once it is revoked, the session falls back to no role, never
    // to another one.
    const t4c = await loginAs(server.url, "ra_teacher4");
    await t4c.gql(`mutation($a: ID!) { switchRole(assignmentId: $a) { actingRole { role } } }`, { a: granted.id });
    expect((await t4c.gql(`{ users { total } }`)).users.total).toBe(1);
    const lcAssignment = (await prov.gql(`query($u: ID) { roleAssignments(unitId: $u) { items { id role } } }`, { u: unit("3303020001").id })).roleAssignments.items[0].id;
    expect(await county.errorCode(REVOKE, { a: lcAssignment })).toBe("NOT_FOUND");
    const countyAssignment = (await county.gql(`{ me { roles { id } } }`)).me.roles[0].id;
    expect(await schoolAdmin.errorCode(REVOKE, { a: countyAssignment })).toBe("NOT_FOUND");
    expect(await county.gql(REVOKE, { a: granted.id })).toEqual({ revokeRole: true });
    expect((await t4c.gql(`{ me { actingRole { role } } }`)).me.actingRole).toBeNull();
    const refused = await t4c.raw(`{ users { total } }`);
    expect(refused.errors![0]).toMatchObject({ extensions: { code: "FORBIDDEN" }, message: "请先选择当前角色" });
    const ownAdmin = (await schoolAdmin.gql(`{ me { roles { id role } } }`)).me.roles.find((r: { role: string }) => r.role === "SCHOOL_ADMIN").id;
    expect(await schoolAdmin.errorCode(REVOKE, { a: ownAdmin })).toBe("FORBIDDEN");
  });

  it("checks the role the user acts in, never the widest role they hold", async () => {
    const c = await loginAs(server.url, "ra_school_admin", "Admin2024b");
    const me = (await c.gql(ME)).me;
    expect(me.actingRole.role).toBe("TEACHER");
    const adminRole = me.roles.find((r: { role: string }) => r.role === "SCHOOL_ADMIN");
    expect(await c.errorCode(`{ users { total } }`)).toBe("FORBIDDEN");
    const t1 = (await schoolAdmin.gql(`{ users(search: "ra_teacher1") { items { id } } }`)).users.items[0].id;
    expect(await c.errorCode(`mutation($u: ID!) { lockUser(userId: $u, reason: "调离") { id } }`, { u: t1 })).toBe("FORBIDDEN");

    const switched = await c.gql(`mutation($a: ID!) { switchRole(assignmentId: $a) { actingRole { role unit { code } } } }`, { a: adminRole.id });
    expect(switched.switchRole.actingRole).toEqual({ role: "SCHOOL_ADMIN", unit: { code: "3303810001" } });
    // The session remembers the chosen role.
    expect((await c.gql(`{ users { total } }`)).users.total).toBe(4);
    // A second tab acting as TEACHER by header is refused again; another user's assignment is not theirs.
    const tab = Object.assign(new Client(server.url), { token: c.token, actingRole: me.roles.find((r: { role: string }) => r.role === "TEACHER").id });
    expect(await tab.errorCode(`{ users { total } }`)).toBe("FORBIDDEN");
    const countyAssignment = (await county.gql(`{ me { roles { id } } }`)).me.roles[0].id;
    expect(await c.errorCode(`mutation($a: ID!) { switchRole(assignmentId: $a) { id } }`, { a: countyAssignment })).toBe("NOT_FOUND");
  });

  it("exports the user list and the role audit with exactly the screen's scope", async () => {
    const countyUsers = await xlsxRows(await download(server, county, "/api/export/users.xlsx"));
    const retired = countyUsers.find((r) => r[0] === "ra_teacher_retired")!;
    expect([0, 1, 2, 3, 4, 5, 7, 8].map((i) => retired[i])).toEqual(["ra_teacher_retired", "周德明", "瑞安市实验中学", "3303810001", "物理", "初中", "已锁定", "退休"]);
    const listed = (await county.gql(`{ users(limit: 200) { items { account } } }`)).users.items.map((u: { account: string }) => u.account);
    expect(countyUsers.map((r) => r[0]).sort()).toEqual([...listed].sort());

    const lockedOnly = await xlsxRows(await download(server, county, "/api/export/users.xlsx?locked=true"));
    expect(lockedOnly.map((r) => r[0])).toEqual(["ra_teacher_retired"]);
    expect((await download(server, county, `/api/export/users.xlsx?unitId=${unit("330302").id}`)).status).toBe(404);

    const countyRoles = await xlsxRows(await download(server, county, "/api/export/role-assignments.xlsx"));
    expect(new Set(countyRoles.map((r) => r[1]))).toEqual(new Set(["330381", "3303810001", "3303810002", "3303810003"]));
    expect(countyRoles.some((r) => r[4] === "lc_teacher1" || r[4] === "expert_hz")).toBe(false);

    const allRoles = await xlsxRows(await download(server, prov, "/api/export/role-assignments.xlsx"));
    const { roleAssignments } = await prov.gql(`{ roleAssignments(limit: 1) { total } }`);
    expect(allRoles).toHaveLength(roleAssignments.total);
    const provRow = allRoles.find((r) => r[4] === "prov_admin")!;
    expect([0, 1, 2, 3, 5, 6].map((i) => provRow[i])).toEqual(["浙江省", "330000", "PROVINCE", "省级管理员", "省平台管理员", "正常"]);
    expect(provRow[8]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(allRoles.filter((r) => r[3] === "省级评审专家").map((r) => r[4]).sort()).toEqual(["expert_hz", "expert_jh", "expert_nb", "expert_wz"]);
    expect(allRoles.some((r) => r[4] === "lc_teacher1")).toBe(true);

    expect((await download(server, await loginAs(server.url, "lc_teacher1"), "/api/export/users.xlsx")).status).toBe(403);
    expect((await download(server, null, "/api/export/role-assignments.xlsx")).status).toBe(401);
    expect((await download(server, county, "/api/export/no-such-list.xlsx")).status).toBe(404);
  });
});

/** A server over a database that outlives it (a PGlite directory, or a PostgreSQL database). */
async function persistentServer(variant: DbVariant, where: { dataDir?: string; databaseUrl?: string }): Promise<RunningServer & { db: Db }> {
  const db = await openDb(variant === "pglite" ? { dataDir: where.dataDir } : { databaseUrl: where.databaseUrl });
  await seed(db, { demo: true });
  return startServer({ ...loadConfig({ ...process.env, DATA_DIR: where.dataDir ?? os.tmpdir() }), port: 0, host: "127.0.0.1" }, db);
}

async function stopServer(s: RunningServer) {
  await new Promise<void>((r) => s.httpServer.close(() => r()));
  await s.close();
}

describeEachDb("restarts", (variant) => {
  let dir: string;
  let pg: { url: string; drop: () => Promise<void> } | null = null;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "zjh-restart-"));
    if (variant === "postgres") pg = await createThrowawayDatabase();
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await pg?.drop();
  });

  describe("on the same database", () => {
    it("keeps sessions and never seeds twice", async () => {
      const where = { dataDir: path.join(dir, "data"), databaseUrl: pg?.url };
      const first = await persistentServer(variant, where);
      const c = await loginAs(first.url, "ra_county");
      const counts = async (db: Db) => db.one<{ units: number; users: number; roles: number }>(
        `SELECT (SELECT count(*)::int FROM org_unit) AS units, (SELECT count(*)::int FROM app_user) AS users, (SELECT count(*)::int FROM role_assignment) AS roles`,
      );
      const before = await counts(first.db);
      expect(before!.units).toBe(113);
      await stopServer(first);

      const second = await persistentServer(variant, where);
      try {
        const again = Object.assign(new Client(second.url), { token: c.token });
        expect((await again.gql(`{ me { account actingRole { role } } }`)).me).toEqual({ account: "ra_county", actingRole: { role: "COUNTY_REVIEWER" } });
        expect(await counts(second.db)).toEqual(before);
      } finally {
        await stopServer(second);
      }
    });
  });
});
