import type { Event } from '../../events.ts';
import type { Monoid, SlidingAggregateSpec } from '../../stream/slidingAggregate.ts';

/**
 * Window moments `[n, meanHi, meanLo, M2]`: the count, the mean as a double-double
 * (`meanHi + meanLo`, ~106 bits) and the sum of squared deviations from it. Combined by Chan,
 * Golub and LeVeque's parallel merge:
 *
 *   δ = mean_b − mean_a,  mean = mean_a + δ·n_b/n,  M2 = M2_a + M2_b + δ²·n_a·n_b/n.
 *
 * Nothing is subtracted except the two means, so:
 * - equal values give δ = 0 exactly, hence mean = that value and M2 = 0 exactly;
 * - M2 is a sum of non-negative terms, each accurate to a few ulps, so its relative error is at
 *   most ~(number of merges)·2⁻⁵³ whatever the magnitude of the values;
 * - δ is accurate to ~2⁻⁵³ relative plus ~2⁻¹⁰⁵·|mean| (the double-double mean), so even values a
 *   few ulps apart (prices 1e6 with 1e-8 ticks) keep every significant bit of their spread.
 */
export const MOMENTS: Monoid = {
  width: 4,
  identity: [0, 0, 0, 0],
  combine: combineMoments,
};

/**
 * {@link MOMENTS}' combine, as a plain function so a window that only ever holds moments
 * (momentsWindow.ts) calls it directly and V8 can inline it.
 */
export function combineMoments(
  a: readonly number[],
  ai: number,
  b: readonly number[],
  bi: number,
  out: number[],
  o: number,
): void {
  const na = a[ai]!;
  const nb = b[bi]!;
  if (nb === 0 || na === 0) {
    const src = nb === 0 ? a : b;
    const si = nb === 0 ? ai : bi;
    out[o] = src[si]!;
    out[o + 1] = src[si + 1]!;
    out[o + 2] = src[si + 2]!;
    out[o + 3] = src[si + 3]!;
    return;
  }
  const ah = a[ai + 1]!;
  const al = a[ai + 2]!;
  const bh = b[bi + 1]!;
  const bl = b[bi + 2]!;
  const m2 = a[ai + 3]! + b[bi + 3]!;
  const n = na + nb;
  // δ = (bh + bl) − (ah + al): TwoSum of the high parts, then the low parts.
  let s = bh - ah;
  let t = s - bh;
  let e = bh - (s - t) + (-ah - t);
  const delta = s + (e + (bl - al));
  // mean = (ah + al) + δ·n_b/n, renormalised to a double-double.
  const inc = delta * (nb / n);
  s = ah + inc;
  t = s - ah;
  e = ah - (s - t) + (inc - t) + al;
  const hi = s + e;
  out[o] = n;
  out[o + 1] = hi;
  out[o + 2] = e - (hi - s);
  out[o + 3] = m2 + delta * delta * ((na * nb) / n);
}

/** Population variance (ddof 0) of a {@link MOMENTS} aggregate; exactly 0 for equal values. */
export function momentsVariance(agg: readonly number[]): number {
  return agg[3]! / agg[0]!;
}

/** `x − mean` of a {@link MOMENTS} aggregate, against the double-double mean (one rounding). */
export function deviationFromMean(agg: readonly number[], x: number): number {
  const mh = agg[1]!;
  const s = x - mh;
  const t = s - x;
  const e = x - (s - t) + (-mh - t);
  return s + (e - agg[2]!);
}

/** The moments of one scalar field over a sliding window (see {@link MOMENTS}). */
export function momentsSpec<R>(
  valueOf: (e: Event) => number,
  result: (agg: readonly number[], latest: Event, x: number) => R | undefined,
): SlidingAggregateSpec<Event, R> {
  const spec: SlidingAggregateSpec<Event, R> = {
    monoid: MOMENTS,
    lift(e, out, o) {
      out[o] = 1;
      out[o + 1] = valueOf(e);
      out[o + 2] = 0;
      out[o + 3] = 0;
    },
    result: (agg, _count, latest) => result(agg, latest, valueOf(latest)),
  };
  MOMENTS_PARTS.set(spec, { valueOf, result, lift: spec.lift, resultOfSpec: spec.result });
  return spec;
}

/** What a {@link momentsSpec} was made of, so a window over it can take the moments path. */
export interface MomentsParts {
  readonly valueOf: (e: Event) => number;
  readonly result: (agg: readonly number[], latest: Event, x: number) => unknown;
  readonly lift: unknown;
  readonly resultOfSpec: unknown;
}

const MOMENTS_PARTS = new WeakMap<object, MomentsParts>();

/**
 * The parts of a spec made by {@link momentsSpec} and still as made (undefined for any other
 * spec, or one whose monoid, lift or result was changed since: that one takes the generic path).
 */
export function momentsSpecParts(
  spec: SlidingAggregateSpec<Event, unknown>,
): MomentsParts | undefined {
  const p = MOMENTS_PARTS.get(spec);
  if (!p || spec.monoid !== MOMENTS || spec.lift !== p.lift || spec.result !== p.resultOfSpec)
    return undefined;
  return p;
}
