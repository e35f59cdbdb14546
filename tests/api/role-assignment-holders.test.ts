import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../apps/server/src/db/data-source.js";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

const LIST = `query($unitId: ID, $offset: Int!, $limit: Int!) {
  roleAssignments(unitId: $unitId, offset: $offset, limit: $limit) { total items { id role userId holder { id account name locked } } }
}`;

interface Row {
  id: string;
  role: string;
  userId: string;
  holder: { id: string; account: string; name: string; locked: boolean };
}

/**
 * Counts the statements the server sends to the database while `fn` runs (same process). Every
 * request runs on its own scoped handle of the database, so the count is taken where every
 * handle sends its statements: the class's private `run`.
 */
async function statements(db: Db, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const proto = Object.getPrototypeOf(db) as Record<"run", (...args: unknown[]) => Promise<unknown>>;
  const original = proto.run;
  proto.run = function (this: unknown, qr: unknown, client: unknown, sql: unknown, params: unknown) {
    seen.push(String(sql));
    return original.call(this, qr, client, sql, params);
  };
  try {
    await fn();
  } finally {
    proto.run = original;
  }
  return seen;
}

describeEachDb("role assignments name their holders", (variant) => {
  let server: TestServer;
  let admin: Client, schoolAdmin: Client, county: Client, teacher: Client;
  let outsiderId: string;

  beforeAll(async () => {
    server = await startTestServer(variant);
    [admin, schoolAdmin, county, teacher] = await Promise.all(["prov_admin", "ra_school_admin", "ra_county", "ra_teacher1"].map((a) => loginAs(server.url, a)));
    await schoolAdmin.as("SCHOOL_ADMIN");
    // A Hangzhou teacher made an administrator of a Rui'an school: the assignment lies in Rui'an's
    // scope, the holder's account does not.
    const school = await server.db.one<{ id: string }>(`SELECT id FROM org_unit WHERE code = '3303810001'`);
    outsiderId = (await admin.gql(`{ users(search: "hz_teacher1", offset: 0, limit: 1) { items { id } } }`)).users.items[0].id;
    await admin.gql(`mutation($u: ID!, $unit: ID!) { grantRole(userId: $u, role: SCHOOL_ADMIN, unitId: $unit) { id } }`, { u: outsiderId, unit: school!.id });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("gives each listed assignment its holder's account, name and lock state in the same request", async () => {
    const rows: Row[] = (await schoolAdmin.gql(LIST, { offset: 0, limit: 50 })).roleAssignments.items;
    const byAccount = new Map(rows.map((r) => [r.holder.account, r.holder]));
    expect(byAccount.get("ra_school_admin")).toMatchObject({ name: "林晓东", locked: false });
    expect(byAccount.get("ra_teacher1")).toMatchObject({ name: "陈晓明", locked: false });
    expect(byAccount.get("ra_teacher_retired")).toMatchObject({ name: "周德明", locked: true });
    for (const r of rows) expect(r.holder.id).toBe(r.userId);
  });

  it("names a holder whose account is outside the acting scope by identity only; the account itself stays NOT_FOUND", async () => {
    for (const c of [schoolAdmin, county]) {
      const rows: Row[] = (await c.gql(LIST, { offset: 0, limit: 100 })).roleAssignments.items;
      const theirs = rows.find((r) => r.userId === outsiderId);
      expect(theirs).toMatchObject({ role: "SCHOOL_ADMIN", holder: { id: outsiderId, account: expect.any(String), name: "刘雨桐" } });
      expect(rows.every((r) => r.holder.id === r.userId)).toBe(true);
      expect(await c.errorCode(`query($id: ID!) { user(id: $id) { name } }`, { id: outsiderId })).toBe("NOT_FOUND");
    }
    // A role assignment leads to no user (no phone, no roles): the field is gone from the schema.
    expect(await schoolAdmin.errorCode(`{ roleAssignments(offset: 0, limit: 1) { items { user { id } } } }`)).toBe("GRAPHQL_VALIDATION_FAILED");
    // The province's scope holds the account: its roles name it.
    const all: Row[] = (await admin.gql(`query($u: ID!) { user(id: $u) { roles { id role userId holder { id account name locked } } } }`, { u: outsiderId })).user.roles;
    expect(all.map((r) => r.holder.name)).toEqual(["刘雨桐", "刘雨桐"]);
  });

  it("names the caller in their own roles", async () => {
    const me = (await teacher.gql(`{ me { roles { holder { account name } } actingRole { holder { account } } } }`)).me;
    expect(me.roles.map((r: Row) => r.holder.account)).toEqual(["ra_teacher1"]);
    expect(me.actingRole.holder.account).toBe("ra_teacher1");
  });

  it("loads the holders of a page with one statement, however many rows it has", async () => {
    const lookups = (sqls: string[]) => sqls.filter((s) => /FROM app_user\s+WHERE id = ANY/.test(s));
    const few = await statements(server.db, async () => expect((await admin.gql(LIST, { offset: 0, limit: 2 })).roleAssignments.items).toHaveLength(2));
    const many = await statements(server.db, async () => {
      const items: Row[] = (await admin.gql(LIST, { offset: 0, limit: 20 })).roleAssignments.items;
      expect(items).toHaveLength(20);
      expect(new Set(items.map((i) => i.userId)).size).toBeGreaterThan(10);
      expect(items.every((i) => i.holder.name)).toBe(true);
    });
    expect(lookups(few)).toHaveLength(1);
    expect(lookups(many)).toHaveLength(1);
    const users = (sqls: string[]) => sqls.filter((s) => s.includes("app_user")).length;
    expect(users(many)).toBe(users(few));
  });
});
