import type { Sql } from "../../db/data-source.js";

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
  await sql.exec(
    `INSERT INTO audit_log (actor_user_id, actor_role, actor_unit_id, action, target_type, target_id, reason, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [ctx.auth?.userId ?? null, acting?.role ?? null, acting?.unitId ?? null, e.action, e.targetType ?? null, e.targetId != null ? String(e.targetId) : null, e.reason ?? null, e.data ? JSON.stringify(e.data) : null],
  );
}
