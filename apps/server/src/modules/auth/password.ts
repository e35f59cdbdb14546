import { Algorithm, hash, verify } from "@node-rs/argon2";

/** OWASP minimum for argon2id: m=19 MiB, t=2, p=1. */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Bounds concurrent hashes so a burst of logins cannot exhaust memory or CPU. */
class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
const gate = new Semaphore(4);

export function hashPassword(password: string): Promise<string> {
  return gate.run(() => hash(password, OPTIONS));
}

// A real hash of a random password: verifying against it costs what a real check costs, so an
// unknown account takes as long to refuse as a wrong password.
let dummy: Promise<string> | null = null;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hashPassword(`dummy-${Math.random()}`);
    const d = await dummy;
    await gate.run(() => verify(d, password).catch(() => false));
    return false;
  }
  return gate.run(() => verify(stored, password).catch(() => false));
}
