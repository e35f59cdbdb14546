import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_RULE_SET } from "../../libs/domain/src/activity/index.js";
import type { Db } from "../../apps/server/src/db/data-source.js";
import { syncUnitStatsThresholds, type UnitStatsThresholds } from "../../apps/server/src/modules/stats/stats.repository.js";
import { describeEachDb, openTestDb } from "../support/server.js";

/**
 * The per-unit aggregates count active and target-meeting teachers with the thresholds in the one
 * row of stats_unit_threshold, and the start-up sync brings that row (and the aggregates) to the
 * rule set's targets. Here the thresholds are moved to other values: the recomputation and every
 * kind of maintenance afterwards (totals written, a lock, a TEACHER grant) must count with them,
 * equal to a direct computation from activity_total, and the sync must bring everything back.
 */

const RULES: UnitStatsThresholds = {
  activeMin: DEFAULT_RULE_SET.targets.activeMinPoints,
  teacherMonthly: DEFAULT_RULE_SET.targets.teacherMonthly,
  teacherYearly: DEFAULT_RULE_SET.targets.teacherYearly,
};
const OTHER: UnitStatsThresholds = { activeMin: 10, teacherMonthly: 20, teacherYearly: 50 };

describeEachDb("per-unit aggregate thresholds", (variant) => {
  let db: Db;
  let dispose: () => Promise<void>;
  let teachers: { id: string; account: string }[];

  beforeAll(async () => {
    ({ db, dispose } = await openTestDb(variant));
    teachers = await db.rows<{ id: string; account: string }>(
      `SELECT u.id::text AS id, u.account FROM app_user u
        WHERE NOT u.locked AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
        ORDER BY u.account LIMIT 8`,
    );
    expect(teachers.length).toBe(8);
  });
  afterAll(() => dispose?.());

  const row = () =>
    db.one(`SELECT active_min AS "activeMin", teacher_monthly AS "teacherMonthly", teacher_yearly AS "teacherYearly" FROM stats_unit_threshold`);

  /** stats_unit_period computed from the roster and activity_total with `t`, as (unit, period) → [active, meeting, totals]. */
  async function direct(t: UnitStatsThresholds) {
    return db.rows<{ unit_id: string; unit_path: string; period: string; points: string; mobile: string; active: number; meeting: number; totals: number }>(
      `SELECT u.home_unit_id::text AS unit_id, u.unit_path, a.period, sum(a.points)::text AS points, sum(a.mobile_points)::text AS mobile,
              count(*) FILTER (WHERE a.points >= $1::float8)::int AS active,
              count(*) FILTER (WHERE a.points >= CASE WHEN length(a.period) = 4 THEN $3::float8 ELSE $2::float8 END)::int AS meeting,
              count(*)::int AS totals
         FROM app_user u JOIN activity_total a ON a.account = u.account
        WHERE NOT u.locked AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [t.activeMin, t.teacherMonthly, t.teacherYearly],
    );
  }

  const stored = () =>
    db.rows(
      `SELECT unit_id::text AS unit_id, unit_path, period, points::text AS points, mobile::text AS mobile, active, meeting, totals
         FROM stats_unit_period ORDER BY 1, 2, 3`,
    );

  async function expectCountedWith(t: UnitStatsThresholds, step: string) {
    expect(await row(), step).toEqual(t);
    expect(await stored(), step).toEqual(await direct(t));
  }

  /** Writes one period total of an account (the statements the rescoring issues go through the same triggers). */
  const total = (account: string, period: string, points: number) =>
    db.exec(
      `INSERT INTO activity_total (account, period, points, mobile_points, rule_points) VALUES ($1, $2, $3, 0, '{}')
       ON CONFLICT (account, period) DO UPDATE SET points = excluded.points`,
      [account, period, points],
    );

  it("holds the rule set's targets in a fresh database", async () => {
    await expectCountedWith(RULES, "fresh");
    expect(await syncUnitStatsThresholds(db)).toBe(false);
  });

  it("recomputes with other thresholds, and every maintenance path counts with them", async () => {
    // Points on both sides of both sets of thresholds, in a month and a year.
    const points = [0, 1, 9, 10, 19, 20, 30, 49];
    for (const [i, t] of teachers.entries()) {
      await total(t.account, "2031-05", points[i]!);
      await total(t.account, "2031", points[i]! * 7);
    }
    await expectCountedWith(RULES, "totals written");
    // The two sets of thresholds count these totals differently, so the check below means something.
    expect(await direct(OTHER)).not.toEqual(await direct(RULES));

    expect(await syncUnitStatsThresholds(db, OTHER)).toBe(true);
    await expectCountedWith(OTHER, "synced to other thresholds");
    expect(await syncUnitStatsThresholds(db, OTHER)).toBe(false);

    // Differences of statements on activity_total.
    await total(teachers[0]!.account, "2031-05", 25);
    await db.exec(`UPDATE activity_total SET points = points + 5 WHERE period = '2031-05' AND account = ANY($1)`, [teachers.map((t) => t.account)]);
    await db.exec(`DELETE FROM activity_total WHERE account = $1 AND period = '2031'`, [teachers[1]!.account]);
    await expectCountedWith(OTHER, "totals changed");
    // Recomputation of a unit (a lock) and a whole teacher removed and added (TEACHER revoked and granted).
    await db.exec(`UPDATE app_user SET locked = true WHERE id = $1`, [teachers[2]!.id]);
    await expectCountedWith(OTHER, "locked");
    const grant = (await db.one<{ user_id: string; role: string; unit_id: string }>(
      `SELECT user_id::text AS user_id, role, unit_id::text AS unit_id FROM role_assignment WHERE user_id = $1 AND role = 'TEACHER' LIMIT 1`,
      [teachers[3]!.id],
    ))!;
    await db.exec(`DELETE FROM role_assignment WHERE user_id = $1 AND role = 'TEACHER'`, [teachers[3]!.id]);
    await expectCountedWith(OTHER, "revoked");
    await db.exec(`INSERT INTO role_assignment (user_id, role, unit_id) VALUES ($1, 'TEACHER', $2)`, [grant.user_id, grant.unit_id]);
    await expectCountedWith(OTHER, "granted");
  });

  it("brings a row changed by hand back to the rule set's targets and recounts", async () => {
    await db.exec(`UPDATE stats_unit_threshold SET active_min = 3, teacher_monthly = 4, teacher_yearly = 5`);
    expect(await syncUnitStatsThresholds(db)).toBe(true);
    await expectCountedWith(RULES, "synced back");
    await total(teachers[4]!.account, "2031-05", 31);
    await expectCountedWith(RULES, "after sync");
  });

  it("keeps to one row", async () => {
    await expect(db.exec(`INSERT INTO stats_unit_threshold (one, active_min, teacher_monthly, teacher_yearly) VALUES (false, 1, 1, 1)`)).rejects.toThrow();
    await expect(db.exec(`INSERT INTO stats_unit_threshold (active_min, teacher_monthly, teacher_yearly) VALUES (1, 1, 1)`)).rejects.toThrow();
  });
});
