import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

const ME = `{ me { actingRole { id role } roles { id role } } }`;
const SWITCH = `mutation($a: ID!) { switchRole(assignmentId: $a) { actingRole { role } } }`;

describeEachDb("the acting role remembered per account", (variant) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(variant);
  });
  afterAll(() => server?.stop());

  const actingAtLogin = async (account: string) => (await (await loginAs(server.url, account)).gql(ME)).me;

  it("starts the first session in the least privileged role, and later ones in the role chosen last", async () => {
    const first = await actingAtLogin("ra_school_admin");
    expect(first.actingRole.role).toBe("TEACHER");
    const admin = first.roles.find((r: { role: string }) => r.role === "SCHOOL_ADMIN");
    const teacher = first.roles.find((r: { role: string }) => r.role === "TEACHER");

    const c = await loginAs(server.url, "ra_school_admin");
    expect((await c.gql(SWITCH, { a: admin.id })).switchRole.actingRole.role).toBe("SCHOOL_ADMIN");
    expect((await actingAtLogin("ra_school_admin")).actingRole.role).toBe("SCHOOL_ADMIN");

    // Acting in another role by header (a second tab) is not a choice to remember.
    const tab = Object.assign(new Client(server.url), { token: c.token, actingRole: teacher.id });
    expect((await tab.gql(ME)).me.actingRole.role).toBe("TEACHER");
    expect((await actingAtLogin("ra_school_admin")).actingRole.role).toBe("SCHOOL_ADMIN");

    await c.gql(SWITCH, { a: teacher.id });
    expect((await actingAtLogin("ra_school_admin")).actingRole.role).toBe("TEACHER");
    // Another account is untouched.
    expect((await actingAtLogin("ra_teacher1")).actingRole.role).toBe("TEACHER");
  });

  it("falls back to the least privileged role when the remembered one was revoked", async () => {
    const c = await loginAs(server.url, "ra_school_admin");
    const admin = (await c.gql(ME)).me.roles.find((r: { role: string }) => r.role === "SCHOOL_ADMIN");
    await c.gql(SWITCH, { a: admin.id });
    await server.db.exec(`DELETE FROM role_assignment WHERE id = $1`, [admin.id]);
    const me = await actingAtLogin("ra_school_admin");
    expect(me.actingRole.role).toBe("TEACHER");
    expect(me.roles.map((r: { role: string }) => r.role)).toEqual(["TEACHER"]);
  });
});
