import { sqlQueries } from "./db/repository.js";

export const queries = sqlQueries({
  // The readiness probe: PostgreSQL answers a statement at all.
  probe: `SELECT 1`,
});

/** Runs the probe statement on a connection of the probe's own (not the pool's `Sql`). */
export async function probeDatabase(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  await client.query(queries.probe);
}
