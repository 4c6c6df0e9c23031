// Shared benchmark helpers. A bench is a `bench/<name>.bench.ts` file whose default export is a
// {@link Bench}; `bench/run.ts` discovers and runs them (`npm run bench -- <name>…` to filter).
import { performance } from 'node:perf_hooks';

export interface Bench {
  readonly name: string;
  readonly description: string;
  run(): void | Promise<void>;
}

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * Time `fn` `runs` times after `warmup` untimed calls (JIT tiers settle), and report the median:
 * on 2 noisy shared cores the median is far steadier than the mean or the best run.
 */
export function measure(fn: () => void, { warmup = 2, runs = 7 } = {}): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return summarize(ms);
}

/**
 * Time `a` and `b` alternately (a, b, a, b, …) so that bursts of load from other processes hit
 * both alike, and report each one's timing plus the median of the per-pair ratios a/b.
 */
export function measurePair(
  a: () => void,
  b: () => void,
  { warmup = 2, runs = 7 } = {},
): { a: Timing; b: Timing; ratio: number } {
  for (let i = 0; i < warmup; i++) {
    a();
    b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    a();
    ta.push(performance.now() - t0);
    t0 = performance.now();
    b();
    tb.push(performance.now() - t0);
  }
  const ratios = ta.map((x, i) => x / tb[i]!).sort((x, y) => x - y);
  return { a: summarize(ta), b: summarize(tb), ratio: ratios[ratios.length >> 1]! };
}

function summarize(ms: number[]): Timing {
  const s = [...ms].sort((x, y) => x - y);
  return { medianMs: s[s.length >> 1]!, minMs: s[0]!, maxMs: s[s.length - 1]! };
}

/** `1.23 M events/s` for `count` items in `ms` milliseconds. */
export function rate(count: number, ms: number): string {
  const perSec = (count / ms) * 1000;
  return perSec >= 1e6
    ? `${(perSec / 1e6).toFixed(2)} M events/s`
    : `${(perSec / 1e3).toFixed(0)} k events/s`;
}

/** One aligned result line. */
export function line(label: string, t: Timing, count: number): string {
  return `  ${label.padEnd(42)} ${rate(count, t.medianMs).padStart(16)}  median ${t.medianMs.toFixed(1)} ms (min ${t.minMs.toFixed(1)}, max ${t.maxMs.toFixed(1)})`;
}
