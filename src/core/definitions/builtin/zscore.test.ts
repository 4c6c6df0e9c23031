import { describe, expect, it } from 'vitest';
import { pluck, runScalar } from './testHelpers.ts';

describe('zscore', () => {
  it('is (x − mean)/std over [t − window, t] including x; 0 when std is 0', () => {
    const out = runScalar('transforms.zscore', { window: '10s' }, [
      [0, 1], //  [1]      → std 0 → 0
      [5, 3], //  [1 3]    → mean 2, std 1 → (3 − 2)/1 = 1
      [10, 8], // [1 3 8]  → mean 4, var (9 + 1 + 16)/3 = 26/3 → 4/√(26/3) ≈ 1.3587324
      [20, 5], // [8 5]    → t=0, t=5 out; mean 6.5, std 1.5 → (5 − 6.5)/1.5 = −1
      [20, 5], // [8 5 5]  → mean 6, var (4 + 1 + 1)/3 = 2 → −1/√2
      [40, 7], // [7]      → 0
    ]);
    const z = pluck(out, 'zscore') as number[];
    expect(z[0]).toBe(0);
    expect(z[1]).toBe(1);
    expect(z[2]).toBeCloseTo(4 / Math.sqrt(26 / 3), 14);
    expect(z[3]).toBeCloseTo(-1, 14);
    expect(z[4]).toBeCloseTo(-1 / Math.sqrt(2), 14);
    expect(z[5]).toBe(0);
    expect(out[1]).toEqual({ timestamp: 5, receipt_timestamp: 5.25, zscore: 1 });
  });

  it('is 0 for a constant series', () => {
    const out = runScalar('transforms.zscore', {}, [
      [1, 42.5],
      [2, 42.5],
      [3, 42.5],
    ]);
    expect(pluck(out, 'zscore')).toEqual([0, 0, 0]);
  });
});
