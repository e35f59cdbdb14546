import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * One job runner for every kind (jobs/job-runner.ts): `worker` names the runner holding a RUNNING
 * job (its heartbeat is `updated_at`), `attempts` counts claims, `payload` holds what the job needs
 * to run (server-internal, never shown), `node` pins a job to the node whose disk holds its
 * uploaded file. Activity imports kept their file in `result.file`: waiting ones get it as payload.
 */
export class JobRunner1764220000000 implements MigrationInterface {
  name = "JobRunner1764220000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE job ADD COLUMN worker text, ADD COLUMN attempts int NOT NULL DEFAULT 0, ADD COLUMN payload jsonb, ADD COLUMN node text;
      UPDATE job SET payload = jsonb_build_object('file', result->>'file'), result = result - 'file'
       WHERE kind = 'activity-import' AND result ? 'file';
      CREATE INDEX job_runnable ON job (id) WHERE state IN ('QUEUED','RUNNING');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE job SET result = result || jsonb_build_object('file', payload->>'file') WHERE kind = 'activity-import' AND payload ? 'file';
      DROP INDEX job_runnable;
      ALTER TABLE job DROP COLUMN worker, DROP COLUMN attempts, DROP COLUMN payload, DROP COLUMN node;
    `);
  }
}
