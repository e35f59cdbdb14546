import type { Tx } from "./data-source.js";

/**
 * One module's demo data: runs once (marked `demo:<name>` in seed_marker), after the org tree and
 * accounts. Its own file, so the seeders (listed in demo-seeders.ts, run by seed.ts) import it
 * without importing the seed that runs them.
 */
export interface DemoSeeder {
  name: string;
  run: (tx: Tx) => Promise<void>;
}
