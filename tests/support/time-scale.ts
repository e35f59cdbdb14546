import os from "node:os";

/**
 * How much longer than on an idle laptop the browser tests may wait for an event (a page, a
 * response, a locator's state) before calling it lost. Tests never wait for a duration: they
 * wait for the event, and this only sets how long the wait may last before it fails.
 *
 * `E2E_TIMEOUT_SCALE` sets it; otherwise it follows the machine: the 1-minute load average per
 * core when the suite starts (a 2-core machine at load 20 gives 10), doubled under CI, at least
 * 1 and at most 12.
 */
export function timeoutScale(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.E2E_TIMEOUT_SCALE);
  if (Number.isFinite(given) && given > 0) return given;
  const perCore = os.loadavg()[0]! / Math.max(1, os.availableParallelism());
  const ci = env.CI === "true" || env.CI === "1" ? 2 : 1;
  return Math.min(12, Math.max(1, Math.ceil(perCore)) * ci);
}

export const TIMEOUT_SCALE = timeoutScale();

/** A cap of `ms` on an idle machine, stretched by TIMEOUT_SCALE. */
export function scaled(ms: number): number {
  return Math.round(ms * TIMEOUT_SCALE);
}
