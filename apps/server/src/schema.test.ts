import fs from "node:fs";
import { printSchema } from "graphql";
import { expect, it } from "vitest";
import { getSchema } from "./schema.js";

const SNAPSHOT = new URL("../schema.graphql", import.meta.url);

// API changes are deliberate: the generated schema must match the committed snapshot.
// After an intended change run `pnpm schema` to rewrite it, and commit it with the change.
it("matches the committed GraphQL schema snapshot", async () => {
  const sdl = printSchema(await getSchema()) + "\n";
  if (process.env.UPDATE_SCHEMA === "1") fs.writeFileSync(SNAPSHOT, sdl);
  expect(fs.existsSync(SNAPSHOT), "apps/server/schema.graphql is missing: run `pnpm schema`").toBe(true);
  expect(sdl).toBe(fs.readFileSync(SNAPSHOT, "utf8"));
});
