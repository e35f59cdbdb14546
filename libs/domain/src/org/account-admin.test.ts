import { describe, expect, it } from "vitest";
import { accountChangeMessage, accountChangeRefusal, assertMayChangeAccount, outranksHeldRole, type AccountActor, type HeldRole } from "./account-admin.js";
import { ROLES, ROLE_UNIT_KINDS, type Role, type UnitKind } from "./roles.js";

/**
 * A small tree: a province, two cities, two counties in the first city and one in the second,
 * two schools in the first county, one in each other county.
 */
const TREE: { path: string; kind: UnitKind }[] = [
  { path: "/1/", kind: "PROVINCE" },
  { path: "/1/2/", kind: "CITY" },
  { path: "/1/5/", kind: "CITY" },
  { path: "/1/2/3/", kind: "COUNTY" },
  { path: "/1/2/8/", kind: "COUNTY" },
  { path: "/1/5/6/", kind: "COUNTY" },
  { path: "/1/2/3/4/", kind: "SCHOOL" },
  { path: "/1/2/3/10/", kind: "SCHOOL" },
  { path: "/1/2/8/9/", kind: "SCHOOL" },
  { path: "/1/5/6/7/", kind: "SCHOOL" },
];

/** Where each actor acts: the first unit of its role's kind on the "/1/2/3/4/" line. */
const ACTOR_UNIT: Record<Role, string> = {
  TEACHER: "/1/2/3/4/",
  SCHOOL_ADMIN: "/1/2/3/4/",
  COUNTY_REVIEWER: "/1/2/3/",
  CITY_REVIEWER: "/1/2/",
  PROVINCE_ADMIN: "/1/",
  EXPERT: "/1/",
};

type Place = "same" | "subtree" | "other" | "above";
function placeOf(unitPath: string, actorPath: string): Place {
  if (unitPath === actorPath) return "same";
  if (unitPath.startsWith(actorPath)) return "subtree";
  if (actorPath.startsWith(unitPath)) return "above";
  return "other";
}

/**
 * The rule written out as data (the specification, not derived from the code): which role, held
 * where relative to the actor's unit, each actor may change. Everything else is refused.
 */
const ALLOWED: Record<Role, [Role, Place][]> = {
  TEACHER: [],
  EXPERT: [],
  SCHOOL_ADMIN: [["TEACHER", "same"]],
  COUNTY_REVIEWER: [["TEACHER", "subtree"], ["SCHOOL_ADMIN", "subtree"]],
  CITY_REVIEWER: [["TEACHER", "subtree"], ["SCHOOL_ADMIN", "subtree"], ["COUNTY_REVIEWER", "subtree"]],
  PROVINCE_ADMIN: [["TEACHER", "subtree"], ["SCHOOL_ADMIN", "subtree"], ["COUNTY_REVIEWER", "subtree"], ["CITY_REVIEWER", "subtree"], ["EXPERT", "same"]],
};

/** Every (actor role, held role, unit of a kind that role is held at) combination of the tree. */
const CASES = ROLES.flatMap((actorRole) =>
  ROLES.flatMap((heldRole) =>
    TREE.filter((u) => ROLE_UNIT_KINDS[heldRole].includes(u.kind)).map((u) => {
      const place = placeOf(u.path, ACTOR_UNIT[actorRole]);
      const allowed = ALLOWED[actorRole].some(([r, p]) => r === heldRole && p === place);
      return { actorRole, heldRole, unitPath: u.path, place, allowed };
    }),
  ),
);

describe("accountChangeRefusal: one held role, every actor, role and place", () => {
  it("covers every place for the county and city actors", () => {
    for (const actorRole of ["COUNTY_REVIEWER", "CITY_REVIEWER"] as Role[]) {
      expect(new Set(CASES.filter((c) => c.actorRole === actorRole).map((c) => c.place))).toEqual(new Set(["same", "subtree", "other", "above"]));
    }
  });

  it.each(CASES)("$actorRole changing an account holding $heldRole at $unitPath ($place): allowed=$allowed", ({ actorRole, heldRole, unitPath, allowed }) => {
    const actor: AccountActor = { role: actorRole, unitPath: ACTOR_UNIT[actorRole] };
    // The home unit is always inside the actor's scope: only the held role decides.
    const refusal = accountChangeRefusal(actor, { homeUnitPath: ACTOR_UNIT[actorRole], roles: [{ role: heldRole, unitPath }], isSelf: false });
    if (allowed) expect(refusal).toBeNull();
    else expect(refusal?.rule).toBe(actorRole === "TEACHER" || actorRole === "EXPERT" ? "notAdmin" : "notAbove");
    if (actorRole !== "TEACHER" && actorRole !== "EXPERT") expect(outranksHeldRole(actor, { role: heldRole, unitPath })).toBe(allowed);
  });
});

