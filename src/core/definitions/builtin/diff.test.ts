import { describe, expect, it } from 'vitest';
import { pluck, runScalar } from '../../../testing/core/testHelpers.ts';

const name = 'transforms.diff';

describe('diff', () => {
  it('is (last − first)/first over [t − window, t], on every input', () => {
    const out = runScalar(name, { window: '10s' }, [
      [0, 100], //         first 100 → 0
      [5, 110], //         (110 − 100)/100 = 0.1
      [10, 120], //        t=0 exactly 10 s old stays: (120 − 100)/100 = 0.2
      [10.000001, 90], //  t=0 now 1 µs too old: first 110 → (90 − 110)/110 = −2/11
      [30, 50], //         alone: 0
    ]);
    const d = pluck(out, 'diff') as number[];
    expect(d[0]).toBe(0);
    expect(d[1]).toBeCloseTo(0.1, 15);
    expect(d[2]).toBeCloseTo(0.2, 15);
    expect(d[3]).toBeCloseTo(-2 / 11, 15);
    expect(d[4]).toBe(0);
    expect(out[4]).toEqual({ timestamp: 30, receipt_timestamp: 30.25, diff: 0 });
  });

  it('keeps an event exactly one window old with float times (61.1 − 1.1)', () => {
    // first stays 100 at t=61.1: (130 − 100)/100 = 0.3
    const out = runScalar(name, {}, [
      [1.1, 100],
      [61.1, 130],
    ]);
    expect(out[1]!.diff).toBeCloseTo(0.3, 15);
  });

  it('emits nothing while the oldest value is 0', () => {
    const out = runScalar(name, { window: '10s' }, [
      [0, 0],
      [1, 5],
      [11, 10], // t=0 out: first 5 → (10 − 5)/5 = 1
    ]);
    expect(pluck(out, 'diff')).toEqual([1]);
  });
});
