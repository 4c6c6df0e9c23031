import { describe, expect, it } from 'vitest';
import { pluck, runScalar } from '../../../testing/core/testHelpers.ts';

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

  it('stays exact when the values drift far from where the window started', () => {
    // A long climb from 1e9 to 1e9 + 5000, then the window holds 1e9 + 1e4 + {1, 2, 3}:
    // mean 1e9 + 10002, std √(2/3), z of the last = 1/√(2/3) = √1.5.
    const pts: [number, number][] = [];
    for (let i = 0; i < 5000; i++) pts.push([i, 1e9 + i]);
    pts.push([5100, 1e9 + 10001], [5101, 1e9 + 10002], [5102, 1e9 + 10003]);
    const z = pluck(runScalar('transforms.zscore', { window: '50s' }, pts), 'zscore') as number[];
    expect(z.at(-1)).toBeCloseTo(Math.sqrt(1.5), 14);
    expect(z.at(-2)).toBe(1); // [10001, 10002]: mean 10001.5, std 0.5
  });

  it('is exactly 0 for equal values after any history', () => {
    const pts: [number, number][] = [];
    for (let i = 0; i < 500; i++) pts.push([i, 30000 + Math.sin(i) * 50]);
    for (let i = 500; i < 700; i++) pts.push([i, 30017.3]);
    const z = pluck(runScalar('transforms.zscore', { window: '60s' }, pts), 'zscore') as number[];
    expect(z.slice(561).every((x) => x === 0)).toBe(true);
  });
});