describe("accountChangeRefusal: accounts with several roles and the other rules", () => {
  const county: AccountActor = { role: "COUNTY_REVIEWER", unitPath: "/1/2/3/" };
  const province: AccountActor = { role: "PROVINCE_ADMIN", unitPath: "/1/" };
  const teacherHere: HeldRole = { role: "TEACHER", unitPath: "/1/2/3/4/" };
  const expert: HeldRole = { role: "EXPERT", unitPath: "/1/", unitName: "浙江省" };

  it("refuses when any one role is not outranked, whichever comes first", () => {
    // The probe's case: an expert working at a school of the county.
    const target = { homeUnitPath: "/1/2/3/4/", roles: [teacherHere, expert], isSelf: false };
    expect(accountChangeRefusal(county, target)).toEqual({ rule: "notAbove", held: expert });
    expect(accountChangeRefusal(county, { ...target, roles: [expert, teacherHere] })).toEqual({ rule: "notAbove", held: expert });
    expect(accountChangeRefusal(province, target)).toBeNull();
  });

  it("refuses a school admin elsewhere even when the account also teaches in scope", () => {
    const target = { homeUnitPath: "/1/2/3/4/", roles: [teacherHere, { role: "SCHOOL_ADMIN" as Role, unitPath: "/1/5/6/7/" }], isSelf: false };
    expect(accountChangeRefusal(county, target)?.rule).toBe("notAbove");
    expect(accountChangeRefusal({ role: "CITY_REVIEWER", unitPath: "/1/2/" }, target)?.rule).toBe("notAbove");
    expect(accountChangeRefusal(province, target)).toBeNull();
  });

  it("allows an account that holds no role inside the scope, refuses one whose home is outside", () => {
    expect(accountChangeRefusal(county, { homeUnitPath: "/1/2/3/10/", roles: [], isSelf: false })).toBeNull();
    expect(accountChangeRefusal(county, { homeUnitPath: "/1/2/8/9/", roles: [], isSelf: false })).toEqual({ rule: "outOfScope" });
    // A unit whose path merely starts with the same digits is not below.
    expect(accountChangeRefusal(county, { homeUnitPath: "/1/2/30/", roles: [], isSelf: false })).toEqual({ rule: "outOfScope" });
  });

  it("refuses one's own account, even for the province", () => {
    expect(accountChangeRefusal(province, { homeUnitPath: "/1/", roles: [{ role: "PROVINCE_ADMIN", unitPath: "/1/" }], isSelf: true })).toEqual({ rule: "self" });
    expect(accountChangeRefusal(province, { homeUnitPath: "/1/", roles: [], isSelf: true })).toEqual({ rule: "self" });
  });

  it("refuses another province admin", () => {
    expect(accountChangeRefusal(province, { homeUnitPath: "/1/", roles: [{ role: "PROVINCE_ADMIN", unitPath: "/1/" }], isSelf: false })?.rule).toBe("notAbove");
  });

  it("throws NOT_FOUND outside the scope and FORBIDDEN naming the rule otherwise", () => {
    expect(() => assertMayChangeAccount(county, { homeUnitPath: "/1/5/", roles: [], isSelf: false })).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    expect(() => assertMayChangeAccount(county, { homeUnitPath: "/1/2/3/4/", roles: [expert], isSelf: false })).toThrow(
      expect.objectContaining({ code: "FORBIDDEN", message: expect.stringMatching(/所有角色都低于本人.*在「浙江省」担任「省级评审专家」/) }),
    );
    expect(() => assertMayChangeAccount({ role: "TEACHER", unitPath: "/1/2/3/4/" }, { homeUnitPath: "/1/2/3/4/", roles: [], isSelf: false })).toThrow(
      expect.objectContaining({ code: "FORBIDDEN" }),
    );
    expect(() => assertMayChangeAccount(county, { homeUnitPath: "/1/2/3/4/", roles: [teacherHere], isSelf: false })).not.toThrow();
    expect(accountChangeMessage({ rule: "notAbove", held: { role: "CITY_REVIEWER", unitPath: "/1/2/" } })).toMatch(/担任「设区市审核员」/);
  });
});
