/**
 * Login throttling (docs/security.md, "Login throttle"). Every attempt is counted against three
 * keys before its password is checked; each key allows `max` attempts per fixed window that
 * starts with its first attempt, and refuses every further attempt until the window ends:
 *
 * - the address: many guesses from one place, whatever the accounts;
 * - the account at that address: the tight per-account limit, which only ever blocks the
 *   address that made the guesses, so nobody locks a user out from elsewhere;
 * - the account from any address: a looser limit with a short window, against guesses spread
 *   over many addresses; it can keep the real user out for at most its window.
 *
 * Keys are built from the account name as typed, whether or not such an account exists, so the
 * answers (and the throttling) are the same for existing and unknown accounts. A successful login
 * gives back its own attempt, so what a window counts are failures, never more than `max`; an
 * admin's password reset clears the account's keys. Administrative locks (lockUser, retired
 * accounts) are separate and unchanged.
 */
export interface ThrottleLimit {
  /** At most this many attempts per window; the attempt after them is refused. */
  max: number;
  windowSeconds: number;
}

export const LOGIN_THROTTLE = {
  address: { max: 30, windowSeconds: 15 * 60 },
  accountAtAddress: { max: 5, windowSeconds: 15 * 60 },
  account: { max: 10, windowSeconds: 5 * 60 },
} as const satisfies Record<string, ThrottleLimit>;

export type ThrottleScope = keyof typeof LOGIN_THROTTLE;

export interface ThrottleKey extends ThrottleLimit {
  scope: ThrottleScope;
  key: string;
}

/**
 * The keys an attempt is counted against, in the order they are taken: the caller's own first
 * (address, then account at address), the one shared with the real user last, so an attempt
 * refused by the former never uses up the latter.
 */
export function loginThrottleKeys(account: string, address: string): ThrottleKey[] {
  return [
    { scope: "address", key: `ip:${address}`, ...LOGIN_THROTTLE.address },
    { scope: "accountAtAddress", key: `acct-ip:${JSON.stringify([account, address])}`, ...LOGIN_THROTTLE.accountAtAddress },
    { scope: "account", key: `acct:${account}`, ...LOGIN_THROTTLE.account },
  ];
}

/** The prefix of every key of an account (to clear them when an admin resets its password). */
export function accountThrottleKeys(account: string): { exact: string; prefix: string } {
  return { exact: `acct:${account}`, prefix: `acct-ip:${JSON.stringify([account]).slice(0, -1)},` };
}

/** The one answer to a throttled attempt, the same whichever key refused it and whether the account exists. */
export function loginThrottledMessage(waitSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(waitSeconds / 60));
  return `登录尝试过于频繁，请${minutes}分钟后再试`;
}
