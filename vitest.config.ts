import { createRequire } from "node:module";
import swc from "unplugin-swc";
import { defineConfig } from "vitest/config";
import { scaled } from "./tests/support/time-scale.js";

const require = createRequire(import.meta.url);
// TypeGraphQL and the server must share one graphql instance (its CJS entry), or graphql-js
// refuses types "from another module or realm".
const serverDir = new URL("./apps/server", import.meta.url).pathname;
const graphqlCjs = require.resolve("graphql/index.js", { paths: [serverDir] });


const serverLike = {
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: "typescript", decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: "es2022",
      },
    }),
  ],
  resolve: { alias: { graphql: graphqlCjs }, conditions: ["source"] },
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { conditions: ["source"] },
        // Property tests run thousands of cases; a loaded CI machine must not time them out.
        test: { name: "domain", include: ["libs/*/src/**/*.test.ts"], environment: "node", testTimeout: 60_000 },
      },
      {
        ...serverLike,
        test: {
          name: "server",
          include: ["apps/server/src/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
        },
      },
      {
        ...serverLike,
        test: {
          name: "api",
          include: ["tests/api/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 180_000,
          pool: "forks",
          fileParallelism: false,
        },
      },
      {
        ...serverLike,
        test: {
          name: "security",
          include: ["tests/security/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: "forks",
          fileParallelism: false,
        },
      },
      {
        // The web app's unit tests: composables and shared components, mounted with Vue Test Utils
        // in happy-dom, built by the web app's own Vite config (Vue SFCs, the `@/` alias).
        extends: "./apps/web/vite.config.ts",
        test: {
          name: "web",
          include: ["apps/web/src/**/*.test.ts"],
          environment: "happy-dom",
          // Element Plus components import their CSS; Vite (not Node) has to load those.
          server: { deps: { inline: [/element-plus/] } },
        },
      },
      {
        ...serverLike,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          // Caps, not durations: tests wait for events, and a busy machine gets longer caps.
          testTimeout: scaled(120_000),
          hookTimeout: scaled(240_000),
          expect: { poll: { timeout: scaled(15_000), interval: 100 } },
          pool: "forks",
          fileParallelism: false,
        },
      },
    ],
  },
});
