/**
 * Reconnect delay after `failures` consecutive failures: exponential from `baseMs`, capped at
 * `maxMs`, with "full jitter" (uniform in [delay/2, delay]) so many tabs don't reconnect in step.
 * Cryptofeed doubles from 1 s; venues ban at ~150 attempts / 10 min (Kraken), so the cap is 60 s.
 */
export function backoffMs(
  failures: number,
  random: () => number,
  baseMs = 1000,
  maxMs = 60_000,
): number {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(delay / 2 + (random() * delay) / 2);
}
