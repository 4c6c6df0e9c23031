import { describe, expect, it } from 'vitest';
import { pluck, runScalar } from '../../../testing/core/testHelpers.ts';

describe('ewma', () => {
  it('decays with the event-time half-life: α = 1 − 2^(−Δt/halflife)', () => {
    const out = runScalar('transforms.ewma', { halflife: '10s' }, [
      [0, 100], //  first value: 100
      [10, 200], // Δt = 10: α = 1 − 2^−1 = 0.5 → 100 + 0.5·100 = 150
      [10, 0], //   Δt = 0: α = 0 → 150 (still emitted)
      [30, 250], // Δt = 20: α = 1 − 2^−2 = 0.75 → 150 + 0.75·100 = 225
      [20, 0], //   earlier than the last input: Δt treated as 0 → 225
      [35, 325], // Δt = 5 from t=30 (the late input did not move the clock): α = 1 − 2^−0.5
    ]);
    const v = pluck(out, 'ewma') as number[];
    expect(v.slice(0, 5)).toEqual([100, 150, 150, 225, 225]);
    // 225 + (1 − 1/√2)·100 ≈ 225 + 29.289321881 = 254.289321881
    expect(v[5]).toBeCloseTo(225 + (1 - Math.SQRT1_2) * 100, 10);
    expect(out[1]).toEqual({ timestamp: 10, receipt_timestamp: 10.25, ewma: 150 });
  });
});
