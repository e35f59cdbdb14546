import { EventEmitter } from "node:events";
import { PGlite, types } from "@electric-sql/pglite";

/**
 * A `pg`-compatible driver for TypeORM on top of one embedded PGlite instance.
 *
 * PGlite is a single database session: two transactions issued concurrently would interleave in
 * that one session (one's ROLLBACK would undo the other's work). So the pool behaves like a
 * `pg.Pool` with `max: 1`: a client is exclusive from `connect()` until `release()`. A TypeORM
 * transaction holds its client for its whole duration, so transactions serialize, exactly like a
 * one-connection pool on a server. Code inside a transaction must use the transaction's manager.
 */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

function commandOf(sql: string): string {
  const m = /^\s*(?:--[^\n]*\n\s*)*(\w+)/.exec(sql);
  return m ? m[1]!.toUpperCase() : "";
}

interface PgLikeResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

function toPgResult(sql: string, r: { rows: unknown[]; affectedRows?: number; fields: { name: string; dataTypeID: number }[] }): PgLikeResult {
  const command = commandOf(sql);
  const rowCount = command === "SELECT" ? r.rows.length : (r.affectedRows ?? r.rows.length);
  return { rows: r.rows, rowCount, command, fields: r.fields };
}

class PGliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }
  async query(sql: string, params?: unknown[] | ((err: unknown, res?: unknown) => void), cb?: (err: unknown, res?: unknown) => void): Promise<PgLikeResult> {
    if (typeof params === "function") {
      cb = params;
      params = undefined;
    }
    try {
      let result: PgLikeResult;
      if (params && params.length > 0) {
        result = toPgResult(sql, await this.db.query(sql, params as unknown[]));
      } else {
        const all = await this.db.exec(sql);
        const last = all[all.length - 1] ?? { rows: [], fields: [] };
        result = toPgResult(sql, last);
      }
      cb?.(null, result);
      return result;
    } catch (err) {
      cb?.(err);
      throw err;
    }
  }
}

export function createPGliteDriver(dataDir: string | undefined) {
  let instance: Promise<PGlite> | null = null;
  const mutex = new Mutex();
  const getDb = () => {
    // int8 stays a string, as node-postgres returns it, so ids behave the same on both databases.
    instance ??= PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: { [types.INT8]: (v: string) => v } });
    return instance;
  };

  class Pool extends EventEmitter {
    constructor(_options: unknown) {
      super();
    }
    connect(callback?: (err: unknown, client?: PGliteClient, release?: (err?: unknown) => void) => void) {
      const p = (async () => {
        const db = await getDb();
        const unlock = await mutex.acquire();
        let released = false;
        const release = () => {
          if (!released) {
            released = true;
            unlock();
          }
        };
        return { client: new PGliteClient(db), release };
      })();
      if (callback) {
        p.then(({ client, release }) => callback(null, client, release), (err) => callback(err));
        return undefined;
      }
      return p.then(({ client, release }) => Object.assign(client, { release }));
    }
    async query(sql: string, params?: unknown[]) {
      const db = await getDb();
      const unlock = await mutex.acquire();
      try {
        return await new PGliteClient(db).query(sql, params);
      } finally {
        unlock();
      }
    }
    end(cb?: (err?: unknown) => void) {
      const done = instance ? instance.then((db) => db.close()) : Promise.resolve();
      instance = null;
      done.then(() => cb?.(), (err) => cb?.(err));
    }
  }
  return { Pool, types, getDb };
}
