import { afterAll, beforeAll, expect, it } from "vitest";
import { permissionsOf } from "../../apps/server/src/modules/auth/permissions.js";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

/** `me.permissions`: what the acting role may do, as the server's permission table says, for menus. */
describeEachDb("me.permissions", (variant) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(variant);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("gives the acting role's permissions from the server's table, and follows a role switch", async () => {
    const province = await loginAs(server.url, "prov_admin");
    const p = (await province.gql(`{ me { actingRole { role } permissions } }`)).me;
    expect(p.actingRole.role).toBe("PROVINCE_ADMIN");
    expect(p.permissions).toEqual(permissionsOf("PROVINCE_ADMIN"));
    expect(p.permissions).toContain("CAMPAIGN_ADMIN");

    const both = await loginAs(server.url, "ra_school_admin");
    const t = (await both.gql(`{ me { actingRole { role } permissions } }`)).me;
    expect(t.actingRole.role).toBe("TEACHER");
    expect(t.permissions).toEqual(permissionsOf("TEACHER"));
    expect(t.permissions).not.toContain("CAMPAIGN_ADMIN");
    await both.as("SCHOOL_ADMIN");
    const s = (await both.gql(`{ me { actingRole { role } permissions } }`)).me;
    expect(s.actingRole.role).toBe("SCHOOL_ADMIN");
    expect(s.permissions).toEqual(permissionsOf("SCHOOL_ADMIN"));
  });

  it("tells an outsider nothing: without a session `me` is null", async () => {
    const anonymous = new Client(server.url);
    expect((await anonymous.gql(`{ me { permissions } }`)).me).toBeNull();
  });
});
