import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookSide } from '../../core/events.ts';
import { BULK_LEVELS, LevelSide } from './LevelBook.ts';

/** The side's levels best first, as [price, size, priceText]. */
function levels(side: LevelSide): [number, number, string][] {
  const out: [number, number, string][] = [];
  for (let r = 0; r < side.length; r++) out.push([side.price(r), side.size(r), side.priceText(r)]);
  return out;
}

/** Reference: the levels replayed on a Map, sorted best first (no shared code). */
function reference(name: BookSide, batches: (readonly [number, number])[][]) {
  const m = new Map<number, number>();
  const changed: boolean[][] = [];
  for (const batch of batches) {
    changed.push(
      batch.map(([p, s]) => {
        if (s !== 0) return (m.set(p, s), true);
        return m.delete(p);
      }),
    );
  }
  const sorted = [...m].sort((a, b) => (name === 'bid' ? b[0] - a[0] : a[0] - b[0]));
  return { levels: sorted.map(([p, s]) => [p, s, String(p)]), changed };
}

describe('LevelSide.setMany', () => {
  const level = fc.tuple(
    fc.integer({ min: 1, max: 80 }).map((t) => t / 8),
    fc.constantFrom(0, 0, 1, 3),
  );
  const batch = fc.oneof(
    fc.array(level, { maxLength: 20 }),
    fc.array(level, { minLength: BULK_LEVELS, maxLength: 2 * BULK_LEVELS }),
  );
  it('equals applying the levels one by one, with per-level change flags', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<BookSide>('bid', 'ask'),
        fc.array(batch, { maxLength: 4 }),
        (name, batches) => {
          const side = new LevelSide(name);
          const flags = batches.map((b) =>
            side.setMany(
              b.map((l) => l[0]),
              b.map((l) => l[1]),
              b.map((l) => String(l[0])),
              b.map((l) => String(l[1])),
            ),
          );
          const want = reference(name, batches);
          expect(levels(side)).toEqual(want.levels);
          expect(flags).toEqual(want.changed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('loads 500k levels sent best first (each would land at the far end) in one merge', () => {
    const n = 500_000;
    const prices = Array.from({ length: n }, (_, k) => 100_000 - k / 100);
    const side = new LevelSide('bid');
    const ones = new Array<number>(n).fill(1);
    side.setMany(prices, ones, prices.map(String), ones.map(String));
    expect(side.length).toBe(n);
    expect([side.price(0), side.price(n - 1)]).toEqual([100_000, 100_000 - (n - 1) / 100]);
    for (let r = 1; r < n; r++) expect(side.price(r) < side.price(r - 1)).toBe(true);
  }, 60_000);
});
