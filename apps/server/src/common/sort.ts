import { DomainError } from "@zjh/domain";

/**
 * Server-side ordering of lists: a whitelisted sort key maps to fixed SQL expressions (input never
 * reaches the SQL text), followed by tie-breakers that make the order total, so that paging
 * (OFFSET, or keyset for exports) never repeats or skips a row.
 */

/** One ORDER BY term: a fixed SQL expression and its direction. */
export interface SortTerm {
  sql: string;
  desc: boolean;
}

/** The terms of a key in the requested direction, then the fixed tie-breakers (their own direction). */
export function sortTerms<K extends string>(map: Record<K, readonly string[]>, key: K, desc: boolean, tieBreakers: readonly SortTerm[]): SortTerm[] {
  const own = Object.hasOwn(map, key) ? map[key] : undefined;
  if (!own) throw new DomainError("BAD_USER_INPUT", "不支持的排序字段", "sort");
  return [...own.map((sql) => ({ sql, desc })), ...tieBreakers];
}

export function orderBySql(terms: readonly SortTerm[]): string {
  return terms.map((t) => `${t.sql} ${t.desc ? "DESC" : "ASC"}`).join(", ");
}

/**
 * Keyset paging: a predicate for the rows after the row whose term values are the parameters
 * $first, $first + 1, … (one per term, in order). Every term must be non-null, and the terms
 * together unique.
 */
export function afterSql(terms: readonly SortTerm[], first: number): string {
  const branches = terms.map((t, i) => {
    const equal = terms.slice(0, i).map((u, j) => `${u.sql} = $${first + j}`);
    return `(${[...equal, `${t.sql} ${t.desc ? "<" : ">"} $${first + i}`].join(" AND ")})`;
  });
  return `(${branches.join(" OR ")})`;
}

/** The term values of a row selected with `keyColumns` (k0, k1, …), for `afterSql`. */
export function keyColumns(terms: readonly SortTerm[]): string {
  return terms.map((t, i) => `${t.sql} AS k${i}`).join(", ");
}

export function keyValues(terms: readonly SortTerm[], row: Record<string, unknown>): unknown[] {
  return terms.map((_, i) => row[`k${i}`]);
}

/**
 * The sort of an export, from its query string (`sort`, `desc`), as the list screen sends it.
 * Either may be absent (the export's default applies); anything else than the list's keys and
 * true/false is refused, naming the parameter.
 */
export function sortFromQuery<K extends string>(q: Record<string, string>, keys: readonly K[]): { sort?: K; desc?: boolean } {
  const out: { sort?: K; desc?: boolean } = {};
  if (q.sort !== undefined && q.sort !== "") {
    if (!(keys as readonly string[]).includes(q.sort)) {
      throw new DomainError("BAD_USER_INPUT", `不支持的排序字段，可选：${keys.join("、")}`, "sort");
    }
    out.sort = q.sort as K;
  }
  if (q.desc !== undefined && q.desc !== "") {
    if (q.desc !== "true" && q.desc !== "false") throw new DomainError("BAD_USER_INPUT", "参数 desc 须为 true 或 false", "desc");
    out.desc = q.desc === "true";
  }
  return out;
}
