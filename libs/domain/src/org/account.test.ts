import { describe, expect, it } from "vitest";
import { adminPasswordViolations } from "./account.js";

describe("adminPasswordViolations", () => {
  const rule = (p: string, account = "zj_admin") => adminPasswordViolations(p, account)[0]?.rule;

  it("accepts a long password with three character classes", () => {
    expect(adminPasswordViolations("Lanting-Xu-2026", "zj_admin")).toEqual([]);
    expect(adminPasswordViolations("qiantang river 7 Bridges", "zj_admin")).toEqual([]);
  });

  it("refuses short, single-class, account-containing and demo passwords, naming the field", () => {
    expect(rule("Ab1!ab1!ab1")).toBe("length");
    expect(rule("x".repeat(129) + "A1")).toBe("length");
    expect(rule("abcdefghijkl1")).toBe("complexity");
    expect(rule("Zj_Admin-2026x")).toBe("contains-account");
    expect(rule("Demo@2023Demo@2023")).toBe("public");
    expect(adminPasswordViolations("short", "a", "ADMIN_PASSWORD")[0]!.field).toBe("ADMIN_PASSWORD");
  });
});
