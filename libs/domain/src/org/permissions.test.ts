import { describe, expect, it } from "vitest";
import { Permission, PERMISSIONS, PERMISSION_ROLES, permissionsOf, roleHas, rolesWith } from "./permissions.js";
import { ROLES } from "./roles.js";

describe("the permission table", () => {
  it("names every permission once, by its own value", () => {
    expect(new Set(PERMISSIONS).size).toBe(PERMISSIONS.length);
    expect(Object.keys(PERMISSION_ROLES).sort()).toEqual([...PERMISSIONS].sort());
    for (const value of Object.values(Permission)) expect(value).toMatch(/^[A-Z_]+$/);
  });

  it("gives every permission at least one role, and only known roles", () => {
    for (const p of PERMISSIONS) {
      expect(rolesWith(p).length, p).toBeGreaterThan(0);
      for (const r of PERMISSION_ROLES[p]) expect(ROLES).toContain(r);
    }
  });

  it("gives every role at least one permission", () => {
    for (const role of ROLES) expect(permissionsOf(role).length, role).toBeGreaterThan(0);
  });

  it("agrees with itself: permissionsOf, rolesWith and roleHas say the same", () => {
    for (const role of ROLES) {
      for (const p of PERMISSIONS) {
        const holds = roleHas(role, p);
        expect(permissionsOf(role).includes(p), `${role} ${p}`).toBe(holds);
        expect(rolesWith(p).includes(role), `${role} ${p}`).toBe(holds);
      }
    }
  });

  it("lists a role's permissions in table order and a permission's roles in role order", () => {
    for (const role of ROLES) expect(permissionsOf(role)).toEqual(PERMISSIONS.filter((p) => permissionsOf(role).includes(p)));
    for (const p of PERMISSIONS) expect(rolesWith(p)).toEqual(ROLES.filter((r) => rolesWith(p).includes(r)));
  });

  it("refuses an unknown permission name to every role", () => {
    for (const role of ROLES) {
      expect(roleHas(role, "NO_SUCH_PERMISSION")).toBe(false);
      expect(roleHas(role, "toString")).toBe(false);
    }
  });

  it("keeps the values the GraphQL schema reports in Me.permissions", () => {
    expect(Permission.CampaignAdmin).toBe("CAMPAIGN_ADMIN");
    expect(Permission.ActivityStats).toBe("ACTIVITY_STATS");
    expect(PERMISSIONS).toHaveLength(28);
  });

  it("states the concrete rules of the spec", () => {
    expect(rolesWith(Permission.CampaignAdmin)).toEqual(["PROVINCE_ADMIN"]);
    expect(rolesWith(Permission.FinalizationManage)).toEqual(["PROVINCE_ADMIN"]);
    expect(rolesWith(Permission.ExpertScore)).toEqual(["EXPERT"]);
    expect(rolesWith(Permission.CampaignSchedule)).toEqual(["CITY_REVIEWER"]);
    expect(rolesWith(Permission.QuotaAllocate)).toEqual(["CITY_REVIEWER"]);
    expect(rolesWith(Permission.ActivityStats)).toEqual(["SCHOOL_ADMIN", "COUNTY_REVIEWER", "CITY_REVIEWER", "PROVINCE_ADMIN"]);
    expect(rolesWith(Permission.ApplicationApply)).not.toContain("PROVINCE_ADMIN");
    expect(rolesWith(Permission.ActivityOwn)).toEqual([...ROLES]);
    expect(rolesWith(Permission.ResultsExport)).toEqual([...ROLES]);
    // An expert only scores, reads its own activity and the public side of campaigns.
    expect(permissionsOf("EXPERT")).toEqual([Permission.OrgRead, Permission.ActivityOwn, Permission.CampaignRead, Permission.ExpertScore, Permission.ResultsExport]);
    expect(roleHas("TEACHER", Permission.UserRead)).toBe(false);
    expect(roleHas("TEACHER", Permission.ApplicationApply)).toBe(true);
  });
});
