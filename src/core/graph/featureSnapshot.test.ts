import { describe, expect, it } from 'vitest';
import type { Event } from '../events.ts';
import { createFeature } from '../feature/createFeature.ts';
import { FeatureStreamGraph } from './FeatureStreamGraph.ts';

const inst = { exchange: 'SIM', symbol: 'BTC-USDT' };

function pipeline(volWindow: string) {
  const src = createFeature('l2_book', inst);
  const book = createFeature('l2_book.l2_snapshot_fd', { depth: 2 }, [src]);
  const mid = createFeature('price.mid_price_fd', {}, [book], 'mid');
  const vol = createFeature('volatility.volatility_stddev_fd', { window: volWindow }, [mid], 'vol');
  return { src, book, mid, vol };
}

const book = (t: number, bid: number): Event => ({
  timestamp: t,
  receipt_timestamp: t,
  delta: false,
  orders: [
    ['bid', bid, 1],
    ['ask', bid + 2, 1],
  ],
});
const events = [1, 2, 3, 4, 5, 6].map((t) => book(t, 100 + ((t * 7) % 5)));

function run(g: FeatureStreamGraph, p: ReturnType<typeof pipeline>, evs: Event[]) {
  const out: { mid: number[]; vol: unknown[] } = { mid: [], vol: [] };
  g.setCallback(p.mid, (_f, e) => out.mid.push(e.mid_price as number));
  g.setCallback(p.vol, (_f, e) => out.vol.push(e));
  for (const e of evs) g.emitNamedDataEvent([p.src, e]);
  return out;
}

describe('FeatureStreamGraph per-feature snapshots', () => {
  it('snapshots each feature’s own operators, keyed by feature key', () => {
    const p = pipeline('10s');
    const g = new FeatureStreamGraph([p.vol]);
    run(g, p, events.slice(0, 3));
    const snaps = g.snapshotFeatures();
    expect(Object.keys(snaps)).toContain(p.vol.key);
    expect(snaps[p.src.key]).toBeUndefined();
    // Together the features hold exactly the graph's stateful operators.
    const kinds = Object.values(snaps).flatMap((s) => s.kinds);
    expect(kinds.sort()).toEqual([...g.snapshot().kinds].sort());
  });

  it('carries over unchanged features into an edited graph; changed ones start fresh', () => {
    const before = pipeline('10s');
    const g1 = new FeatureStreamGraph([before.vol]);
    run(g1, before, events.slice(0, 3));
    const snaps = JSON.parse(JSON.stringify(g1.snapshotFeatures()));

    // The volatility window is edited: its key changes, the book and mid keys do not.
    const after = pipeline('20s');
    const g2 = new FeatureStreamGraph([after.vol]);
    const restored = g2.restoreFeatures(snaps);
    expect(restored).not.toContain(after.vol.key);
    expect(restored).not.toContain(before.vol.key);
    const tail = run(g2, after, events.slice(3));

    // The vol window restarts, but with the same window everything continues as uninterrupted.
    const whole = pipeline('20s');
    const ref = run(new FeatureStreamGraph([whole.vol]), whole, events);
    expect(tail.mid).toEqual(ref.mid.slice(3));
    const same = pipeline('10s');
    const g3 = new FeatureStreamGraph([same.vol]);
    g3.restoreFeatures(snaps);
    const cont = run(g3, same, events.slice(3));
    const full = pipeline('10s');
    const uninterrupted = run(new FeatureStreamGraph([full.vol]), full, events);
    expect(cont.vol).toEqual(uninterrupted.vol.slice(uninterrupted.vol.length - cont.vol.length));
    expect(cont.vol.length).toBe(3);
  });

  it('refuses a feature snapshot whose operators do not match', () => {
    const p = pipeline('10s');
    const g = new FeatureStreamGraph([p.vol]);
    const snaps = g.snapshotFeatures();
    const bogus = { [p.vol.key]: { version: 1 as const, kinds: ['nope'], states: [1] } };
    expect(() => g.restoreFeatures(bogus)).toThrow(/does not fit/);
    expect(g.restoreFeatures(snaps).length).toBeGreaterThan(0);
  });
});

describe('graph snapshots hold no live state', () => {
  it('a snapshot is the same after the graph plays on (windows and every other operator)', () => {
    const p = pipeline('10s');
    const g = new FeatureStreamGraph([p.vol]);
    run(g, p, events.slice(0, 3));
    const snap = g.snapshot();
    const before = structuredClone(snap);
    run(g, p, events.slice(3));
    expect(snap).toEqual(before);
    // And it restores to what playing on from there gives.
    const fresh = new FeatureStreamGraph([p.vol]);
    fresh.restore(snap);
    const whole = run(new FeatureStreamGraph([p.vol]), p, events);
    expect(run(fresh, p, events.slice(3)).vol).toEqual(whole.vol.slice(3));
  });
});
