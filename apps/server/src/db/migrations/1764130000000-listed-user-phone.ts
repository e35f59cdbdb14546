import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Nobody reviews an application they are listed on: the person in charge named on a form is
 * found by the mobile bound to their account, once per review action and per list row.
 */
export class ListedUserPhone1764130000000 implements MigrationInterface {
  name = "ListedUserPhone1764130000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX app_user_phone ON app_user (phone) WHERE phone IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX app_user_phone`);
  }
}
