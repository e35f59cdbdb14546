import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";
import { csvOf, importTeachers } from "../api/import-helpers.js";

/**
 * H1: an account may be changed (teacher-import edit, password reset, lock, unlock, role grant,
 * role revoke) only by
 * someone who outranks every role the account holds, each at the unit where it is held. The
 * probe's reproduction first, then a table generated over every (actor role, target role, place
 * of the target's role relative to the actor's unit) the demo org tree allows.
 */

const RESET = `mutation($u: ID!, $p: String!) { resetPassword(userId: $u, newPassword: $p) }`;
const LOCK = `mutation($u: ID!, $r: String!) { lockUser(userId: $u, reason: $r) { locked } }`;
const UNLOCK = `mutation($u: ID!) { unlockUser(userId: $u) { locked } }`;
const GRANT = `mutation($u: ID!, $r: Role!, $unit: ID!) { grantRole(userId: $u, role: $r, unitId: $unit) { id } }`;
const REVOKE = `mutation($a: ID!) { revokeRole(assignmentId: $a) }`;
const LOGIN = `mutation($a: String!, $p: String!) { login(account: $a, password: $p) { token } }`;

type Role = "TEACHER" | "SCHOOL_ADMIN" | "COUNTY_REVIEWER" | "CITY_REVIEWER" | "PROVINCE_ADMIN" | "EXPERT";
type Place = "same" | "subtree" | "other" | "above";

/** The demo units used here, each with its ancestors (codes), in the order candidates are tried. */
const UNITS: { code: string; kind: "PROVINCE" | "CITY" | "COUNTY" | "SCHOOL"; ancestors: string[] }[] = [
  { code: "330000", kind: "PROVINCE", ancestors: [] },
  { code: "330300", kind: "CITY", ancestors: ["330000"] },
  { code: "330100", kind: "CITY", ancestors: ["330000"] },
  { code: "330381", kind: "COUNTY", ancestors: ["330300", "330000"] },
  { code: "330302", kind: "COUNTY", ancestors: ["330300", "330000"] },
  { code: "330106", kind: "COUNTY", ancestors: ["330100", "330000"] },
  { code: "3303810001", kind: "SCHOOL", ancestors: ["330381", "330300", "330000"] },
  { code: "3303810003", kind: "SCHOOL", ancestors: ["330381", "330300", "330000"] },
  { code: "3303020001", kind: "SCHOOL", ancestors: ["330302", "330300", "330000"] },
  { code: "3301060001", kind: "SCHOOL", ancestors: ["330106", "330100", "330000"] },
];
const SCHOOL_NAMES: Record<string, string> = { "3303810001": "瑞安市实验中学", "3303810003": "瑞安市塘下中学" };
const ADMINS: Role[] = ["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"];
const KIND_OF_ROLE: Record<Role, string> = {
  TEACHER: "SCHOOL", SCHOOL_ADMIN: "SCHOOL", COUNTY_REVIEWER: "COUNTY", CITY_REVIEWER: "CITY", PROVINCE_ADMIN: "PROVINCE", EXPERT: "PROVINCE",
};

interface Actor {
  account: string;
  role: Role;
  unit: string;
  /** A school in the actor's scope: the home of every target account made for this actor. */
  home: string;
  /** A role the actor may grant, and where (never the cell's own role and unit). */
  grant: [Role, string];
}
const ACTORS: Actor[] = [
  { account: "ra_teacher1", role: "TEACHER", unit: "3303810001", home: "3303810001", grant: ["TEACHER", "3303810001"] },
  { account: "expert_hz", role: "EXPERT", unit: "330000", home: "3303810003", grant: ["SCHOOL_ADMIN", "3303810003"] },
  { account: "ra_school_admin", role: "SCHOOL_ADMIN", unit: "3303810001", home: "3303810001", grant: ["TEACHER", "3303810001"] },
  { account: "ra_county", role: "COUNTY_REVIEWER", unit: "330381", home: "3303810003", grant: ["SCHOOL_ADMIN", "3303810003"] },
  { account: "wz_city", role: "CITY_REVIEWER", unit: "330300", home: "3303810003", grant: ["COUNTY_REVIEWER", "330302"] },
  { account: "prov_admin", role: "PROVINCE_ADMIN", unit: "330000", home: "3303810003", grant: ["CITY_REVIEWER", "330100"] },
];

function placeOf(code: string, actorUnit: string): Place {
  if (code === actorUnit) return "same";
  const u = UNITS.find((x) => x.code === code)!;
  if (u.ancestors.includes(actorUnit)) return "subtree";
  if (UNITS.find((x) => x.code === actorUnit)!.ancestors.includes(code)) return "above";
  return "other";
}

/**
 * The rule as a specification (written out, not computed by the code under test): which role,
 * held where, each actor may change. Every other combination is refused.
 */
