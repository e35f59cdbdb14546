-- Statements of files.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- insert
INSERT INTO stored_file (owner_user_id, purpose, original_name, stored_name, content_type, size, sha256, meta, public_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *;

-- byPublicId
SELECT * FROM stored_file WHERE public_id = $1;

-- byPublicIds
SELECT * FROM stored_file WHERE public_id = ANY($1::text[]);

-- linkedTo
SELECT 1 FROM file_link WHERE file_id = $1 AND target_type = $2 AND target_id = $3;

-- linkedToApplication
SELECT 1 FROM file_link WHERE file_id = $1 AND target_type = 'application' AND target_id = $2;

-- applicationOfApplicant
SELECT 1 FROM application WHERE id = $1 AND applicant_user_id = $2;

-- link
INSERT INTO file_link (file_id, target_type, target_id) SELECT id, $2, $3 FROM stored_file WHERE public_id = $1 ON CONFLICT DO NOTHING;

-- linksOf
SELECT target_type, target_id FROM file_link WHERE file_id = $1;
