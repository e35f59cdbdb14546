import { DEFAULT_RULE_SET } from "@zjh/domain/activity/index";
import type { Sql } from "../../db/sql.js";
import { sqlQueries } from "../../db/repository.js";

export interface UnitStatsThresholds {
  activeMin: number;
  teacherMonthly: number;
  teacherYearly: number;
}

/**
 * The thresholds the per-unit aggregates (stats_unit_period) are counted with: the rule set's
 * targets. The maintenance triggers read them from the one row of stats_unit_threshold, which
 * `syncUnitStatsThresholds` keeps equal to these. The aggregates are read only while the period's
 * targets are these.
 */
export const ACTIVITY_UNIT_STATS_THRESHOLDS: Readonly<UnitStatsThresholds> = Object.freeze({
  activeMin: DEFAULT_RULE_SET.targets.activeMinPoints,
  teacherMonthly: DEFAULT_RULE_SET.targets.teacherMonthly,
  teacherYearly: DEFAULT_RULE_SET.targets.teacherYearly,
});

export const queries = sqlQueries({
  read: `SELECT active_min AS "activeMin", teacher_monthly AS "teacherMonthly", teacher_yearly AS "teacherYearly" FROM stats_unit_threshold`,
  // The writers' advisory lock (that of the maintenance triggers of migration ActivityUnitStats).
  lockWriters: `SELECT pg_advisory_xact_lock(730002, 0)`,
  write: `INSERT INTO stats_unit_threshold (one, active_min, teacher_monthly, teacher_yearly) VALUES (true, $1, $2, $3)
    ON CONFLICT (one) DO UPDATE SET active_min = excluded.active_min, teacher_monthly = excluded.teacher_monthly,
                                    teacher_yearly = excluded.teacher_yearly`,
  recomputeAll: `SELECT stats_refresh_units(coalesce((SELECT array_agg(DISTINCT home_unit_id) FROM app_user), '{}'))`,
});

const sameThresholds = (r: UnitStatsThresholds | undefined, t: UnitStatsThresholds) =>
  r !== undefined && r.activeMin === t.activeMin && r.teacherMonthly === t.teacherMonthly && r.teacherYearly === t.teacherYearly;

/** The database as the sync needs it (the Db of data-source.ts, which calls it after the migrations). */
interface SqlWithTx extends Sql {
  tx<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

/**
 * Makes the aggregates count with `want` (by default the rule set's thresholds; run at every
 * start, after the migrations): when the row of stats_unit_threshold holds other values, one
 * transaction sets it and recomputes the per-unit tables of every home unit from the roster and
 * activity_total. It holds the writers' advisory lock (that of the maintenance triggers) from
 * before it reads the row, so no writer counts with the old values meanwhile and concurrent
 * starts recompute once. Returns whether it recomputed.
 */
export async function syncUnitStatsThresholds(db: SqlWithTx, want: UnitStatsThresholds = ACTIVITY_UNIT_STATS_THRESHOLDS): Promise<boolean> {
  if (sameThresholds(await db.one<UnitStatsThresholds>(queries.read), want)) return false;
  return db.tx(async (tx) => {
    await tx.one(queries.lockWriters);
    if (sameThresholds(await tx.one<UnitStatsThresholds>(queries.read), want)) return false;
    await tx.exec(queries.write, [want.activeMin, want.teacherMonthly, want.teacherYearly]);
    await tx.one(queries.recomputeAll);
    return true;
  });
}
