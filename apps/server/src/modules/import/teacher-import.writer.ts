import { accountChangeMessage, accountChangeRefusal, type ImportRowError, type Role, type TeacherImportRow } from "@zjh/domain";
import type { Sql, Tx } from "../../db/data-source.js";
import { countTeacherImportRows } from "../../common/metrics.js";

/**
 * Set-based SQL for the teacher import: each chunk of validated rows is loaded into a temporary
 * table with one statement and applied with a handful of statements, never row by row.
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

const col = <K extends keyof TeacherImportRow>(rows: TeacherImportRow[], k: K) => rows.map((r) => r[k]);

/** Loads the rows into `imp_row` (dropped at commit). */
async function stage(tx: Sql, rows: TeacherImportRow[]): Promise<void> {
  await tx.exec(`CREATE TEMP TABLE imp_row (
    row_no int, account text, name text, phone text, school_code text, school_name text, county_code text, subject text, stage text
  ) ON COMMIT DROP`);
  await tx.exec(
    `INSERT INTO imp_row SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
    [col(rows, "row"), col(rows, "account"), col(rows, "name"), col(rows, "phone"), col(rows, "schoolCode"), col(rows, "schoolName"), col(rows, "countyCode"), col(rows, "subject"), col(rows, "stage")],
  );
  // A temporary table has no statistics: without them the planner guesses a handful of rows and
  // joins by scanning org_unit once per row (seconds per chunk at province scale).
  await tx.exec(`ANALYZE imp_row`);
}

/** Writes one chunk in the caller's transaction. */
export async function applyChunk(tx: Tx, rows: TeacherImportRow[], caller: ImportCaller): Promise<ChunkOutcome> {
  const scope = caller.scopePath + "%";
  await stage(tx, rows);

  // New schools under their county (inside the caller's scope). The id is drawn first so the
  // materialized path is written by the same INSERT.
  const schoolsCreated = (
    await tx.exec(
      `INSERT INTO org_unit (id, kind, code, name, parent_id, path, depth, city_id, county_id) OVERRIDING SYSTEM VALUE
       SELECT n.id, 'SCHOOL', n.school_code, n.school_name, c.id, c.path || n.id || '/', c.depth + 1, c.city_id, c.id
         FROM (SELECT nextval(pg_get_serial_sequence('org_unit', 'id')) AS id, s.school_code, s.school_name, s.county_code
                 FROM (SELECT DISTINCT ON (school_code) school_code, school_name, county_code FROM imp_row ORDER BY school_code, row_no) s
                WHERE NOT EXISTS (SELECT 1 FROM org_unit o WHERE o.code = s.school_code)) n
         JOIN org_unit c ON c.code = n.county_code AND c.kind = 'COUNTY' AND c.path LIKE $1
       ON CONFLICT (code) DO NOTHING
       RETURNING id`,
      [scope],
    )
  ).affected;

  // Renamed schools: the export's name wins.
  const schoolsRenamed = (
    await tx.exec(
      `UPDATE org_unit o SET name = s.school_name
         FROM (SELECT DISTINCT ON (school_code) school_code, school_name FROM imp_row ORDER BY school_code, row_no) s
        WHERE o.code = ANY(ARRAY(SELECT school_code FROM imp_row)) AND o.code = s.school_code
          AND o.kind IN ('SCHOOL','PRACTICE_BASE') AND o.path LIKE $1 AND o.name IS DISTINCT FROM s.school_name
       RETURNING o.id`,
      [scope],
    )
  ).affected;

  // Each row with its school and, for known accounts, its user — both re-checked against the scope.
  // LIMIT 1 keeps each LATERAL lookup a probe of the unique index (code, account).
  await tx.exec(
    `CREATE TEMP TABLE imp_target ON COMMIT DROP AS
     SELECT r.*, sch.id AS home_id, sch.path AS home_path, u.id AS user_id, u.unit_path AS old_path
       FROM imp_row r
       LEFT JOIN LATERAL (
         SELECT o.id, o.path FROM org_unit o
          WHERE o.code = r.school_code AND o.kind IN ('SCHOOL','PRACTICE_BASE') AND o.path LIKE $1 LIMIT 1
       ) sch ON true
       LEFT JOIN LATERAL (SELECT x.id, x.unit_path FROM app_user x WHERE x.account = r.account LIMIT 1) u ON true`,
    [scope],
  );
  await tx.exec(`ANALYZE imp_target`);
  const rejected: ImportRowError[] = [];
  const outOfScope = await tx.rows<{ row_no: number; account: string; no_school: boolean }>(
    `DELETE FROM imp_target WHERE home_id IS NULL OR (user_id IS NOT NULL AND old_path NOT LIKE $1)
     RETURNING row_no, account, home_id IS NULL AS no_school`,
    [scope],
  );
  for (const r of outOfScope) {
    rejected.push(
      r.no_school
        ? { row: r.row_no, field: "schoolCode", message: "学校在校验后被调整，已不在您的管辖范围内，本行未导入" }
        : { row: r.row_no, field: "account", message: `「师训账号」「${r.account}」已属于您管辖范围以外的单位的用户，本行未导入` },
    );
  }
  // The account-change rule, re-checked on the rows being written (each user locked first, so
  // a role granted since validation is seen): rows of accounts the caller does not outrank go.
  const targets = await tx.rows<{ user_id: string; account: string; old_path: string }>(
    `SELECT u.id::text AS user_id, u.account, u.unit_path AS old_path FROM app_user u
      WHERE u.id = ANY(ARRAY(SELECT user_id FROM imp_target WHERE user_id IS NOT NULL)) ORDER BY u.id FOR UPDATE`,
  );
  const refused = await unchangeableAccounts(tx, targets.map((t) => ({ id: t.user_id, account: t.account, unitPath: t.old_path })), caller);
  let refusedRows = 0;
  if (refused.size) {
    const gone = await tx.rows<{ row_no: number; account: string }>(
      `DELETE FROM imp_target WHERE account = ANY($1::text[]) RETURNING row_no, account`,
      [[...refused.keys()]],
    );
    for (const r of gone) rejected.push({ row: r.row_no, field: "account", message: `${refused.get(r.account)}；本行未导入` });
    refusedRows = gone.length;
  }

  // New accounts: no password (they sign in through the platform's single sign-on until an
  // admin sets one), the TEACHER role at their school.
  const inserted = await tx.rows<{ account: string }>(
    `WITH ins AS (
       INSERT INTO app_user (account, name, phone, subject, stage, home_unit_id, unit_path)
       SELECT account, name, phone, subject, stage, home_id, home_path FROM imp_target WHERE user_id IS NULL ORDER BY row_no
       ON CONFLICT (account) DO NOTHING
       RETURNING id, account, home_unit_id
     ), roles AS (
       INSERT INTO role_assignment (user_id, role, unit_id, granted_by) SELECT id, 'TEACHER', home_unit_id, $1 FROM ins RETURNING user_id
     )
     SELECT account FROM ins`,
    [caller.userId],
  );
  const newRows = await tx.rows<{ row_no: number; account: string }>(`SELECT row_no, account FROM imp_target WHERE user_id IS NULL`);
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
  note(
    await tx.rows<{ user_id: string }>(
      `UPDATE app_user u SET name = t.name, phone = t.phone, subject = t.subject, stage = t.stage,
              home_unit_id = t.home_id, unit_path = t.home_path, updated_at = now()
         FROM imp_target t
        WHERE u.id = ANY(ARRAY(SELECT user_id FROM imp_target WHERE user_id IS NOT NULL)) AND u.id = t.user_id
          -- re-checked on the row version being updated; written so that no index can serve
          -- it, else the planner may scan the scope's whole index range for every chunk
          AND left(u.unit_path, length($1)) = $1
          AND (u.name, u.phone, u.subject, u.stage, u.home_unit_id, u.unit_path)
              IS DISTINCT FROM (t.name, t.phone, t.subject, t.stage, t.home_id, t.home_path)
       RETURNING u.id AS user_id`,
      [caller.scopePath],
    ),
  );
  // A teacher who changed school takes their TEACHER assignment along (same assignment id, so a
  // session acting in it stays valid); a second TEACHER assignment elsewhere is removed.
  note(
    await tx.rows<{ user_id: string }>(
      `UPDATE role_assignment ra SET unit_id = m.home_id
         FROM (SELECT DISTINCT ON (x.user_id) x.id, t.home_id
                 FROM role_assignment x JOIN imp_target t ON t.user_id = x.user_id
                WHERE x.user_id = ANY(ARRAY(SELECT user_id FROM imp_target WHERE user_id IS NOT NULL))
                  AND x.role = 'TEACHER' AND x.unit_id <> t.home_id
                  AND NOT EXISTS (SELECT 1 FROM role_assignment y WHERE y.user_id = t.user_id AND y.role = 'TEACHER' AND y.unit_id = t.home_id)
                ORDER BY x.user_id, x.id) m
        WHERE ra.id = m.id
       RETURNING ra.user_id`,
    ),
  );
  note(
    await tx.rows<{ user_id: string }>(
      `DELETE FROM role_assignment ra USING imp_target t
        WHERE ra.user_id = ANY(ARRAY(SELECT user_id FROM imp_target WHERE user_id IS NOT NULL))
          AND ra.user_id = t.user_id AND ra.role = 'TEACHER' AND ra.unit_id <> t.home_id
       RETURNING ra.user_id`,
    ),
  );
  note(
    await tx.rows<{ user_id: string }>(
      `INSERT INTO role_assignment (user_id, role, unit_id, granted_by)
       SELECT user_id, 'TEACHER', home_id, $1 FROM imp_target WHERE user_id IS NOT NULL
       ON CONFLICT (user_id, role, unit_id) DO NOTHING
       RETURNING user_id`,
      [caller.userId],
    ),
  );
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

/** School codes already in use, with what validation needs to know about them. */
export interface KnownSchool {
  code: string;
  kind: string;
  county_id: string | null;
  city_id: string | null;
  in_scope: boolean;
}

export function knownSchools(sql: Sql, codes: string[], scopePath: string): Promise<KnownSchool[]> {
  return sql.rows<KnownSchool>(
    `SELECT code, kind, county_id::text AS county_id, city_id::text AS city_id, path LIKE $2 AS in_scope FROM org_unit WHERE code = ANY($1::text[])`,
    [codes, scopePath + "%"],
  );
}

/** Accounts of the list that belong to users outside the scope. */
export async function accountsOutOfScope(sql: Sql, accounts: string[], scopePath: string): Promise<Set<string>> {
  const rows = await sql.rows<{ account: string }>(
    `SELECT account FROM app_user WHERE account = ANY($1::text[]) AND unit_path NOT LIKE $2`,
    [accounts, scopePath + "%"],
  );
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
  const roles = await sql.rows<{ user_id: string; role: Role; path: string; name: string }>(
    `SELECT r.user_id::text AS user_id, r.role, o.path, o.name FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id
      WHERE r.user_id = ANY($1::bigint[]) ORDER BY r.id`,
    [users.map((u) => u.id)],
  );
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
  const users = await sql.rows<{ id: string; account: string; unit_path: string }>(
    `SELECT id::text AS id, account, unit_path FROM app_user WHERE account = ANY($1::text[]) AND unit_path LIKE $2`,
    [accounts, caller.scopePath + "%"],
  );
  return unchangeableAccounts(sql, users.map((u) => ({ id: u.id, account: u.account, unitPath: u.unit_path })), caller);
}
