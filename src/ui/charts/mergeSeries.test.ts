import { describe, expect, it } from 'vitest';
import { mergeSeries } from './mergeSeries.ts';

const view = (t: number[], ...cols: number[][]) => ({
  t: Float64Array.from(t),
  cols: cols.map((c) => Float64Array.from(c)),
});

describe('mergeSeries', () => {
  it('aligns series on the union of their times, null where a series has no point', () => {
    const m = mergeSeries([view([1, 3], [10, 30]), view([2, 3, 4], [0.2, 0.3, 0.4])]);
    expect(m).toEqual([
      [1, 2, 3, 4],
      [10, null, 30, null],
      [null, 0.2, 0.3, 0.4],
    ]);
  });

  it('keeps the last value of equal times and reuses the output arrays', () => {
    const out = mergeSeries([view([1, 1, 2], [5, 6, 7])]);
    expect(out).toEqual([
      [1, 2],
      [6, 7],
    ]);
    const again = mergeSeries([view([3], [9])], out);
    expect(again).toBe(out);
    expect(again).toEqual([[3], [9]]);
  });
});
