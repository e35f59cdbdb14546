import type { MigrationInterface, QueryRunner } from "typeorm";
import { DEFAULT_RULE_SET } from "@zjh/domain/activity/index";

/**
 * How the maintenance functions of migration ActivityUnitStats count a teacher's total: `active`
 * and `meeting` are SQL expressions over the total's alias (`x` or `a`), `from` is what joins the
 * thresholds in (empty when the expressions are literals).
 */
interface Counting {
  active(alias: string): string;
  meeting(alias: string): string;
  from: string;
}

/** Reads the thresholds from the one row of stats_unit_threshold (this migration's functions). */
const FROM_TABLE: Counting = {
  active: (a) => `${a}.points >= th.active_min`,
  meeting: (a) => `${a}.points >= CASE WHEN length(${a}.period) = 4 THEN th.teacher_yearly ELSE th.teacher_monthly END`,
  from: " CROSS JOIN stats_unit_threshold th",
};

/** The literals of migration ActivityUnitStats (its functions, which `down` restores, were counted with them). */
const LITERALS: Counting = {
  active: (a) => `${a}.points >= 1`,
  meeting: (a) => `${a}.points >= CASE WHEN length(${a}.period) = 4 THEN 300 ELSE 30 END`,
  from: "",
};

/** As `totalDelta` of migration ActivityUnitStats, counting with `c`. */
function totalDelta(c: Counting, sources: ("new_rows" | "old_rows")[]): string {
  const part = (t: string) => {
    const sign = t === "old_rows" ? "-" : "";
    return `SELECT u.home_unit_id AS unit_id, u.unit_path, x.period, ${sign}x.points::bigint AS pts, ${sign}x.mobile_points::bigint AS mob,
                   ${sign}(${c.active("x")})::int AS act, ${sign}(${c.meeting("x")})::int AS meet,
                   ${sign}1 AS cnt
              FROM ${t} x JOIN app_user u ON u.account = x.account${c.from}
             WHERE NOT u.locked AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')`;
  };
  return `INSERT INTO stats_unit_period AS s (unit_id, unit_path, period, points, mobile, active, meeting, totals)
        SELECT unit_id, unit_path, period, sum(pts), sum(mob), sum(act), sum(meet), sum(cnt)
          FROM (${sources.map(part).join(" UNION ALL ")}) d
         GROUP BY 1, 2, 3
        HAVING sum(pts) <> 0 OR sum(mob) <> 0 OR sum(act) <> 0 OR sum(meet) <> 0 OR sum(cnt) <> 0
         ORDER BY 1, 3, 2
        ON CONFLICT (unit_id, period, unit_path) DO UPDATE
           SET points = s.points + excluded.points, mobile = s.mobile + excluded.mobile, active = s.active + excluded.active,
               meeting = s.meeting + excluded.meeting, totals = s.totals + excluded.totals;`;
}

/**
 * The three maintenance functions of migration ActivityUnitStats that count active and
 * target-meeting teachers, otherwise unchanged: the recomputation of units, the difference of a
 * statement on activity_total, and the addition or removal of whole teachers.
 */
