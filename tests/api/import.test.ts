import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { CN_HEADER, EN_HEADER, csvOf, gb18030, importTeachers, uploadTeachers, waitForJob, type Job, type TeacherLine } from "./import-helpers.js";

const RUIAN = "330381";
const LUCHENG = "330302";

/** Row-version fingerprint of the tables an import writes: any written row changes it. */
async function fingerprint(server: TestServer) {
  const one = async (table: string) =>
    (await server.db.one<{ n: number; x: string }>(`SELECT count(*)::int AS n, coalesce(sum(xmin::text::bigint), 0)::text AS x FROM ${table}`))!;
  return { users: await one("app_user"), units: await one("org_unit"), roles: await one("role_assignment") };
}

async function unitIdByCode(c: Client, code: string): Promise<string> {
  const r = await c.gql<{ searchUnits: { id: string; code: string }[] }>(`query($q: String!) { searchUnits(query: $q) { id code } }`, { q: code });
  const u = r.searchUnits.find((x) => x.code === code);
  if (!u) throw new Error(`unit ${code} not visible`);
  return u.id;
}

const USER_FIELDS = `id account name phone subject stage hasPassword locked homeUnit { id code name } roles { id role unit { id code } }`;
interface UserView {
  id: string;
  account: string;
  name: string;
  phone: string | null;
  subject: string | null;
  stage: string | null;
  hasPassword: boolean;
  homeUnit: { id: string; code: string; name: string };
  roles: { id: string; role: string; unit: { id: string; code: string } }[];
}

async function usersOf(c: Client, unitId: string, search?: string): Promise<UserView[]> {
  const r = await c.gql<{ users: { items: UserView[] } }>(
    `query($u: ID, $s: String) { users(unitId: $u, search: $s, limit: 200) { items { ${USER_FIELDS} } } }`,
    { u: unitId, s: search ?? null },
  );
  return r.users.items;
}

