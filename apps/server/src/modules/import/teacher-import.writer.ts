import { accountChangeMessage, accountChangeRefusal, type ImportRowError, type Role, type TeacherImportRow } from "@zjh/domain";
import type { Sql, Tx } from "../../db/data-source.js";
import { countTeacherImportRows } from "../../common/metrics.js";
import * as repo from "./teacher-import.repository.js";

/**
 * The teacher import's writes, set-based (statements in teacher-import.repository.ts): each chunk
 * of validated rows is loaded into a temporary table with one statement and applied with a
 * handful of statements, never row by row.
 * "Nothing changes" is literal: every UPDATE compares first (IS DISTINCT FROM) and every INSERT
 * skips existing rows, so importing the same file again writes no row.
 *
 * Plans: a chunk touches a few thousand rows of tables with hundreds of thousands, whose
 * statistics lag behind while an import grows them. Left to itself the planner then hashes or
 * sorts the whole big table for every chunk (measured: 0.5–5 s per statement at 600,000
 * teachers). So every access to a big table is keyed: `= ANY(ARRAY(SELECT … FROM the chunk))`
 * or a LATERAL lookup by a unique key, which can only be answered by index probes.
 */

export interface ImportCaller {
  userId: string;
  /** The acting role: an existing account is rewritten only if this role outranks every role it holds. */
  role: Role;
  /** Materialized path of the acting role's unit: the import's scope. */
  scopePath: string;
}

export interface ChunkOutcome {
  created: number;
  updated: number;
  unchanged: number;
  schoolsCreated: number;
  schoolsRenamed: number;
  /** Rows refused at write time because the database changed since validation (concurrent work). */
  rejected: ImportRowError[];
}

/** Loads the rows into `imp_row` (dropped at commit). */
async function stage(tx: Sql, rows: TeacherImportRow[]): Promise<void> {
  await repo.createRowTable(tx);
  await repo.insertRows(tx, rows);
  // A temporary table has no statistics: without them the planner guesses a handful of rows and
  // joins by scanning org_unit once per row (seconds per chunk at province scale).
  await repo.analyzeRows(tx);
}

