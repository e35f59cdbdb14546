import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * No import circle in apps/server/src. A circle makes module evaluation order decide whether an
 * import is initialised yet (the REST routes once imported `contextFor` back from app.ts, which
 * imports every route). The graph is read from the sources: every static `import … from "./…"`,
 * `import "./…"` and `export … from "./…"` between the server's own files, type-only imports
 * included (a type that needs a circle is placed wrong too).
 */

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "__tests__" && e.name !== "node_modules") out.push(...sourceFiles(p));
    } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const SPECIFIER = /^\s*(?:import|export)\b(?:[^"';]*?\bfrom)?\s*["'](\.{1,2}\/[^"']+)["']/gm;

/** Relative specifiers of a file's static imports and re-exports (comments stripped first). */
export function relativeImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(SPECIFIER)].map((m) => m[1]!);
}

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, ".ts"), base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (candidate.endsWith(".ts") && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("server import graph", () => {
  const files = sourceFiles(SRC);
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const f of files) {
    const deps: string[] = [];
    for (const spec of relativeImports(fs.readFileSync(f, "utf8"))) {
      const target = resolve(f, spec);
      if (target) deps.push(target);
      else if (!/\.(json|sql)$/.test(spec)) unresolved.push(`${path.relative(SRC, f)} → ${spec}`);
    }
    graph.set(f, deps);
  }

  it("reads the imports of every source file", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(unresolved).toEqual([]);
    // The reader sees the REST routes: app.ts → routes.ts → a route module → the request context.
    const rel = (p: string) => path.join(SRC, p);
    expect(graph.get(rel("app.ts"))).toContain(rel("routes.ts"));
    expect(graph.get(rel("routes.ts"))).toContain(rel("modules/files/files.routes.ts"));
    expect(graph.get(rel("modules/files/files.routes.ts"))).toContain(rel("common/request-context.ts"));
  });

  it("finds a circle when there is one (the check itself)", () => {
    expect(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual([["a", "b", "c"]]);
    expect(cycles(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
    expect(relativeImports(`import type { A } from "./a.js";\nimport "./b.js";\nexport { c } from "../c.js";\nimport {\n  d,\n} from "./d.js";\n// import "./e.js";\nimport x from "express";`)).toEqual(["./a.js", "./b.js", "../c.js", "./d.js"]);
  });

  it("has no import circle in apps/server/src", () => {
    const circles = cycles(graph).map((c) => c.map((f) => path.relative(SRC, f)).join(" ↔ "));
    expect(circles, "import circles (move what both sides need into a module below them)").toEqual([]);
  });
});
