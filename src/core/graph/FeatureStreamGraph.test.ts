import { describe, expect, it } from 'vitest';
import type { Event } from '../events.ts';
import { createFeature } from '../feature/createFeature.ts';
import { FeatureStreamGraph, type GroupedNamedDataEvent } from './FeatureStreamGraph.ts';

const inst = { exchange: 'SIM', symbol: 'BTC-USDT' };

function bookMid() {
  const src = createFeature('l2_book', inst);
  const book = createFeature('l2_book.l2_snapshot_fd', { depth: 2 }, [src]);
  const mid = createFeature('price.mid_price_fd', {}, [book], 'mid');
  return { src, book, mid };
}

const snapshot = (t: number): Event => ({
  timestamp: t,
  receipt_timestamp: t + 0.5,
  delta: false,
  orders: [
    ['bid', 99, 1],
    ['bid', 98, 2],
    ['ask', 101, 1],
    ['ask', 103, 1],
  ],
});

describe('FeatureStreamGraph', () => {
  it('shares identical sub-features as one node', () => {
    const a = bookMid();
    const b = bookMid();
    expect(a.mid.key).toBe(b.mid.key);
    const g = new FeatureStreamGraph([a.mid, b.book]);
    expect(g.getFeatures()).toHaveLength(3);
    expect(g.getIns()).toEqual([a.src]);
    expect(g.getStream(a.book)).toBe(g.getStream(b.book));
  });

  it('delivers (feature, event) to callbacks, computing mid from the book', () => {
    const { src, mid } = bookMid();
    const g = new FeatureStreamGraph([mid]);
    const got: [string, number][] = [];
    g.setCallback(mid, (f, e) => got.push([f.toString(), e.mid_price as number]));
    g.emitNamedDataEvent([
      src,
      { timestamp: 1, receipt_timestamp: 1, delta: true, orders: [['bid', 1, 1]] },
    ]);
    g.emitNamedDataEvent([src, snapshot(2)]);
    g.emitNamedDataEvent([
      src,
      { timestamp: 3, receipt_timestamp: 3, delta: true, orders: [['ask', 101, 0]] },
    ]);
    // Delta before the first snapshot is skipped; then (99+101)/2, then (99+103)/2.
    expect(got).toEqual([
      ['mid', 100],
      ['mid', 101],
    ]);
  });

  it('combines outputs into real (feature, event) pairs once every output has emitted', () => {
    const { src, book, mid } = bookMid();
    const groups: GroupedNamedDataEvent[] = [];
    const g = new FeatureStreamGraph([mid, book], true, (grp) => groups.push(grp));
    g.emitNamedDataEvent([src, snapshot(2)]);
    // The book emits first (it feeds mid), but mid has not emitted yet: one group, after mid.
    expect(groups).toHaveLength(1);
    const [f0, e0] = groups[0]![0]!;
    const [f1, e1] = groups[0]![1]!;
    expect(f0).toBe(mid);
    expect(e0.mid_price).toBe(100);
    expect(f1).toBe(book);
    expect(e1.bids).toEqual([
      [99, 1],
      [98, 2],
    ]);
  });

  it('restores a snapshot into a fresh graph and continues as if uninterrupted', () => {
    const events: Event[] = [
      snapshot(1),
      { timestamp: 2, receipt_timestamp: 2, delta: true, orders: [['bid', 100, 1]] },
      { timestamp: 3, receipt_timestamp: 3, delta: true, orders: [['ask', 100.5, 3]] },
      { timestamp: 4, receipt_timestamp: 4, delta: true, orders: [['bid', 100, 0]] },
    ];
    const run = (evs: Event[], g: FeatureStreamGraph, src: ReturnType<typeof bookMid>['src']) => {
      const out: number[] = [];
      g.setCallback(g.getOuts()[0]!, (_f, e) => out.push(e.mid_price as number));
      for (const e of evs) g.emitNamedDataEvent([src, e]);
      return out;
    };
    const full = bookMid();
    const expected = run(events, new FeatureStreamGraph([full.mid]), full.src);

    const first = bookMid();
    const g1 = new FeatureStreamGraph([first.mid]);
    const head = run(events.slice(0, 2), g1, first.src);
    const snap = JSON.parse(JSON.stringify(g1.snapshot()));
    const second = bookMid();
    const g2 = new FeatureStreamGraph([second.mid]);
    g2.restore(snap);
    const tail = run(events.slice(2), g2, second.src);
    expect([...head, ...tail]).toEqual(expected);
    expect(expected).toEqual([100, 100.5, 100.25, 99.75]);
  });

  it('refuses a snapshot from a different graph', () => {
    const { mid, book } = bookMid();
    const g = new FeatureStreamGraph([mid]);
    const other = new FeatureStreamGraph([book]);
    expect(() => other.restore(g.snapshot())).toThrow(/does not fit/);
  });
});

describe('FeatureStreamGraph over a subgraph (boundary inputs)', () => {
  it('treats boundary features as leaves and matches the whole graph', () => {
    const { src, book, mid } = bookMid();
    const events: Event[] = [
      snapshot(1),
      { timestamp: 2, receipt_timestamp: 2, delta: true, orders: [['ask', 100.5, 1]] },
      { timestamp: 3, receipt_timestamp: 3, delta: true, orders: [['bid', 99.5, 1]] },
    ];
    const whole = new FeatureStreamGraph([mid]);
    const want: unknown[] = [];
    whole.setCallback(mid, (_f, e) => want.push(e));
    const upper = new FeatureStreamGraph([book]);
    const lower = new FeatureStreamGraph([mid], false, undefined, { inputs: [book] });
    expect(lower.getIns()).toEqual([book]);
    expect(lower.getFeatures()).toEqual([book, mid]);
    upper.setCallback(book, (_f, e) => lower.emitNamedDataEvent([book, e]));
    const got: unknown[] = [];
    lower.setCallback(mid, (_f, e) => got.push(e));
    for (const e of events) {
      whole.emitNamedDataEvent([src, e]);
      upper.emitNamedDataEvent([src, e]);
    }
    expect(got).toEqual(want);
    // Snapshots are per subgraph: the source-side one restores into a fresh source-side graph.
    const again = new FeatureStreamGraph([book]);
    again.restore(upper.snapshot());
    expect(again.snapshot()).toEqual(upper.snapshot());
  });
});
