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

  it('gives exactly 0 when the sides sum to the same exact size, and keeps the digits of a near tie', () => {
    // Σbid = 1 + 2⁻⁵³ + 2⁻⁵³ = 1 + 2⁻⁵² exactly = Σask; a running double sum of the bids rounds
    // to 1 at each step and would give (1 − (1 + 2⁻⁵²))/… = −1.1e-16 instead of 0.
    const tiny = 2 ** -53;
    const tie = book(
      1,
      [
        [99, 1],
        [98, tiny],
        [97, tiny],
      ],
      [[101, 1 + 2 * tiny]],
    );
    // Σbid = 1 + 2⁻⁵² + 2⁻⁵³ exactly, Σask = 1: (2⁻⁵² + 2⁻⁵³)/(2 + 2⁻⁵² + 2⁻⁵³), to 1e-9.
    const near = book(
      2,
      [
        [99, 1],
        [98, 2 * tiny],
        [97, tiny],
      ],
      [[101, 1]],
    );
    const [zero, small] = pluck(runBook(name, { levels: 3 }, [tie, near]), 'imbalance') as number[];
    expect(Object.is(zero, 0)).toBe(true);
    const want = (3 * tiny) / (2 + 3 * tiny);
    expect(Math.abs(small! - want)).toBeLessThanOrEqual(1e-9 * want);
  });

  it('rejects a non-integer or zero level count', () => {
    expect(() => runBook(name, { levels: 1.5 }, [])).toThrow(/integer/);
    expect(() => runBook(name, { levels: 0 }, [])).toThrow(/≥ 1/);
  });
});
