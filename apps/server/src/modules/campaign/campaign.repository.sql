-- Statements of campaign.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- categoryNames
SELECT campaign_id, code, name FROM award_category WHERE campaign_id = ANY($1::bigint[]);
