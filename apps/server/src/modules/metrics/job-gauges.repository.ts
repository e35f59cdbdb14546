import type { Sql } from "../../db/data-source.js";
import { sqlQueries } from "../../db/repository.js";

/** Jobs not finished yet, by kind and state, with the age of the oldest (seconds). */
export interface OpenJobsRow {
  kind: string;
  state: string;
  jobs: number;
  oldest_seconds: number;
  /** Seconds since the least recently updated one last moved (progress or heartbeat). */
  stalest_seconds: number;
}

export const queries = sqlQueries({
  // Read at every scrape of /metrics: only unfinished jobs (a handful), never the whole history.
  openJobs: `SELECT kind, state, count(*)::int AS jobs,
      EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest_seconds,
      EXTRACT(EPOCH FROM now() - min(updated_at))::float8 AS stalest_seconds
    FROM job WHERE state IN ('QUEUED', 'RUNNING')
    GROUP BY kind, state`,
});

export function openJobs(sql: Sql): Promise<OpenJobsRow[]> {
  return sql.rows<OpenJobsRow>(queries.openJobs);
}
