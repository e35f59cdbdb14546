import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * The static cost model of a GraphQL operation, computed before anything executes.
 *
 * - Every field costs 1, plus the cost of its selection.
 * - A list multiplies the cost of its children by its size: the field's page-size argument
 *   (`limit`, `first`), or, for the list inside a page type (`users(limit: 200) { items }`), the
 *   page size given to the field above it; a list without a size costs DEFAULT_LIST_SIZE times
 *   its children.
 * - A root query field costs ROOT_QUERY_COST (at least one database statement, not batched), a
 *   mutation MUTATION_COST (a transaction); fields that aggregate over a whole unit subtree
 *   (statistics, rankings) or hash a password cost FIELD_COST on their own, so a request cannot
 *   repeat them under aliases.
 * - Aliases and fragments are counted where they are used (a fragment spread twice costs twice);
 *   the computation is memoized per fragment, so it stays linear in the size of the document
 *   however the fragments nest.
 * - Depth counts nested selections (fragments add the depth of their contents).
 */

/** Deepest selection an operation may have (the web app's deepest query has 5 levels). */
export const MAX_DEPTH = 10;
/** Upper bound on the cost of one operation (the web app's costliest, the 12-month trend, is about 24,000). */
export const MAX_COST = 30_000;
/**
 * Upper bound for an operation that only introspects the schema (development only: production
 * refuses introspection). The standard introspection query costs about 50,000 in this model.
 */
export const MAX_INTROSPECTION_COST = 100_000;
/** Assumed size of a list without a page-size argument (roles of a user, ancestors, history…). */
export const DEFAULT_LIST_SIZE = 10;
/**
 * Lists whose size is bounded by what they hold rather than by a page: the checklist of an
 * application (the criteria of one category, at most a dozen in any campaign so far) and the
 * parts of a combined criterion (two or three). Priced at these sizes instead of
 * DEFAULT_LIST_SIZE, so a reviewer's list can carry each row's checklist.
 */
export const LIST_SIZE: Readonly<Record<string, number>> = {
  "Application.criteria": 12,
  "CriterionResult.parts": 4,
  "CriterionPart.parts": 4,
};
/** Arguments that give the size of a list (or of the page whose `items` list follows). */
export const SIZE_ARGS = ["limit", "first", "last"] as const;

/** Own cost of a root query field not listed in FIELD_COST. */
export const ROOT_QUERY_COST = 100;
/** Own cost of a mutation not listed in FIELD_COST: at most about 30 in one request. */
export const MUTATION_COST = 1_000;

/**
 * Fields whose resolution scans a unit subtree (province-wide for the province), priced by what
 * they cost the database rather than by their size: at most a handful fit into one operation.
 */
export const FIELD_COST: Readonly<Record<string, number>> = {
  "Query.unitActivity": 2_000,
  "Query.childUnitsActivity": 2_000,
  "Query.schoolRanking": 2_000,
  "Query.belowTargetSchools": 2_000,
  "Query.teacherActivityPage": 2_000,
  "Query.belowTargetTeachers": 2_000,
  "Query.activityPeriods": 1_000,
  "Query.teacherActivity": 500,
  "Query.myActivity": 500,
  "Query.quotas": 1_000,
  "Query.categoryRanking": 2_000,
  "Query.scoringProgress": 2_000,
  "Query.categoryFinalization": 2_000,
  "Query.expertPool": 1_000,
  "Query.publishedResults": 1_000,
  "Query.applicationDiff": 500,
  // Password hashing (argon2) on purpose costs CPU: one login per request, as the web app sends.
  "Mutation.login": 20_000,
  "Mutation.changePassword": 20_000,
  "Mutation.resetPassword": 20_000,
  "Mutation.applyGrades": 2_000,
  "Mutation.finalizeCampaignCategory": 2_000,
  "Mutation.autoAssignExperts": 2_000,
  "OrgUnit.counts": 50,
  "Application.criteria": 100,
};

export interface OperationCost {
  cost: number;
  depth: number;
  /** Every root field is `__schema`, `__type` or `__typename`. */
  introspectionOnly: boolean;
}

interface Measure {
  cost: number;
  depth: number;
}