const ALLOWED: Record<Role, [Role, Place][]> = {
  TEACHER: [],
  EXPERT: [],
  SCHOOL_ADMIN: [["TEACHER", "same"]],
  COUNTY_REVIEWER: [["TEACHER", "subtree"], ["SCHOOL_ADMIN", "subtree"]],
  CITY_REVIEWER: [["TEACHER", "subtree"], ["SCHOOL_ADMIN", "subtree"], ["COUNTY_REVIEWER", "subtree"]],
  PROVINCE_ADMIN: [["TEACHER", "subtree"], ["SCHOOL_ADMIN", "subtree"], ["COUNTY_REVIEWER", "subtree"], ["CITY_REVIEWER", "subtree"], ["EXPERT", "same"]],
};

const ROLES: Role[] = ["TEACHER", "SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN", "EXPERT"];
const PLACES: Place[] = ["same", "subtree", "other", "above"];

/** Every (actor, target role, place) the tree has a unit for: the first candidate unit in that place. */
const CELLS = ACTORS.flatMap((actor) =>
  ROLES.flatMap((targetRole) =>
    PLACES.flatMap((place) => {
      const unit = UNITS.find((u) => u.kind === KIND_OF_ROLE[targetRole] && placeOf(u.code, actor.unit) === place);
      if (!unit) return [];
      const allowed = ALLOWED[actor.role].some(([r, p]) => r === targetRole && p === place);
      return [{ actor, targetRole, place, unit: unit.code, allowed }];
    }),
  ),
);

describe("the generated table", () => {
  it("has every place for the county and city actors and every target role for each actor", () => {
    for (const role of ["COUNTY_REVIEWER", "CITY_REVIEWER"]) {
      expect(new Set(CELLS.filter((c) => c.actor.role === role).map((c) => c.place))).toEqual(new Set(PLACES));
    }
    for (const a of ACTORS) expect(new Set(CELLS.filter((c) => c.actor === a).map((c) => c.targetRole))).toEqual(new Set(ROLES));
    expect(CELLS.filter((c) => c.allowed).length).toBeGreaterThan(5);
  });
});

