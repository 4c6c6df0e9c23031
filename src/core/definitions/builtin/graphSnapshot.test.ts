import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../events.ts';
import type { Feature } from '../../feature/Feature.ts';
import { createFeature } from '../../feature/createFeature.ts';
import { FeatureStreamGraph } from '../../graph/FeatureStreamGraph.ts';
import { inst, trade } from '../../../testing/core/testHelpers.ts';

/** A fresh set of features: volatility over the ticker mid, TVI and OHLCV over trades. */
function features() {
  const ticker = createFeature('ticker', inst);
  const trades = createFeature('trades', inst);
  const mid = createFeature('price.mid_price_fd', { dep_schema: 'ticker' }, [ticker]);
  const vol = createFeature('volatility.volatility_stddev_fd', { window: '10s' }, [mid]);
  const tvi = createFeature('tvi.trade_volume_imb_fd', { window: '10s' }, [trades]);
  const ohlcv = createFeature('ohlcv.ohlcv_fd', { window: '10s' }, [trades]);
  return { ticker, trades, outs: [vol, tvi, ohlcv] };
}

type Input = readonly ['ticker' | 'trades', Event];

function inputs(): Input[] {
  const out: Input[] = [];
  for (let i = 0; i < 60; i++) {
    const t = 1000 + i * 0.7;
    out.push(['ticker', { timestamp: t, receipt_timestamp: t, bid: 100 + (i % 7), ask: 101 + i }]);
    if (i % 2 === 0) out.push(['trades', trade(t, i % 3 ? 'buy' : 'sell', 100 + (i % 5), 1 + i)]);
  }
  return out;
}

function run(g: FeatureStreamGraph, fs: ReturnType<typeof features>, evs: readonly Input[]) {
  const got: [string, Event][] = [];
  const label = (f: Feature): string => f.definition.name;
  for (const f of fs.outs) g.setCallback(f, (ff, e) => got.push([label(ff), e]));
  for (const [ch, e] of evs) g.emitNamedDataEvent([ch === 'ticker' ? fs.ticker : fs.trades, e]);
  return got;
}

describe('graph snapshot with windowed features', () => {
  it('restores volatility + TVI + OHLCV mid-stream, through a structured clone, as if uninterrupted', () => {
    const evs = inputs();
    const whole = features();
    const expected = run(new FeatureStreamGraph(whole.outs), whole, evs);
    // Sanity: every feature emitted, and windows evicted before the cut.
    for (const n of [
      'volatility.volatility_stddev_fd',
      'tvi.trade_volume_imb_fd',
      'ohlcv.ohlcv_fd',
    ]) {
      expect(expected.some(([l]) => l === n)).toBe(true);
    }

    const cut = 47; // mid-bar, with both sliding windows full
    const a = features();
    const g1 = new FeatureStreamGraph(a.outs);
    const head = run(g1, a, evs.slice(0, cut));
    const snap = structuredClone(g1.snapshot());

    const b = features();
    const g2 = new FeatureStreamGraph(b.outs);
    g2.restore(snap);
    const tail = run(g2, b, evs.slice(cut));
    expect([...head, ...tail]).toEqual(expected);
    expect(tail.length).toBeGreaterThan(0);
  });
});

describe('graph snapshot of every windowed feature, at any cut', () => {
  const windowed = [
    'volatility.volatility_stddev_fd',
    'transforms.zscore',
    'transforms.diff',
    'price.vwap_fd',
    'tvi.trade_volume_imb_fd',
    'flow.trade_rate_fd',
    'ohlcv.ohlcv_fd',
  ];

  function build() {
    const ticker = createFeature('ticker', inst);
    const trades = createFeature('trades', inst);
    const mid = createFeature('price.mid_price_fd', { dep_schema: 'ticker' }, [ticker]);
    const outs = windowed.map((n) =>
      createFeature(n, { window: '3s' }, [
        n.startsWith('v') || n.startsWith('transforms') ? mid : trades,
      ]),
    );
    return { ticker, trades, outs };
  }

  it('restores through a structured clone (as checkpoints travel) and continues exactly as an uninterrupted run', () => {
    const input = fc.record({
      dtMs: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 800 }),
        fc.integer({ min: 3000, max: 9000 }),
        fc.integer({ min: -2000, max: -1 }),
      ),
      trade: fc.boolean(),
      price: fc.integer({ min: 1, max: 50 }),
      amount: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(input, { minLength: 2, maxLength: 200 }), fc.nat(), (steps, cutSeed) => {
        let ms = 1_700_000_000_000;
        const evs: Input[] = steps.map((s) => {
          const t = (ms += s.dtMs) / 1000;
          return s.trade
            ? ['trades', trade(t, s.price % 2 ? 'buy' : 'sell', 100 + s.price / 10, s.amount / 10)]
            : ['ticker', { timestamp: t, receipt_timestamp: t, bid: 100 + s.price / 10, ask: 106 }];
        });
        const cut = 1 + (cutSeed % (evs.length - 1));
        const whole = build();
        const expected = run(new FeatureStreamGraph(whole.outs), whole, evs);
        const a = build();
        const g1 = new FeatureStreamGraph(a.outs);
        const head = run(g1, a, evs.slice(0, cut));
        const snap = structuredClone(g1.snapshot());
        const b = build();
        const g2 = new FeatureStreamGraph(b.outs);
        g2.restore(snap);
        expect([...head, ...run(g2, b, evs.slice(cut))]).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
