import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookSide, Event, L2BookEvent, L2Order, Level } from '../../events.ts';
import { createFeature } from '../../feature/createFeature.ts';
import type { Feature } from '../../feature/Feature.ts';
import { FeatureStreamGraph } from '../../graph/FeatureStreamGraph.ts';
import { BULK_ORDERS } from '../../orderBook/OrderBook.ts';
import {
  add,
  type Exact,
  exact,
  int,
  mul,
  ratio,
  sub,
  sumOf,
} from '../../../testing/core/exactReference.ts';
import { REL } from '../../../testing/core/exactStreams.ts';

// l2_snapshot_fd lends its book (bookView.ts) when every consumer borrows, and builds plain top-N
// events otherwise. Both paths must give the same bits, and both must match exact arithmetic over
// a reference book that shares no code with the engine's.

const inst = { exchange: 'SIM', symbol: 'X' };

/** The built-in book features over one snapshot node. */
function bookFeatures(depth: number, levels: number) {
  const src = createFeature('l2_book', inst);
  const snap = createFeature('l2_book.l2_snapshot_fd', { depth }, [src]);
  const on = (name: string, params: Record<string, unknown> = {}) =>
    createFeature(name, params, [snap]);
  const consumers = {
    mid: on('price.mid_price_fd'),
    spread: on('spread.spread_bps_fd'),
    relative: on('spread.relative_bid_ask_spread_fd'),
    micro: on('price.microprice_fd'),
    imbalance: on('book.imbalance_fd', { levels }),
    notional: on('book.depth_notional_fd', { levels }),
  };
  return { src, snap, consumers };
}

type Outputs = Record<string, (Event | undefined)[]>;

/**
 * Feed `events` to a graph of the consumers (plus the snapshot itself as an output when
 * `observeSnapshot`, which makes it build plain events); each consumer's output per input.
 */
function run(
  depth: number,
  levels: number,
  events: readonly L2BookEvent[],
  observeSnapshot: boolean,
): { out: Outputs; lending: boolean } {
  const { src, snap, consumers } = bookFeatures(depth, levels);
  const features: Feature[] = Object.values(consumers);
  const g = new FeatureStreamGraph(observeSnapshot ? [...features, snap] : features);
  const out: Outputs = {};
  const last: Record<string, Event | undefined> = {};
  for (const [name, f] of Object.entries(consumers)) {
    out[name] = [];
    g.setCallback(f, (_f, e) => (last[name] = e));
  }
  if (observeSnapshot) g.setCallback(snap, () => {});
  for (const e of events) {
    for (const name of Object.keys(consumers)) last[name] = undefined;
    g.emitNamedDataEvent([src, e]);
    for (const name of Object.keys(consumers)) out[name]!.push(last[name]);
  }
  return { out, lending: g.getStream(snap).downstreamsBorrow() };
}

/** Reference book: price → size maps; the top `depth` levels best first. */
function referenceTops(events: readonly L2BookEvent[], depth: number) {
  const maps = { bid: new Map<number, number>(), ask: new Map<number, number>() };
  let inited = false;
  return events.map((e) => {
    if (!e.delta) {
      maps.bid.clear();
      maps.ask.clear();
      inited = true;
    } else if (!inited) return undefined;
    for (const [side, p, s] of e.orders) {
      if (s !== 0) maps[side].set(p, s);
      else maps[side].delete(p);
    }
    const top = (m: Map<number, number>, desc: boolean): Level[] => {
      const all = [...m].sort((a, b) => (desc ? b[0] - a[0] : a[0] - b[0]));
      return depth < 0 ? all : all.slice(0, depth);
    };
    return { bids: top(maps.bid, true), asks: top(maps.ask, false) };
  });
}

function close(got: unknown, want: number): void {
  expect(typeof got).toBe('number');
  const x = got as number;
  expect(Number.isFinite(x)).toBe(true);
  if (want === 0) expect(x).toBe(0);
  else expect(Math.abs(x - want)).toBeLessThanOrEqual(REL * Math.abs(want));
}

const ex = (x: number): Exact => exact(x);

/** Check every consumer's outputs against exact arithmetic over the reference tops. */
function checkExact(out: Outputs, events: readonly L2BookEvent[], depth: number, levels: number) {
  const tops = referenceTops(events, depth);
  tops.forEach((t, i) => {
    const bid = t?.bids[0];
    const ask = t?.asks[0];
    const both = bid !== undefined && ask !== undefined;
    for (const name of ['mid', 'spread', 'relative', 'micro'] as const) {
      expect(out[name]![i] !== undefined).toBe(both);
    }
    if (both) {
      const [b, a] = [ex(bid[0]), ex(ask[0])];
      close(out.mid![i]!.mid_price, ratio(add(b, a), int(2)));
      close(out.spread![i]!.spread_bps, ratio(mul(int(20000), sub(a, b)), add(a, b)));
      close(out.relative![i]!.spread, ratio(mul(int(2), sub(a, b)), add(a, b)));
      const num = add(mul(b, ex(ask[1])), mul(a, ex(bid[1])));
      close(out.micro![i]!.microprice, ratio(num, add(ex(bid[1]), ex(ask[1]))));
    }
    const sizes = (side: readonly Level[]) => sumOf(side.slice(0, levels).map((l) => ex(l[1])));
    const notional = (side: readonly Level[]) =>
      sumOf(side.slice(0, levels).map((l) => mul(ex(l[0]), ex(l[1]))));
    if (t === undefined) {
      expect(out.imbalance![i]).toBeUndefined();
      expect(out.notional![i]).toBeUndefined();
      return;
    }
    const [sb, sa] = [sizes(t.bids), sizes(t.asks)];
    const total = add(sb, sa);
    if (total.m === 0n) expect(out.imbalance![i]).toBeUndefined();
    else close(out.imbalance![i]!.imbalance, ratio(sub(sb, sa), total));
    close(out.notional![i]!.bid_notional, ratio(notional(t.bids), int(1)));
    close(out.notional![i]!.ask_notional, ratio(notional(t.asks), int(1)));
  });
}

