import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed GraphQL documents from the server's schema snapshot. Documents live in `*.gql.ts` files
 * next to the views that use them; the output (src/gql/) is generated, never edited or committed.
 */
const config: CodegenConfig = {
  schema: "../server/schema.graphql",
  documents: ["src/**/*.gql.ts"],
  ignoreNoDocuments: true,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        scalars: { DateTimeISO: "string", DateTime: "string", JSON: "unknown", Upload: "unknown" },
      },
    },
  },
};

export default config;
