import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookSide, L2Order, Level } from '../events.ts';
import { applyOrders, BULK_ORDERS, emptyBook, setLevel } from './OrderBook.ts';

describe('OrderBook', () => {
  it('keeps bids descending and asks ascending', () => {
    const b = emptyBook();
    for (const p of [100, 102, 101]) setLevel(b.bids, p, 1, true);
    for (const p of [105, 103, 104]) setLevel(b.asks, p, 2, false);
    expect(b.bids.map((l) => l[0])).toEqual([102, 101, 100]);
    expect(b.asks.map((l) => l[0])).toEqual([103, 104, 105]);
  });

  it('replaces the size of an existing level and deletes at size 0', () => {
    const b = emptyBook();
    setLevel(b.bids, 100, 1, true);
    setLevel(b.bids, 100, 3, true);
    expect(b.bids).toEqual([[100, 3]]);
    expect(setLevel(b.bids, 100, 0, true)).toBe(true);
    expect(b.bids).toEqual([]);
  });

  it('reports a delete of a missing level and leaves the book unchanged', () => {
    const b = emptyBook();
    setLevel(b.asks, 10, 1, false);
    expect(setLevel(b.asks, 11, 0, false)).toBe(false);
    expect(b.asks).toEqual([[10, 1]]);
  });

  it('replaces a changed level, never mutates it: a top-N snapshot is one slice', () => {
    const b = emptyBook();
    setLevel(b.bids, 100, 1, true);
    const snap = b.bids.slice(0, 25);
    setLevel(b.bids, 100, 5, true);
    setLevel(b.bids, 101, 1, true);
    expect(snap).toEqual([[100, 1]]);
    expect(b.bids).toEqual([
      [101, 1],
      [100, 5],
    ]);
  });
});

/** Reference: the orders replayed on a price → size map, then sorted (no shared code). */
function reference(
  start: readonly L2Order[],
  orders: readonly L2Order[],
): { bids: Level[]; asks: Level[]; missing: number } {
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

describe('applyOrders', () => {
  const order = fc.tuple(
    fc.constantFrom<BookSide>('bid', 'ask'),
    fc.integer({ min: 1, max: 60 }).map((t) => t / 4),
    fc.constantFrom(0, 0, 1, 2.5),
  );
  // Both paths: below BULK_ORDERS level by level, from it on the sort-and-merge.
  const batch = fc.oneof(
    fc.array(order, { maxLength: 20 }),
    fc.array(order, { minLength: BULK_ORDERS, maxLength: 2 * BULK_ORDERS }),
  );
  it('equals replaying the orders one by one, small and bulk batches alike', () => {
    fc.assert(
      fc.property(batch, batch, (start, orders) => {
        const book = emptyBook();
        applyOrders(book, start);
        const firstBids = book.bids.slice();
        const firstAsks = book.asks.slice();
        const r = applyOrders(book, orders);
        const want = reference(start, orders);
        expect(book.bids).toEqual(want.bids);
        expect(book.asks).toEqual(want.asks);
        expect(r.missingDeletes).toBe(want.missing);
        // Everything above the first changed index is as it was.
        const same = (a: readonly Level[], b: readonly Level[], n: number) =>
          a.slice(0, n).every((l, k) => l === b[k]);
        expect(same(book.bids, firstBids, Math.min(r.bidsFrom, book.bids.length))).toBe(true);
        expect(same(book.asks, firstAsks, Math.min(r.asksFrom, book.asks.length))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('builds a 500k-level-per-side snapshot sent worst-first (a 30 MB line)', () => {
    const n = 500_000;
    const orders: L2Order[] = [];
    // Worst first: every insert of the level-by-level path would shift the whole side.
    for (let k = 0; k < n; k++) orders.push(['bid', 1 + k / 100, 1], ['ask', 100_000 - k / 100, 2]);
    orders.push(['bid', 1, 0], ['ask', 42, 0]); // a delete of a level in the same snapshot, and one of a missing level
    const book = emptyBook();
    const r = applyOrders(book, orders);
    expect(book.bids).toHaveLength(n - 1);
    expect(book.asks).toHaveLength(n);
    expect(r.missingDeletes).toBe(1);
    expect(book.bids[0]).toEqual([1 + (n - 1) / 100, 1]);
    expect(book.bids.at(-1)).toEqual([1.01, 1]);
    expect(book.asks[0]).toEqual([100_000 - (n - 1) / 100, 2]);
    expect(book.asks.at(-1)).toEqual([100_000, 2]);
    for (let k = 1; k < n - 1; k++) expect(book.bids[k]![0] < book.bids[k - 1]![0]).toBe(true);
  }, 60_000);
});
