import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Province finalization: expert assignments (a draft until released), expert scores with their
 * append-only change history, spread reviews, per-category results (preview, then final), the
 * publication of a campaign's list, and the excellent organizing units and instructors.
 */
export class Finalization1763970000000 implements MigrationInterface {
  name = "Finalization1763970000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Which expert scores which application. DRAFT assignments are the province's working plan,
      -- invisible to experts; RELEASED ones are the expert's work list.
      CREATE TABLE expert_assignment (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id     bigint NOT NULL REFERENCES campaign(id),
        application_id  bigint NOT NULL REFERENCES application(id),
        expert_user_id  bigint NOT NULL REFERENCES app_user(id),
        state           text NOT NULL DEFAULT 'DRAFT' CHECK (state IN ('DRAFT','RELEASED')),
        -- AUTO: made by the planner (autoAssignExperts may replace it while DRAFT); MANUAL: by hand
        origin          text NOT NULL CHECK (origin IN ('AUTO','MANUAL')),
        created_by      bigint NOT NULL REFERENCES app_user(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        released_by     bigint REFERENCES app_user(id),
        released_at     timestamptz,
        UNIQUE (application_id, expert_user_id)
      );
      CREATE INDEX expert_assignment_campaign ON expert_assignment (campaign_id, state);
      CREATE INDEX expert_assignment_expert ON expert_assignment (expert_user_id, campaign_id) WHERE state = 'RELEASED';

      -- One score per assignment: the item values (computed prefills included) and their total.
      -- SUBMITTED scores are locked; a change needs a reason and is appended to expert_score_change.
      CREATE TABLE expert_score (
        assignment_id   bigint PRIMARY KEY REFERENCES expert_assignment(id) ON DELETE CASCADE,
        application_id  bigint NOT NULL REFERENCES application(id),
        expert_user_id  bigint NOT NULL REFERENCES app_user(id),
        items           jsonb NOT NULL DEFAULT '{}',
        -- the platform's computed items as the expert saw them at submission (frozen with the score)
        computed        jsonb,
        total           numeric(7,2),
        state           text NOT NULL DEFAULT 'DRAFT' CHECK (state IN ('DRAFT','SUBMITTED')),
        -- optimistic concurrency: every write is UPDATE … WHERE version = $v, then version + 1
        version         int NOT NULL DEFAULT 1,
        saved_at        timestamptz NOT NULL DEFAULT now(),
        submitted_at    timestamptz,
        CONSTRAINT expert_score_submitted_total CHECK (state = 'DRAFT' OR (total IS NOT NULL AND submitted_at IS NOT NULL))
      );
      CREATE INDEX expert_score_application ON expert_score (application_id) WHERE state = 'SUBMITTED';

      -- The history of a score: its submission and every later change (old and new values, reason).
      -- No ON DELETE CASCADE: an assignment with a history can never be deleted.
      CREATE TABLE expert_score_change (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        assignment_id   bigint NOT NULL REFERENCES expert_assignment(id),
        application_id  bigint NOT NULL REFERENCES application(id),
        kind            text NOT NULL CHECK (kind IN ('SUBMIT','CHANGE')),
        old_items       jsonb,
        old_total       numeric(7,2),
        new_items       jsonb NOT NULL,
        new_total       numeric(7,2) NOT NULL,
        reason          text,
        changed_by      bigint NOT NULL REFERENCES app_user(id),
        changed_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT expert_score_change_reason CHECK (kind = 'SUBMIT' OR reason IS NOT NULL)
      );
      CREATE INDEX expert_score_change_assignment ON expert_score_change (assignment_id, id);
      CREATE INDEX expert_score_change_application ON expert_score_change (application_id, id);

      CREATE FUNCTION refuse_score_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'expert score history is append-only' USING ERRCODE = '55000';
      END $$;
      CREATE TRIGGER expert_score_change_append_only BEFORE UPDATE OR DELETE ON expert_score_change
        FOR EACH ROW EXECUTE FUNCTION refuse_score_history_change();

      -- The province's further review of a high-spread application. It holds for the submitted
      -- totals it saw (scores_key); any later change of those totals needs a new review.
      CREATE TABLE spread_review (
        application_id  bigint PRIMARY KEY REFERENCES application(id),
        scores_key      text NOT NULL,
        note            text NOT NULL,
        reviewed_by     bigint NOT NULL REFERENCES app_user(id),
        reviewed_at     timestamptz NOT NULL DEFAULT now()
      );

      -- A category's grading: PREVIEW while the province checks it, FINAL once the applications
      -- were finalized (FINALIZED with their grade, or NOT_SELECTED).
      CREATE TABLE finalization_category (
        campaign_id     bigint NOT NULL REFERENCES campaign(id),
        category_code   text NOT NULL,
        state           text NOT NULL CHECK (state IN ('PREVIEW','FINAL')),
        scheme          jsonb NOT NULL,
        -- the scores the preview was computed from; finalizing refuses when they changed since
        scores_key      text NOT NULL,
        previewed_by    bigint NOT NULL REFERENCES app_user(id),
        previewed_at    timestamptz NOT NULL DEFAULT now(),
        finalized_by    bigint REFERENCES app_user(id),
        finalized_at    timestamptz,
        PRIMARY KEY (campaign_id, category_code),
        FOREIGN KEY (campaign_id, category_code) REFERENCES award_category(campaign_id, code)
      );

      -- One row per application of a graded category: aggregated score, rank and grade.
      CREATE TABLE finalization_result (
        application_id  bigint PRIMARY KEY REFERENCES application(id),
        campaign_id     bigint NOT NULL,
        category_code   text NOT NULL,
        score           numeric(7,2) NOT NULL,
        expert_count    int NOT NULL,
        spread          numeric(7,2) NOT NULL,
        flagged         boolean NOT NULL,
        rank            int NOT NULL,
        -- NULL: below every band (not selected)
        grade           text,
        FOREIGN KEY (campaign_id, category_code) REFERENCES finalization_category(campaign_id, category_code)
      );
      CREATE INDEX finalization_result_category ON finalization_result (campaign_id, category_code, rank);

      -- A campaign's list is published once; from then on it is public.
      CREATE TABLE publication (
        campaign_id     bigint PRIMARY KEY REFERENCES campaign(id),
        published_by    bigint NOT NULL REFERENCES app_user(id),
        published_at    timestamptz NOT NULL DEFAULT now()
      );

      -- 优秀组织单位 named by the province for a campaign.
      CREATE TABLE excellent_unit (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id     bigint NOT NULL REFERENCES campaign(id),
        unit_id         bigint NOT NULL REFERENCES org_unit(id),
        reason          text NOT NULL DEFAULT '',
        created_by      bigint NOT NULL REFERENCES app_user(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (campaign_id, unit_id)
      );

      -- 优秀指导教师: a platform user, or a person named with their unit.
      CREATE TABLE excellent_instructor (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id     bigint NOT NULL REFERENCES campaign(id),
        user_id         bigint REFERENCES app_user(id),
        name            text NOT NULL,
        unit_id         bigint NOT NULL REFERENCES org_unit(id),
        reason          text NOT NULL DEFAULT '',
        created_by      bigint NOT NULL REFERENCES app_user(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX excellent_instructor_user ON excellent_instructor (campaign_id, user_id) WHERE user_id IS NOT NULL;
      CREATE UNIQUE INDEX excellent_instructor_named ON excellent_instructor (campaign_id, unit_id, name) WHERE user_id IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE excellent_instructor, excellent_unit, publication, finalization_result, finalization_category,
        spread_review, expert_score_change, expert_score, expert_assignment CASCADE;
      DROP FUNCTION refuse_score_history_change();
    `);
  }
}