/** Writes one chunk in the caller's transaction. */
export async function applyChunk(tx: Tx, rows: TeacherImportRow[], caller: ImportCaller): Promise<ChunkOutcome> {
  const scope = caller.scopePath + "%";
  await stage(tx, rows);

  // New schools under their county (inside the caller's scope). The id is drawn first so the
  // materialized path is written by the same INSERT.
  const schoolsCreated = await repo.insertSchools(tx, scope);

  // Renamed schools: the export's name wins.
  const schoolsRenamed = await repo.renameSchools(tx, scope);

  // Each row with its school and, for known accounts, its user — both re-checked against the scope.
  // LIMIT 1 keeps each LATERAL lookup a probe of the unique index (code, account).
  await repo.createTargetTable(tx, scope);
  await repo.analyzeTargets(tx);
  const rejected: ImportRowError[] = [];
  const outOfScope = await repo.dropOutOfScope(tx, scope);
  for (const r of outOfScope) {
    rejected.push(
      r.no_school
        ? { row: r.row_no, field: "schoolCode", message: "学校在校验后被调整，已不在您的管辖范围内，本行未导入" }
        : { row: r.row_no, field: "account", message: `「师训账号」「${r.account}」已属于您管辖范围以外的单位的用户，本行未导入` },
    );
  }
  // The account-change rule, re-checked on the rows being written (each user locked first, so
  // a role granted since validation is seen): rows of accounts the caller does not outrank go.
  const targets = await repo.lockTargetUsers(tx);
  const refused = await unchangeableAccounts(tx, targets.map((t) => ({ id: t.user_id, account: t.account, unitPath: t.old_path })), caller);
  let refusedRows = 0;
  if (refused.size) {
    const gone = await repo.dropAccounts(tx, [...refused.keys()]);
    for (const r of gone) rejected.push({ row: r.row_no, field: "account", message: `${refused.get(r.account)}；本行未导入` });
    refusedRows = gone.length;
  }

  // New accounts: no password (they sign in through the platform's single sign-on until an
  // admin sets one), the TEACHER role at their school.
  const inserted = await repo.insertUsers(tx, caller.userId);
  const newRows = await repo.newTargets(tx);
  if (inserted.length < newRows.length) {
    // An account created by another import between validation and this write.
    const got = new Set(inserted.map((r) => r.account));
    for (const r of newRows) {
      if (!got.has(r.account)) rejected.push({ row: r.row_no, field: "account", message: `「师训账号」「${r.account}」正被另一导入任务同时写入，本行未导入，请稍后重新导入` });
    }
  }

  // Known accounts: profile and home school; compare first, so an unchanged row is not written.
  const changed = new Set<string>();
  const note = (rs: { user_id: string }[]) => rs.forEach((r) => changed.add(String(r.user_id)));
  note(await repo.updateUsers(tx, caller.scopePath));
  // A teacher who changed school takes their TEACHER assignment along (same assignment id, so a
  // session acting in it stays valid); a second TEACHER assignment elsewhere is removed.
  note(await repo.moveTeacherRoles(tx));
  note(await repo.deleteOtherTeacherRoles(tx));
  note(await repo.grantTeacherRoles(tx, caller.userId));
  const existing = rows.length - newRows.length - outOfScope.length - refusedRows;
  const outcome = {
    created: inserted.length,
    updated: changed.size,
    unchanged: existing - changed.size,
    schoolsCreated,
    schoolsRenamed,
    rejected,
  };
  // Counted when written (a transaction rolled back later counts too): a rate for operators.
  countTeacherImportRows({ created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, rejected: rejected.length });
  return outcome;
}

/** Accounts of the list that belong to users outside the scope. */
export async function accountsOutOfScope(sql: Sql, accounts: string[], scopePath: string): Promise<Set<string>> {
  const rows = await repo.accountsOutOfScope(sql, accounts, scopePath);
  return new Set(rows.map((r) => r.account));
}

/**
 * Accounts of the list the caller may not rewrite under the account-change rule (libs/domain
 * account-admin.ts): some role they hold is not below the caller's acting role at its unit, or
 * the account is the caller's own. Accounts outside the scope are left to `accountsOutOfScope`.
 * Returns the row-error message naming the rule, by account.
 */
export async function unchangeableAccounts(
  sql: Sql,
  users: { id: string; account: string; unitPath: string }[],
  caller: ImportCaller,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!users.length) return out;
  const roles = await repo.rolesOfUsers(sql, users.map((u) => u.id));
  const byUser = new Map<string, { role: Role; unitPath: string; unitName: string }[]>();
  for (const r of roles) {
    const list = byUser.get(r.user_id) ?? [];
    list.push({ role: r.role, unitPath: r.path, unitName: r.name });
    byUser.set(r.user_id, list);
  }
  for (const u of users) {
    const refusal = accountChangeRefusal(
      { role: caller.role, unitPath: caller.scopePath },
      { homeUnitPath: u.unitPath, roles: byUser.get(u.id) ?? [], isSelf: u.id === String(caller.userId) },
    );
    if (refusal && refusal.rule !== "outOfScope") out.set(u.account, `「师训账号」「${u.account}」不能通过导入修改：${accountChangeMessage(refusal)}`);
  }
  return out;
}

/** `unchangeableAccounts` for a list of account names (validation pass): only existing accounts inside the scope. */
export async function unchangeableAmong(sql: Sql, accounts: string[], caller: ImportCaller): Promise<Map<string, string>> {
  const users = await repo.usersInScope(sql, accounts, caller.scopePath);
  return unchangeableAccounts(sql, users.map((u) => ({ id: u.id, account: u.account, unitPath: u.unit_path })), caller);
}
