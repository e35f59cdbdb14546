import fs from "node:fs";
import path from "node:path";
import { buildSchema, getIntrospectionQuery, isEnumType, isInputObjectType, Kind, parse, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type TypeNode } from "graphql";
import { describe, expect, it } from "vitest";
import { documentShapeProblem } from "../document-guard.js";
import { DEFAULT_LIST_SIZE, FIELD_COST, LIST_SIZE, MAX_COST, MAX_DEPTH, MAX_INTROSPECTION_COST, operationCost, ROOT_QUERY_COST as R } from "../query-cost.js";

const schema: GraphQLSchema = buildSchema(fs.readFileSync(new URL("../../../schema.graphql", import.meta.url), "utf8"));
const cost = (q: string, variables: Record<string, unknown> = {}) => operationCost(schema, parse(q), undefined, variables);

/** Every GraphQL document of the web app (graphql(`…`) in apps/web/src/**\/*.gql.ts). */
function webDocuments(): string[] {
  const root = new URL("../../../../web/src", import.meta.url).pathname;
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== "gql") walk(p);
      else if (p.endsWith(".gql.ts")) for (const m of fs.readFileSync(p, "utf8").matchAll(/graphql\(`([\s\S]*?)`\)/g)) out.push(m[1]!);
    }
  };
  walk(root);
  return out;
}

/** A value of the declared type: page sizes at the largest the server accepts (200). */
function sampleValue(name: string, type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return sampleValue(name, type.type);
  if (type.kind === Kind.LIST_TYPE) return [];
  if (/limit/i.test(name)) return 200;
  const t = schema.getType(type.name.value);
  if (isEnumType(t)) return t.getValues()[0]!.value;
  if (isInputObjectType(t)) return undefined;
  return { Int: 2023, Float: 1, Boolean: true }[type.name.value] ?? "1";
}

