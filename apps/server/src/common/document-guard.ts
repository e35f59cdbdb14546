import type { NextFunction, Request, RequestHandler, Response } from "express";
import { Kind, parse, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from "graphql";

/**
 * A cheap look at a GraphQL document before graphql-js validates it. Validation compares every
 * pair of fields that answer under the same name in a selection set, recursively through their
 * sub-selections (the rule "overlapping fields can be merged"): 480 sibling `homeUnit { id }` or
 * eight levels of two `ancestors { … }` take hundreds of milliseconds of one CPU each, before any
 * cost limit can look at the operation. Refused here, in time linear in the document:
 * - a field with a sub-selection answering more than once under one name in one selection set
 *   (its fragments and inline fragments included): nothing is lost, the selections merge;
 * - a leaf field answering more than MAX_SAME_LEAF times under one name in one selection set;
 * - more than MAX_SPREADS fragment spreads in one selection set.
 */
export const MAX_SAME_LEAF = 10;
export const MAX_SPREADS = 20;
export const MAX_TOKENS = 10_000;

export function documentShapeProblem(doc: DocumentNode): string | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  /** Counts of the names a selection set answers under (through its fragments), memoized per fragment. */
  const fragmentCounts = new Map<string, Map<string, { leaf: number; composite: number }>>();

  function collect(set: SelectionSetNode, into: Map<string, { leaf: number; composite: number }>, seen: Set<string>): string | null {
    let spreads = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const name = s.alias?.value ?? s.name.value;
        const c = into.get(name) ?? { leaf: 0, composite: 0 };
        if (s.selectionSet) c.composite++;
        else c.leaf++;
        into.set(name, c);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const p = collect(s.selectionSet, into, seen);
        if (p) return p;
      } else {
        if (++spreads > MAX_SPREADS) return `一个选择集中最多引用 ${MAX_SPREADS} 个片段`;
        const name = s.name.value;
        if (seen.has(name)) continue; // a cycle, refused by validation; a repeat merges
        seen.add(name);
        let counts = fragmentCounts.get(name);
        if (!counts) {
          const f = fragments.get(name);
          if (!f) continue;
          counts = new Map();
          fragmentCounts.set(name, counts); // guards cycles while being computed
          const p = collect(f.selectionSet, counts, new Set([name]));
          if (p) return p;
        }
        for (const [k, v] of counts) {
          const c = into.get(k) ?? { leaf: 0, composite: 0 };
          c.leaf += v.leaf;
          c.composite += v.composite;
          into.set(k, c);
        }
      }
    }
    return null;
  }

  const sets: SelectionSetNode[] = [];
  const walk = (set: SelectionSetNode) => {
    sets.push(set);
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD && s.selectionSet) walk(s.selectionSet);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
    }
  };
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) walk(d.selectionSet);

  for (const set of sets) {
    const counts = new Map<string, { leaf: number; composite: number }>();
    const p = collect(set, counts, new Set());
    if (p) return p;
    for (const [name, c] of counts) {
      if (c.composite > 1) return `字段 ${name} 在同一层重复选择（含片段），请合并为一处`;
      if (c.leaf > MAX_SAME_LEAF) return `字段 ${name} 在同一层重复 ${c.leaf} 次（上限 ${MAX_SAME_LEAF}）`;
    }
  }
  return null;
}

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * Mounted on /graphql before Apollo: refuses batched (array) bodies and documents whose shape
 * would make validation expensive (documentShapeProblem), with 400 before any context,
 * session lookup or validation. Documents that do not parse go on to Apollo, which answers them.
 */
export function graphqlDocumentGuard(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (Array.isArray(req.body)) return refuse(res, 400, "BAD_REQUEST", "不支持批量请求：一次只能发送一个操作");
    const query = req.method === "GET" ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== "string") return next();
    let doc: DocumentNode;
    try {
      doc = parse(query, { maxTokens: MAX_TOKENS });
    } catch {
      return next();
    }
    const problem = documentShapeProblem(doc);
    if (problem) return refuse(res, 400, "QUERY_TOO_COMPLEX", problem);
    next();
  };
}
