import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Campaigns (timeline, categories, quotas), applications with their revisions and append-only
 * review history, quota counters, regional contacts, club-space registrations, stored files and
 * in-app notifications.
 */
export class CampaignPipeline1763910000000 implements MigrationInterface {
  name = "CampaignPipeline1763910000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        year          int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        title         text NOT NULL,
        doc_no        text NOT NULL DEFAULT '',
        issuer        text NOT NULL DEFAULT '',
        issued_on     date,
        -- DRAFT: being configured by the province, invisible to everyone else; OPEN: running;
        -- CLOSED: archived, read-only
        status        text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT','OPEN','CLOSED')),
        levels        text[] NOT NULL,
        forms         jsonb NOT NULL,
        finalization  jsonb NOT NULL,
        created_by    bigint REFERENCES app_user(id),
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE campaign_stage (
        campaign_id   bigint NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        stage         text NOT NULL,
        name          text NOT NULL,
        position      int NOT NULL,
        -- last day, inclusive, in Asia/Shanghai; NULL: no deadline
        deadline      date,
        PRIMARY KEY (campaign_id, stage)
      );

      -- A city's own schedule for a stage (e.g. its application deadline), for the city or one
      -- of its counties; the deepest unit on an applicant's path wins.
      CREATE TABLE campaign_unit_deadline (
        campaign_id   bigint NOT NULL,
        stage         text NOT NULL,
        unit_id       bigint NOT NULL REFERENCES org_unit(id),
        deadline      date NOT NULL,
        set_by        bigint REFERENCES app_user(id),
        set_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, stage, unit_id),
        FOREIGN KEY (campaign_id, stage) REFERENCES campaign_stage(campaign_id, stage) ON DELETE CASCADE
      );

      -- Province extensions of a stage deadline, for everyone (unit_id NULL) or one unit subtree.
      -- Rows are never changed: the latest extension that applies wins.
      CREATE TABLE deadline_extension (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id   bigint NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        stage         text NOT NULL,
        unit_id       bigint REFERENCES org_unit(id),
        until         date NOT NULL,
        reason        text NOT NULL,
        created_by    bigint REFERENCES app_user(id),
        created_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX deadline_extension_campaign ON deadline_extension (campaign_id, stage);

      CREATE TABLE award_category (
        campaign_id     bigint NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        code            text NOT NULL,
        name            text NOT NULL,
        applicant_kind  text NOT NULL CHECK (applicant_kind IN ('TEACHER','SCHOOL','REGION')),
        position        int NOT NULL,
        criteria        jsonb NOT NULL,
        quota           jsonb NOT NULL,
        rubric          jsonb NOT NULL,
        PRIMARY KEY (campaign_id, code)
      );

      -- One counter per quota bucket (see @zjh/domain quotaBucketsFor). A recommendation takes a
      -- place with UPDATE … SET used = used + 1 WHERE used < cap (zero rows: refused); the CHECK is
      -- the backstop that no code path can exceed a cap.
      CREATE TABLE quota_usage (
        campaign_id     bigint NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        bucket_key      text NOT NULL,
        category_code   text NOT NULL,
        level           text NOT NULL,
        scope           text NOT NULL,
        -- the recommending unit (city or county)
        unit_id         bigint NOT NULL REFERENCES org_unit(id),
        base_cap        int NOT NULL CHECK (base_cap >= 0),
        cap             int NOT NULL,
        used            int NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, bucket_key),
        CONSTRAINT quota_usage_within_cap CHECK (used >= 0 AND used <= cap)
      );
      CREATE INDEX quota_usage_unit ON quota_usage (campaign_id, unit_id);

      -- County sub-quotas a city allocated (bucket_key of the SUB_QUOTA bucket → places).
      CREATE TABLE quota_allocation (
        campaign_id     bigint NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        category_code   text NOT NULL,
        county_id       bigint NOT NULL REFERENCES org_unit(id),
        places          int NOT NULL CHECK (places >= 0),
        set_by          bigint REFERENCES app_user(id),
        set_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, category_code, county_id)
      );

      -- Province raises of a bucket's cap, with the reason (also in the audit log).
      CREATE TABLE quota_override (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id     bigint NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        bucket_key      text NOT NULL,
        cap             int NOT NULL CHECK (cap >= 0),
        reason          text NOT NULL,
        created_by      bigint REFERENCES app_user(id),
        created_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX quota_override_bucket ON quota_override (campaign_id, bucket_key);

      CREATE TABLE application (
        id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id        bigint NOT NULL REFERENCES campaign(id),
        category_code      text NOT NULL,
        applicant_kind     text NOT NULL CHECK (applicant_kind IN ('TEACHER','SCHOOL','REGION')),
        -- the user who created it (the teacher for teacher applications)
        applicant_user_id  bigint NOT NULL REFERENCES app_user(id),
        -- the teacher's school, the applying school, or the applying county/city
        applicant_unit_id  bigint NOT NULL REFERENCES org_unit(id),
        -- denormalized origin, so review queues are one indexed predicate; kept right on transfer
        city_id            bigint NOT NULL REFERENCES org_unit(id),
        county_id          bigint REFERENCES org_unit(id),
        school_id          bigint REFERENCES org_unit(id),
        practice_base_id   bigint REFERENCES org_unit(id),
        unit_path          text NOT NULL,
        -- the review levels this application passes (levelsFor at creation)
        levels             text[] NOT NULL,
        state              text NOT NULL DEFAULT 'DRAFT' CHECK (state IN
                             ('DRAFT','SUBMITTED','PENDING','AT_PROVINCE','EXPERT_REVIEW','RETURNED','REJECTED',
                              'FINALIZED','NOT_SELECTED','DISQUALIFIED','WITHDRAWN')),
        current_level      text CHECK (current_level IN ('SCHOOL','COUNTY','CITY','PROVINCE')),
        -- content revision: 1 for the first submission, +1 per resubmission
        revision           int NOT NULL DEFAULT 1,
        -- optimistic concurrency: every change is UPDATE … WHERE version = $v, then version + 1
        version            int NOT NULL DEFAULT 1,
        -- grade (等次) set by province finalization
        grade              text,
        title              text NOT NULL DEFAULT '',
        -- the working copy the applicant edits (the draft of the next revision)
        form               jsonb NOT NULL DEFAULT '{}',
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        first_submitted_at timestamptz,
        last_action_at     timestamptz,
        FOREIGN KEY (campaign_id, category_code) REFERENCES award_category(campaign_id, code)
      );
      CREATE INDEX application_queue ON application (campaign_id, current_level, state);
      CREATE INDEX application_city ON application (city_id, campaign_id);
      CREATE INDEX application_county ON application (county_id, campaign_id);
      CREATE INDEX application_school ON application (school_id, campaign_id);
      CREATE INDEX application_unit_path ON application (unit_path text_pattern_ops);
      CREATE INDEX application_applicant ON application (applicant_user_id);
      -- one live application per applicant and category in a campaign
      CREATE UNIQUE INDEX application_one_per_teacher ON application (campaign_id, category_code, applicant_user_id)
        WHERE applicant_kind = 'TEACHER' AND state <> 'WITHDRAWN';
      CREATE UNIQUE INDEX application_one_per_unit ON application (campaign_id, category_code, applicant_unit_id)
        WHERE applicant_kind <> 'TEACHER' AND state <> 'WITHDRAWN';

      -- The form as submitted, one row per revision; never changed afterwards.
      CREATE TABLE application_revision (
        application_id  bigint NOT NULL REFERENCES application(id),
        revision        int NOT NULL,
        form            jsonb NOT NULL,
        submitted_by    bigint NOT NULL REFERENCES app_user(id),
        submitted_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (application_id, revision)
      );

      -- The append-only history of every transition (who, role, unit, when, from, to, comment, revision).
      CREATE TABLE review_action (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        application_id  bigint NOT NULL REFERENCES application(id),
        revision        int NOT NULL,
        action          text NOT NULL,
        from_state      text NOT NULL,
        from_level      text,
        to_state        text NOT NULL,
        to_level        text,
        -- the level the actor acted for; NULL for the applicant's own actions
        level           text,
        actor_user_id   bigint NOT NULL REFERENCES app_user(id),
        actor_role      text NOT NULL,
        actor_unit_id   bigint NOT NULL REFERENCES org_unit(id),
        comment         text,
        grade           text,
        at              timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX review_action_application ON review_action (application_id, id);

      CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'review history is append-only' USING ERRCODE = '55000';
      END $$;
      CREATE TRIGGER review_action_append_only BEFORE UPDATE OR DELETE ON review_action
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

      -- The places recommendations took, so a withdrawal or a return gives back exactly those.
      CREATE TABLE quota_place (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id     bigint NOT NULL,
        bucket_key      text NOT NULL,
        application_id  bigint NOT NULL REFERENCES application(id),
        level           text NOT NULL,
        revision        int NOT NULL,
        taken_at        timestamptz NOT NULL DEFAULT now(),
        taken_by_action bigint REFERENCES review_action(id),
        released_at     timestamptz,
        released_by_action bigint REFERENCES review_action(id),
        FOREIGN KEY (campaign_id, bucket_key) REFERENCES quota_usage(campaign_id, bucket_key)
      );
      CREATE INDEX quota_place_application ON quota_place (application_id);
      CREATE INDEX quota_place_bucket ON quota_place (campaign_id, bucket_key) WHERE released_at IS NULL;

      -- Uploaded files: stored under FILES_DIR with generated names, outside the web root.
      CREATE TABLE stored_file (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        owner_user_id   bigint NOT NULL REFERENCES app_user(id),
        purpose         text NOT NULL CHECK (purpose IN ('PHOTO_ZIP','VIDEO','STAMPED_SCAN')),
        original_name   text NOT NULL,
        stored_name     text NOT NULL UNIQUE,
        content_type    text NOT NULL,
        size            bigint NOT NULL,
        sha256          text NOT NULL,
        -- what the content check read from the file (video metadata, zip summary)
        meta            jsonb NOT NULL DEFAULT '{}',
        created_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX stored_file_owner ON stored_file (owner_user_id);

      -- Which record (application, regional contact, club registration) refers to a file: whoever
      -- may see the record may download the file. Rows stay when a later revision drops the file.
      CREATE TABLE file_link (
        file_id         bigint NOT NULL REFERENCES stored_file(id),
        target_type     text NOT NULL,
        target_id       bigint NOT NULL,
        PRIMARY KEY (file_id, target_type, target_id)
      );
      CREATE INDEX file_link_target ON file_link (target_type, target_id);

      CREATE TABLE regional_contact (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id     bigint NOT NULL REFERENCES campaign(id),
        -- the city (or county) whose reviewer the contact becomes
        unit_id         bigint NOT NULL REFERENCES org_unit(id),
        city_id         bigint NOT NULL REFERENCES org_unit(id),
        unit_path       text NOT NULL,
        form            jsonb NOT NULL,
        state           text NOT NULL DEFAULT 'SUBMITTED' CHECK (state IN ('SUBMITTED','APPROVED','REJECTED')),
        version         int NOT NULL DEFAULT 1,
        submitted_by    bigint NOT NULL REFERENCES app_user(id),
        submitted_at    timestamptz NOT NULL DEFAULT now(),
        reviewed_by     bigint REFERENCES app_user(id),
        reviewed_at     timestamptz,
        review_comment  text,
        granted_assignment_id bigint REFERENCES role_assignment(id) ON DELETE SET NULL
      );
      CREATE INDEX regional_contact_campaign ON regional_contact (campaign_id, city_id);
      CREATE INDEX regional_contact_path ON regional_contact (unit_path text_pattern_ops);

      CREATE TABLE club_registration (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id     bigint NOT NULL REFERENCES campaign(id),
        -- the registering unit (school, county or city)
        unit_id         bigint NOT NULL REFERENCES org_unit(id),
        city_id         bigint NOT NULL REFERENCES org_unit(id),
        county_id       bigint REFERENCES org_unit(id),
        unit_path       text NOT NULL,
        form            jsonb NOT NULL DEFAULT '{}',
        state           text NOT NULL DEFAULT 'DRAFT' CHECK (state IN ('DRAFT','SUBMITTED')),
        version         int NOT NULL DEFAULT 1,
        created_by      bigint NOT NULL REFERENCES app_user(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        submitted_at    timestamptz
      );
      CREATE INDEX club_registration_campaign ON club_registration (campaign_id, city_id);
      CREATE INDEX club_registration_path ON club_registration (unit_path text_pattern_ops);

      CREATE TABLE notification (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id         bigint NOT NULL REFERENCES app_user(id),
        kind            text NOT NULL,
        title           text NOT NULL,
        body            text NOT NULL,
        campaign_id     bigint REFERENCES campaign(id),
        application_id  bigint REFERENCES application(id),
        -- makes reminders idempotent (one per user, stage and day before the deadline)
        dedupe_key      text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        read_at         timestamptz
      );
      CREATE INDEX notification_user ON notification (user_id, id DESC);
      CREATE UNIQUE INDEX notification_dedupe ON notification (user_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE notification, club_registration, regional_contact, file_link, stored_file, quota_place,
        review_action, application_revision, application, quota_override, quota_allocation, quota_usage,
        award_category, deadline_extension, campaign_unit_deadline, campaign_stage, campaign CASCADE;
      DROP FUNCTION refuse_history_change();
    `);
  }
}
