import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Activity points: the append-only event store, task publishers, the queue of accounts whose
 * ledger must be recomputed, the ledger itself, and the aggregates statistics read (per
 * account-day-rule, and per account-month / account-year).
 */
export class Activity1763925000000 implements MigrationInterface {
  name = "Activity1763925000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- One number per stored chunk; an event's seq is chunk * 2^20 + its position in the chunk,
      -- so seq is the order events arrived in (ties of equal instants are applied in this order).
      CREATE SEQUENCE activity_chunk_seq;

      CREATE TABLE activity_event (
        id          text PRIMARY KEY,
        seq         bigint NOT NULL,
        type        text NOT NULL,
        -- the platform account the event's points go to (userId, or ownerId for resource events);
        -- NULL for task events, whose points go to the task's publisher (activity_task)
        subject     text,
        task_id     text,
        at          timestamptz NOT NULL,
        -- Asia/Shanghai calendar day of at
        day         date NOT NULL,
        -- the line as received (extra fields included)
        raw         jsonb NOT NULL,
        job_id      bigint,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX activity_event_subject ON activity_event (subject, seq) WHERE subject IS NOT NULL;
      CREATE INDEX activity_event_task ON activity_event (task_id, seq) WHERE task_id IS NOT NULL;

      -- Events are facts: never changed, never deleted (a deletion on the platform is itself an event).
      CREATE FUNCTION activity_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'activity_event is append-only';
      END $$;
      CREATE TRIGGER activity_event_append_only BEFORE UPDATE OR DELETE ON activity_event
        FOR EACH ROW EXECUTE FUNCTION activity_event_append_only();

      -- The publisher of each task: the userId of its earliest task_published (ties in arrival order).
      CREATE TABLE activity_task (
        task_id   text PRIMARY KEY,
        publisher text NOT NULL
      );
      CREATE INDEX activity_task_publisher ON activity_task (publisher);

      -- Accounts whose ledger is stale: entries from from_day on must be recomputed. A rescoring
      -- takes (deletes) the marking before it reads the events; ver is the chunk that set from_day.
      CREATE TABLE activity_dirty (
        account  text PRIMARY KEY,
        from_day date NOT NULL,
        ver      bigint NOT NULL
      );

      -- Every award and deduction, in application order per account (the points log).
      CREATE TABLE activity_ledger (
        account  text NOT NULL,
        ord      int NOT NULL,
        day      date NOT NULL,
        rule     text NOT NULL,
        points   int NOT NULL,
        mobile   boolean NOT NULL,
        event_id text NOT NULL,
        PRIMARY KEY (account, ord)
      );
      CREATE INDEX activity_ledger_day ON activity_ledger (account, day);

      -- Per account, Shanghai day and rule. user_id and the unit columns are copies of the
      -- account's user and home unit (NULL while the account is unknown).
      CREATE TABLE activity_daily (
        account       text NOT NULL,
        day           date NOT NULL,
        rule          text NOT NULL,
        year          smallint NOT NULL,
        month         smallint NOT NULL,
        points        int NOT NULL,
        mobile_points int NOT NULL,
        user_id       bigint,
        school_id     bigint,
        county_id     bigint,
        city_id       bigint,
        unit_path     text,
        PRIMARY KEY (account, day, rule)
      );
      CREATE INDEX activity_daily_school ON activity_daily (school_id, day);
      CREATE INDEX activity_daily_county ON activity_daily (county_id, day);
      CREATE INDEX activity_daily_unowned ON activity_daily (account) WHERE user_id IS NULL;

      -- Per account and period ('YYYY' or 'YYYY-MM'): what statistics read.
      CREATE TABLE activity_total (
        account       text NOT NULL,
        period        text NOT NULL,
        points        int NOT NULL,
        mobile_points int NOT NULL,
        -- points per rule, in the rule set's order (login, profile, mobile_use, spread, submission,
        -- lesson, task, interaction, app)
        rule_points   int[] NOT NULL,
        user_id       bigint,
        school_id     bigint,
        county_id     bigint,
        city_id       bigint,
        unit_path     text,
        PRIMARY KEY (account, period)
      );
      CREATE INDEX activity_total_school ON activity_total (period, school_id);
      CREATE INDEX activity_total_county ON activity_total (period, county_id);
      CREATE INDEX activity_total_unowned ON activity_total (account) WHERE user_id IS NULL;

      -- Refused lines of an import job, with their 1-based line numbers.
      CREATE TABLE activity_import_error (
        job_id  bigint NOT NULL REFERENCES job(id),
        line    bigint NOT NULL,
        message text NOT NULL,
        PRIMARY KEY (job_id, line)
      );
      CREATE INDEX job_kind_created ON job (kind, created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE activity_import_error, activity_total, activity_daily, activity_ledger, activity_dirty, activity_task, activity_event CASCADE;
      DROP FUNCTION activity_event_append_only();
      DROP SEQUENCE activity_chunk_seq;
      DROP INDEX IF EXISTS job_kind_created;
    `);
  }
}
