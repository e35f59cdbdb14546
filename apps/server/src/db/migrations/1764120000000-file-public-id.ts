import type { MigrationInterface, QueryRunner } from "typeorm";

const REFS: Array<[table: string, key: string]> = [
  ["application", "photoZipFileId"],
  ["application", "videoFileId"],
  ["application_revision", "photoZipFileId"],
  ["application_revision", "videoFileId"],
  ["regional_contact", "stampedScanFileId"],
  ["club_registration", "stampedScanFileId"],
];

/**
 * Files get an unguessable public id (128 random bits as 32 hex digits; 122 for the rows that
 * exist now, from gen_random_uuid): the API, the forms and download links name a file only by
 * it, so a sequential number no longer leads to a file. The forms' references are rewritten
 * from the internal id to the public one. A purpose for the case document (案例文档).
 */
export class FilePublicId1764120000000 implements MigrationInterface {
  name = "FilePublicId1764120000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE stored_file ADD COLUMN public_id text;
      UPDATE stored_file SET public_id = replace(gen_random_uuid()::text, '-', '');
      ALTER TABLE stored_file ALTER COLUMN public_id SET NOT NULL;
      CREATE UNIQUE INDEX stored_file_public_id ON stored_file (public_id);
      ALTER TABLE stored_file DROP CONSTRAINT stored_file_purpose_check;
      ALTER TABLE stored_file ADD CONSTRAINT stored_file_purpose_check CHECK (purpose IN ('PHOTO_ZIP','VIDEO','STAMPED_SCAN','CASE_DOCUMENT'));
    `);
    for (const [table, key] of REFS) {
      await q.query(
        `UPDATE ${table} t SET form = jsonb_set(t.form, '{${key}}', to_jsonb(f.public_id)) FROM stored_file f WHERE t.form->>'${key}' = f.id::text`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, key] of REFS) {
      await q.query(
        `UPDATE ${table} t SET form = jsonb_set(t.form, '{${key}}', to_jsonb(f.id::text)) FROM stored_file f WHERE t.form->>'${key}' = f.public_id`,
      );
    }
    await q.query(`
      ALTER TABLE stored_file DROP CONSTRAINT stored_file_purpose_check;
      ALTER TABLE stored_file ADD CONSTRAINT stored_file_purpose_check CHECK (purpose IN ('PHOTO_ZIP','VIDEO','STAMPED_SCAN'));
      DROP INDEX stored_file_public_id;
      ALTER TABLE stored_file DROP COLUMN public_id;
    `);
  }
}
