import { describe, expect, it } from "vitest";
import { checkConsent, CONSENT_TEXTS, consentCheckboxLabel, CURRENT_CONSENT_VERSION, currentConsent } from "./consent.js";

describe("参赛须知 consent", () => {
  it("the current version exists and carries the notice's wording", () => {
    const c = currentConsent();
    expect(c.version).toBe(CURRENT_CONSENT_VERSION);
    expect(CONSENT_TEXTS[CURRENT_CONSENT_VERSION]).toBe(c);
    expect(c.text).toContain("同意所上传资源内容免费向全省师生开放");
    expect(c.text).toContain("不得有版权争议");
    expect(c.items).toHaveLength(2);
    expect(c.text.split("\n")).toEqual(c.items.map((s, i) => `${i + 1}. ${s}`));
    expect(consentCheckboxLabel()).toMatch(/^我已阅读并同意：以上《参赛须知》/);
  });

  it("accepting the current version returns the text to record", () => {
    expect(checkConsent(CURRENT_CONSENT_VERSION)).toEqual(currentConsent());
    expect(checkConsent(` ${CURRENT_CONSENT_VERSION} `).version).toBe(CURRENT_CONSENT_VERSION);
  });

  it.each([null, undefined, "", "   "])("no version (%j) is CONSENT_REQUIRED, naming the field", (v) => {
    expect(() => checkConsent(v)).toThrow(expect.objectContaining({ code: "CONSENT_REQUIRED", field: "consentVersion" }));
    expect(() => checkConsent(v)).toThrow(/consentVersion/);
  });

  it("another version is CONSENT_OUTDATED with the current one in the details", () => {
    expect(() => checkConsent("2022-01")).toThrow(
      expect.objectContaining({ code: "CONSENT_OUTDATED", field: "consentVersion", details: { currentVersion: CURRENT_CONSENT_VERSION } }),
    );
  });

  it("the texts cannot be edited in place", () => {
    expect(Object.isFrozen(CONSENT_TEXTS)).toBe(true);
    expect(Object.isFrozen(currentConsent())).toBe(true);
  });
});