function countingFunctions(c: Counting): string {
  return `
      CREATE OR REPLACE FUNCTION stats_refresh_units(units bigint[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        EXECUTE 'DELETE FROM stats_unit_roster WHERE unit_id = ANY($1)' USING units;
        EXECUTE $q$
          INSERT INTO stats_unit_roster (unit_id, unit_path, teachers, locked)
          SELECT u.home_unit_id, u.unit_path, count(*) FILTER (WHERE NOT u.locked), count(*) FILTER (WHERE u.locked)
            FROM app_user u
           WHERE u.home_unit_id = ANY($1)
             AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
           GROUP BY 1, 2 $q$ USING units;
        EXECUTE 'DELETE FROM stats_unit_period WHERE unit_id = ANY($1)' USING units;
        EXECUTE $q$
          INSERT INTO stats_unit_period (unit_id, unit_path, period, points, mobile, active, meeting, totals)
          SELECT u.home_unit_id, u.unit_path, a.period, sum(a.points), sum(a.mobile_points),
                 count(*) FILTER (WHERE ${c.active("a")}),
                 count(*) FILTER (WHERE ${c.meeting("a")}), count(*)
            FROM app_user u JOIN activity_total a ON a.account = u.account${c.from}
           WHERE u.home_unit_id = ANY($1) AND NOT u.locked
             AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
           GROUP BY 1, 2, 3 $q$ USING units;
      END $fn$;

      CREATE OR REPLACE FUNCTION stats_on_total() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${totalDelta(c, ["new_rows"])}
        ELSIF TG_OP = 'DELETE' THEN
          ${totalDelta(c, ["old_rows"])}
        ELSE
          ${totalDelta(c, ["new_rows", "old_rows"])}
        END IF;
        DELETE FROM stats_unit_period WHERE totals = 0;
        RETURN NULL;
      END $fn$;

      CREATE OR REPLACE FUNCTION stats_teacher_delta(users bigint[], sign int) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE units bigint[];
      BEGIN
        EXECUTE 'SELECT array_agg(DISTINCT home_unit_id) FROM app_user WHERE id = ANY($1)' INTO units USING users;
        IF units IS NULL THEN RETURN; END IF;
        EXECUTE $q$
          INSERT INTO stats_unit_roster AS s (unit_id, unit_path, teachers, locked)
          SELECT u.home_unit_id, u.unit_path, $2 * count(*) FILTER (WHERE NOT u.locked), $2 * count(*) FILTER (WHERE u.locked)
            FROM app_user u WHERE u.id = ANY($1)
           GROUP BY 1, 2
           ORDER BY 1, 2
          ON CONFLICT (unit_id, unit_path) DO UPDATE SET teachers = s.teachers + excluded.teachers, locked = s.locked + excluded.locked $q$
          USING users, sign;
        EXECUTE 'DELETE FROM stats_unit_roster WHERE unit_id = ANY($1) AND teachers = 0 AND locked = 0' USING units;
        EXECUTE $q$
          INSERT INTO stats_unit_period AS s (unit_id, unit_path, period, points, mobile, active, meeting, totals)
          SELECT u.home_unit_id, u.unit_path, a.period, $2 * sum(a.points), $2 * sum(a.mobile_points),
                 $2 * count(*) FILTER (WHERE ${c.active("a")}),
                 $2 * count(*) FILTER (WHERE ${c.meeting("a")}), $2 * count(*)
            FROM app_user u JOIN activity_total a ON a.account = u.account${c.from}
           WHERE u.id = ANY($1) AND NOT u.locked
           GROUP BY 1, 2, 3
           ORDER BY 1, 3, 2
          ON CONFLICT (unit_id, period, unit_path) DO UPDATE
             SET points = s.points + excluded.points, mobile = s.mobile + excluded.mobile, active = s.active + excluded.active,
                 meeting = s.meeting + excluded.meeting, totals = s.totals + excluded.totals $q$
          USING users, sign;
        EXECUTE 'DELETE FROM stats_unit_period WHERE unit_id = ANY($1) AND totals = 0' USING units;
      END $fn$;`;
}

/**
 * The thresholds of the per-unit aggregates (stats_unit_period: active and target-meeting
 * teachers) move from literals in the maintenance functions to the one row of
 * `stats_unit_threshold`, which holds the default rule set's targets (`RULES.targets` of
 * @zjh/domain: active from `activeMinPoints`, the teacher target `teacherMonthly` a month and
 * `teacherYearly` a year). The row records what the aggregates are counted with; at start the
 * server brings it and the aggregates to the rule set's values should they differ
 * (`syncUnitStatsThresholds` in stats-threshold.repository.ts). Triggers, locking and everything else are
 * as migration ActivityUnitStats left them.
 */
export class ActivityUnitThresholds1764240000000 implements MigrationInterface {
  name = "ActivityUnitThresholds1764240000000";

  async up(q: QueryRunner): Promise<void> {
    const t = DEFAULT_RULE_SET.targets;
    await q.query(`
      CREATE TABLE stats_unit_threshold (
        one             boolean PRIMARY KEY DEFAULT true CHECK (one),
        active_min      float8 NOT NULL,
        teacher_monthly float8 NOT NULL,
        teacher_yearly  float8 NOT NULL
      );
    `);
    await q.query(`INSERT INTO stats_unit_threshold (active_min, teacher_monthly, teacher_yearly) VALUES ($1, $2, $3)`, [
      t.activeMinPoints,
      t.teacherMonthly,
      t.teacherYearly,
    ]);
    // Writers wait while the functions change and, should the rule set's values not be those the
    // aggregates were counted with, while every unit is recomputed with them.
    await q.query(`SELECT pg_advisory_xact_lock(730002, 0)`);
    await q.query(countingFunctions(FROM_TABLE));
    await q.query(`
      SELECT stats_refresh_units(coalesce((SELECT array_agg(DISTINCT home_unit_id) FROM app_user), '{}'))
        FROM stats_unit_threshold WHERE (active_min, teacher_monthly, teacher_yearly) <> (1, 30, 300);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(730002, 0)`);
    await q.query(countingFunctions(LITERALS));
    await q.query(`
      SELECT stats_refresh_units(coalesce((SELECT array_agg(DISTINCT home_unit_id) FROM app_user), '{}'))
        FROM stats_unit_threshold WHERE (active_min, teacher_monthly, teacher_yearly) <> (1, 30, 300);
      DROP TABLE stats_unit_threshold;
    `);
  }
}
