import { describe, expect, it } from "vitest";
import { LOGIN_THROTTLE, accountThrottleKeys, loginThrottleKeys, loginThrottledMessage } from "./login-throttle.js";

describe("login throttle keys", () => {
  it("counts an attempt against the address, the account at the address, then the account", () => {
    const keys = loginThrottleKeys("ra_teacher1", "10.0.0.1");
    expect(keys.map((k) => k.scope)).toEqual(["address", "accountAtAddress", "account"]);
    expect(new Set(keys.map((k) => k.key)).size).toBe(3);
    expect(keys[1]).toMatchObject(LOGIN_THROTTLE.accountAtAddress);
  });

  it("keys by the account name as typed, existing or not, and never confuses two accounts or addresses", () => {
    const a = loginThrottleKeys("a", "1.2.3.4")[1]!.key;
    expect(loginThrottleKeys("a\",\"1.2.3.4", "x")[1]!.key).not.toBe(a);
    expect(loginThrottleKeys("a", "1.2.3.5")[1]!.key).not.toBe(a);
    expect(loginThrottleKeys("ab", "1.2.3.4")[2]!.key).not.toBe(loginThrottleKeys("a", "1.2.3.4")[2]!.key);
  });

  it("names every key of one account for clearing, and no key of another", () => {
    const { exact, prefix } = accountThrottleKeys("ab");
    expect(loginThrottleKeys("ab", "1.2.3.4")[2]!.key).toBe(exact);
    expect(loginThrottleKeys("ab", "1.2.3.4")[1]!.key.startsWith(prefix)).toBe(true);
    expect(loginThrottleKeys("abc", "1.2.3.4")[1]!.key.startsWith(prefix)).toBe(false);
  });

  it("keeps the per-account limit looser but short, the per-address limits tight", () => {
    expect(LOGIN_THROTTLE.account.max).toBeGreaterThan(LOGIN_THROTTLE.accountAtAddress.max);
    expect(LOGIN_THROTTLE.account.windowSeconds).toBeLessThanOrEqual(5 * 60);
  });

  it("answers in whole minutes, at least one", () => {
    expect(loginThrottledMessage(1)).toBe("登录尝试过于频繁，请1分钟后再试");
    expect(loginThrottledMessage(61)).toBe("登录尝试过于频繁，请2分钟后再试");
  });
});
