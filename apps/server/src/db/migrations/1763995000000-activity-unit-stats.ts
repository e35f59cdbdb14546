import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The upsert of a statement on activity_total: its removed rows (old_rows) and added rows
 * (new_rows) of counted teachers (TEACHER, unlocked; the roster cannot change meanwhile, as every
 * roster writer waits for the lock this transaction holds) change the (unit, period) sums by their
 * difference. Only the transition tables the trigger has are named (plpgsql plans each branch).
 */
function totalDelta(sources: ("new_rows" | "old_rows")[]): string {
  const part = (t: string) => {
    const sign = t === "old_rows" ? "-" : "";
    return `SELECT u.home_unit_id AS unit_id, u.unit_path, x.period, ${sign}x.points::bigint AS pts, ${sign}x.mobile_points::bigint AS mob,
                   ${sign}(x.points >= 1)::int AS act, ${sign}(x.points >= CASE WHEN length(x.period) = 4 THEN 300 ELSE 30 END)::int AS meet,
                   ${sign}1 AS cnt
              FROM ${t} x JOIN app_user u ON u.account = x.account
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
 * Per-home-unit aggregates of the activity roster, so province-, city- and county-wide statistics
 * read one row per unit (about 12 000) instead of joining 600 000 teachers to their totals.
 *
 * - `stats_unit_roster` (home unit, unit path): teachers on the roster (users holding TEACHER),
 *   unlocked and locked. A row exists only while the unit has at least one teacher.
 * - `stats_unit_period` (home unit, unit path, period): over the unlocked teachers that have a
 *   total in the period, the sum of points and mobile points, how many are active (≥ 1 point) and
 *   how many meet the teacher target (30 a month, 300 a year). Teachers without a total count
 *   with 0 and add only to the roster's count.
 *
 * The thresholds are the default rule set's (`ACTIVITY_UNIT_STATS_THRESHOLDS` in
 * stats.repository.ts; the queries read these tables only while the targets match). Migration
 * ActivityUnitThresholds replaces the literals below by the row of `stats_unit_threshold`.
 *
 * Maintenance is by triggers, in the transaction of the change, so no writer can forget it:
 * a statement that writes totals (activity_total: account, period, points, mobile points; the
 * rescoring's DELETE and INSERT) adds the difference of its rows to the (unit, period) rows, and
 * a statement that changes a user's roster facts (app_user: account, home unit, unit path,
 * locked) or a TEACHER role recomputes the affected home units from the current state. Writers
 * are serialized on one transaction-level advisory lock, taken BEFORE the statement touches a
 * row, so the roster cannot change under a difference and a recomputation sees every other
 * writer's change either committed or not begun (no lost update under READ COMMITTED); a single
 * lock cannot deadlock with itself. Updates of other columns (logins, the owner copies stamped on
 * totals) take no lock and change nothing.
 */
export class ActivityUnitStats1763995000000 implements MigrationInterface {
  name = "ActivityUnitStats1763995000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_unit_roster (
        unit_id   bigint NOT NULL,
        unit_path text NOT NULL,
        teachers  int NOT NULL,
        locked    int NOT NULL,
        PRIMARY KEY (unit_id, unit_path)
      );
      CREATE INDEX stats_unit_roster_path ON stats_unit_roster (unit_path text_pattern_ops);

      CREATE TABLE stats_unit_period (
        unit_id   bigint NOT NULL,
        unit_path text NOT NULL,
        period    text NOT NULL,
        points    bigint NOT NULL,
        mobile    bigint NOT NULL,
        active    int NOT NULL,
        meeting   int NOT NULL,
        -- how many totals of counted teachers make up the row (the row goes at 0)
        totals    int NOT NULL,
        PRIMARY KEY (unit_id, period, unit_path)
      );
      CREATE INDEX stats_unit_period_empty ON stats_unit_period (unit_id) WHERE totals = 0;
      CREATE INDEX stats_unit_period_period ON stats_unit_period (period, unit_path text_pattern_ops);

      -- Recomputes both tables for the given home units from the roster and the totals. Dynamic
      -- SQL, planned at each call: a plan cached by PL/pgSQL while app_user was still small (the
      -- first import of a roster runs in one session) would keep scanning the whole table and
      -- make the import quadratic.
      CREATE FUNCTION stats_refresh_units(units bigint[]) RETURNS void LANGUAGE plpgsql AS $fn$
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
                 count(*) FILTER (WHERE a.points >= 1),
                 count(*) FILTER (WHERE a.points >= CASE WHEN length(a.period) = 4 THEN 300 ELSE 30 END), count(*)
            FROM app_user u JOIN activity_total a ON a.account = u.account
           WHERE u.home_unit_id = ANY($1) AND NOT u.locked
             AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
           GROUP BY 1, 2, 3 $q$ USING units;
      END $fn$;

      CREATE FUNCTION stats_lock() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_advisory_xact_lock(730002, 0);
        RETURN NULL;
      END $fn$;

      -- A statement on activity_total: its removed rows (old) and added rows (new) of counted
      -- teachers (TEACHER, unlocked; the roster cannot change meanwhile: every roster writer waits
      -- for the lock this transaction holds) change the (unit, period) sums by their difference.
      CREATE FUNCTION stats_on_total() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${totalDelta(["new_rows"])}
        ELSIF TG_OP = 'DELETE' THEN
          ${totalDelta(["old_rows"])}
        ELSE
          ${totalDelta(["new_rows", "old_rows"])}
        END IF;
        DELETE FROM stats_unit_period WHERE totals = 0;
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION stats_on_user() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE units bigint[];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          SELECT array_agg(DISTINCT home_unit_id) INTO units FROM old_rows;
        ELSE
          SELECT array_agg(DISTINCT unit_id) INTO units FROM (
            SELECT n.home_unit_id AS unit_id FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE n.home_unit_id <> o.home_unit_id OR n.unit_path <> o.unit_path OR n.locked <> o.locked OR n.account <> o.account
            UNION ALL
            SELECT o.home_unit_id FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE n.home_unit_id <> o.home_unit_id OR n.unit_path <> o.unit_path OR n.locked <> o.locked OR n.account <> o.account) x;
        END IF;
        IF units IS NOT NULL THEN
          PERFORM pg_advisory_xact_lock(730002, 0);
          PERFORM stats_refresh_units(units);
        END IF;
        RETURN NULL;
      END $fn$;

      -- Adds (sign 1) or removes (sign -1) whole teachers: their roster places and, unlocked,
      -- their totals. For users who just became or stopped being teachers, so that a bulk grant
      -- (the first import of a roster, chunk by chunk) costs its own rows, not a recount of every
      -- unit it touches (which grows with the units' rosters: quadratic over an import).
      CREATE FUNCTION stats_teacher_delta(users bigint[], sign int) RETURNS void LANGUAGE plpgsql AS $fn$
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
                 $2 * count(*) FILTER (WHERE a.points >= 1),
                 $2 * count(*) FILTER (WHERE a.points >= CASE WHEN length(a.period) = 4 THEN 300 ELSE 30 END), $2 * count(*)
            FROM app_user u JOIN activity_total a ON a.account = u.account
           WHERE u.id = ANY($1) AND NOT u.locked
           GROUP BY 1, 2, 3
           ORDER BY 1, 3, 2
          ON CONFLICT (unit_id, period, unit_path) DO UPDATE
             SET points = s.points + excluded.points, mobile = s.mobile + excluded.mobile, active = s.active + excluded.active,
                 meeting = s.meeting + excluded.meeting, totals = s.totals + excluded.totals $q$
          USING users, sign;
        EXECUTE 'DELETE FROM stats_unit_period WHERE unit_id = ANY($1) AND totals = 0' USING units;
      END $fn$;

      -- TEACHER grants and revocations change whole teachers (a user counts once, whatever number of
      -- TEACHER assignments they hold): a grant adds the users who held none before the statement,
      -- a revocation removes those who hold none after it. Users cannot be deleted while they hold
      -- a role (no cascade), so every user here exists. Updates of assignments recompute their units.
      CREATE FUNCTION stats_on_role() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE users bigint[]; units bigint[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(x.user_id) INTO users FROM (
            SELECT n.user_id, count(*) AS k FROM new_rows n WHERE n.role = 'TEACHER' GROUP BY n.user_id) x
           WHERE (SELECT count(*) FROM role_assignment r WHERE r.user_id = x.user_id AND r.role = 'TEACHER') = x.k;
          IF users IS NOT NULL THEN
            PERFORM pg_advisory_xact_lock(730002, 0);
            PERFORM stats_teacher_delta(users, 1);
          END IF;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(DISTINCT o.user_id) INTO users FROM old_rows o
           WHERE o.role = 'TEACHER' AND NOT EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = o.user_id AND r.role = 'TEACHER');
          IF users IS NOT NULL THEN
            PERFORM pg_advisory_xact_lock(730002, 0);
            PERFORM stats_teacher_delta(users, -1);
          END IF;
        ELSE
          SELECT array_agg(DISTINCT u.home_unit_id) INTO units FROM (
            SELECT user_id FROM new_rows WHERE role = 'TEACHER' UNION SELECT user_id FROM old_rows WHERE role = 'TEACHER') r
            JOIN app_user u ON u.id = r.user_id;
          IF units IS NOT NULL THEN
            PERFORM pg_advisory_xact_lock(730002, 0);
            PERFORM stats_refresh_units(units);
          END IF;
        END IF;
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION stats_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_advisory_xact_lock(730002, 0);
        IF TG_TABLE_NAME = 'activity_total' THEN
          DELETE FROM stats_unit_period;
        ELSE
          DELETE FROM stats_unit_roster;
          DELETE FROM stats_unit_period;
        END IF;
        RETURN NULL;
      END $fn$;

      CREATE TRIGGER stats_total_lock BEFORE INSERT OR DELETE OR UPDATE OF account, period, points, mobile_points ON activity_total
        FOR EACH STATEMENT EXECUTE FUNCTION stats_lock();
      CREATE TRIGGER stats_total_ins AFTER INSERT ON activity_total REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_on_total();
      CREATE TRIGGER stats_total_del AFTER DELETE ON activity_total REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_on_total();
      CREATE TRIGGER stats_total_upd AFTER UPDATE ON activity_total REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_on_total();
      CREATE TRIGGER stats_total_trunc AFTER TRUNCATE ON activity_total FOR EACH STATEMENT EXECUTE FUNCTION stats_on_truncate();

      CREATE TRIGGER stats_user_lock BEFORE DELETE OR UPDATE OF account, home_unit_id, unit_path, locked ON app_user
        FOR EACH STATEMENT EXECUTE FUNCTION stats_lock();
      CREATE TRIGGER stats_user_del AFTER DELETE ON app_user REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_on_user();
      CREATE TRIGGER stats_user_upd AFTER UPDATE ON app_user REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_on_user();
      CREATE TRIGGER stats_user_trunc AFTER TRUNCATE ON app_user FOR EACH STATEMENT EXECUTE FUNCTION stats_on_truncate();

      CREATE TRIGGER stats_role_lock BEFORE INSERT OR DELETE OR UPDATE ON role_assignment
        FOR EACH STATEMENT EXECUTE FUNCTION stats_lock();
      CREATE TRIGGER stats_role_ins AFTER INSERT ON role_assignment REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_on_role();
      CREATE TRIGGER stats_role_del AFTER DELETE ON role_assignment REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_on_role();
      CREATE TRIGGER stats_role_upd AFTER UPDATE ON role_assignment REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stats_on_role();
      CREATE TRIGGER stats_role_trunc AFTER TRUNCATE ON role_assignment FOR EACH STATEMENT EXECUTE FUNCTION stats_on_truncate();

      -- Backfill from the current roster and totals.
      SELECT stats_refresh_units(coalesce((SELECT array_agg(DISTINCT home_unit_id) FROM app_user), '{}'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER stats_total_lock ON activity_total; DROP TRIGGER stats_total_ins ON activity_total;
      DROP TRIGGER stats_total_del ON activity_total; DROP TRIGGER stats_total_upd ON activity_total;
      DROP TRIGGER stats_total_trunc ON activity_total;
      DROP TRIGGER stats_user_lock ON app_user; DROP TRIGGER stats_user_del ON app_user;
      DROP TRIGGER stats_user_upd ON app_user; DROP TRIGGER stats_user_trunc ON app_user;
      DROP TRIGGER stats_role_lock ON role_assignment; DROP TRIGGER stats_role_ins ON role_assignment;
      DROP TRIGGER stats_role_del ON role_assignment; DROP TRIGGER stats_role_upd ON role_assignment;
      DROP TRIGGER stats_role_trunc ON role_assignment;
      DROP FUNCTION stats_on_total(), stats_on_user(), stats_on_role(), stats_on_truncate(), stats_lock(),
                    stats_refresh_units(bigint[]), stats_teacher_delta(bigint[], int);
      DROP TABLE stats_unit_period, stats_unit_roster;
    `);
  }
}
