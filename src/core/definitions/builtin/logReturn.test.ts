import { describe, expect, it } from 'vitest';
import { pluck, runScalar } from '../../../testing/core/testHelpers.ts';

describe('logReturn', () => {
  it('is ln(x_t / x_{t−1}); the first input and non-positive values emit nothing', () => {
    const out = runScalar('transforms.log_return', {}, [
      [1, 100], // first: nothing
      [2, 110], // ln(1.1) ≈ 0.0953101798
      [2, 110], // ln(1) = 0 (equal timestamps are separate inputs)
      [3, 0], //   ln(0) undefined: nothing
      [4, 50], //  previous 0: nothing
      [5, 100], // ln 2 ≈ 0.6931471806
    ]);
    expect(out.map((e) => e.timestamp)).toEqual([2, 2, 5]);
    const r = pluck(out, 'log_return') as number[];
    expect(r[0]).toBeCloseTo(0.0953101798043249, 15);
    expect(r[1]).toBe(0);
    expect(r[2]).toBeCloseTo(0.6931471805599453, 15);
    expect(out[0]!.receipt_timestamp).toBe(2.25);
  });

  it('stays finite when the ratio itself under- or overflows the double range', () => {
    const out = runScalar('transforms.log_return', {}, [
      [1, 1e30],
      [2, 5e-324], // 5e-324 / 1e30 underflows to 0: ln would be −∞
      [3, 1e300], //  1e300 / 5e-324 overflows to ∞
    ]);
    const r = pluck(out, 'log_return') as number[];
    expect(r[0]).toBeCloseTo(Math.log(5e-324) - 30 * Math.LN10, 10); // ≈ −813.4
    expect(r[1]).toBeCloseTo(300 * Math.LN10 - Math.log(5e-324), 10); // ≈ 1435.4
  });
});
