import type { MigrationInterface, QueryRunner } from "typeorm";

/** Row errors of import jobs (for the job screen and the downloadable error report). */
export class TeacherImport1763940000000 implements MigrationInterface {
  name = "TeacherImport1763940000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_error (
        job_id   bigint NOT NULL REFERENCES job(id) ON DELETE CASCADE,
        seq      int NOT NULL,
        row_no   int NOT NULL,
        field    text NOT NULL,
        message  text NOT NULL,
        PRIMARY KEY (job_id, seq)
      );
      CREATE INDEX job_created_by_kind ON job (created_by, kind, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX job_created_by_kind; DROP TABLE import_error`);
  }
}
