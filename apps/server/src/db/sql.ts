/** Anything that runs SQL: the database itself or an open transaction. */
export interface Sql {
  /** Rows of a statement. */
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** First row or undefined. */
  one<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** Rows plus the number of rows a write affected. */
  exec<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affected: number }>;
}
