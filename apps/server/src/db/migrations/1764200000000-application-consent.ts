import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The 参赛须知 consent of each (re)submission: who accepted which wording (its version id and
 * the text itself, so a later wording never rewrites what was accepted) for which revision, and
 * when. Written in the transaction of the submission; one row per submitted revision.
 */
export class ApplicationConsent1764200000000 implements MigrationInterface {
  name = "ApplicationConsent1764200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE application_consent (
        application_id  bigint NOT NULL REFERENCES application(id),
        revision        int NOT NULL,
        user_id         bigint NOT NULL REFERENCES app_user(id),
        accepted_at     timestamptz NOT NULL DEFAULT now(),
        text_version    text NOT NULL,
        text            text NOT NULL,
        PRIMARY KEY (application_id, revision)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE application_consent`);
  }
}
