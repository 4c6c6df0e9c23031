// One engine-vs-fused comparison, measured in a process of its own (bench/engine/comparison.ts):
// JIT state and heap left by an earlier comparison had sped up the fused loop for later ones
// (2026-12: depth 1 read 1.7–2.3× after depth 25, ~1.5× when run alone).
import { performance } from 'node:perf_hooks';

/** Wall and CPU milliseconds of each call of one side. */
export interface SideTimes {
  readonly wallMs: number[];
  readonly cpuMs: number[];
  /** Each call's `[start, end]` on the `performance.now()` clock (to attribute GC pauses). */
  readonly spans: [number, number][];
}

/** CPU milliseconds of this process (all threads: GC helpers count against whoever allocates). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function timed(fn: () => void, into: SideTimes): void {
  const c0 = cpuMs();
  const t0 = performance.now();
  fn();
  const t1 = performance.now();
  into.wallMs.push(t1 - t0);
  into.spans.push([t0, t1]);
  into.cpuMs.push(cpuMs() - c0);
}

/**
 * `warmup` untimed calls of each side, then `runs` timed pairs. The order inside a pair alternates
 * (a b, b a, a b, …) so neither side always runs just after the other (caches, GC debt, a burst of
 * load from another process): each per-pair ratio then compares the two under the same conditions.
 */
export function pairedRuns(
  a: () => void,
  b: () => void,
  warmup: number,
  runs: number,
): { a: SideTimes; b: SideTimes } {
  for (let i = 0; i < warmup; i++) {
    if (i % 2 === 0) {
      a();
      b();
    } else {
      b();
      a();
    }
  }
  const ta: SideTimes = { wallMs: [], cpuMs: [], spans: [] };
  const tb: SideTimes = { wallMs: [], cpuMs: [], spans: [] };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      timed(a, ta);
      timed(b, tb);
    } else {
      timed(b, tb);
      timed(a, ta);
    }
  }
  return { a: ta, b: tb };
}

/** Sorted per-pair ratios x[i] / y[i]. */
export function pairRatios(x: readonly number[], y: readonly number[]): number[] {
  return x.map((v, i) => v / y[i]!).sort((p, q) => p - q);
}

/** Quantile `q` (0..1) of sorted `xs`, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  return xs[Math.min(xs.length - 1, Math.round(q * (xs.length - 1)))]!;
}

/**
 * Main-thread GC pause milliseconds inside each of `spans`, from `gc` performance entries
 * (`[start, duration]`): what each call spent collecting (scavenges, mark-compact pauses).
 */
export function gcMsPerSpan(
  spans: readonly (readonly [number, number])[],
  gcs: readonly (readonly [number, number])[],
): number[] {
  return spans.map(([t0, t1]) => {
    let ms = 0;
    for (const [start, duration] of gcs) if (start >= t0 && start < t1) ms += duration;
    return ms;
  });
}
