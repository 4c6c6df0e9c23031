import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/events.ts';
import { createFeature } from '../../core/feature/createFeature.ts';
import { FeatureStreamGraph } from '../../core/graph/FeatureStreamGraph.ts';
import { FakeScheduler } from '../../testing/sources/FakeSocket.ts';
import { SimulatedEventEmitter } from './SimulatedEventEmitter.ts';

describe('SimulatedEventEmitter', () => {
  it('paces the simulated market to the clock and feeds a graph', () => {
    const scheduler = new FakeScheduler();
    const book = createFeature('l2_book', { exchange: 'SIM', symbol: 'BTC-USDT' });
    const trades = createFeature('trades', { exchange: 'SIM', symbol: 'ETH-USDT' });
    const mid = createFeature('price.mid_price_fd', {}, [
      createFeature('l2_book.l2_snapshot_fd', {}, [book]),
    ]);
    const g = new FeatureStreamGraph([mid, trades]);
    const mids: Event[] = [];
    const seenTrades: Event[] = [];
    g.setCallback(mid, (_f, e) => mids.push(e));
    g.setCallback(trades, (_f, e) => seenTrades.push(e));
    const emitter = new SimulatedEventEmitter({ scheduler });
    for (const f of g.getIns())
      emitter.registerCallback(f, (feature, e) => g.emitNamedDataEvent([feature, e]));
    const t0 = scheduler.now();
    emitter.start();
    scheduler.advance(2000);
    expect(mids.length).toBeGreaterThan(10);
    expect(seenTrades.length).toBeGreaterThan(0);
    // Nothing from the future: every event is at or before the clock, and after the start.
    for (const e of [...mids, ...seenTrades]) {
      expect(e.timestamp).toBeGreaterThan(t0);
      expect(e.timestamp).toBeLessThanOrEqual(scheduler.now());
    }
    expect(mids[0]!.mid_price as number).toBeGreaterThan(60000);
    const count = mids.length;
    emitter.stop();
    scheduler.advance(2000);
    expect(mids.length).toBe(count);
  });
});
