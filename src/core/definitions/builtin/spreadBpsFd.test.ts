import { describe, expect, it } from 'vitest';
import { book, runBook } from '../../../testing/core/testHelpers.ts';

describe('spreadBpsFd', () => {
  it('is 10⁴·(ask0 − bid0)/mid, none while a side is empty', () => {
    const out = runBook('spread.spread_bps_fd', {}, [
      // mid 100, spread 2 → 10⁴·2/100 = 200 bps
      book(1, [[99, 1]], [[101, 1]]),
      book(2, [[99, 1]], []),
      // mid 20000, spread 1 → 10⁴·1/20000 = 0.5 bps
      book(3, [[19999.5, 1]], [[20000.5, 1]]),
    ]);
    expect(out).toEqual([
      { timestamp: 1, receipt_timestamp: 1.25, spread_bps: 200 },
      { timestamp: 3, receipt_timestamp: 3.25, spread_bps: 0.5 },
    ]);
  });
});
