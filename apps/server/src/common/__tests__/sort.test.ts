import { PGlite } from "@electric-sql/pglite";
import { DomainError } from "@zjh/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { afterSql, keyColumns, keyValues, orderBySql, sortFromQuery, sortTerms, type SortTerm } from "../sort.js";

/** Keyset paging over a real database: walking pages of 2 gives exactly the full ORDER BY. */
describe("sort terms and keyset paging", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = new PGlite();
    await db.exec(`CREATE TABLE t (id int PRIMARY KEY, a int NOT NULL, b text NOT NULL)`);
    // Many ties on a, some on (a, b).
    const rows = Array.from({ length: 23 }, (_, i) => `(${i + 1}, ${(i * 7) % 4}, '${["甲", "乙", "b", "B"][(i * 5) % 4]}')`);
    await db.exec(`INSERT INTO t VALUES ${rows.join(",")}`);
  });
  afterAll(() => db?.close());

  const MAP = { a: ["t.a"], b: [`t.b COLLATE "C"`], ab: ["t.a", `t.b COLLATE "C"`] } as const;

  async function walk(terms: SortTerm[], size: number): Promise<number[]> {
    const out: number[] = [];
    let after: unknown[] | null = null;
    for (;;) {
      const r: { rows: Record<string, unknown>[] } = await db.query(
        `SELECT t.id, ${keyColumns(terms)} FROM t ${after ? `WHERE ${afterSql(terms, 1)}` : ""} ORDER BY ${orderBySql(terms)} LIMIT ${size}`,
        after ?? [],
      );
      out.push(...r.rows.map((x) => Number(x.id)));
      if (r.rows.length < size) return out;
      after = keyValues(terms, r.rows[r.rows.length - 1]!);
    }
  }

  for (const key of ["a", "b", "ab"] as const) {
    for (const desc of [false, true]) {
      for (const tieDesc of [false, true]) {
        it(`pages ${key} ${desc ? "desc" : "asc"} with the id tie-breaker ${tieDesc ? "desc" : "asc"}`, async () => {
          const terms = sortTerms(MAP, key, desc, [{ sql: "t.id", desc: tieDesc }]);
          const full = (await db.query<{ id: number }>(`SELECT id FROM t ORDER BY ${orderBySql(terms)}`)).rows.map((x) => x.id);
          expect(full).toHaveLength(23);
          expect(await walk(terms, 2)).toEqual(full);
          expect(await walk(terms, 5)).toEqual(full);
        });
      }
    }
  }

  it("puts the key's terms in the requested direction before the tie-breakers", () => {
    expect(orderBySql(sortTerms(MAP, "ab", true, [{ sql: "t.id", desc: false }]))).toBe(`t.a DESC, t.b COLLATE "C" DESC, t.id ASC`);
  });

  it("reads an export's sort from its query string, refusing unknown keys and directions by name", () => {
    const keys = ["rank", "name"] as const;
    expect(sortFromQuery({}, keys)).toEqual({});
    expect(sortFromQuery({ sort: "name", desc: "true" }, keys)).toEqual({ sort: "name", desc: true });
    expect(sortFromQuery({ sort: "", desc: "false" }, keys)).toEqual({ desc: false });
    const refusal = (q: Record<string, string>) => {
      try {
        sortFromQuery(q, keys);
      } catch (e) {
        return e instanceof DomainError ? { code: e.code, field: e.field } : e;
      }
      return null;
    };
    expect(refusal({ sort: "points; DROP TABLE t" })).toEqual({ code: "BAD_USER_INPUT", field: "sort" });
    expect(refusal({ sort: "constructor" })).toEqual({ code: "BAD_USER_INPUT", field: "sort" });
    expect(refusal({ desc: "yes" })).toEqual({ code: "BAD_USER_INPUT", field: "desc" });
  });
});
