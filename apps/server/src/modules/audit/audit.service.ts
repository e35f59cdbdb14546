import type { Sql } from "../../db/data-source.js";
import { insertAuditLog } from "./audit.repository.js";

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | number;
  reason?: string | null;
  data?: Record<string, unknown>;
}

/** Appends to the audit log, inside the caller's transaction so the record and the change land together. */
/** Who a change is recorded for: a request's context, or the uploader a job runs for. */
export interface AuditActor {
  auth: { userId: string; acting: { role: string; unitId: string } | null } | null;
}

export async function audit(sql: Sql, ctx: AuditActor, e: AuditEntry): Promise<void> {
  const acting = ctx.auth?.acting;
  await insertAuditLog(sql, {
    actorUserId: ctx.auth?.userId ?? null,
    actorRole: acting?.role ?? null,
    actorUnitId: acting?.unitId ?? null,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId != null ? String(e.targetId) : null,
    reason: e.reason ?? null,
    data: e.data ? JSON.stringify(e.data) : null,
  });
}
