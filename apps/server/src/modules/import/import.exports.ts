import { Permission } from "../auth/permissions.js";
import type { ExportSpec } from "../export/export.registry.js";
import { columnLabel, requireOwnImportJob } from "./import-job.service.js";
import { storedErrors } from "./import-job.repository.js";

/** This module's Excel exports (listed in modules/export/exports.ts). */
export const importExports: ExportSpec[] = [];

/** GET /api/export/import-errors.xlsx?jobId=… — every stored row error of one of the caller's imports. */
importExports.push({
  name: "import-errors",
  title: "导入错误报告",
  permission: Permission.UserImport,
  columns: [
    { header: "行号", key: "row_no", width: 8, format: "number" },
    { header: "列", key: "column", width: 14 },
    { header: "错误说明", key: "message", width: 90 },
  ],
  async subtitle(ctx, q) {
    const job = await requireOwnImportJob(ctx, q.jobId ?? "");
    const r = job.result;
    const more = r && r.errorCount > r.storedErrors ? `（共${r.errorCount}条错误，仅列出前${r.storedErrors}条）` : "";
    return `文件：${r?.fileName ?? ""}${more}`;
  },
  async *rows(ctx, q) {
    const job = await requireOwnImportJob(ctx, q.jobId ?? "");
    for (let offset = 0; ; offset += 10_000) {
      const page = await storedErrors(ctx.db, String(job.id), offset, 10_000);
      for (const e of page) yield { row_no: e.row_no, column: columnLabel(e.field), message: e.message };
      if (page.length < 10_000) break;
    }
  },
});
