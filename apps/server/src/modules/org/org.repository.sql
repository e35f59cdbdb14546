-- Statements of org.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- unitById
SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit WHERE id = $1;

-- unitInSubtree
SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit WHERE id = $1 AND path LIKE $2;

-- unitsById
SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit WHERE id = ANY($1::bigint[]);

-- unitWithRegion
SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit
WHERE id IN (SELECT unnest(ARRAY[u.id, u.city_id, u.county_id]) FROM org_unit u WHERE u.id = $1);

-- pathKeys
SELECT id, code FROM org_unit WHERE id = ANY($1::bigint[]) ORDER BY depth;

-- unitsByKey
SELECT id, kind, code, name, path, city_id, county_id FROM org_unit WHERE code = ANY($1::text[]) OR id = ANY($2::bigint[]);

-- cityTrees
SELECT id, kind, code, name, city_id FROM org_unit WHERE city_id = ANY($1::bigint[]) AND kind IN ('CITY','COUNTY') ORDER BY code NULLS LAST, id;

-- citiesUnder
SELECT id FROM org_unit WHERE kind = 'CITY' AND path LIKE $1 ORDER BY code;

-- countiesOf
SELECT id, code, name FROM org_unit WHERE parent_id = $1 AND kind = 'COUNTY';