/**
 * Cost and depth of the operation `operationName` of `document` with `variables` (raw, as
 * sent). Throws a GraphQLError with code BAD_USER_INPUT when the variables do not fit their
 * declared types.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): OperationCost {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return { cost: 0, depth: 0, introspectionOnly: false };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
  if (coerced.errors) {
    throw new GraphQLError(coerced.errors[0]!.message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
  }
  const vars = coerced.coerced;

  const root = operation.operation === "query" ? schema.getQueryType() : operation.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return { cost: 0, depth: 0, introspectionOnly: false };

  const memo = new Map<string, Measure>();

  function fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
    if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
    return undefined;
  }

  function sizeOf(def: GraphQLField<unknown, unknown>, node: FieldNode): number | undefined {
    if (!def.args.some((a) => (SIZE_ARGS as readonly string[]).includes(a.name))) return undefined;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(def, node, vars);
    } catch (e) {
      throw new GraphQLError((e as Error).message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
    }
    for (const name of SIZE_ARGS) {
      const v = args[name];
      if (typeof v === "number" && Number.isFinite(v)) return Math.max(0, v);
    }
    return undefined;
  }

  function field(parent: GraphQLCompositeType, node: FieldNode, pageSize: number | undefined, typeRef: boolean): Measure {
    const name = node.name.value;
    if (name === "__typename") return { cost: 1, depth: 1 };
    // Introspection entry points are not fields of the Query type.
    const def = name === "__schema" ? SchemaMetaFieldDef : name === "__type" ? TypeMetaFieldDef : fieldDef(parent, name);
    if (!def) return { cost: 1, depth: 1 }; // validation has refused unknown fields already
    const own = FIELD_COST[`${parent.name}.${name}`] ?? (parent === root ? (operation!.operation === "mutation" ? MUTATION_COST : ROOT_QUERY_COST) : 1);
    const named = getNamedType(def.type);
    const list = isListType(getNullableType(def.type));
    const size = sizeOf(def, node);
    if (!node.selectionSet || !isCompositeType(named)) return { cost: own, depth: 1 };
    // Introspection: a type reached as a reference (a field's or argument's type, `ofType`, an
    // interface) is named, not described again: its fields, arguments and values would let a
    // query walk the schema's cycles (type → fields → type → …) without bound.
    if (typeRef && parent.name === "__Type" && list) return { cost: Infinity, depth: 1 };
    const ref = named.name === "__Type" && (typeRef || ["type", "ofType", "interfaces", "possibleTypes"].includes(name));
    const child = selection(named, node.selectionSet, list ? undefined : size, ref);
    const times = list ? (size ?? pageSize ?? LIST_SIZE[`${parent.name}.${name}`] ?? DEFAULT_LIST_SIZE) : 1;
    // `ofType` unwraps a type reference (a chain as long as the schema's wrappers), no deeper data.
    const levels = parent.name === "__Type" && name === "ofType" ? 0 : 1;
    return { cost: own + times * child.cost, depth: levels + child.depth };
  }

  function selection(parent: GraphQLCompositeType, set: SelectionSetNode, pageSize: number | undefined, typeRef = false): Measure {
    let cost = 0;
    let depth = 0;
    for (const s of set.selections) {
      let m: Measure;
      if (s.kind === Kind.FIELD) m = field(parent, s, pageSize, typeRef);
      else if (s.kind === Kind.INLINE_FRAGMENT) {
        const t = s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent;
        m = t && isCompositeType(t) ? selection(t, s.selectionSet, pageSize, typeRef) : { cost: 0, depth: 0 };
      } else {
        const f = fragments.get(s.name.value);
        const t = f && schema.getType(f.typeCondition.name.value);
        if (!f || !t || !isCompositeType(t)) continue;
        const key = `${f.name.value}|${parent.name}|${pageSize ?? ""}|${typeRef}`;
        let cached = memo.get(key);
        if (!cached) {
          // Fragment cycles are refused by validation; guard anyway so a cycle cannot recurse.
          memo.set(key, { cost: Infinity, depth: Infinity });
          cached = selection(t, f.selectionSet, pageSize, typeRef);
          memo.set(key, cached);
        }
        m = cached;
      }
      cost += m.cost;
      depth = Math.max(depth, m.depth);
    }
    return { cost, depth };
  }

  const introspectionOnly = operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith("__"));
  return { ...selection(root, operation.selectionSet, undefined), introspectionOnly };
}
