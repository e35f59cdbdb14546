import ExcelJS from "exceljs";
import { expect } from "vitest";

export interface ExportSheet {
  title: string;
  subtitle: string;
  headers: string[];
  rows: Record<string, unknown>[];
}

/**
 * Reads a list export (`/api/export/<name>.xlsx`) as the registry writes it: row 1 the title,
 * row 2 the scope and exporter, row 3 the column headers, then the data (one object per row,
 * keyed by header; an empty cell is `empty`). Expects a 200 spreadsheet answer.
 */
export async function exportSheet(res: Response, empty: unknown = undefined): Promise<ExportSheet> {
  expect(res.status, await res.clone().text().catch(() => "")).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/spreadsheetml/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const values = wb.worksheets[0]!.getSheetValues().map((r) => (r as unknown[] | undefined)?.slice(1) ?? []);
  const headers = values[3] as string[];
  return {
    title: String(values[1]![0]),
    subtitle: String(values[2]![0]),
    headers,
    rows: values.slice(4).filter((r) => r.length).map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? empty]))),
  };
}
