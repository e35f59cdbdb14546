-- Statements of stats.repository.ts, written by apps/server/src/db/repository-sql.test.ts: do not edit.
-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.

-- perUnitFromAggregates
per_unit AS (
  SELECT r.unit_id,
         sum(r.teachers)::int AS teachers,
         sum(r.locked)::int AS locked,
         coalesce(sum(a.points), 0)::float8 AS points,
         coalesce(sum(a.mobile), 0)::float8 AS mobile,
         coalesce(sum(a.active), 0)::int AS active,
         coalesce(sum(a.meeting), 0)::int AS meeting
    FROM stats_unit_roster r
    LEFT JOIN stats_unit_period a ON a.unit_id = r.unit_id AND a.unit_path = r.unit_path AND a.period = $2
   WHERE r.unit_path LIKE $1
   GROUP BY r.unit_id
);

-- perUnitFromRoster
per_unit AS (
  SELECT u.home_unit_id AS unit_id,
         count(*) FILTER (WHERE NOT u.locked)::int AS teachers,
         count(*) FILTER (WHERE u.locked)::int AS locked,
         coalesce(sum(a.points) FILTER (WHERE NOT u.locked), 0)::float8 AS points,
         coalesce(sum(a.mobile_points) FILTER (WHERE NOT u.locked), 0)::float8 AS mobile,
         count(*) FILTER (WHERE NOT u.locked AND coalesce(a.points, 0) >= $3::float8)::int AS active,
         count(*) FILTER (WHERE NOT u.locked AND coalesce(a.points, 0) >= $4::float8)::int AS meeting
    FROM app_user u
    LEFT JOIN activity_total a ON a.account = u.account AND a.period = $2
   WHERE u.unit_path LIKE $1
     AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
   GROUP BY u.home_unit_id
);

-- schoolMet
(p.teachers > 0 AND p.points >= {overall}::float8 * p.teachers AND p.active * 100 >= {activePercent}::float8 * p.teachers);

-- aggregate
WITH {perUnit}
SELECT {key} AS key,
       sum(p.teachers)::int AS teachers, sum(p.locked)::int AS locked, sum(p.points)::float8 AS points,
       sum(p.mobile)::float8 AS mobile, sum(p.active)::int AS active, sum(p.meeting)::int AS meeting,
       count(*) FILTER (WHERE o.kind IN ('SCHOOL','PRACTICE_BASE') AND p.teachers > 0)::int AS schools,
       count(*) FILTER (WHERE o.kind IN ('SCHOOL','PRACTICE_BASE') AND {schoolMet})::int AS schools_meeting
  FROM per_unit p JOIN org_unit o ON o.id = p.unit_id
 GROUP BY 1;

-- aggregateByChild
split_part(o.path, '/', {part});

-- aggregateWhole
'';

-- ranking
WITH {perUnit},
ranked AS (
  SELECT o.id, o.name, o.code, o.kind, o.county_id, o.city_id, p.teachers, p.points, p.active, p.meeting,
         {schoolMet} AS met,
         rank() OVER (ORDER BY p.points / p.teachers DESC) AS rank
    FROM per_unit p JOIN org_unit o ON o.id = p.unit_id
   WHERE o.kind IN ('SCHOOL','PRACTICE_BASE') AND p.teachers > 0
)
SELECT r.rank::text AS rank, count(*) OVER ()::text AS total, r.id::text AS id, r.name, r.code, r.kind,
       co.name AS county_name, ci.name AS city_name, r.teachers, r.points, r.active, r.meeting, r.met
  FROM ranked r LEFT JOIN org_unit co ON co.id = r.county_id LEFT JOIN org_unit ci ON ci.id = r.city_id
 {belowTarget}
 ORDER BY {order}
 {paging};

-- rankingBelowTarget
WHERE NOT r.met;

-- paging
OFFSET {offset} LIMIT {limit};

-- rankedCount
SELECT count(*)::int AS n FROM ({ranking}) x;

-- teachers
SELECT u.id::text AS id, u.account, u.name, o.id::text AS unit_id, o.name AS unit_name,
      coalesce(a.points, 0) AS points, coalesce(a.mobile_points, 0) AS mobile, $3::float8 AS target
 FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id
 LEFT JOIN activity_total a ON a.account = u.account AND a.period = $2
WHERE u.unit_path LIKE $1 AND NOT u.locked
  AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = 'TEACHER')
  {belowTarget} {extra};

-- teachersBelowTarget
AND coalesce(a.points, 0) < $3::float8;

-- teachersOfHomes
AND u.home_unit_id = ANY($4::bigint[]);

-- teachersPage
SELECT * FROM ({teachers}) x ORDER BY {order} OFFSET {offset} LIMIT {limit};

-- teacherCount
SELECT count(*)::int AS n FROM ({teachers}) x;

-- teachersKeyset
SELECT x.*, {keys} FROM ({teachers}) x
{after}
ORDER BY {order} LIMIT {limit};

-- teacherHomes
SELECT DISTINCT o.id::text AS id, o.path FROM app_user u JOIN org_unit o ON o.id = u.home_unit_id
WHERE u.unit_path LIKE $1 AND NOT u.locked ORDER BY o.path;

-- teachersByHome
SELECT x.* FROM ({teachers}) x
JOIN org_unit o ON o.id = x.unit_id::bigint ORDER BY o.path, x.points {direction}, x.account;

-- childUnits
SELECT id, kind, code, name, parent_id, path, depth, city_id, county_id FROM org_unit WHERE parent_id = $1 ORDER BY code NULLS LAST, name, id;

-- periodsOfAccount
SELECT period FROM activity_total WHERE account = $1 AND points <> 0 ORDER BY period DESC;

-- periodsOfScope
WITH RECURSIVE p(period) AS (
  SELECT max(period) FROM activity_total
  UNION ALL
  SELECT (SELECT max(t.period) FROM activity_total t WHERE t.period < p.period) FROM p WHERE p.period IS NOT NULL
)
SELECT p.period FROM p
 WHERE p.period IS NOT NULL
   AND EXISTS (SELECT 1 FROM activity_total a WHERE a.period = p.period AND a.unit_path LIKE $1 AND a.points <> 0)
 ORDER BY p.period DESC;

-- schoolByRank
r.rank;

-- schoolByMean
r.points / r.teachers;

-- schoolByName
r.name COLLATE "C";

-- schoolByTeachers
r.teachers;

-- schoolByActive
r.active;

-- schoolByActiveRatio
r.active::float8 / r.teachers;

-- schoolByPoints
r.points;

-- schoolByShareMeeting
r.meeting::float8 / r.teachers;

-- schoolByCode
r.code COLLATE "C";

-- schoolById
r.id;

-- teacherByPoints
x.points;

-- teacherByMobile
x.mobile;

-- teacherByName
x.name COLLATE "C";

-- teacherByAccount
x.account COLLATE "C";

-- teacherBySchool
x.unit_name COLLATE "C";

-- teacherBySchoolId
x.unit_id::bigint;
