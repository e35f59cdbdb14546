import "reflect-metadata";
import fs from "node:fs";
import pg from "pg";
import { DataSource, type EntityManager, type QueryRunner } from "typeorm";
import { BoundedQueue } from "../common/bounded-queue.js";
import { timeoutError, type RequestScope } from "../common/request-scope.js";
import { migrations } from "./migrations/index.js";
import { createPGliteDriver } from "./pglite-pool.js";
import { syncUnitStatsThresholds } from "../modules/stats/stats-threshold.repository.js";
import type { Sql } from "./sql.js";

export type { Sql } from "./sql.js";

export type DbKind = "pglite" | "postgres";

type Run = (sql: string, params?: unknown[]) => Promise<{ records: unknown[]; affected?: number }>;

function sqlOf(run: Run): Sql {
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

/** The node-postgres client a query runner holds (PostgreSQL only). */
interface PgClientLike {
  query(sql: string, params?: unknown[]): Promise<unknown>;
  processID?: number | null;
  secretKey?: unknown;
  host?: string;
  port?: number;
  /** statement_timeout last set on this session by `Db` (ms). */
  zjhStatementTimeoutMs?: number;
}

/**
 * Sends PostgreSQL's cancel request for the statement running on `client`'s backend (the
 * protocol's CancelRequest on a fresh socket, as pg_cancel_backend would, without needing a
 * pool connection). The statement fails with SQLSTATE 57014 and the connection stays usable.
 */
function cancelBackend(client: PgClientLike): void {
  if (!client.processID || !client.host) return;
  // pg's protocol Connection has cancel() and connect(); its type declarations omit them.
  const con = new pg.Connection() as unknown as import("node:events").EventEmitter & {
    cancel(processID: number, secretKey: unknown): void;
    connect(port: number, host: string): void;
  };
  con.on("error", () => undefined);
  con.on("connect", () => {
    con.cancel(client.processID!, client.secretKey);
  });
  con.connect(client.port ?? 5432, client.host);
}

const QUERY_CANCELED = "57014";

/** A refusal for a statement stopped by its time budget or by its client leaving. */
function stoppedError(err: unknown, scope: RequestScope | undefined): unknown {
  if (scope?.signal.aborted) return scope.signal.reason;
  const code = (err as { code?: string } | null)?.code;
  if (code === QUERY_CANCELED) return timeoutError(scope?.statementTimeoutMs ?? 0);
  return err;
}

export class Db implements Sql {
  private readonly base: Sql;
  constructor(
    readonly ds: DataSource,
    readonly kind: DbKind,
    /** Waiting for a connection: as many holders as the pool has connections, a bounded queue behind. */
    readonly queue: BoundedQueue,
    /** The request this handle runs for (undefined: internal work — seed, migrations, jobs). */
    readonly scope?: RequestScope,
  ) {
    this.base = sqlOf((sql, params) => this.statement(sql, params));
  }

  /** The same database, for one request: its statements are bounded and cancelled with it. */
  scoped(scope: RequestScope): Db {
    return new Db(this.ds, this.kind, this.queue, scope);
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
  async tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.withRunner(async (qr, client) => {
      await qr.startTransaction();
      try {
        const t = sqlOf((sql, params) => this.run(qr, client, sql, params)) as Tx;
        t.manager = qr.manager;
        const result = await fn(t);
        await qr.commitTransaction();
        return result;
      } catch (err) {
        if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    });
  }

  close() {
    return this.ds.destroy();
  }

  private statement(sql: string, params?: unknown[]) {
    return this.withRunner((qr, client) => this.run(qr, client, sql, params));
  }

  /** Holds one connection (a slot of the bounded queue) for `fn`, with the scope's statement_timeout. */
  private async withRunner<T>(fn: (qr: QueryRunner, client: PgClientLike | undefined) => Promise<T>): Promise<T> {
    const scope = this.scope;
    scope?.throwIfAborted();
    const release = await this.queue.acquire({ signal: scope?.signal, shed: scope?.shed ?? false });
    const qr = this.ds.createQueryRunner();
    try {
      scope?.throwIfAborted();
      const client = this.kind === "postgres" ? ((await qr.connect()) as PgClientLike) : undefined;
      if (client) {
        // Session-level, set on the connection outside any transaction and only when it changes:
        // ordinary requests share one budget, so this costs a round trip rarely.
        const ms = scope?.statementTimeoutMs ?? 0;
        if (client.zjhStatementTimeoutMs !== ms) {
          await client.query(`SELECT set_config('statement_timeout', $1, false)`, [String(ms)]);
          client.zjhStatementTimeoutMs = ms;
        }
      }
      return await fn(qr, client);
    } catch (err) {
      throw stoppedError(err, scope);
    } finally {
      await qr.release();
      release();
    }
  }

  private run(qr: QueryRunner, client: PgClientLike | undefined, sql: string, params?: unknown[]) {
    const go = () => qr.query(sql, params, true) as Promise<{ records: unknown[]; affected?: number }>;
    if (!this.scope) return go();
    // PGlite runs a statement to its end on this thread (nothing can interrupt it, and its
    // statement_timeout has no effect): the scope stops it between statements.
    return this.scope.track(() => client && cancelBackend(client), go);
  }
}

export interface DbOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** PGlite only: keep the database in memory (tests). */
  inMemory?: boolean;
  /** PostgreSQL connections (default 20). */
  poolSize?: number;
  /** Callers allowed to wait for a connection before requests are refused (default 200). */
  queueMax?: number;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  let ds: DataSource;
  let kind: DbKind;
  const poolSize = opts.poolSize ?? 20;
  if (opts.databaseUrl) {
    kind = "postgres";
    ds = new DataSource({ type: "postgres", url: opts.databaseUrl, migrations, poolSize, extra: { max: poolSize } });
  } else {
    kind = "pglite";
    if (!opts.inMemory && opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true });
    const driver = createPGliteDriver(opts.inMemory ? undefined : opts.dataDir);
    ds = new DataSource({ type: "postgres", driver, migrations } as ConstructorParameters<typeof DataSource>[0]);
  }
  await ds.initialize();
  await ds.runMigrations({ transaction: "each" });
  // PGlite is one session: one holder at a time, as its driver's mutex enforces.
  const queue = new BoundedQueue("database", kind === "postgres" ? poolSize : 1, opts.queueMax ?? 200);
  const db = new Db(ds, kind, queue);
  // The per-unit aggregates count with the rule set's targets, whatever they were counted with before.
  await syncUnitStatsThresholds(db);
  return db;
}
