import { describe, expect, it } from 'vitest';
import { compensatedSums, differenceAt, liftProduct, sumAt } from './compensatedSums.ts';

describe('compensatedSums', () => {
  const SUMS = compensatedSums(2);
  const pair = (x: number, y: number): number[] => [x, 0, y, 0];
  const combine = (a: readonly number[], b: readonly number[]): number[] => {
    const out = SUMS.identity.slice();
    SUMS.combine(a, 0, b, 0, out, 0);
    return out;
  };

  it('keeps what a plain sum rounds away', () => {
    // 1e16 + 1 + 1 − … : a plain double sum of [1e16, 1, 1] is 1e16 (each 1 is lost).
    let acc = SUMS.identity.slice();
    for (const x of [1e16, 1, 1]) acc = combine(acc, pair(x, 0));
    expect(1e16 + 1 + 1).toBe(1e16);
    expect(sumAt(acc, 0)).toBe(1e16 + 2);
    expect(sumAt(acc, 2)).toBe(0);
  });

  it('liftProduct holds price·amount exactly; equal sums differ by exactly 0', () => {
    const a = SUMS.identity.slice();
    liftProduct(0.1, 0.7, a, 0);
    liftProduct(0.7, 0.1, a, 2);
    expect(a[0]! + a[1]!).toBe(0.1 * 0.7);
    expect(differenceAt(a, 0, 2)).toBe(0);
    expect(SUMS.width).toBe(4);
    expect(SUMS.identity).toEqual([0, 0, 0, 0]);
  });
});
