import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { deflateRepeated, makeZip, type ZipEntrySpec } from "../fixtures/files/generate.js";
import { CN_HEADER, uploadTeachers, waitForJob } from "../api/import-helpers.js";

/** Runs `work` while sampling this process's RSS (the server runs in it); answers the peak growth in MB. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** A workbook's parts around the given shared strings and first sheet. */
function workbook(sharedStrings: ZipEntrySpec["data"], sheet: ZipEntrySpec["data"]): Buffer {
  return makeZip([
    { name: "[Content_Types].xml", data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>` },
    { name: "_rels/.rels", data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: "xl/workbook.xml", data: `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} ${R}><sheets><sheet name="教师" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    { name: "xl/_rels/workbook.xml.rels", data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>` },
    { name: "xl/sharedStrings.xml", data: sharedStrings },
    { name: "xl/worksheets/sheet1.xml", data: sheet },
  ]);
}

const HEADER_SHEET = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData><row r="1">${CN_HEADER.map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`).join("")}</row></sheetData></worksheet>`;

describeEachDb("teacher import bounds (hostile workbooks made here)", (variant) => {
  let server: TestServer;
  let county: Client;

  beforeAll(async () => {
    server = await startTestServer(variant);
    county = await loginAs(server.url, "ra_county");
  });
  afterAll(() => server?.stop());

  async function refusal(file: Buffer): Promise<{ error: string | null; growthMb: number }> {
    const { result, growthMb } = await rssGrowth(async () => {
      const up = await uploadTeachers(server.url, county, new Uint8Array(file), { fileName: "教师名单.xlsx" });
      if (up.status !== 202) return up.body.error?.message ?? `HTTP ${up.status}`;
      const job = await waitForJob(county, up.body.jobId!);
      expect(job.state).toBe("FAILED");
      expect(job.created).toBe(0);
      return job.error;
    });
    return { error: result, growthMb };
  }

  it("refuses a small workbook with 30 million shared strings, in bounded memory", async () => {
    const shared = await deflateRepeated(`<?xml version="1.0" encoding="UTF-8"?><sst ${NS} count="30000000" uniqueCount="30000000">`, "<si><t/></si>", 30_000_000, "</sst>");
    const file = workbook(shared, HEADER_SHEET);
    expect(file.length).toBeLessThan(2 * 1024 * 1024);
    const { error, growthMb } = await refusal(file);
    // 390 MB of XML: the byte cap of the shared strings stops it first.
    expect(error).toMatch(/sharedStrings.xml」解压后超过128 MB/);
    expect(growthMb).toBeLessThan(200);
  });

  it("refuses more shared strings than the file's size can justify, before the reader caches them", async () => {
    const shared = await deflateRepeated(`<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>`, "<si><t>1</t></si>", 3_000_000, "</sst>");
    const { error, growthMb } = await refusal(workbook(shared, HEADER_SHEET));
    expect(error).toMatch(/共享字符串超过\d+个/);
    expect(growthMb).toBeLessThan(200);
  });

  it("refuses shared strings that inflate beyond their cap, reading no more than the cap", async () => {
    const shared = await deflateRepeated(`<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>`, "<x/>", 34_000_000, "</sst>");
    const { error, growthMb } = await refusal(workbook(shared, HEADER_SHEET));
    expect(error).toMatch(/解压后超过/);
    expect(growthMb).toBeLessThan(200);
  });

  it("refuses a cell text longer than any cell of a teacher list", async () => {
    const big = "甲".repeat(40_000);
    const { error } = await refusal(workbook(`<sst ${NS}><si><t>${big}</t></si></sst>`, HEADER_SHEET));
    expect(error).toMatch(/单元格内容超过/);
  });

  it("refuses rows past the column cap", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("教师");
    ws.addRow(CN_HEADER);
    const row = ["ra_wide_001", "周小舟", "13957712001", "3303810102", "瑞安市玉海实验小学", "330381", "英语", "小学"];
    ws.addRow(row);
    ws.getCell(2, 300).value = "多余";
    const { error } = await refusal(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(error).toMatch(/超过256列/);
  });

  it("refuses a blank-row flood past the row cap", async () => {
    const sheet = await deflateRepeated(`<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${HEADER_SHEET.slice(HEADER_SHEET.indexOf("<row"), HEADER_SHEET.indexOf("</sheetData>"))}`, `<row r="3"/>`, 1_200_000, "</sheetData></worksheet>");
    // A count bound (time): every row is parsed and dropped, nothing is kept per row.
    const { error } = await refusal(workbook(`<sst ${NS}/>`, sheet));
    expect(error).toMatch(/行（含空行）/);
  });
});
