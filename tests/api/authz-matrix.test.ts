import {
  getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isInterfaceType, isUnionType,
  type GraphQLField, type GraphQLInputType, type GraphQLObjectType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSchema } from "../../apps/server/src/schema.js";
import { OPERATIONS } from "../../apps/server/src/modules/auth/operations.js";
import { PERMISSION_ROLES } from "../../apps/server/src/modules/auth/permissions.js";
import { Client, loginAs } from "../support/client.js";
import { DEMO } from "../support/demo.js";
import { startTestServer, type TestServer } from "../support/server.js";

/** A value of the right type for an argument, so the request passes validation and reaches the gate. */
function dummy(t: GraphQLInputType): string {
  if (isNonNullType(t)) return dummy(t.ofType);
  if (isListType(t)) return `[${dummy(t.ofType)}]`;
  if (isEnumType(t)) return t.getValues()[0]!.name;
  if (isInputObjectType(t)) {
    const req = Object.values(t.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{${req.map((f) => `${f.name}: ${dummy(f.type)}`).join(", ")}}`;
  }
  switch (t.name) {
    case "Int": return "1";
    case "Float": return "1.5";
    case "Boolean": return "true";
    case "ID": return `"1"`;
    case "DateTimeISO":
    case "DateTime": return `"2023-04-01T00:00:00.000Z"`;
    default: return `"x"`;
  }
}

function operationText(kind: "query" | "mutation", f: GraphQLField<unknown, unknown>): string {
  const args = f.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const argText = args.length ? `(${args.map((a) => `${a.name}: ${dummy(a.type)}`).join(", ")})` : "";
  const named = getNamedType(f.type);
  const sel = isObjectType(named) || isInterfaceType(named) || isUnionType(named) ? " { __typename }" : "";
  return `${kind} { ${f.name}${argText}${sel} }`;
}

let server: TestServer;
const clients: Record<string, Client> = {};

beforeAll(async () => {
  server = await startTestServer("pglite");
  for (const [role, account] of Object.entries(DEMO)) {
    const c = await loginAs(server.url, account);
    if (role === "SCHOOL_ADMIN") await c.as("SCHOOL_ADMIN");
    clients[role] = c;
  }
});
afterAll(() => server?.stop());

describe("the authorization matrix", async () => {
  const schema = await getSchema();
  const roots: ["query" | "mutation", GraphQLObjectType | null | undefined][] = [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
  ];

  it("lists every root operation of the schema, and nothing that is not in it", () => {
    for (const [kind, type] of roots) {
      const key = kind === "query" ? "Query" : "Mutation";
      const inSchema = Object.keys(type?.getFields() ?? {}).sort();
      expect(Object.keys(OPERATIONS[key]).sort(), `${key} operations without an entry in operations.ts`).toEqual(inSchema);
    }
  });

  for (const [kind, type] of roots) {
    const key = kind === "query" ? "Query" : "Mutation";
    for (const f of Object.values(type?.getFields() ?? {})) {
      const access = OPERATIONS[key][f.name];
      if (!access || access === "PUBLIC") continue;
      const text = operationText(kind, f);

      it(`${key}.${f.name} refuses anonymous callers`, async () => {
        expect(await new Client(server.url).errorCode(text)).toBe("UNAUTHENTICATED");
      });

      if (access === "AUTHENTICATED") continue;
      const denied = Object.keys(DEMO).filter((r) => !PERMISSION_ROLES[access].includes(r as never));
      for (const role of denied) {
        it(`${key}.${f.name} refuses a ${role}`, async () => {
          expect(await clients[role]!.errorCode(text)).toBe("FORBIDDEN");
        });
      }
    }
  }
});
