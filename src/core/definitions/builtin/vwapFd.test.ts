import { describe, expect, it } from 'vitest';
import { pluck, runTrades, trade } from '../../../testing/core/testHelpers.ts';

describe('vwapFd', () => {
  it('is Σ price·amount / Σ amount over [t − window, t]', () => {
    const out = runTrades('price.vwap_fd', { window: '10s' }, [
      trade(0, 'buy', 100, 1), //     100/1 = 100
      trade(5, 'sell', 110, 3), //    (100 + 330)/4 = 107.5
      trade(10, 'buy', 90, 0), //     zero amount, t=0 stays: still 430/4 = 107.5
      trade(10.5, 'buy', 120, 1), //  t=0 out: (330 + 0 + 120)/4 = 112.5
      trade(30, 'sell', 50, 2), //    alone: 100/2 = 50 (sums reset exactly)
    ]);
    expect(pluck(out, 'vwap')).toEqual([100, 107.5, 107.5, 112.5, 50]);
    expect(out[1]).toEqual({ timestamp: 5, receipt_timestamp: 5.25, vwap: 107.5 });
  });

  it('emits nothing while the window has no volume', () => {
    const out = runTrades('price.vwap_fd', {}, [trade(1, 'buy', 100, 0), trade(2, 'buy', 50, 2)]);
    expect(out.map((e) => [e.timestamp, e.vwap])).toEqual([[2, 50]]);
  });

  it('emits nothing when only zero-amount trades remain, whatever left the window', () => {
    // Subtracting 0.1·0.3 + 0.7·0.1 from running sums left ~1e-17 behind, and VWAP then divided
    // residue by residue (the vwap = 1). Nothing is subtracted now: Σ amount is exactly 0.
    const out = runTrades('price.vwap_fd', { window: '10s' }, [
      trade(0, 'buy', 0.1, 0.3),
      trade(1, 'sell', 0.7, 0.1),
      trade(5, 'buy', 0.3, 0),
      trade(11.5, 'sell', 0.2, 0), // t=0, t=1 out: only zero amounts left
      trade(12, 'buy', 0.4, 0),
    ]);
    expect(out.map((e) => e.timestamp)).toEqual([0, 1, 5]);
  });
});
