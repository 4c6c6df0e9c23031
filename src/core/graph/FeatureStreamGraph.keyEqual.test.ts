// A key names a computation: two distinct Feature objects with one key are one feature of the
// graph, computed once, and a consumer of both has one upstream. The worker graph (features
// rebuilt from a spec by key) always did this; the in-thread graph used to feed a consumer of
// two key-equal objects the shared stream once per object (fresh-clone CI, seed 1739893329).
import { describe, expect, it } from 'vitest';
import type { Event } from '../events.ts';
import { createFeature } from '../feature/createFeature.ts';
import { Feature } from '../feature/Feature.ts';
import { compileDefinitionOrThrow } from '../userdef/compileDefinition.ts';
import { orderSensitiveSources } from '../../testing/core/userDefinitions.ts';
import { FeatureStreamGraph } from './FeatureStreamGraph.ts';

/** `test.join`: a running hash of (slot, value) over its inputs `a` and `b`. */
const join = compileDefinitionOrThrow(orderSensitiveSources().join);

/** The hash `test.join` keeps, written out here as the reference. */
const joinStep = (h: number, slot: 'a' | 'b', v: number): number =>
  (h * 131 + (slot === 'a' ? 1 : 2) * 1009 + Math.floor(v * 100)) % 1000003;

function mid(symbol: string): { src: Feature; mid: Feature } {
  const src = createFeature('l2_book', { exchange: 'SIM', symbol });
  const book = createFeature('l2_book.l2_snapshot_fd', { depth: 2 }, [src]);
  return { src, mid: createFeature('price.mid_price_fd', {}, [book], `mid_${symbol}`) };
}

/** A book whose mid is `p`. */
const book = (t: number, p: number): Event => ({
  timestamp: t,
  receipt_timestamp: t,
  delta: false,
  orders: [
    ['bid', p - 1, 1],
    ['ask', p + 1, 1],
  ],
});

describe('FeatureStreamGraph: distinct Feature objects with one key', () => {
  // The seed's counterexample: n0 and n1 are both join(mid_1, mid_0); n2 = join(n0, n1).
  const btc = mid('BTC-USDT');
  const eth = mid('ETH-USDT');
  const n0 = new Feature(join, {}, [eth.mid, btc.mid], 'n0');
  const n1 = new Feature(join, {}, [eth.mid, btc.mid], 'n1');
  const n2 = new Feature(join, {}, [n0, n1], 'n2');
  const inputs: [Feature, number, number][] = [
    [btc.src, 1, 100],
    [eth.src, 2, 200],
    [btc.src, 3, 101],
    [eth.src, 4, 203.5],
    [btc.src, 5, 99.25],
  ];

  it('are one node, computed once; a callback on either object reaches it', () => {
    expect(n0).not.toBe(n1);
    expect(n0.key).toBe(n1.key);
    const g = new FeatureStreamGraph([n2, n1]);
    // 2 sources, 2 books, 2 mids, one join(eth, btc), n2.
    expect(g.getFeatures()).toHaveLength(8);
    expect(g.getStream(n0)).toBe(g.getStream(n1));
    const got: [string, string, number][] = [];
    for (const f of [n0, n1, n2])
      g.setCallback(f, (cf, e) => got.push([f.name!, cf.name!, e.v as number]));
    for (const [src, t, p] of inputs) g.emitNamedDataEvent([src, book(t, p)]);

    // Reference: each mid update feeds n0 once (eth in slot a, btc in slot b), and each n0
    // update feeds n2 once, in slot a: its two slots name one upstream.
    let h0 = 7;
    let h2 = 7;
    const want: [string, string, number][] = [];
    for (const [src, , p] of inputs) {
      h0 = joinStep(h0, src === eth.src ? 'a' : 'b', p);
      h2 = joinStep(h2, 'a', h0);
      // n2 first: it was wired onto the shared stream before the callbacks were set.
      want.push(['n2', 'n2', h2], ['n0', 'n0', h0], ['n1', 'n1', h0]);
    }
    expect(got).toEqual(want);
  });

  it('give the bytes of one object used twice (join(n0, n0)), snapshot included', () => {
    const run = (outs: Feature[]): [number[], unknown] => {
      const g = new FeatureStreamGraph(outs);
      const vs: number[] = [];
      g.setCallback(outs[0]!, (_f, e) => vs.push(e.v as number));
      for (const [src, t, p] of inputs) g.emitNamedDataEvent([src, book(t, p)]);
      return [vs, g.snapshot()];
    };
    const once = new Feature(join, {}, [n0, n0], 'n2');
    expect(once.key).toBe(n2.key);
    expect(run([n2])).toEqual(run([once]));
    expect(run([n2])[0]).toHaveLength(inputs.length);
  });
});
