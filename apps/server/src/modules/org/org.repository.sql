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

-- childrenOf
parent_id = $1;

-- childrenOfKind
parent_id = $1 AND kind = $2;

-- childrenPage
SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit WHERE {where} ORDER BY code NULLS LAST, name, id OFFSET {offset} LIMIT {limit};

-- childrenCount
SELECT count(*)::int AS n FROM org_unit WHERE {where};

-- matching
path LIKE $1 AND (name LIKE $2 OR code LIKE $3);

-- matchingOfKinds
path LIKE $1 AND (name LIKE $2 OR code LIKE $3) AND kind = ANY($4);

-- search
SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit WHERE {where} ORDER BY depth, code NULLS LAST, name LIMIT {limit};

-- countsUnder
SELECT p.path,
     (SELECT count(*)::int FROM org_unit o
       WHERE o.path ~>=~ p.path AND o.path ~<~ (p.path || '~') AND o.kind IN ('SCHOOL','PRACTICE_BASE')) AS schools,
     t.teachers, t.locked
FROM unnest($1::text[]) AS p(path)
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE NOT u.locked)::int AS teachers, count(*) FILTER (WHERE u.locked)::int AS locked
    FROM app_user u
   WHERE u.unit_path ~>=~ p.path AND u.unit_path ~<~ (p.path || '~')
     AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
) t;

-- childCounts
SELECT parent_id, count(*)::int AS n FROM org_unit WHERE parent_id = ANY($1::bigint[]) GROUP BY parent_id;

-- unitsInSubtree
SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit WHERE id = ANY($1::bigint[]) AND path LIKE $2 ORDER BY depth;

-- seedInsertUnit
INSERT INTO org_unit (id, kind, code, name, parent_id, path, depth, city_id, county_id) OVERRIDING SYSTEM VALUE
SELECT n.id, $1::text, $2::text, $3::text, $4::bigint, $6::text || n.id || '/', $5::int,
       CASE WHEN $1::text = 'CITY' THEN n.id ELSE $7::bigint END,
       CASE WHEN $1::text = 'COUNTY' THEN n.id ELSE $8::bigint END
  FROM (SELECT nextval(pg_get_serial_sequence('org_unit', 'id')) AS id) n
RETURNING id, path, depth, city_id, county_id;

-- seedUnitByCode
SELECT id, path, depth, city_id, county_id FROM org_unit WHERE code = $1;

-- seedInsertUser
INSERT INTO app_user (account, name, phone, subject, stage, home_unit_id, unit_path, password_hash, locked, locked_reason, locked_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $9 THEN now() END) RETURNING id;

-- seedInsertRole
INSERT INTO role_assignment (user_id, role, unit_id) VALUES ($1, $2, $3);

-- seedMarkerTable
CREATE TABLE IF NOT EXISTS seed_marker (name text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());

-- seedMarkerLock
LOCK TABLE seed_marker IN EXCLUSIVE MODE;

-- seedMarkers
SELECT name FROM seed_marker;

-- seedMarkerOrgTree
INSERT INTO seed_marker (name) VALUES ('org-tree');

-- seedMarkerDemo
INSERT INTO seed_marker (name) VALUES ('demo');

-- seedMarker
INSERT INTO seed_marker (name) VALUES ($1);
