import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";

/** One line of the audit log as written (ids as strings, data as JSON text). */
export interface AuditLogInsert {
  actorUserId: string | null;
  actorRole: string | null;
  actorUnitId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  data: string | null;
}

export const queries = sqlQueries({
  insert: `INSERT INTO audit_log (actor_user_id, actor_role, actor_unit_id, action, target_type, target_id, reason, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
});

/** Appends a line to the audit log (in the caller's transaction). */
export async function insertAuditLog(sql: Sql, e: AuditLogInsert): Promise<void> {
  await sql.exec(queries.insert, [e.actorUserId, e.actorRole, e.actorUnitId, e.action, e.targetType, e.targetId, e.reason, e.data]);
}
