import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The role a user last chose to act in (switchRole), so the next login starts in it instead of
 * the least privileged one (a school admin who is also a teacher no longer starts every session
 * as 教师). A revoked assignment clears it (ON DELETE SET NULL): the login then falls back to the
 * least privileged role the user still holds.
 */
export class LastActingRole1764160000000 implements MigrationInterface {
  name = "LastActingRole1764160000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN last_acting_assignment_id bigint REFERENCES role_assignment(id) ON DELETE SET NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN last_acting_assignment_id`);
  }
}
