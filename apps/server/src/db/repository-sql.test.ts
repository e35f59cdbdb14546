import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderSqlSnapshot, type QueryMap } from "./repository.js";

// Repositories sit in the modules, in jobs/ and beside the server's own entry files (health).
const SRC = new URL("../", import.meta.url).pathname;

function repositories(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return repositories(p);
    return e.name.endsWith(".repository.ts") ? [p] : [];
  });
}

// Every statement of every repository is committed beside it as <aggregate>.repository.sql, so a
// review shows each query that changed. After a deliberate change run `pnpm sql-snapshots`
// (UPDATE_SQL_SNAPSHOTS=1) and commit the rewritten files with it.
describe("repository SQL snapshots", () => {
  for (const file of repositories(SRC).sort()) {
    const name = path.basename(file);
    it(`${name} matches ${name.replace(/\.ts$/, ".sql")}`, async () => {
      const mod = (await import(file)) as { queries?: QueryMap };
      const snapshot = file.replace(/\.ts$/, ".sql");
      if (!mod.queries) {
        // Not converted to named statements yet: nothing to record, and no stale file may stay.
        expect(fs.existsSync(snapshot), `${snapshot} has no queries export to check it against`).toBe(false);
        return;
      }
      expect(Object.keys(mod.queries).length, `${name} exports an empty queries object`).toBeGreaterThan(0);
      const text = renderSqlSnapshot(name, mod.queries);
      if (process.env.UPDATE_SQL_SNAPSHOTS === "1") fs.writeFileSync(snapshot, text);
      expect(fs.existsSync(snapshot), `${snapshot} is missing: run \`pnpm sql-snapshots\``).toBe(true);
      expect(text, `${snapshot} differs from the repository's SQL: run \`pnpm sql-snapshots\` and review the diff`).toBe(fs.readFileSync(snapshot, "utf8"));
    });
  }
});
