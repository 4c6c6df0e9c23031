import { describe, expect, it } from 'vitest';
import { emptyBook, setLevel, topLevels } from './OrderBook.ts';

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

  it('gives snapshots that later updates do not alter', () => {
    const b = emptyBook();
    setLevel(b.bids, 100, 1, true);
    const snap = topLevels(b.bids, 25);
    setLevel(b.bids, 100, 5, true);
    setLevel(b.bids, 101, 1, true);
    expect(snap).toEqual([[100, 1]]);
    expect(topLevels(b.bids, 1)).toEqual([[101, 1]]);
    expect(topLevels(b.bids, -1)).toHaveLength(2);
  });
});