describeEachDb("account takeover", (variant) => {
  let server: TestServer;
  const actors = new Map<string, Client>();
  const unitIds = new Map<string, string>();
  let demoHash: string;
  let seq = 0;

  beforeAll(async () => {
    server = await startTestServer(variant);
    for (const a of ACTORS) {
      const c = await loginAs(server.url, a.account);
      actors.set(a.account, a.role === "SCHOOL_ADMIN" ? await c.as("SCHOOL_ADMIN") : c);
    }
    const units = await server.db.rows<{ id: string; code: string }>(`SELECT id::text AS id, code FROM org_unit WHERE code = ANY($1::text[])`, [UNITS.map((u) => u.code)]);
    for (const u of units) unitIds.set(u.code, u.id);
    demoHash = (await server.db.one<{ h: string }>(`SELECT password_hash AS h FROM app_user WHERE account = 'ra_teacher1'`))!.h;
  });
  afterAll(() => server?.stop());

  const idOf = async (account: string) => (await server.db.one<{ id: string }>(`SELECT id::text AS id FROM app_user WHERE account = $1`, [account]))!.id;

  async function makeAccount(home: string, roles: [Role, string][]): Promise<{ id: string; account: string; assignments: string[] }> {
    const account = `tgt_${variant}_${++seq}`;
    const home_ = (await server.db.one<{ id: string; path: string }>(`SELECT id::text AS id, path FROM org_unit WHERE code = $1`, [home]))!;
    const u = (await server.db.one<{ id: string }>(
      `INSERT INTO app_user (account, name, home_unit_id, unit_path, password_hash) VALUES ($1, $1, $2, $3, $4) RETURNING id::text AS id`,
      [account, home_.id, home_.path, demoHash],
    ))!;
    const assignments: string[] = [];
    for (const [role, code] of roles) {
      const r = await server.db.one<{ id: string }>(
        `INSERT INTO role_assignment (user_id, role, unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id::text AS id`,
        [u.id, role, unitIds.get(code)],
      );
      if (r) assignments.push(r.id);
    }
    return { id: u.id, account, assignments };
  }

  async function stateOf(id: string) {
    const u = await server.db.one<{ name: string; phone: string | null; password_hash: string; locked: boolean }>(
      `SELECT name, phone, password_hash, locked FROM app_user WHERE id = $1`,
      [id],
    );
    const roles = await server.db.rows<{ role: string; code: string }>(
      `SELECT r.role, o.code FROM role_assignment r JOIN org_unit o ON o.id = r.unit_id WHERE r.user_id = $1 ORDER BY r.role, o.code`,
      [id],
    );
    return { ...u, roles: roles.map((r) => `${r.role}@${r.code}`) };
  }

  describe("the probe's reproduction", () => {
    it("lc_county cannot reset, lock or unlock expert_wz (whose home school is in 鹿城区), nor log in as them", async () => {
      const lc = await loginAs(server.url, "lc_county");
      const expertWz = await idOf("expert_wz");
      // The expert is visible to the county (home school in scope), but not the county's to change.
      const r = await lc.raw(RESET, { u: expertWz, p: "Takeover2024" });
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" }, message: expect.stringMatching(/在「浙江省」担任「省级评审专家」/) });
      expect(await lc.errorCode(LOCK, { u: expertWz, r: "调离" })).toBe("FORBIDDEN");
      expect(await lc.errorCode(UNLOCK, { u: expertWz })).toBe("FORBIDDEN");
      expect(await new Client(server.url).errorCode(LOGIN, { a: "expert_wz", p: "Takeover2024" })).toBe("BAD_CREDENTIALS");
      await loginAs(server.url, "expert_wz");
      // Nor may the city above the county: an expert is touched only by the province.
      const wz = await loginAs(server.url, "wz_city");
      expect(await wz.errorCode(RESET, { u: expertWz, p: "Takeover2024" })).toBe("FORBIDDEN");
      const xh = await loginAs(server.url, "xh_county");
      expect(await xh.errorCode(LOCK, { u: await idOf("expert_hz"), r: "调离" })).toBe("FORBIDDEN");
      const prov = actors.get("prov_admin")!;
      expect(await prov.gql(RESET, { u: expertWz, p: "Province2024" })).toEqual({ resetPassword: true });
      await loginAs(server.url, "expert_wz", "Province2024");
    });

    it("a county cannot take over a city reviewer whose home is in the county, nor grant them a role", async () => {
      const cityReviewer = await makeAccount("3303810003", [["CITY_REVIEWER", "330300"]]);
      const county = actors.get("ra_county")!;
      expect(await county.errorCode(RESET, { u: cityReviewer.id, p: "Takeover2024" })).toBe("FORBIDDEN");
      expect(await county.errorCode(GRANT, { u: cityReviewer.id, r: "SCHOOL_ADMIN", unit: unitIds.get("3303810003") })).toBe("FORBIDDEN");
      expect((await stateOf(cityReviewer.id)).roles).toEqual(["CITY_REVIEWER@330300"]);
    });
  });

  describe("every account-changing mutation, every (actor role, target role, place)", () => {
    it.each(CELLS.map((c) => ({ ...c, name: `${c.actor.role} ${c.actor.account} → ${c.targetRole} at ${c.unit} (${c.place})` })))(
      "$name: allowed=$allowed",
      async ({ actor, targetRole, unit, allowed }) => {
        const client = actors.get(actor.account)!;
        // The target holds the cell's role plus a TEACHER role at its home school, which the actor
        // could manage on its own (and which revokeRole tries to take away).
        const base: [Role, string] = ["TEACHER", actor.home];
        const sameAsBase = targetRole === base[0] && unit === base[1];
        const target = await makeAccount(actor.home, sameAsBase ? [base] : [base, [targetRole, unit]]);
        const before = await stateOf(target.id);

        const outcomes: Record<string, string> = {};
        // A user edit: the teacher import rewriting the account's name and phone (admins only;
        // the upload itself is refused to other roles by permission).
        if (ADMINS.includes(actor.role)) {
          const job = await importTeachers(
            server.url,
            client,
            csvOf([[target.account, "改过的名字", "13900000099", actor.home, SCHOOL_NAMES[actor.home]!, "330381", "语文", "初中"]]),
            { mode: "validOnly" },
          );
          outcomes.teacherImport = job.errors.length
            ? job.errors.map((e) => `${e.field}:${/所有角色都低于本人|自己/.test(e.message) ? "rule" : e.message}`).join(",")
            : job.updated === 1 ? "OK" : `updated ${job.updated}`;
        }
        const run = async (name: string, q: string, vars: Record<string, unknown>) => {
          const r = await client.raw(q, vars);
          outcomes[name] = r.errors?.length ? String(r.errors[0]!.extensions?.code) : "OK";
        };
        await run("resetPassword", RESET, { u: target.id, p: "Reset2024x" });
        await run("grantRole", GRANT, { u: target.id, r: actor.grant[0], unit: unitIds.get(actor.grant[1]) });
        await run("revokeRole", REVOKE, { a: target.assignments[0] });
        await run("lockUser", LOCK, { u: target.id, r: "调离" });
        await run("unlockUser", UNLOCK, { u: target.id });

        const after = await stateOf(target.id);
        if (allowed) {
          // The one granted role the target already held is a conflict, not a refusal.
          const grantHeld = before.roles.includes(`${actor.grant[0]}@${actor.grant[1]}`);
          expect(outcomes).toEqual({
            teacherImport: "OK", resetPassword: "OK", grantRole: grantHeld ? "CONFLICT" : "OK", revokeRole: "OK", lockUser: "OK", unlockUser: "OK",
          });
          expect(after.password_hash).not.toBe(before.password_hash);
          expect([after.name, after.phone]).toEqual(["改过的名字", "13900000099"]);
        } else {
          expect(outcomes).toEqual({
            ...(ADMINS.includes(actor.role) ? { teacherImport: "account:rule" } : {}),
            resetPassword: "FORBIDDEN", grantRole: "FORBIDDEN", revokeRole: "FORBIDDEN", lockUser: "FORBIDDEN", unlockUser: "FORBIDDEN",
          });
          expect(after).toEqual(before);
        }
      },
    );
  });
});
