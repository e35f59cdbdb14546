import { describe, expect, it } from "vitest";
import { isHttpUrl, isMobile, isOfficePhone } from "./rules.js";

describe("mobile numbers", () => {
  it.each(["13800138000", "19912345678", "15057700000", "16612345678"])("accepts %s", (s) => expect(isMobile(s)).toBe(true));
  it.each([
    ["too short", "1380013800"],
    ["too long", "138001380001"],
    ["second digit 2", "12800138000"],
    ["second digit 0", "10800138000"],
    ["country code", "+8613800138000"],
    ["spaces", "138 0013 8000"],
    ["full-width digits", "１３８００１３８０００"],
    ["letters", "1380013800a"],
  ])("refuses %s (%s)", (_n, s) => expect(isMobile(s)).toBe(false));
});

describe("office phones", () => {
  it.each(["0571-88905096", "010-62345678", "0577-6581234", "0571-88905096-801", "020-3456789"])("accepts %s", (s) => expect(isOfficePhone(s)).toBe(true));
  it.each([
    ["no area code", "88905096"],
    ["no hyphen", "057188905096"],
    ["area code without 0", "571-88905096"],
    ["five-digit area code", "05711-8890509"],
    ["six-digit number", "0571-889050"],
    ["nine-digit number", "0571-889050961"],
    ["number starting with 0", "0571-08905096"],
    ["number starting with 1", "010-12345678"],
    ["mobile number", "13800138000"],
    ["parentheses", "(0571)88905096"],
    ["extension too long", "0571-88905096-1234567"],
  ])("refuses %s (%s)", (_n, s) => expect(isOfficePhone(s)).toBe(false));
});

describe("URLs", () => {
  it.each([
    ["https://yun.zjer.cn/index.php?r=space/person/index&sid=123", []],
    ["http://yun.zjer.cn/space/abc", ["zjer.cn"]],
    ["https://zjer.cn/", ["zjer.cn"]],
    ["https://www.example.com/news/1", []],
  ] as [string, string[]][])("accepts %s within %j", (s, hosts) => expect(isHttpUrl(s, hosts)).toBe(true));
  it.each([
    ["not a URL", "yun.zjer.cn/space", []],
    ["ftp", "ftp://yun.zjer.cn/x", []],
    ["javascript", "javascript:alert(1)", []],
    ["embedded credentials", "https://a:b@yun.zjer.cn/", []],
    ["spaces", "https://yun.zjer.cn/a b", []],
    ["another host", "https://example.com/", ["zjer.cn"]],
    ["a look-alike host", "https://evilzjer.cn/", ["zjer.cn"]],
    ["the host only as a path", "https://example.com/zjer.cn", ["zjer.cn"]],
  ] as [string, string, string[]][])("refuses %s", (_n, s, hosts) => expect(isHttpUrl(s, hosts)).toBe(false));
});
