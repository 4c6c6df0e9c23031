import { describe, expect, it } from 'vitest';
import type { Event, TradeEvent } from '../../events.ts';
import { createFeature } from '../../feature/createFeature.ts';
import { FeatureStreamGraph } from '../../graph/FeatureStreamGraph.ts';
import { inst, pluck, runTrades, trade } from '../../../testing/core/testHelpers.ts';

const name = 'tvi.trade_volume_imb_fd';

describe('tradeVolumeImbFd', () => {
  it('is 2·(buy − sell)/(buy + sell) of notional over [t − window, t]', () => {
    const out = runTrades(name, { window: '10s' }, [
      trade(0, 'buy', 100, 1), //         buy 100          → 2·100/100 = 2
      trade(5, 'sell', 100, 3), //        sell 300         → 2·(100 − 300)/400 = −1
      trade(10, 'sell', 50, 2), //        sell 400; t=0 exactly 10 s old stays → 2·(−300)/500 = −1.2
      trade(10.000001, 'buy', 200, 1), // t=0 out: buy 200, sell 400 → 2·(−200)/600 = −2/3
    ]);
    const v = pluck(out, 'tvi') as number[];
    expect(v[0]).toBe(2);
    expect(v[1]).toBe(-1);
    expect(v[2]).toBeCloseTo(-1.2, 15);
    expect(v[3]).toBeCloseTo(-2 / 3, 15);
    expect(out[0]).toEqual({ timestamp: 0, receipt_timestamp: 0.25, tvi: 2 });
  });

  it('has a side at exactly 0 once its trades left the window', () => {
    // 0.1·0.3 + 0.2·0.7 + 0.3·0.3 added then subtracted left 2.8e-17 in floats; the window now
    // never subtracts, so buy is exactly 0 and tvi = 2·(0 − 1)/1 = −2 exactly.
    const out = runTrades(name, { window: '10s' }, [
      trade(0, 'buy', 0.1, 0.3),
      trade(1, 'buy', 0.2, 0.7),
      trade(2, 'buy', 0.3, 0.3),
      trade(20, 'sell', 1, 1),
    ]);
    expect(out[3]!.tvi).toBe(-2);
  });

  it('emits nothing when only zero-amount trades remain (the issue: tvi = 2 from residue)', () => {
    const out = runTrades(name, { window: '10s' }, [
      trade(0, 'buy', 0.1, 0.3),
      trade(1, 'sell', 0.7, 0.1),
      trade(1.5, 'buy', 0.2, 0.7),
      trade(5, 'buy', 0.3, 0),
      trade(11.6, 'sell', 0.2, 0), // everything with an amount is out
    ]);
    expect(out.map((e) => e.timestamp)).toEqual([0, 1, 1.5, 5]);
  });

  it('is exactly 0 when buy and sell notional are equal', () => {
    const out = runTrades(name, { window: '10s' }, [
      trade(0, 'buy', 64000.1, 0.3),
      trade(1, 'sell', 64000.1, 0.3),
      trade(2, 'sell', 0.1, 0.7),
      trade(3, 'buy', 0.7, 0.1), // 0.1·0.7 and 0.7·0.1 are the same double product
      trade(11.5, 'buy', 0.2, 0), // the first two are out: 0.07 each side
    ]);
    expect(pluck(out, 'tvi')).toEqual([2, 0, expect.any(Number), 0, 0]);
  });

  it('counts only lowercase buy/sell (the seed counted all but BUY as sells)', () => {
    const odd = { ...trade(1, 'buy', 100, 1), side: 'BUY' } as unknown as TradeEvent;
    const out = runTrades(name, {}, [odd, trade(2, 'sell', 100, 1), trade(3, 'buy', 100, 3)]);
    // odd ignored: no output (total 0); then sell 100 → −2; then buy 300, sell 100 → 2·200/400 = 1
    expect(out.map((e) => [e.timestamp, e.tvi])).toEqual([
      [2, -2],
      [3, 1],
    ]);
  });

  it('keeps state per instance: two TVIs never share a queue', () => {
    // The seed declared the deque as a class attribute, shared by every instance.
    const build = (): [FeatureStreamGraph, ReturnType<typeof createFeature>, Event[]] => {
      const src = createFeature('trades', inst);
      const tvi = createFeature(name, {}, [src]);
      const g = new FeatureStreamGraph([tvi]);
      const out: Event[] = [];
      g.setCallback(tvi, (_f, e) => out.push(e));
      return [g, src, out];
    };
    const [ga, srcA, outA] = build();
    const [gb, srcB, outB] = build();
    ga.emitNamedDataEvent([srcA, trade(1, 'buy', 10, 1)]);
    gb.emitNamedDataEvent([srcB, trade(1, 'sell', 10, 1)]);
    ga.emitNamedDataEvent([srcA, trade(2, 'buy', 10, 1)]);
    gb.emitNamedDataEvent([srcB, trade(2, 'sell', 10, 1)]);
    expect(pluck(outA, 'tvi')).toEqual([2, 2]);
    expect(pluck(outB, 'tvi')).toEqual([-2, -2]);

    // And two windows over one source in one graph: 10 s forgets t=0, 1 m does not.
    const src = createFeature('trades', inst);
    const short = createFeature(name, { window: '10s' }, [src]);
    const long = createFeature(name, { window: '1m' }, [src]);
    const g = new FeatureStreamGraph([short, long]);
    const got: Record<string, unknown[]> = { short: [], long: [] };
    g.setCallback(short, (_f, e) => got.short!.push(e.tvi));
    g.setCallback(long, (_f, e) => got.long!.push(e.tvi));
    g.emitNamedDataEvent([src, trade(0, 'buy', 10, 1)]);
    g.emitNamedDataEvent([src, trade(30, 'sell', 10, 3)]);
    // short: [sell 30] → −2; long: buy 10, sell 30 → 2·(−20)/40 = −1
    expect(got).toEqual({ short: [2, -2], long: [2, -1] });
  });
});
