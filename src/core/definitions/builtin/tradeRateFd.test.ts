import { describe, expect, it } from 'vitest';
import { runTrades, trade } from '../../../testing/core/testHelpers.ts';

describe('tradeRateFd', () => {
  it('counts trades in [t − window, t] and divides by the window in seconds', () => {
    const out = runTrades('flow.trade_rate_fd', { window: '10s' }, [
      trade(0, 'buy', 1, 1), //     [0]            → 1, 1/10 = 0.1
      trade(1, 'sell', 1, 1), //    [0 1]          → 2, 0.2
      trade(10, 'buy', 1, 1), //    [0 1 10]       → 3, 0.3 (t=0 exactly 10 s old)
      trade(10, 'buy', 1, 1), //    equal times    → 4, 0.4
      trade(10.5, 'buy', 1, 1), //  t=0 out        → 4, 0.4
      trade(25, 'buy', 1, 1), //    alone          → 1, 0.1
    ]);
    expect(out.map((e) => [e.count, e.rate])).toEqual([
      [1, 0.1],
      [2, 0.2],
      [3, 0.3],
      [4, 0.4],
      [4, 0.4],
      [1, 0.1],
    ]);
    expect(Object.keys(out[0]!)).toEqual(['timestamp', 'receipt_timestamp', 'count', 'rate']);
  });
});