describe("query cost model", () => {
  it("lets every operation of the web app through, with page sizes at their maximum", () => {
    const doc = parse(webDocuments().join("\n"));
    const fragments = doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    const operations = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.length).toBeGreaterThan(50);
    for (const op of operations) {
      // Input objects (mutation inputs) are left out: they do not change the cost.
      const vars = Object.fromEntries((op.variableDefinitions ?? []).map((v) => [v.variable.name.value, sampleValue(v.variable.name.value, v.type)]).filter(([, v]) => v !== undefined));
      const withInputs = (op.variableDefinitions ?? []).some((v) => isInputObjectType(schema.getType(namedOf(v.type))));
      if (withInputs) continue;
      const single: DocumentNode = { kind: Kind.DOCUMENT, definitions: [op, ...fragments] };
      expect(documentShapeProblem(single), op.name!.value).toBeNull();
      const m = operationCost(schema, single, op.name!.value, vars);
      expect(m.depth, op.name!.value).toBeLessThanOrEqual(MAX_DEPTH);
      expect(m.cost, op.name!.value).toBeLessThanOrEqual(MAX_COST);
    }
  });

  it("multiplies the children of a list by its page size, or by the page size of the page above it", () => {
    expect(cost(`{ searchUnits(query: "x", limit: 30) { id name } }`).cost).toBe(R + 30 * 2);
    expect(cost(`{ users(limit: 200) { total items { id name } } }`).cost).toBe(R + 1 + (1 + 200 * 2));
    expect(cost(`query($n: Int!) { users(limit: $n) { items { id } } }`, { n: 50 }).cost).toBe(R + 1 + 50);
    // Defaults count: users() pages 20 rows.
    expect(cost(`{ users { items { id } } }`).cost).toBe(R + 1 + 20);
    // A list without a size: DEFAULT_LIST_SIZE.
    expect(cost(`{ me { roles { id role } } }`).cost).toBe(R + 1 + DEFAULT_LIST_SIZE * 2);
  });

  it("prices lists bounded by what they hold (a checklist, the parts of a criterion) at their bound, so a page of applications can carry every row's checklist", () => {
    const parts = 1 + LIST_SIZE["CriterionResult.parts"]! * (1 + 1 + LIST_SIZE["CriterionPart.parts"]! * 1);
    const checklist = FIELD_COST["Application.criteria"]! + LIST_SIZE["Application.criteria"]! * (2 + parts);
    expect(cost(`query($id: ID!) { application(id: $id) { criteria { id status parts { status parts { status } } } } }`, { id: "1" }).cost).toBe(R + checklist);
    const page = cost(`query($c: ID!) { applications(campaignId: $c, limit: 20) { items { id criteria { id text status statusLabel detail reference parts { status detail parts { status detail } } } } } }`, { c: "1" });
    expect(page.cost).toBeLessThan(MAX_COST);
    // Other unpaged lists keep the default size.
    expect(cost(`{ me { roles { id } } }`).cost).toBe(R + 1 + DEFAULT_LIST_SIZE);
  });

  it("counts aliases and every use of a fragment", () => {
    const one = cost(`{ me { id } }`).cost;
    expect(cost(`{ a: me { id } b: me { id } c: me { id } }`).cost).toBe(3 * one);
    expect(cost(`{ a: me { ...F } b: me { ...F } } fragment F on Me { id name }`).cost).toBe(2 * (R + 2));
    expect(cost(`{ me { ... on Me { id name } } }`).cost).toBe(R + 2);
    // Hundreds of aliased root fields (each a database statement) do not fit.
    const roots = Array.from({ length: 400 }, (_, i) => `u${i}: unit(id: "1") { id }`).join(" ");
    expect(cost(`{ ${roots} }`).cost).toBeGreaterThan(MAX_COST);
    // Password hashing: two logins do not fit in one request.
    expect(FIELD_COST["Mutation.login"]! * 2).toBeGreaterThan(MAX_COST);
    expect(cost(`mutation { a: login(account: "a", password: "b") { token } b: login(account: "a", password: "b") { token } }`).cost).toBeGreaterThan(MAX_COST);
  });

  it("prices subtree statistics so that a request cannot repeat them under aliases", () => {
    const aliases = Array.from({ length: 150 }, (_, i) => `s${i}: unitActivity(period: "2023") { teachers meanPoints }`).join(" ");
    expect(cost(`{ ${aliases} }`).cost).toBeGreaterThan(MAX_COST);
  });

  it("measures depth through fragments and refuses the exponential nesting of lists", () => {
    expect(cost(`{ me { homeUnit { ancestors { ancestors { id } } } } }`).depth).toBe(5);
    expect(cost(`{ me { ...A } } fragment A on Me { homeUnit { ...B } } fragment B on OrgUnit { ancestors { id } }`).depth).toBe(4);
    let q = "id";
    for (let i = 0; i < 8; i++) q = `id ancestors { ${q} }`;
    const m = cost(`{ unit(id: "1") { ${q} } }`);
    expect(m.depth).toBe(10);
    expect(m.cost).toBeGreaterThan(MAX_COST); // 10^8 units
  });

  it("stays linear in the document when fragments spread each other many times (no exponential walk)", () => {
    // F0 spreads F1 ten times, F1 spreads F2 ten times…: 10^9 fields once expanded.
    const defs = Array.from({ length: 9 }, (_, i) =>
      `fragment F${i} on OrgUnit { ${Array.from({ length: 10 }, (_, j) => `a${j}: ancestors { ...F${i + 1} }`).join(" ")} }`,
    );
    defs.push(`fragment F9 on OrgUnit { id }`);
    const m = cost(`{ unit(id: "1") { ...F0 } } ${defs.join(" ")}`);
    expect(m.cost).toBeGreaterThan(MAX_COST);
    expect(m.depth).toBe(11);
  });

  it("lets the standard introspection query through its own budget", () => {
    const m = cost(getIntrospectionQuery());
    expect(m.introspectionOnly).toBe(true);
    expect(m.depth).toBeLessThanOrEqual(MAX_DEPTH);
    expect(m.cost).toBeLessThanOrEqual(MAX_INTROSPECTION_COST);
    // A type reached as a reference is named, not walked again (type → fields → type → …).
    expect(cost(`{ __schema { types { fields { type { fields { name } } } } } }`).cost).toBe(Infinity);
    expect(cost(`{ __type(name: "User") { fields { type { ofType { fields { name } } } } } }`).cost).toBe(Infinity);
    expect(cost(`{ __type(name: "User") { fields { name type { name kind ofType { name } } } interfaces { name } } }`).cost).toBeLessThan(MAX_INTROSPECTION_COST);
  });

  it("refuses, before validation, the shapes that make validation quadratic or exponential", () => {
    const nest = (d: number, k: number): string => (d === 0 ? "id" : Array(k).fill(`ancestors { ${nest(d - 1, k)} }`).join(" "));
    expect(documentShapeProblem(parse(`{ unit(id: "1") { ${nest(8, 2)} } }`))).toMatch(/ancestors/);
    expect(documentShapeProblem(parse(`{ me { ${Array(480).fill("homeUnit { id }").join(" ")} } }`))).toMatch(/homeUnit/);
    expect(documentShapeProblem(parse(`{ ${Array(400).fill("me { id }").join(" ")} }`))).toMatch(/me/);
    expect(documentShapeProblem(parse(`{ me { ${Array(50).fill("id").join(" ")} } }`))).toMatch(/id/);
    // Through fragments too.
    const frags = Array.from({ length: 15 }, (_, i) => `fragment F${i} on Me { homeUnit { id } }`).join(" ");
    expect(documentShapeProblem(parse(`{ me { ${Array.from({ length: 15 }, (_, i) => `...F${i}`).join(" ")} } } ${frags}`))).toMatch(/homeUnit/);
    expect(documentShapeProblem(parse(`{ me { ${Array.from({ length: 30 }, (_, i) => `...F${i}`).join(" ")} } } ${frags}`))).toMatch(/片段/);
    // Aliases make distinct names; a repeated spread of one fragment merges.
    expect(documentShapeProblem(parse(`{ a: me { homeUnit { id } } b: me { homeUnit { id } } }`))).toBeNull();
    expect(documentShapeProblem(parse(`{ me { ...F ...F } } fragment F on Me { homeUnit { id } }`))).toBeNull();
  });

  it("refuses variables that do not fit their types as BAD_USER_INPUT", () => {
    expect(() => cost(`query($n: Int!) { users(limit: $n) { total } }`, { n: "many" })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }));
  });
});

function namedOf(t: TypeNode): string {
  return t.kind === Kind.NAMED_TYPE ? t.name.value : namedOf(t.type);
}
