import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, exact, mul, sign, sub } from '../../testing/core/exactReference.ts';
import { err, twoProduct, twoSum } from './exactFloat.ts';

/**
 * Doubles across and beyond the engine's range (prices, sizes, notionals: 1e-30…1e30), either
 * sign. Not subnormal products: TwoProduct is exact only above the underflow range (~1e-290).
 */
const value = fc.oneof(
  fc
    .tuple(
      fc.double({ min: 1, max: 10, noNaN: true }),
      fc.integer({ min: -140, max: 140 }),
      fc.boolean(),
    )
    .map(([m, e, neg]) => (neg ? -1 : 1) * m * 10 ** e),
  fc.constantFrom(0, 0.1, 0.2, 0.3, 64000.1, 1e-8, 1e15, 1e-15),
);

describe('exactFloat', () => {
  it('twoSum: result + error is exactly a + b', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const s = twoSum(a, b);
        expect(s).toBe(a + b);
        expect(sign(sub(add(exact(s), exact(err.value)), add(exact(a), exact(b))))).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('twoProduct: result + error is exactly a · b', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const p = twoProduct(a, b);
        expect(p).toBe(a * b);
        expect(sign(sub(add(exact(p), exact(err.value)), mul(exact(a), exact(b))))).toBe(0);
      }),
      { numRuns: 2000 },
    );
    // 0.1 · 0.2 rounds to 0.020000000000000004; the error is what rounding dropped.
    expect(twoProduct(0.1, 0.2)).toBe(0.020000000000000004);
    expect(err.value).not.toBe(0);
  });
});