const order: fc.Arbitrary<L2Order> = fc.tuple(
  fc.constantFrom<BookSide>('bid', 'ask'),
  // Bids and asks share one price grid, so a book may be crossed or locked (equal prices): the
  // features must still be exact (spread exactly 0 when locked).
  fc.integer({ min: 1, max: 40 }).map((t) => 100 + t / 8),
  fc.constantFrom(0, 0, 1, 2.5, 0.1, 3e-7),
);
const l2 = (delta: boolean, orders: L2Order[], t: number): L2BookEvent => ({
  timestamp: t,
  receipt_timestamp: t + 0.5,
  delta,
  orders,
});
const stream = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.array(order, { maxLength: 6 }).map((o) => [true, o] as const) },
      { weight: 1, arbitrary: fc.array(order, { maxLength: 30 }).map((o) => [false, o] as const) },
      {
        weight: 1,
        arbitrary: fc
          .array(order, { minLength: BULK_ORDERS, maxLength: BULK_ORDERS + 20 })
          .map((o) => [true, o] as const),
      },
    ),
    { maxLength: 60 },
  )
  .map((items) => items.map(([delta, o], i) => l2(delta, o, i + 1)));
const depths = fc.constantFrom(-1, 0, 1, 2, 3, 25);
const levelCounts = fc.constantFrom(1, 2, 5);

describe('l2_snapshot_fd lending its book to borrowing consumers', () => {
  it('gives the same bits as plain snapshots, and both match exact arithmetic', () => {
    fc.assert(
      fc.property(stream, depths, levelCounts, (events, depth, levels) => {
        const lent = run(depth, levels, events, false);
        const plain = run(depth, levels, events, true);
        expect(lent.lending).toBe(true);
        expect(plain.lending).toBe(false);
        // toEqual compares numbers with Object.is: the very same bits, ±0 included.
        expect(lent.out).toEqual(plain.out);
        checkExact(lent.out, events, depth, levels);
      }),
      { numRuns: 300 },
    );
  });

  it('never lends once a consumer that may keep its input attaches, and plain events stay put', () => {
    const { src, snap, consumers } = bookFeatures(2, 5);
    const g = new FeatureStreamGraph([consumers.mid]);
    const mids: unknown[] = [];
    g.setCallback(consumers.mid, (_f, e) => mids.push(e.mid_price));
    g.emitNamedDataEvent([
      src,
      l2(
        false,
        [
          ['bid', 99, 1],
          ['ask', 101, 1],
        ],
        1,
      ),
    ]);
    expect(g.getStream(snap).downstreamsBorrow()).toBe(true);
    const kept: { e: Event; copy: string }[] = [];
    g.setCallback(snap, (_f, e) => kept.push({ e, copy: JSON.stringify(e) }));
    expect(g.getStream(snap).downstreamsBorrow()).toBe(false);
    g.emitNamedDataEvent([src, l2(true, [['bid', 100, 2]], 2)]);
    g.emitNamedDataEvent([
      src,
      l2(
        true,
        [
          ['bid', 100, 0],
          ['ask', 100.5, 3],
        ],
        3,
      ),
    ]);
    g.emitNamedDataEvent([
      src,
      l2(
        false,
        [
          ['bid', 90, 1],
          ['ask', 91, 1],
        ],
        4,
      ),
    ]);
    expect(mids).toEqual([100, 100.5, 99.75, 90.5]);
    expect(kept.map((k) => k.e)).toEqual([
      {
        timestamp: 2,
        receipt_timestamp: 2.5,
        bids: [
          [100, 2],
          [99, 1],
        ],
        asks: [[101, 1]],
      },
      {
        timestamp: 3,
        receipt_timestamp: 3.5,
        bids: [[99, 1]],
        asks: [
          [100.5, 3],
          [101, 1],
        ],
      },
      { timestamp: 4, receipt_timestamp: 4.5, bids: [[90, 1]], asks: [[91, 1]] },
    ]);
    // What a consumer kept is as it was when emitted.
    for (const k of kept) expect(JSON.stringify(k.e)).toBe(k.copy);
  });
});
