import ExcelJS from "exceljs";
import type { Express, Request, Response } from "express";
import { DomainError } from "@zjh/domain";
import type { Ctx } from "../../common/context.js";
import { restHandler } from "../../common/http.js";
import { ACTING_ROLE_PARAM, contextFor, type RouteDeps } from "../../common/request-context.js";
import { requirePermission } from "../auth/authorize.js";
import type { Permission } from "../auth/permissions.js";
import { queues } from "../../common/load-limits.js";
import { neutralizeFormula } from "./formula.js";

export interface ExportColumn {
  header: string;
  key: string;
  width?: number;
  /** 'datetime' and 'date' render JS Dates (or ISO strings) in Asia/Shanghai. */
  format?: "text" | "number" | "date" | "datetime";
}

/**
 * One exportable list. `rows` must apply exactly the data scope of the screen it comes from
 * (call the same service query the GraphQL list uses, without paging).
 */
export interface ExportSpec {
  name: string;
  /** Chinese title: sheet name, file name and the title row. */
  title: string;
  permission: Permission | string;
  columns: ExportColumn[];
  rows(ctx: Ctx, query: Record<string, string>): AsyncIterable<Record<string, unknown>> | Promise<Record<string, unknown>[]>;
  /** Optional subtitle, e.g. the unit the export is scoped to. */
  subtitle?(ctx: Ctx, query: Record<string, string>): Promise<string> | string;
  /** Optional title row text, e.g. the campaign's name and document number; default: `title`. */
  heading?(ctx: Ctx, query: Record<string, string>): Promise<string> | string;
}

/** Exports by name; a name given twice is a programming error, refused at start. */
export function exportRegistry(specs: readonly ExportSpec[]): Map<string, ExportSpec> {
  const registry = new Map<string, ExportSpec>();
  for (const spec of specs) {
    if (registry.has(spec.name)) throw new Error(`export ${spec.name} registered twice`);
    registry.set(spec.name, spec);
  }
  return registry;
}

const SHANGHAI = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
});
const SHANGHAI_DATE = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });

function text(v: unknown): unknown {
  return typeof v === "string" ? neutralizeFormula(v) : v;
}

function cell(v: unknown, format: ExportColumn["format"]): unknown {
  return text(rawCell(v, format));
}

function rawCell(v: unknown, format: ExportColumn["format"]): unknown {
  if (v == null) return "";
  if (format === "datetime" || format === "date") {
    const d = v instanceof Date ? v : new Date(String(v));
    if (Number.isNaN(d.getTime())) return String(v);
    return (format === "date" ? SHANGHAI_DATE : SHANGHAI).format(d).replace(/\//g, "-");
  }
  if (format === "number") return typeof v === "number" ? v : Number(v);
  return typeof v === "object" ? JSON.stringify(v) : v;
}

/** Rows hard cap per export; larger lists should be narrowed by filters. */
export const EXPORT_ROW_CAP = 1_000_000;

async function handle(req: Request, res: Response, deps: RouteDeps, registry: Map<string, ExportSpec>) {
  const spec = registry.get(String(req.params.name));
  let release: (() => void) | undefined;
  try {
    const ctx = await contextFor(req, res, deps.db, deps.config, { actingFromQuery: true, budget: "long" });
    if (!spec) throw new DomainError("NOT_FOUND", "没有这个导出");
    if (!ctx.auth) throw new DomainError("UNAUTHENTICATED", "请先登录");
    requirePermission(ctx, spec.permission);
    // Exports read whole lists: a bounded number at a time, the rest refused (503) at once.
    release = await queues.export.acquire({ signal: ctx.db.scope?.signal });
    // The acting role is not a filter of the list.
    const query = Object.fromEntries(Object.entries(req.query).filter(([k]) => k !== ACTING_ROLE_PARAM).map(([k, v]) => [k, String(v)]));
    // Resolve rows (and so every scope check) before sending any byte, so a refusal is a clean error.
    // An async generator runs nothing until it is pulled: pull its first row now.
    const source = await spec.rows(ctx, query);
    const it = (Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()) as AsyncIterator<Record<string, unknown>> | Iterator<Record<string, unknown>>;
    const first = await it.next();
    const subtitle = spec.subtitle ? await spec.subtitle(ctx, query) : "";
    const heading = spec.heading ? await spec.heading(ctx, query) : spec.title;
    const fileName = `${spec.title}-${SHANGHAI_DATE.format(new Date()).replace(/\//g, "")}.xlsx`;
    res.setHeader("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.setHeader("Content-Disposition", `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
    const ws = wb.addWorksheet(spec.title.slice(0, 31));
    ws.columns = spec.columns.map((c) => ({ key: c.key, width: c.width ?? 16 }));
    const title = ws.addRow([text(heading)]);
    title.font = { bold: true, size: 14 };
    title.commit();
    ws.addRow([text(`${subtitle ? subtitle + "　" : ""}导出人：${ctx.auth.name}　导出时间：${SHANGHAI.format(new Date()).replace(/\//g, "-")}`)]).commit();
    const header = ws.addRow(spec.columns.map((c) => text(c.header)));
    header.font = { bold: true };
    header.commit();
    let n = 0;
    for (let next = first; !next.done; next = await it.next()) {
      if (++n > EXPORT_ROW_CAP) break;
      ws.addRow(spec.columns.map((c) => cell(next.value[c.key], c.format))).commit();
    }
    ws.commit();
    await wb.commit();
  } finally {
    release?.();
  }
}

/**
 * GET /api/export/<name>.xlsx?<filters> — the same filters the list screen uses, in the acting
 * role of the `x-acting-role` header (the web app fetches exports) or of an `actingRole`
 * parameter (a plain link).
 */
export function mountExportRoutes(app: Express, deps: RouteDeps, specs: readonly ExportSpec[]): void {
  const registry = exportRegistry(specs);
  app.get("/api/export/:name.xlsx", restHandler((req, res) => handle(req, res, deps, registry), { fallback: "导出失败，请稍后重试", log: "export failed" }));
  app.get("/api/exports", (_req, res) => res.json(specs.map((s) => ({ name: s.name, title: s.title }))));
}
