import "reflect-metadata";
import fs from "node:fs";
import { DataSource, type EntityManager } from "typeorm";
import { migrations } from "./migrations/index.js";
import { createPGliteDriver } from "./pglite-pool.js";

export type DbKind = "pglite" | "postgres";

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Sql {
  /** Rows of a statement. */
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** First row or undefined. */
  one<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** Rows plus the number of rows a write affected. */
  exec<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affected: number }>;
}

function sqlOf(run: (sql: string, params?: unknown[]) => Promise<{ records: unknown[]; affected?: number }>): Sql {
  return {
    async rows<T>(sql: string, params?: unknown[]) {
      return (await run(sql, params)).records as T[];
    },
    async one<T>(sql: string, params?: unknown[]) {
      return (await run(sql, params)).records[0] as T | undefined;
    },
    async exec<T>(sql: string, params?: unknown[]) {
      const r = await run(sql, params);
      return { rows: r.records as T[], affected: r.affected ?? r.records.length };
    },
  };
}

export interface Tx extends Sql {
  manager: EntityManager;
}

export class Db implements Sql {
  private readonly base: Sql;
  constructor(
    readonly ds: DataSource,
    readonly kind: DbKind,
  ) {
    this.base = sqlOf(async (sql, params) => {
      const qr = ds.createQueryRunner();
      try {
        return await qr.query(sql, params, true);
      } finally {
        await qr.release();
      }
    });
  }
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
    return this.base.rows<T>(sql, params);
  }
  one<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
    return this.base.one<T>(sql, params);
  }
  exec<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
    return this.base.exec<T>(sql, params);
  }
  /** Runs `fn` in one transaction (READ COMMITTED); a thrown error rolls everything back. */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (manager) => {
      const t = sqlOf((sql, params) => manager.queryRunner!.query(sql, params, true)) as Tx;
      t.manager = manager;
      return fn(t);
    });
  }
  close() {
    return this.ds.destroy();
  }
}

export interface DbOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** PGlite only: keep the database in memory (tests). */
  inMemory?: boolean;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  let ds: DataSource;
  let kind: DbKind;
  if (opts.databaseUrl) {
    kind = "postgres";
    ds = new DataSource({ type: "postgres", url: opts.databaseUrl, migrations, poolSize: 20, extra: { max: 20 } });
  } else {
    kind = "pglite";
    if (!opts.inMemory && opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true });
    const driver = createPGliteDriver(opts.inMemory ? undefined : opts.dataDir);
    ds = new DataSource({ type: "postgres", driver, migrations } as ConstructorParameters<typeof DataSource>[0]);
  }
  await ds.initialize();
  await ds.runMigrations({ transaction: "each" });
  return new Db(ds, kind);
}

