import { describe, expect, it } from 'vitest';
import { runTrades, trade } from '../../../testing/core/testHelpers.ts';

const name = 'ohlcv.ohlcv_fd';

describe('ohlcvFd', () => {
  it('aligns bars to UTC multiples of the window and closes them on the next bar’s first trade', () => {
    const out = runTrades(name, { window: '1m' }, [
      trade(125, 'buy', 10, 1), //          first trade: bar [120, 180), not [125, 185)
      trade(130, 'sell', 12, 3),
      trade(179.999999, 'buy', 8, 1),
      trade(180, 'buy', 11, 2, 180.5), //   exactly at the end: closes [120, 180), opens [180, 240)
      trade(300, 'sell', 9, 1, 301), //     closes [180, 240); [240, 300) had no trades: no bar
    ]);
    expect(out).toEqual([
      {
        timestamp: 180,
        receipt_timestamp: 180.5,
        open: 10,
        high: 12,
        low: 8,
        close: 8,
        volume: 5, //               1 + 3 + 1
        vwap: 10.8, //              (10·1 + 12·3 + 8·1)/5 = 54/5
        num_trades: 3,
        start: 120,
      },
      {
        timestamp: 240,
        receipt_timestamp: 301,
        open: 11,
        high: 11,
        low: 11,
        close: 11,
        volume: 2,
        vwap: 11,
        num_trades: 1,
        start: 180,
      },
    ]);
  });

  it('emits no bar before a later bucket proves it complete', () => {
    expect(runTrades(name, {}, [trade(60, 'buy', 1, 1), trade(119.9, 'buy', 2, 1)])).toEqual([]);
  });

  it('aligns float bars and keeps equal timestamps in one bar', () => {
    const out = runTrades(name, { window: '1s' }, [
      trade(1.1, 'buy', 5, 1),
      trade(1.1, 'sell', 7, 1),
      trade(2, 'buy', 6, 1), // 2.0 is the end of [1, 2): closes it
    ]);
    // open 5, high 7, low 5, close 7, volume 2, vwap (5 + 7)/2 = 6
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ timestamp: 2, start: 1, open: 5, close: 7, num_trades: 2 });
    expect(out[0]!.vwap).toBe(6);
  });

  it('falls back to the close for the vwap of a zero-volume bar', () => {
    const out = runTrades(name, {}, [trade(0, 'buy', 5, 0), trade(60, 'buy', 6, 1)]);
    expect(out[0]).toMatchObject({ volume: 0, vwap: 5, num_trades: 1 });
  });
});
