import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviationFromMean, MOMENTS, momentsVariance } from './moments.ts';

const lift = (x: number): number[] => [1, x, 0, 0];
const combine = (a: readonly number[], b: readonly number[]): number[] => {
  const out = [0, 0, 0, 0];
  MOMENTS.combine(a, 0, b, 0, out, 0);
  return out;
};

describe('MOMENTS monoid', () => {
  it('has an identity on both sides', () => {
    const a = combine(lift(3), lift(5));
    expect(combine(MOMENTS.identity, a)).toEqual(a);
    expect(combine(a, MOMENTS.identity)).toEqual(a);
  });

  it('merges to the exact moments of small integers', () => {
    // [1, 3, 5, 7]: mean 4, M2 = 9 + 1 + 1 + 9 = 20, variance 5
    const left = combine(lift(1), lift(3));
    const right = combine(lift(5), lift(7));
    const all = combine(left, right);
    expect(all).toEqual([4, 4, 0, 20]);
    expect(momentsVariance(all)).toBe(5);
    expect(deviationFromMean(all, 7)).toBe(3);
  });

  it('gives M2 = 0 and the value itself as mean for equal values, in any merge tree', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e30, max: 1e30, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 40 }),
        (x, shape) => {
          // Merge lifts in an arbitrary tree: repeatedly combine two neighbours chosen by `shape`.
          let parts = shape.map(() => lift(x));
          for (const k of shape) {
            if (parts.length < 2) break;
            const i = k % (parts.length - 1);
            parts = [
              ...parts.slice(0, i),
              combine(parts[i]!, parts[i + 1]!),
              ...parts.slice(i + 2),
            ];
          }
          for (const p of parts) {
            // === : a mean of −0 values may come out +0, the same number.
            expect(p[1] === x && p[2] === 0 && p[3] === 0).toBe(true);
            expect(deviationFromMean(p, x) === 0).toBe(true);
          }
        },
      ),
    );
  });
});
