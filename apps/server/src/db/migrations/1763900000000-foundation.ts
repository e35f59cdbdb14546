import type { MigrationInterface, QueryRunner } from "typeorm";

/** Org tree, accounts, unit-scoped roles, sessions, login throttling, audit log, jobs. */
export class Foundation1763900000000 implements MigrationInterface {
  name = "Foundation1763900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_unit (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind        text NOT NULL CHECK (kind IN ('PROVINCE','CITY','COUNTY','DISTRICT','SCHOOL','PRACTICE_BASE')),
        code        text UNIQUE,
        name        text NOT NULL,
        parent_id   bigint REFERENCES org_unit(id),
        -- materialized path of ids, '/1/12/130/', so "this unit and everything below" is one
        -- indexed prefix predicate: path LIKE '/1/12/%'
        path        text NOT NULL UNIQUE,
        depth       int NOT NULL,
        city_id     bigint,
        county_id   bigint,
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX org_unit_path_prefix ON org_unit (path text_pattern_ops);
      CREATE INDEX org_unit_parent ON org_unit (parent_id);
      CREATE INDEX org_unit_name_trgm_free ON org_unit (name text_pattern_ops);

      CREATE TABLE app_user (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account         text NOT NULL UNIQUE,
        name            text NOT NULL,
        phone           text,
        subject         text,
        stage           text,
        home_unit_id    bigint NOT NULL REFERENCES org_unit(id),
        -- denormalized copy of the home unit's path, kept right on transfer in the same
        -- transaction, so scoped user lists are one indexed predicate
        unit_path       text NOT NULL,
        password_hash   text,
        locked          boolean NOT NULL DEFAULT false,
        locked_reason   text,
        locked_at       timestamptz,
        failed_logins   int NOT NULL DEFAULT 0,
        login_blocked_until timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX app_user_unit_path ON app_user (unit_path text_pattern_ops);
      CREATE INDEX app_user_home_unit ON app_user (home_unit_id);

      CREATE TABLE role_assignment (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id     bigint NOT NULL REFERENCES app_user(id),
        role        text NOT NULL CHECK (role IN ('TEACHER','SCHOOL_ADMIN','COUNTY_REVIEWER','CITY_REVIEWER','PROVINCE_ADMIN','EXPERT')),
        unit_id     bigint NOT NULL REFERENCES org_unit(id),
        granted_by  bigint REFERENCES app_user(id),
        granted_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, role, unit_id)
      );
      CREATE INDEX role_assignment_unit ON role_assignment (unit_id);

      CREATE TABLE user_session (
        token_hash  text PRIMARY KEY,
        user_id     bigint NOT NULL REFERENCES app_user(id),
        -- the role the user currently acts in (chosen in the app); NULL means none chosen yet
        acting_assignment_id bigint REFERENCES role_assignment(id) ON DELETE SET NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL
      );
      CREATE INDEX user_session_user ON user_session (user_id);

      CREATE TABLE login_throttle (
        key           text PRIMARY KEY,
        failures      int NOT NULL DEFAULT 0,
        window_start  timestamptz NOT NULL DEFAULT now(),
        blocked_until timestamptz
      );

      CREATE TABLE audit_log (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at            timestamptz NOT NULL DEFAULT now(),
        actor_user_id bigint REFERENCES app_user(id),
        actor_role    text,
        actor_unit_id bigint,
        action        text NOT NULL,
        target_type   text,
        target_id     text,
        reason        text,
        data          jsonb
      );
      CREATE INDEX audit_log_target ON audit_log (target_type, target_id);

      CREATE TABLE job (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind        text NOT NULL,
        state       text NOT NULL DEFAULT 'QUEUED' CHECK (state IN ('QUEUED','RUNNING','DONE','FAILED')),
        created_by  bigint REFERENCES app_user(id),
        progress    real NOT NULL DEFAULT 0,
        total       int,
        processed   int NOT NULL DEFAULT 0,
        result      jsonb,
        error       text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job, audit_log, login_throttle, user_session, role_assignment, app_user, org_unit CASCADE`);
  }
}
