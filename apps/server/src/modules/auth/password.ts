import { Algorithm, hash, verify } from "@node-rs/argon2";
import { queues } from "../../common/load-limits.js";

/** OWASP minimum for argon2id: m=19 MiB, t=2, p=1. */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// Hashes run in the bounded argon2 queue (common/load-limits.ts): a burst of logins cannot
// exhaust memory or CPU, and past the queue's bound a caller is refused at once with
// SERVER_BUSY — thrown before any password is checked, so a refused login attempt never counts
// as a failure (no account is locked or unlocked by shedding).
const gate = queues.argon2;

export function hashPassword(password: string): Promise<string> {
  return gate.run(() => hash(password, OPTIONS));
}

// A real hash of a random password: verifying against it costs what a real check costs, so an
// unknown account takes as long to refuse as a wrong password.
let dummy: Promise<string> | null = null;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hash(`dummy-${Math.random()}`, OPTIONS);
    const d = await dummy;
    return gate.run(() => verify(d, password).catch(() => false)).then(() => false);
  }
  return gate.run(() => verify(stored, password).catch(() => false));
}
