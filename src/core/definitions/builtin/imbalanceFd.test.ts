import { describe, expect, it } from 'vitest';
import type { Level } from '../../events.ts';
import { book, pluck, runBook } from '../../../testing/core/testHelpers.ts';

const name = 'book.imbalance_fd';
const bids: Level[] = [
  [99, 1],
  [98, 2],
  [97, 3],
];
const asks: Level[] = [
  [101, 1],
  [102, 1],
];

describe('imbalanceFd', () => {
  it('sums sizes over the top `levels` levels', () => {
    // levels 2: Σbid = 1 + 2 = 3, Σask = 1 + 1 = 2 → (3 − 2)/(3 + 2) = 0.2
    expect(pluck(runBook(name, { levels: 2 }, [book(1, bids, asks)]), 'imbalance')).toEqual([0.2]);
    // default levels 5 (sides shorter): Σbid = 6, Σask = 2 → 4/8 = 0.5
    expect(runBook(name, {}, [book(1, bids, asks)])).toEqual([
      { timestamp: 1, receipt_timestamp: 1.25, imbalance: 0.5 },
    ]);
  });

  it('is ±1 for a one-sided book and emits nothing for an empty one', () => {
    const out = runBook(name, {}, [book(1, bids, []), book(2, [], asks), book(3, [], [])]);
    expect(pluck(out, 'imbalance')).toEqual([1, -1]);
  });

  it('rejects a non-integer or zero level count', () => {
    expect(() => runBook(name, { levels: 1.5 }, [])).toThrow(/integer/);
    expect(() => runBook(name, { levels: 0 }, [])).toThrow(/≥ 1/);
  });
});
