import type { Event } from '../../events.ts';
import type { ValueAggregator } from '../../stream/valueWindow.ts';

/**
 * Running first and second moments of one numeric field over a sliding window, kept relative to a
 * shift K so that Σ(x − K)² does not cancel catastrophically when the values are large and close
 * (prices): s1 = Σ(x − K), s2 = Σ(x − K)².
 *
 * - K is the first value added after the window was last reset; it is reset (K = the one value
 *   left, s1 = s2 = 0, n = 1: exact) whenever eviction leaves only the newest event, which is what
 *   "the window emptied, then this event arrived" amounts to, since the newest event is added
 *   before older ones are evicted.
 * - To bound the drift of add/remove rounding, after `max(REBUILD_EVERY, n)` removals since the
 *   last reset or rebuild, K becomes the oldest value in the window and s1, s2 are summed again
 *   from the window contents. The trigger counts removals, so it is deterministic (and the count
 *   is part of the snapshot), and the O(n) rebuild is amortised to O(1) per removal.
 */
export interface MomentsAcc {
  n: number;
  shift: number;
  s1: number;
  s2: number;
  removals: number;
}

/** Minimum removals between exact rebuilds (see {@link MomentsAcc}). */
export const REBUILD_EVERY = 1024;

export type MomentsResult<R> = (acc: MomentsAcc, latest: Event, value: number) => R | undefined;

/** Population variance of the window: s2/n − (s1/n)², clamped at 0 against rounding. */
export function momentsVariance(acc: MomentsAcc): number {
  const m = acc.s1 / acc.n;
  const v = acc.s2 / acc.n - m * m;
  return v > 0 ? v : 0;
}

/** Mean of the window. */
export function momentsMean(acc: MomentsAcc): number {
  return acc.shift + acc.s1 / acc.n;
}

export function momentsAggregator<R>(
  result: MomentsResult<R>,
): ValueAggregator<Event, MomentsAcc, R> {
  return {
    init: () => ({ n: 0, shift: 0, s1: 0, s2: 0, removals: 0 }),
    add(acc, x) {
      if (acc.n === 0) {
        acc.shift = x;
        acc.s1 = 0;
        acc.s2 = 0;
      }
      const d = x - acc.shift;
      acc.s1 += d;
      acc.s2 += d * d;
      acc.n++;
      return acc;
    },
    remove(acc, x) {
      const d = x - acc.shift;
      acc.s1 -= d;
      acc.s2 -= d * d;
      acc.n--;
      acc.removals++;
      return acc;
    },
    evicted(acc, values, from) {
      if (values.length - from === 1) {
        acc.shift = values[from]!;
        acc.s1 = 0;
        acc.s2 = 0;
        acc.n = 1;
        acc.removals = 0;
      } else if (acc.removals >= REBUILD_EVERY && acc.removals >= acc.n) {
        const k = values[from]!;
        let s1 = 0;
        let s2 = 0;
        for (let i = from; i < values.length; i++) {
          const d = values[i]! - k;
          s1 += d;
          s2 += d * d;
        }
        acc.shift = k;
        acc.s1 = s1;
        acc.s2 = s2;
        acc.n = values.length - from;
        acc.removals = 0;
      }
      return acc;
    },
    result,
  };
}
