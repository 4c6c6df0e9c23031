import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event, Level } from '../../src/core/events.ts';
import { createFeature } from '../../src/core/feature/createFeature.ts';
import { compileDefinitionOrThrow } from '../../src/core/userdef/compileDefinition.ts';
import { exact, sumOf, toNumber, type Exact } from '../../src/testing/core/exactReference.ts';
import { book, collect, inst } from '../../src/testing/core/testHelpers.ts';
import { exampleSource, expectClose } from '../../src/testing/core/userDefinitions.ts';

const ofiDef = compileDefinitionOrThrow(exampleSource('order_flow_imbalance'));

function run(levels: number, books: readonly Event[]): Event[] {
  const src = createFeature('l2_book', inst);
  const snap = createFeature('l2_book.l2_snapshot_fd', {}, [src]);
  return collect(createFeature(ofiDef, { levels }, [snap]), snap, books);
}

/** The exact OFI between two books over the top `n` levels (BigInt rationals). */
function reference(n: number, prev: Event, cur: Event): number {
  const terms: Exact[] = [];
  const side = (now: Level[], before: Level[], sign: 1 | -1): void => {
    for (let i = 0; i < n; i++) {
      const c = now[i];
      const p = before[i];
      if (c === undefined || p === undefined) continue;
      // Bids (sign +1): + size now if price rose or held, − size before if it fell or held.
      // Asks (sign −1): mirrored.
      if (sign * (c[0] - p[0]) >= 0) terms.push(exact(sign * c[1]));
      if (sign * (c[0] - p[0]) <= 0) terms.push(exact(-sign * p[1]));
    }
  };
  side(cur.bids as Level[], prev.bids as Level[], 1);
  side(cur.asks as Level[], prev.asks as Level[], -1);
  return toNumber(sumOf(terms));
}

describe('examples.order_flow_imbalance', () => {
  it('adds bid growth and ask shrinkage level by level (hand-made books)', () => {
    const out = run(2, [
      book(
        0,
        [
          [100, 1],
          [99, 2],
        ],
        [
          [101, 1],
          [102, 2],
        ],
      ),
      // bid 100: 1 → 3 (+2); bid 99: 2 → 2 (0); ask 101: 1 → 0.5 (+0.5); ask 102 same (0)
      book(
        1,
        [
          [100, 3],
          [99, 2],
        ],
        [
          [101, 0.5],
          [102, 2],
        ],
      ),
      // best bid rises to 100.5 (+4, old bid not subtracted); level 2 is now 100 vs 99: +3;
      // best ask drops to 100.8 (−1, old ask not added); level 2 is 101 vs 102: −0.5
      book(
        2,
        [
          [100.5, 4],
          [100, 3],
        ],
        [
          [100.8, 1],
          [101, 0.5],
        ],
      ),
      // same book: every level cancels, exactly 0
      book(
        3,
        [
          [100.5, 4],
          [100, 3],
        ],
        [
          [100.8, 1],
          [101, 0.5],
        ],
      ),
    ]);
    expect(out.map((e) => e.ofi)).toEqual([2.5, 5.5, 0]);
    expect(out.map((e) => e.timestamp)).toEqual([1, 2, 3]);
  });

  it('agrees with exact arithmetic; equal books give exactly 0 (property)', () => {
    const level = fc.tuple(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 1e6 }));
    const bookArb = fc.record({
      tick: fc.constantFrom(1e-8, 0.01, 0.1, 1),
      bids: fc.array(level, { maxLength: 6 }),
      asks: fc.array(level, { maxLength: 6 }),
      lot: fc.constantFrom(1e-8, 0.001, 1),
    });
    fc.assert(
      fc.property(
        fc.array(bookArb, { minLength: 2, maxLength: 20 }),
        fc.integer({ min: 1, max: 8 }),
        (raw, n) => {
          const books = raw.map((b, t) => {
            // Bids descending below 1e6 ticks, asks ascending above: a valid book.
            const bids = [...new Set(b.bids.map(([d]) => d))]
              .sort((x, y) => x - y)
              .map((d, i): Level => [(1e6 - d) * b.tick, (b.bids[i]![1] + 1) * b.lot]);
            const asks = [...new Set(b.asks.map(([d]) => d))]
              .sort((x, y) => x - y)
              .map((d, i): Level => [(1e6 + d) * b.tick, (b.asks[i]![1] + 1) * b.lot]);
            return book(t, bids, asks);
          });
          const out = run(n, books);
          expect(out).toHaveLength(books.length - 1);
          out.forEach((e, i) =>
            expectClose(e.ofi as number, reference(n, books[i]!, books[i + 1]!)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
