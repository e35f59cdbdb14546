import { LOGIN_THROTTLE, loginThrottleKeys } from "../../libs/domain/src/org/login-throttle.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loginAs } from "../support/client.js";
import { describeEachDb, startTestServer, type TestServer } from "../support/server.js";

/**
 * H5 (concurrent guesses got past the lockout) and M4 (the lockout answer told which accounts
 * exist, and let anyone lock a known user out). Each attempt comes from an address of its own
 * choosing (X-Forwarded-For behind a trusted proxy), so the tests can play attacker and user.
 * Nothing here depends on timing: concurrent bursts are judged by their outcomes only.
 */

const LOGIN = `mutation($a: String!, $p: String!) { login(account: $a, password: $p) { token } }`;
const PASSWORD = "Demo@2023";

interface Answer {
  code: string;
  message: string;
}

describeEachDb("login throttle", (variant) => {
  let server: TestServer;

  beforeAll(async () => {
    // The server reads TRUST_PROXY when it starts: the client's address is then X-Forwarded-For.
    process.env.TRUST_PROXY = "loopback";
    server = await startTestServer(variant);
  });
  afterAll(async () => {
    await server?.stop();
    delete process.env.TRUST_PROXY;
  });

  async function attempt(address: string, account: string, password: string): Promise<Answer> {
    const res = await fetch(server.url + "/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": address },
      body: JSON.stringify({ query: LOGIN, variables: { a: account, p: password } }),
    });
    const body = (await res.json()) as { data?: { login?: { token: string } }; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.data?.login?.token) return { code: "OK", message: "" };
    return { code: String(body.errors?.[0]?.extensions?.code), message: body.errors?.[0]?.message ?? "" };
  }

  const tally = (answers: Answer[]) => {
    const t: Record<string, number> = {};
    for (const a of answers) t[a.code] = (t[a.code] ?? 0) + 1;
    return t;
  };

  async function counted(key: string): Promise<{ failures: number; blockedSeconds: number | null }> {
    const r = await server.db.one<{ failures: number; s: number | null }>(
      `SELECT failures, CASE WHEN blocked_until > now() THEN extract(epoch FROM blocked_until - now())::int END AS s FROM login_throttle WHERE key = $1`,
      [key],
    );
    return { failures: r?.failures ?? 0, blockedSeconds: r?.s ?? null };
  }

  it("27 wrong passwords and the right one at once: at most five are checked, at most one logs in, and none after the block", async () => {
    const address = "10.0.1.1";
    const burst = [...Array.from({ length: 27 }, (_, i) => attempt(address, "ra_teacher3", `Wrong${i}x2023`)), attempt(address, "ra_teacher3", PASSWORD)];
    const answers = await Promise.all(burst);
    const t = tally(answers);
    const max = LOGIN_THROTTLE.accountAtAddress.max;
    expect(Object.keys(t).every((c) => ["OK", "BAD_CREDENTIALS", "LOGIN_THROTTLED"].includes(c)), JSON.stringify(t)).toBe(true);
    expect(t.OK ?? 0).toBeLessThanOrEqual(1);
    expect((t.BAD_CREDENTIALS ?? 0) + (t.OK ?? 0)).toBeLessThanOrEqual(max);
    expect(t.LOGIN_THROTTLED ?? 0).toBeGreaterThanOrEqual(28 - max);
    const [, atAddress, account] = loginThrottleKeys("ra_teacher3", address);
    expect((await counted(atAddress!.key)).failures).toBeLessThanOrEqual(max);
    expect((await counted(account!.key)).failures).toBeLessThanOrEqual(max);
    // Reported blocked, so blocked: the right password from that address does not get in now.
    expect((await attempt(address, "ra_teacher3", PASSWORD)).code).toBe("LOGIN_THROTTLED");
    // The user at another address is not locked out.
    expect((await attempt("10.0.1.2", "ra_teacher3", PASSWORD)).code).toBe("OK");
  });

  it("60 guesses at once from one address: at most the address limit are checked and counted, then the address is blocked for every account", async () => {
    const address = "10.0.2.1";
    const accounts = ["ra_teacher1", "ra_teacher2", "lc_teacher1", "oh_teacher1", "hz_teacher1", "nb_teacher1", "pb_teacher1"];
    const guesses = Array.from({ length: 59 }, (_, i) => attempt(address, i % 3 === 0 ? `nobody_${i % 20}` : accounts[i % accounts.length]!, `Guess${i}x2023`));
    guesses.splice(30, 0, attempt(address, "hz_teacher2", PASSWORD));
    const t = tally(await Promise.all(guesses));
    const max = LOGIN_THROTTLE.address.max;
    expect(t.OK ?? 0).toBeLessThanOrEqual(1);
    expect((t.BAD_CREDENTIALS ?? 0) + (t.OK ?? 0)).toBeLessThanOrEqual(max);
    expect(t.LOGIN_THROTTLED ?? 0).toBeGreaterThanOrEqual(60 - max);
    const ip = await counted(loginThrottleKeys("x", address)[0]!.key);
    expect(ip.failures).toBeLessThanOrEqual(max);
    expect(ip.blockedSeconds).not.toBeNull();
    expect((await attempt(address, "hz_teacher2", PASSWORD)).code).toBe("LOGIN_THROTTLED");
    expect((await attempt("10.0.2.2", "hz_teacher2", PASSWORD)).code).toBe("OK");
  });

  it("answers an existing and an unknown account alike, step by step, and blocks an account from every address only briefly", async () => {
    const run = async (account: string, a: string, b: string, c: string) => {
      const answers: Answer[] = [];
      // The tight limit: one address, one account.
      for (let i = 0; i < LOGIN_THROTTLE.accountAtAddress.max + 1; i++) answers.push(await attempt(a, account, `Wrong${i}x2023`));
      // The looser limit on the account from every address together.
      for (let i = 0; i < LOGIN_THROTTLE.account.max - LOGIN_THROTTLE.accountAtAddress.max; i++) answers.push(await attempt(b, account, `Other${i}x2023`));
      answers.push(await attempt(c, account, "Third1x2023"));
      return answers;
    };
    const existing = await run("expert_nb", "10.0.3.1", "10.0.3.2", "10.0.3.3");
    const unknown = await run("no_such_teacher", "10.0.3.11", "10.0.3.12", "10.0.3.13");
    const expected = [
      ...Array(LOGIN_THROTTLE.accountAtAddress.max).fill("BAD_CREDENTIALS"),
      "LOGIN_THROTTLED",
      ...Array(LOGIN_THROTTLE.account.max - LOGIN_THROTTLE.accountAtAddress.max).fill("BAD_CREDENTIALS"),
      "LOGIN_THROTTLED",
    ];
    expect(existing.map((a) => a.code)).toEqual(expected);
    expect(unknown).toEqual(existing);
    expect(existing.at(-1)!.message).toMatch(/^登录尝试过于频繁，请\d+分钟后再试$/);
    // The account-wide block is short: at most its window, whatever the attacker did.
    const account = await counted(loginThrottleKeys("expert_nb", "x")[2]!.key);
    expect(account.blockedSeconds).not.toBeNull();
    expect(account.blockedSeconds!).toBeLessThanOrEqual(LOGIN_THROTTLE.account.windowSeconds);
    expect(Number(existing.at(-1)!.message.match(/(\d+)分钟/)![1])).toBeLessThanOrEqual(LOGIN_THROTTLE.account.windowSeconds / 60);
  });

  it("a password reset by an admin above the user lifts the user's throttle", async () => {
    const address = "10.0.4.1";
    for (let i = 0; i <= LOGIN_THROTTLE.accountAtAddress.max; i++) await attempt(address, "ra_teacher4", `Wrong${i}x2023`);
    expect((await attempt(address, "ra_teacher4", PASSWORD)).code).toBe("LOGIN_THROTTLED");
    const county = await loginAs(server.url, "ra_county");
    const id = (await county.gql(`{ users(search: "ra_teacher4") { items { id } } }`)).users.items[0].id;
    await county.gql(`mutation($u: ID!) { resetPassword(userId: $u, newPassword: "Fresh2024x") }`, { u: id });
    expect((await attempt(address, "ra_teacher4", "Fresh2024x")).code).toBe("OK");
  });

  it("keeps administrative locks as they are: a retired account says so only to the right password", async () => {
    expect(await attempt("10.0.5.1", "ra_teacher_retired", PASSWORD)).toMatchObject({ code: "ACCOUNT_LOCKED", message: expect.stringMatching(/已停用/) });
    expect((await attempt("10.0.5.1", "ra_teacher_retired", "Wrong1x2023")).code).toBe("BAD_CREDENTIALS");
  });
  it("counts a change of password's current-password guesses against the same keys as logins: a stolen session cannot try faster", async () => {
    const address = "10.0.7.1";
    const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const res = await fetch(server.url + "/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": address, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: Record<string, { token?: string } | boolean | null>; errors?: { extensions?: { code?: string } }[] };
    };
    const token = ((await post(LOGIN, { a: "hz_teacher2", p: PASSWORD })).data!.login as { token: string }).token;
    const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(CHANGE, { c: `Wrong${i}x2023`, n: "Taken2024x" }, token)));
    const t = tally(guesses.map((g) => ({ code: String(g.errors?.[0]?.extensions?.code ?? "OK"), message: "" })));
    const max = LOGIN_THROTTLE.accountAtAddress.max;
    expect(t.OK).toBeUndefined();
    expect(t.BAD_CREDENTIALS ?? 0).toBeLessThanOrEqual(max);
    expect(t.LOGIN_THROTTLED ?? 0).toBeGreaterThanOrEqual(20 - max);
    // Blocked now, for the right current password too, and for logins of the account from there.
    expect((await post(CHANGE, { c: PASSWORD, n: "Taken2024x" }, token)).errors?.[0]?.extensions?.code).toBe("LOGIN_THROTTLED");
    expect((await attempt(address, "hz_teacher2", PASSWORD)).code).toBe("LOGIN_THROTTLED");
    // From elsewhere the owner still changes it, and a right guess is not left counted.
    const own = await loginAs(server.url, "hz_teacher2");
    await own.gql(CHANGE, { c: PASSWORD, n: "Owner2024x" });
    expect((await counted(loginThrottleKeys("hz_teacher2", address)[2]!.key)).failures).toBe(t.BAD_CREDENTIALS);
  });
});
