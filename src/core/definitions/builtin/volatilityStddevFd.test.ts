import { describe, expect, it } from 'vitest';
import { createFeature } from '../../feature/createFeature.ts';
import { FeatureStreamGraph } from '../../graph/FeatureStreamGraph.ts';
import {
  book,
  collect,
  inst,
  pluck,
  runBook,
  runScalar,
} from '../../../testing/core/testHelpers.ts';

const name = 'volatility.volatility_stddev_fd';

describe('volatilityStddevFd', () => {
  it('is the population stddev over [t − window, t], emitted on every input', () => {
    const out = runScalar(name, { window: '10s' }, [
      [0, 1], //      [1]        → 0
      [5, 3], //      [1 3]      → mean 2, var (1 + 1)/2 = 1 → 1
      [10, 5], //     [1 3 5]    → t=0 is exactly 10 s old and stays: var (4+0+4)/3 = 8/3
      [15, 7], //     [3 5 7]    → t=0 is 15 s old, out; t=5 exactly 10 s old, in: var 8/3
      [26, 100], //   [100]      → everything else older than 10 s: 0
      [27, 102], //   [100 102]  → var 1 → 1
    ]);
    expect(out.map((e) => [e.timestamp, e.receipt_timestamp])).toEqual([
      [0, 0.25],
      [5, 5.25],
      [10, 10.25],
      [15, 15.25],
      [26, 26.25],
      [27, 27.25],
    ]);
    const v = pluck(out, 'volatility') as number[];
    expect(v[0]).toBe(0);
    expect(v[1]).toBe(1);
    expect(v[2]).toBeCloseTo(Math.sqrt(8 / 3), 14); // 1.6329931618554521
    expect(v[3]).toBeCloseTo(Math.sqrt(8 / 3), 14);
    expect(v[4]).toBe(0);
    expect(v[5]).toBe(1);
    expect(Object.keys(out[0]!)).toEqual(['timestamp', 'receipt_timestamp', 'volatility']);
  });

  it('evicts an event one microsecond older than the window, with float times (61.1 − 1.1)', () => {
    const out = runScalar(name, { window: '1m' }, [
      [1.1, 10],
      [61.1, 12], //       61.1 − 1.1 = 60.00000000000001 in floats, but exactly 60 s: [10 12] → 1
      [61.100001, 14], //  t=1.1 is now 60.000001 s old: out → [12 14] → 1
      [121.100001, 14], // t=61.1 out, t=61.100001 exactly 60 s: [14 14] → 0
    ]);
    expect(pluck(out, 'volatility')).toEqual([0, 1, 1, 0]);
  });

  it('handles equal timestamps as separate observations', () => {
    // [2 4] at the same time → mean 3, var 1 → 1
    expect(
      pluck(
        runScalar(name, {}, [
          [1, 2],
          [1, 4],
        ]),
        'volatility',
      ),
    ).toEqual([0, 1]);
  });

  it('keeps precision for large, close values (sums relative to a shift)', () => {
    // 1e9 + {1, 2, 3}: var = (1 + 0 + 1)/3 = 2/3 → 0.816496580927726. Unshifted Σx² ≈ 3e18, whose
    // rounding (≈ 500) would swamp the variance.
    const out = runScalar(name, {}, [
      [0, 1e9 + 1],
      [1, 1e9 + 2],
      [2, 1e9 + 3],
    ]);
    expect(out[2]!.volatility).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });

  it('finds the value field of any scalar input from its output schema', () => {
    // Volatility of the relative spread: spreads 0.02 and 0.01 → mean 0.015, stddev 0.005
    const src = createFeature('l2_book', inst);
    const snap = createFeature('l2_book.l2_snapshot_fd', {}, [src]);
    const spread = createFeature('spread.relative_bid_ask_spread_fd', {}, [snap]);
    const vol = createFeature(name, {}, [spread]);
    const out = collect(vol, snap, [
      book(1, [[99, 1]], [[101, 1]]),
      book(2, [[99.5, 1]], [[100.5, 1]]),
    ]);
    expect(out[1]!.volatility).toBeCloseTo(0.005, 15);
  });

  it('works over the ticker-based mid price (dep_schema set on the child)', () => {
    const src = createFeature('ticker', inst);
    const mid = createFeature('price.mid_price_fd', { dep_schema: 'ticker' }, [src]);
    const vol = createFeature(name, {}, [mid]);
    // mids 10.5 and 11.5 → stddev 0.5
    const out = collect(vol, src, [
      { timestamp: 1, receipt_timestamp: 1, bid: 10, ask: 11 },
      { timestamp: 2, receipt_timestamp: 2, bid: 11, ask: 12 },
    ]);
    expect(pluck(out, 'volatility')).toEqual([0, 0.5]);
  });

  it('refuses an input with more than one field', () => {
    expect(() => runBook(name, {}, [])).toThrow(/not a single-valued input/);
  });

  it('gives exactly 0 for a window of equal prices, after any history (no residue)', () => {
    // Prices wandering around 64000 on a 0.1 tick, then a minute at 64000.1: the old shifted
    // running sums kept ~1e-7 of residue from what they subtracted.
    const pts: [number, number][] = [];
    for (let i = 0; i < 3000; i++) pts.push([1.7e9 + i * 0.05, 64000 + ((i * 7919) % 97) / 10]);
    for (let i = 3000; i < 5000; i++) pts.push([1.7e9 + i * 0.05, 64000.1]);
    const v = pluck(runScalar(name, { window: '10s' }, pts), 'volatility') as number[];
    // From t = 3000·0.05 + 10 s on (input 3201), the window holds 64000.1 only.
    expect(v.slice(3201).every((x) => x === 0)).toBe(true);
    expect(v[3199]).toBeGreaterThan(0);
  });

  it('keeps its state as plain data: a structured clone (as checkpoints travel) restores it exactly', () => {
    const src = createFeature('synthetic.synthetic_sine_mid_price', {});
    const vol = createFeature(name, { window: '10s' }, [src]);
    const run = (cut?: number): unknown[] => {
      let g = new FeatureStreamGraph([vol]);
      const out: unknown[] = [];
      g.setCallback(vol, (_f, e) => out.push(e.volatility));
      for (let i = 0; i < 2000; i++) {
        if (i === cut) {
          const snap = structuredClone(g.snapshot());
          g = new FeatureStreamGraph([vol]);
          g.restore(snap);
          g.setCallback(vol, (_f, e) => out.push(e.volatility));
        }
        const t = i * 0.3;
        g.emitNamedDataEvent([
          src,
          { timestamp: t, receipt_timestamp: t, mid_price: 100 + (i % 7) * 0.1 },
        ]);
      }
      return out;
    };
    const whole = run();
    for (const cut of [5, 34, 35, 36, 999]) expect(run(cut)).toEqual(whole);
  });
});
