import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookSide, L2Order, Level } from '../events.ts';
import {
  applyLevelBestLast,
  applyOrdersBestLast,
  emptyBestLastBook,
  topLevelsBestLast,
} from './BestLastBook.ts';
import { BULK_ORDERS } from './OrderBook.ts';

/** Reference: the orders replayed on a price → size map, then sorted best first (no shared code). */
function reference(start: readonly L2Order[], orders: readonly L2Order[]) {
  const maps = { bid: new Map<number, number>(), ask: new Map<number, number>() };
  for (const [side, p, s] of start) {
    if (s !== 0) maps[side].set(p, s);
    else maps[side].delete(p);
  }
  let missing = 0;
  for (const [side, p, s] of orders) {
    if (s !== 0) maps[side].set(p, s);
    else if (!maps[side].delete(p)) missing++;
  }
  const levels = (m: Map<number, number>, desc: boolean): Level[] =>
    [...m].sort((a, b) => (desc ? b[0] - a[0] : a[0] - b[0]));
  return { bids: levels(maps.bid, true), asks: levels(maps.ask, false), missing };
}

describe('BestLastBook', () => {
  it('stores each side best last and shows it best first', () => {
    const b = emptyBestLastBook();
    for (const p of [100, 102, 101]) applyLevelBestLast(b.bids, p, 1, true);
    for (const p of [105, 103, 104]) applyLevelBestLast(b.asks, p, 2, false);
    expect(b.bids.map((l) => l[0])).toEqual([100, 101, 102]);
    expect(b.asks.map((l) => l[0])).toEqual([105, 104, 103]);
    expect(topLevelsBestLast(b.bids, -1).map((l) => l[0])).toEqual([102, 101, 100]);
    expect(topLevelsBestLast(b.asks, 2).map((l) => l[0])).toEqual([103, 104]);
    expect(topLevelsBestLast(b.asks, 9)).toHaveLength(3);
  });

  it('reports ranks from the best, and -1 for a delete of a missing level', () => {
    const b = emptyBestLastBook();
    expect(applyLevelBestLast(b.bids, 100, 1, true)).toBe(0);
    expect(applyLevelBestLast(b.bids, 99, 1, true)).toBe(1); // below the best
    expect(applyLevelBestLast(b.bids, 101, 1, true)).toBe(0); // the new best
    expect(applyLevelBestLast(b.bids, 99, 0, true)).toBe(2);
    expect(applyLevelBestLast(b.bids, 42, 0, true)).toBe(-1);
    expect(b.bids).toEqual([
      [100, 1],
      [101, 1],
    ]);
  });

  const order = fc.tuple(
    fc.constantFrom<BookSide>('bid', 'ask'),
    fc.integer({ min: 1, max: 60 }).map((t) => t / 4),
    fc.constantFrom(0, 0, 1, 2.5),
  );
  const batch = fc.oneof(
    fc.array(order, { maxLength: 20 }),
    fc.array(order, { minLength: BULK_ORDERS, maxLength: 2 * BULK_ORDERS }),
  );
  it('equals replaying the orders one by one, small and bulk batches alike', () => {
    fc.assert(
      fc.property(batch, batch, (start, orders) => {
        const book = emptyBestLastBook();
        applyOrdersBestLast(book, start);
        const firstBids = topLevelsBestLast(book.bids, -1);
        const firstAsks = topLevelsBestLast(book.asks, -1);
        const r = applyOrdersBestLast(book, orders);
        const want = reference(start, orders);
        const bids = topLevelsBestLast(book.bids, -1);
        const asks = topLevelsBestLast(book.asks, -1);
        expect(bids).toEqual(want.bids);
        expect(asks).toEqual(want.asks);
        expect(r.missingDeletes).toBe(want.missing);
        // Every level ranked above the first changed rank is the very same (immutable) level.
        const same = (a: readonly Level[], b: readonly Level[], n: number) =>
          a.slice(0, n).every((l, k) => l === b[k]);
        expect(same(bids, firstBids, Math.min(r.bidsFrom, bids.length))).toBe(true);
        expect(same(asks, firstAsks, Math.min(r.asksFrom, asks.length))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
