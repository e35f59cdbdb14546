/**
 * Repositories (`modules/<module>/<aggregate>.repository.ts`) are the only place that holds SQL.
 * Each one exports its statements as `queries = sqlQueries({ name: "SELECT …" })` and runs them
 * by name; `db/repository-sql.test.ts` writes every statement of every repository into the
 * committed `<aggregate>.repository.sql` beside it, so a change to any query shows in a review.
 * Fragments spliced in at run time (a WHERE built from filters, an ORDER BY from a sort key) are
 * constants of the repository too, and are recorded the same way.
 */
export type QueryMap = Readonly<Record<string, string>>;

/** Declares a repository's statements by name (an identity: the snapshot test reads the object). */
export function sqlQueries<T extends Record<string, string>>(queries: T): Readonly<T> {
  return Object.freeze(queries);
}

/** The text recorded for one statement: trimmed, continuation lines without the code's indentation. */
export function normalizeSql(sql: string): string {
  const lines = sql.trim().split("\n").map((l) => l.replace(/\s+$/, ""));
  const rest = lines.slice(1).filter((l) => l.trim());
  const indent = rest.length ? Math.min(...rest.map((l) => l.length - l.trimStart().length)) : 0;
  return [lines[0], ...lines.slice(1).map((l) => l.slice(indent))].join("\n");
}

/** The `.repository.sql` file of a repository: every statement under a `-- name` heading, in declaration order. */
export function renderSqlSnapshot(file: string, queries: QueryMap): string {
  const head = [
    `-- Statements of ${file}, written by apps/server/src/db/repository-sql.test.ts: do not edit.`,
    `-- After a deliberate change: pnpm sql-snapshots (UPDATE_SQL_SNAPSHOTS=1), and commit this file with it.`,
  ];
  const body = Object.entries(queries).map(([name, sql]) => `-- ${name}\n${normalizeSql(sql)};`);
  return [head.join("\n"), ...body].join("\n\n") + "\n";
}

/**
 * Splices a fragment written with named parameters (`:name`) into a statement being built: each
 * name becomes the next `$n` of `params` (the same name twice is one parameter). Casts (`::text`)
 * are left alone.
 */
export function bind(fragment: string, params: unknown[], values: Record<string, unknown>): string {
  const seen = new Map<string, string>();
  return fragment.replace(/(?<![:\w]):([A-Za-z]\w*)/g, (_, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`no value for :${name}`);
    let n = seen.get(name);
    if (!n) {
      params.push(values[name]);
      n = `$${params.length}`;
      seen.set(name, n);
    }
    return n;
  });
}

/** Fills the `{slot}`s of a statement template with fragments built at run time (never with input). */
export function fill(template: string, slots: Record<string, string | number>): string {
  return template.replace(/\{([A-Za-z]\w*)\}/g, (_, name: string) => {
    if (!Object.hasOwn(slots, name)) throw new Error(`no fragment for {${name}}`);
    return String(slots[name]);
  });
}
