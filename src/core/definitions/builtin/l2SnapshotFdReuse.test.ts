import { describe, expect, it } from 'vitest';
import type { Event, L2BookEvent, L2Order } from '../../events.ts';
import { createFeature } from '../../feature/createFeature.ts';
import { FeatureStreamGraph } from '../../graph/FeatureStreamGraph.ts';

const ev = (t: number, delta: boolean, orders: L2Order[]): L2BookEvent => ({
  timestamp: t,
  receipt_timestamp: t,
  delta,
  orders,
});

// l2_snapshot_fd shares an unchanged side's top-N array between outputs (a bench optimization):
// sharing must never let a later update show through an earlier output.
describe('l2_snapshot_fd top-N reuse', () => {
  it('reuses an unchanged side and never alters earlier outputs', () => {
    const src = createFeature('l2_book', { exchange: 'SIM', symbol: 'X' });
    const book = createFeature('l2_book.l2_snapshot_fd', { depth: 2 }, [src]);
    const g = new FeatureStreamGraph([book]);
    const out: Event[] = [];
    g.setCallback(book, (_f, e) => out.push(e));
    const emit = (e: L2BookEvent): void => g.emitNamedDataEvent([src, e]);
    emit(
      ev(1, false, [
        ['bid', 99, 1],
        ['bid', 98, 1],
        ['bid', 97, 1],
        ['ask', 101, 1],
      ]),
    );
    emit(ev(2, true, [['bid', 97, 5]])); // below the top 2: nothing visible changes
    emit(ev(3, true, [['bid', 99, 2]])); // top bid changes
    const [a, b, c] = out as [Event, Event, Event];
    expect(b.bids).toBe(a.bids);
    expect(b.asks).toBe(a.asks);
    expect(c.bids).not.toBe(b.bids);
    expect(c.asks).toBe(a.asks);
    expect(a.bids).toEqual([
      [99, 1],
      [98, 1],
    ]);
    expect(c.bids).toEqual([
      [99, 2],
      [98, 1],
    ]);
    emit(
      ev(4, false, [
        ['bid', 99, 2],
        ['bid', 98, 1],
        ['ask', 101, 1],
      ]),
    ); // new snapshot, equal top
    expect(out[3]!.bids).toEqual(c.bids);
  });
});

describe('l2_snapshot_fd top-N cache', () => {
  it('does not leak a cached top-N across a restore into a graph that already ran', () => {
    const src = createFeature('l2_book', { exchange: 'SIM', symbol: 'X' });
    const book = createFeature('l2_book.l2_snapshot_fd', { depth: 1 }, [src]);
    const snapshotOf = (bid: number) => ({
      timestamp: bid,
      receipt_timestamp: bid,
      delta: false,
      orders: [
        ['bid', bid, 1],
        ['ask', 1000, 1],
      ],
    });
    const g = new FeatureStreamGraph([book]);
    const out: unknown[] = [];
    g.setCallback(book, (_f, e) => out.push(e.bids));
    g.emitNamedDataEvent([src, snapshotOf(1)]);
    const early = g.snapshot();
    g.emitNamedDataEvent([src, snapshotOf(2)]);
    g.restore(early);
    // A delta deep in the book (index 1 ≥ depth) must still report the restored book's top: bid 1.
    g.emitNamedDataEvent([
      src,
      { timestamp: 3, receipt_timestamp: 3, delta: true, orders: [['bid', 0.5, 1]] },
    ]);
    expect(out.at(-1)).toEqual([[1, 1]]);
  });
});