describeEachDb("teacher import", (variant) => {
  let server: TestServer;
  let county: Client;
  let ruianId: string;
  // The server's own data directory, so the uploads it keeps can be checked.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zjh-import-test-"));

  beforeAll(async () => {
    server = await startTestServer(variant, { DATA_DIR: dataDir });
    county = await loginAs(server.url, "ra_county");
    ruianId = await unitIdByCode(county, RUIAN);
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates schools and teachers from the platform's Chinese-header CSV; the same file again writes nothing", async () => {
    const file = csvOf([
      ["ra_new_001", "赵一鸣", "13957711001", "3303810101", "瑞安市新华小学", RUIAN, "语文", "小学"],
      ["ra_new_002", "钱二妹", "", "3303810101", "瑞安市新华小学", RUIAN, "数学", "小学"],
      ["ra_new_003", "孙三立", "13957711003", "3303810003", "瑞安市塘下中学", RUIAN, "", ""],
    ]);
    const job = await importTeachers(server.url, county, file);
    expect(job).toMatchObject({
      state: "DONE", phase: "FINISHED", mode: "ALL", format: "csv", refused: false, rows: 3, validRows: 3,
      created: 3, updated: 0, unchanged: 0, schoolsCreated: 1, schoolsRenamed: 0, errorCount: 0, errors: [], progress: 1,
    });

    // The new school hangs under 瑞安市 as a SCHOOL, and its teachers are there with the TEACHER role.
    const children = await county.gql<{ unitChildren: { items: { id: string; code: string; kind: string; name: string }[] } }>(
      `query($p: ID) { unitChildren(parentId: $p, limit: 200) { items { id code kind name } } }`,
      { p: ruianId },
    );
    const school = children.unitChildren.items.find((u) => u.code === "3303810101");
    expect(school).toMatchObject({ kind: "SCHOOL", name: "瑞安市新华小学" });
    const teachers = await usersOf(county, school!.id);
    expect(teachers.map((t) => t.account)).toEqual(["ra_new_001", "ra_new_002"]);
    expect(teachers[0]).toMatchObject({ name: "赵一鸣", phone: "13957711001", subject: "语文", stage: "小学", hasPassword: false });
    expect(teachers[1]).toMatchObject({ phone: null });
    for (const t of teachers) expect(t.roles).toEqual([{ id: expect.any(String), role: "TEACHER", unit: { id: school!.id, code: "3303810101" } }]);
    const counts = await county.gql(`query($id: ID!) { unit(id: $id) { counts { schools teachers } } }`, { id: school!.id });
    expect(counts.unit.counts).toEqual({ schools: 1, teachers: 2 });

    // Imported accounts have no password: they cannot log in with one until an admin sets it.
    expect(await new Client(server.url).errorCode(`mutation { login(account: "ra_new_001", password: "Demo@2023") { token } }`)).toBe("BAD_CREDENTIALS");

    // The same file again: reported as all unchanged, and not one row written.
    const before = await fingerprint(server);
    const again = await importTeachers(server.url, county, file);
    expect(again).toMatchObject({ state: "DONE", created: 0, updated: 0, unchanged: 3, schoolsCreated: 0, schoolsRenamed: 0, errorCount: 0 });
    expect(await fingerprint(server)).toEqual(before);

    const audit = await server.db.rows<{ action: string; data: { created: number } }>(
      `SELECT action, data FROM audit_log WHERE action = 'TEACHER_IMPORT' AND target_id = $1`,
      [job.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data.created).toBe(3);
  });

  it("reads an XLSX with English headers, numbers typed as numbers and extra columns", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("教师");
    ws.addRow([...EN_HEADER, "gender"]);
    ws.addRow(["ra_xlsx_001", "周小舟", 13957712001, 3303810102, "瑞安市玉海实验小学", 330381, "英语", "小学", "女"]);
    ws.addRow([]);
    ws.addRow(["ra_xlsx_002", { richText: [{ text: "吴" }, { text: "大海" }] }, "", "3303810102", "瑞安市玉海实验小学", "330381", "科学", "小学", "男"]);
    wb.addWorksheet("说明").addRow(["这一页不是名单"]);
    const buf = new Uint8Array(await wb.xlsx.writeBuffer());
    const job = await importTeachers(server.url, county, buf, { fileName: "teachers.xlsx", mode: "validOnly" });
    expect(job).toMatchObject({ state: "DONE", format: "xlsx", mode: "VALID_ONLY", rows: 2, created: 2, schoolsCreated: 1, errorCount: 0 });
    const [a, b] = await usersOf(county, ruianId, "ra_xlsx_");
    expect(a).toMatchObject({ account: "ra_xlsx_001", phone: "13957712001", homeUnit: { code: "3303810102", name: "瑞安市玉海实验小学" } });
    expect(b).toMatchObject({ account: "ra_xlsx_002", name: "吴大海", phone: null });
  });

  it("keeps every Chinese character of a large XLSX intact (multi-byte characters split between zip chunks)", async () => {
    // Unique Chinese text per row, so the workbook's shared strings are large and made of
    // three-byte characters: the streamed zip entry is cut inside characters many times.
    const cn = (i: number) => [...String(i).padStart(5, "0")].map((d) => "零一二三四五六七八九"[Number(d)]).join("");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("教师");
    ws.addRow(CN_HEADER);
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      const s = String(2000 + (i % 20));
      ws.addRow([`ra_utf8_${String(i).padStart(5, "0")}`, `欧阳${cn(i)}${cn(n - i)}`, "", `330381${s}`, `瑞安市第${s}实验学校`, RUIAN, `道德与法治${cn(i)}`, `初中${cn(i)}`]);
    }
    const job = await importTeachers(server.url, county, new Uint8Array(await wb.xlsx.writeBuffer()), { fileName: "大名单.xlsx" });
    expect(job).toMatchObject({ state: "DONE", format: "xlsx", rows: n, created: n, schoolsCreated: 20, errorCount: 0 });
    const garbled = await server.db.rows<{ account: string; name: string }>(
      `SELECT account, name FROM app_user
        WHERE account LIKE 'ra\\_utf8\\_%'
          AND (name !~ '^欧阳[零一二三四五六七八九]{10}$' OR subject !~ '^道德与法治[零一二三四五六七八九]{5}$' OR stage !~ '^初中[零一二三四五六七八九]{5}$')`,
    );
    expect(garbled).toEqual([]);
  });

  it("reads a GB18030 CSV, as Excel on a Chinese Windows saves it", async () => {
    const text = csvOf([["ra_gbk_001", "郑国强", "13957713001", "3303810003", "瑞安市塘下中学", RUIAN, "历史", "初中"]]);
    const job = await importTeachers(server.url, county, gb18030(text));
    expect(job).toMatchObject({ state: "DONE", created: 1, errorCount: 0 });
    expect((await usersOf(county, ruianId, "ra_gbk_001"))[0]).toMatchObject({ name: "郑国强", subject: "历史", stage: "初中" });
  });

  const BAD: TeacherLine[] = [
    /* row 2 */ ["ra_bad_ok1", "正确甲", "13957714001", "3303810003", "瑞安市塘下中学", RUIAN, "语文", "初中"],
    /* row 3 */ ["ra_bad_002", "手机错", "1395771400", "3303810003", "瑞安市塘下中学", RUIAN, "", ""],
    /* row 4 */ ["ra_bad_003", "", "", "3303810003", "瑞安市塘下中学", RUIAN, "", ""],
    /* row 5 */ ["ra_bad_004", "县区不存在", "", "3303810003", "瑞安市塘下中学", "330399", "", ""],
    /* row 6 */ ["ra_bad_005", "县区越权", "", "3303020009", "温州市某小学", LUCHENG, "", ""],
    /* row 7 */ ["ra_bad_ok1", "重复账号", "", "3303810003", "瑞安市塘下中学", RUIAN, "", ""],
    /* row 8 */ ["ra_bad_007", "别县学校", "", "3303020001", "温州市广场路小学", RUIAN, "", ""],
    /* row 9 */ ["lc_teacher1", "越权账号", "", "3303810003", "瑞安市塘下中学", RUIAN, "", ""],
    /* row 10 */ ["ra_bad_009", "校名不一", "", "3303810003", "瑞安塘下中学", RUIAN, "", ""],
    /* row 11 */ ["ra bad 010", "账号错", "", "", "瑞安市塘下中学", RUIAN, "", ""],
    /* row 12 */ ["ra_bad_ok2", "正确乙", "", "3303810003", "瑞安市塘下中学", RUIAN, "", ""],
    /* row 13 */ ["ra_bad_012", "区划代码当校码", "", "330381", "瑞安市", RUIAN, "", ""],
  ];
  const EXPECTED_ERRORS = [
    { row: 3, field: "phone", column: "手机", message: expect.stringMatching(/「手机」「1395771400」格式不正确/) },
    { row: 4, field: "name", column: "姓名", message: "「姓名」不能为空" },
    { row: 5, field: "countyCode", column: "县区代码", message: expect.stringMatching(/「330399」不是浙江省的县/) },
    { row: 6, field: "countyCode", column: "县区代码", message: expect.stringMatching(/「330302」不在您的管辖范围内/) },
    { row: 7, field: "account", column: "师训账号", message: expect.stringMatching(/与第2行重复/) },
    { row: 8, field: "schoolCode", column: "学校代码", message: expect.stringMatching(/「3303020001」已属于其他县区的学校/) },
    { row: 9, field: "account", column: "师训账号", message: expect.stringMatching(/「lc_teacher1」已属于您管辖范围以外/) },
    { row: 10, field: "schoolName", column: "学校名称", message: expect.stringMatching(/第2行的学校名称为「瑞安市塘下中学」/) },
    { row: 11, field: "account", column: "师训账号", message: expect.stringMatching(/格式不正确/) },
    { row: 11, field: "schoolCode", column: "学校代码", message: "「学校代码」不能为空" },
    { row: 13, field: "schoolCode", column: "学校代码", message: expect.stringMatching(/已被行政区划或学区使用/) },
  ];

  it("reports every bad row with its number and reason, and by default refuses the whole file", async () => {
    const before = await fingerprint(server);
    const job = await importTeachers(server.url, county, csvOf(BAD));
    expect(job).toMatchObject({ state: "DONE", refused: true, rows: 12, validRows: 2, created: 0, updated: 0, errorCount: 11, errorRowCount: 10 });
    expect(job.errors).toEqual(EXPECTED_ERRORS);
    expect(await fingerprint(server)).toEqual(before);
    // The out-of-scope teacher was not touched.
    const lc = await loginAs(server.url, "lc_county");
    expect((await usersOf(lc, await unitIdByCode(lc, LUCHENG), "lc_teacher1"))[0]).toMatchObject({ name: "黄思琪" });
  });

  it("imports only the valid rows when asked, and offers the errors as a downloadable report", async () => {
    const job = await importTeachers(server.url, county, csvOf(BAD), { mode: "validOnly" });
    expect(job).toMatchObject({ state: "DONE", refused: false, created: 2, errorCount: 11, errorRowCount: 10, storedErrorCount: 11 });
    expect(job.errors).toEqual(EXPECTED_ERRORS);
    expect((await usersOf(county, ruianId, "ra_bad_")).map((u) => u.account)).toEqual(["ra_bad_ok1", "ra_bad_ok2"]);
    expect(await county.gql(`query($id: ID!) { importJob(id: $id) { errors(offset: 9, limit: 5) { row field } } }`, { id: job.id })).toEqual({
      importJob: { errors: [{ row: 11, field: "schoolCode" }, { row: 13, field: "schoolCode" }] },
    });

    const res = await fetch(server.url + job.errorReportUrl, { headers: { authorization: `Bearer ${county.token}` } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const rows = wb.worksheets[0]!.getSheetValues().slice(4).map((r) => (r as unknown[]).slice(1, 4));
    expect(rows).toHaveLength(11);
    expect(rows[0]).toEqual([3, "手机", expect.stringMatching(/格式不正确/)]);
    expect(rows[10]).toEqual([13, "学校代码", expect.stringMatching(/行政区划/)]);
  });

  it("moves a teacher to another school: home unit, scope path and TEACHER role in one step", async () => {
    const before = (await usersOf(county, ruianId, "ra_teacher4"))[0]!;
    expect(before.homeUnit.code).toBe("3303810003");
    const assignmentId = before.roles.find((r) => r.role === "TEACHER")!.id;
    const tangxia = await unitIdByCode(county, "3303810003");
    const shiyan = await unitIdByCode(county, "3303810001");
    const countsOf = async (id: string) => (await county.gql(`query($id: ID!) { unit(id: $id) { counts { teachers } } }`, { id })).unit.counts.teachers;
    const [tangxiaBefore, shiyanBefore] = [await countsOf(tangxia), await countsOf(shiyan)];

    const job = await importTeachers(server.url, county, csvOf([["ra_teacher4", "李建国", "13857700004", "3303810001", "瑞安市实验中学", RUIAN, "物理", "初中"]]));
    expect(job).toMatchObject({ state: "DONE", created: 0, updated: 1, unchanged: 0 });
    const after = (await usersOf(county, shiyan, "ra_teacher4"))[0]!;
    expect(after).toMatchObject({ id: before.id, subject: "物理", homeUnit: { code: "3303810001" } });
    expect(after.roles).toEqual([{ id: assignmentId, role: "TEACHER", unit: { id: shiyan, code: "3303810001" } }]);
    expect(await usersOf(county, tangxia, "ra_teacher4")).toEqual([]);
    expect([await countsOf(tangxia), await countsOf(shiyan)]).toEqual([tangxiaBefore - 1, shiyanBefore + 1]);
    const path = await server.db.one<{ same: boolean }>(
      `SELECT u.unit_path = o.path AS same FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id WHERE u.account = 'ra_teacher4'`,
    );
    expect(path?.same).toBe(true);
    // The teacher signs in as before and acts in the moved role.
    const t = await loginAs(server.url, "ra_teacher4");
    expect((await t.gql(`{ me { actingRole { id unit { code } } } }`)).me.actingRole).toEqual({ id: assignmentId, unit: { code: "3303810001" } });
  });

  it("renames a school by its code", async () => {
    const job = await importTeachers(server.url, county, csvOf([["ra_teacher3", "张海燕", "13857700003", "3303810002", "瑞安市安阳实验小学（新校区）", RUIAN, "英语", "小学"]]));
    expect(job).toMatchObject({ state: "DONE", schoolsRenamed: 1, schoolsCreated: 0, unchanged: 1, updated: 0 });
    const id = await unitIdByCode(county, "3303810002");
    expect((await county.gql(`query($id: ID!) { unit(id: $id) { name kind } }`, { id })).unit).toEqual({ name: "瑞安市安阳实验小学（新校区）", kind: "SCHOOL" });
  });

  it("lets a school admin import only their own school's teachers", async () => {
    const admin = await (await loginAs(server.url, "ra_school_admin")).as("SCHOOL_ADMIN");
    const job = await importTeachers(
      server.url,
      admin,
      csvOf([
        ["ra_own_001", "本校新人", "", "3303810001", "瑞安市实验中学", RUIAN, "音乐", "初中"],
        ["ra_own_002", "外校教师", "", "3303810003", "瑞安市塘下中学", RUIAN, "音乐", "初中"],
        ["ra_own_003", "别县教师", "", "3303020001", "温州市广场路小学", LUCHENG, "音乐", "小学"],
      ]),
      { mode: "validOnly" },
    );
    expect(job).toMatchObject({ state: "DONE", created: 1, errorRowCount: 2 });
    expect(job.errors.map((e) => [e.row, e.field])).toEqual([[3, "schoolCode"], [4, "schoolCode"], [4, "countyCode"]]);
    expect(job.errors[0]!.message).toMatch(/不是本校代码（3303810001）/);

    // Acting as TEACHER, the same person may not import at all.
    const asTeacher = await (await loginAs(server.url, "ra_school_admin")).as("TEACHER");
    const up = await uploadTeachers(server.url, asTeacher, csvOf([]));
    expect(up).toEqual({ status: 403, body: { error: { code: "FORBIDDEN", message: expect.any(String) } } });
  });

  it("keeps jobs private: another user's job is NOT_FOUND, their lists and reports never show it", async () => {
    const job = await importTeachers(server.url, county, csvOf([["ra_priv_001", "私有", "", "3303810003", "瑞安市塘下中学", RUIAN, "", ""]]));
    const city = await loginAs(server.url, "wz_city");
    expect(await city.errorCode(`query($id: ID!) { importJob(id: $id) { id } }`, { id: job.id })).toBe("NOT_FOUND");
    expect(await city.errorCode(`query { importJob(id: "99999999") { id } }`)).toBe("NOT_FOUND");
    expect((await city.gql(`{ importJobs { id } }`)).importJobs).toEqual([]);
    const mine = (await county.gql<{ importJobs: { id: string }[] }>(`{ importJobs(limit: 50) { id } }`)).importJobs.map((j) => j.id);
    expect(mine[0]).toBe(job.id);
    const res = await fetch(`${server.url}/api/export/import-errors.xlsx?jobId=${job.id}`, { headers: { authorization: `Bearer ${city.token}` } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  it("refuses uploads from anonymous callers, roles without the import permission, cross-site forms and bad requests", async () => {
    const file = csvOf([]);
    expect((await uploadTeachers(server.url, null, file)).body.error?.code).toBe("UNAUTHENTICATED");
    const teacher = await loginAs(server.url, "ra_teacher1");
    expect(await uploadTeachers(server.url, teacher, file)).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    const expert = await loginAs(server.url, "expert_hz");
    expect((await uploadTeachers(server.url, expert, file)).status).toBe(403);
    // A cross-site form: the session cookie only, no X-Requested-With.
    expect(await uploadTeachers(server.url, null, file, { headers: { "x-requested-with": "", cookie: `zjh_session=${county.token}` } })).toMatchObject({ status: 403 });
    expect(await uploadTeachers(server.url, county, file, { mode: "everything" })).toMatchObject({ status: 400, body: { error: { code: "BAD_INPUT", field: "mode" } } });
    const noFile = await fetch(`${server.url}/api/import/teachers`, {
      method: "POST",
      headers: { authorization: `Bearer ${county.token}`, "x-requested-with": "x" },
      body: (() => {
        const fd = new FormData();
        fd.append("note", "没有文件");
        return fd;
      })(),
    });
    expect(noFile.status).toBe(400);
  });

  it("fails a file without the required columns, an empty list and an old .xls with a clear message", async () => {
    const noCodes = await importTeachers(server.url, county, "师训账号,姓名,手机\r\nra_x_001,某某,13957715001\r\n");
    expect(noCodes).toMatchObject({ state: "FAILED", created: 0 });
    expect(noCodes.error).toMatch(/表头缺少必需的列：「学校代码」（或 schoolCode）、「学校名称」/);
    expect(noCodes.errors).toEqual([{ row: 1, field: "header", column: "表头", message: expect.stringMatching(/表头缺少/) }]);

    expect((await importTeachers(server.url, county, csvOf([]))).error).toMatch(/只有表头/);
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await importTeachers(server.url, county, xls, { fileName: "old.xls" })).error).toMatch(/不支持旧版 Excel/);
    const broken = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode("not really a workbook")]);
    expect((await importTeachers(server.url, county, broken, { fileName: "teachers.xlsx" })).error).toMatch(/无法读取该 Excel 文件/);
  });

  it("imports a file larger than one chunk, reporting progress up to the end", async () => {
    const n = 12_000;
    const lines: TeacherLine[] = [];
    for (let i = 0; i < n; i++) {
      const s = String(1000 + (i % 40));
      lines.push([`ra_bulk_${String(i).padStart(6, "0")}`, `教师${i}`, `139${String(57700000 + i).slice(-8)}`, `330381${s}`, `瑞安市第${s}学校`, RUIAN, "数学", "小学"]);
    }
    const up = await uploadTeachers(server.url, county, csvOf(lines, CN_HEADER), { mode: "all" });
    expect(up.status).toBe(202);
    const seen: Job[] = [];
    const job = await waitForJob(county, up.body.jobId!, seen);
    expect(job).toMatchObject({ state: "DONE", rows: n, created: n, schoolsCreated: 40, errorCount: 0, processed: n, total: n, progress: 1 });
    const progress = seen.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const counts = await county.gql(`query($id: ID!) { unit(id: $id) { counts { schools } } }`, { id: ruianId });
    expect(counts.unit.counts.schools).toBeGreaterThanOrEqual(43);
  });

  it("reports a job whose process stopped as interrupted instead of running forever", async () => {
    const job = await importTeachers(server.url, county, csvOf([["ra_stale_001", "中断", "", "3303810003", "瑞安市塘下中学", RUIAN, "", ""]]));
    await server.db.exec(`UPDATE job SET state = 'RUNNING', updated_at = now() - interval '11 minutes' WHERE id = $1`, [job.id]);
    const again = await county.gql(`query($id: ID!) { importJob(id: $id) { state error } }`, { id: job.id });
    expect(again.importJob).toEqual({ state: "FAILED", error: expect.stringMatching(/导入任务已中断.*重新上传同一文件/) });
  });

  it("leaves no uploaded file behind", () => {
    const tmp = path.join(dataDir, "tmp");
    expect(fs.existsSync(tmp), "uploads are kept under DATA_DIR/tmp").toBe(true);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});
