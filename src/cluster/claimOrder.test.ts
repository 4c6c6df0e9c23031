// The order a worker claims groups in (#15): groups it decodes now, then venues it decoded
// before, then the rest; each kind in rotation order from the round's random offset; every group
// once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClaimGroup, claimOrder } from './claimOrder.ts';

describe('claimOrder', () => {
  it('decoding first, then decoded before, then the others, each from the offset on', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            venues: fc.constantFrom('KRAKEN', 'COINBASE', 'BINANCE', 'KRAKEN,COINBASE'),
            n: fc.integer({ min: 1, max: 3 }),
            owned: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.subarray(['KRAKEN', 'COINBASE', 'BINANCE', 'KRAKEN,COINBASE']),
        fc.nat(),
        (specs, before, seed) => {
          const groups: ClaimGroup[] = specs.map((g, j) => ({
            venues: g.venues,
            subgraphs: Array.from({ length: g.n }, (_, i) => [`p${j}`, i] as const),
          }));
          const owned = new Set(
            specs.flatMap((g, j) =>
              g.owned.slice(0, g.n).flatMap((o, i) => (o ? [`p${j}.${i}`] : [])),
            ),
          );
          const offset = seed % groups.length;
          const out = claimOrder(groups, (p, i) => owned.has(`${p}.${i}`), new Set(before), offset);
          // Each group once.
          expect([...out].sort((a, b) => groups.indexOf(a) - groups.indexOf(b))).toEqual(groups);
          // The kind of each group, by the rules (not by the code's helpers).
          const kind = (g: ClaimGroup): number =>
            g.subgraphs.some(([p, i]) => owned.has(`${p}.${i}`))
              ? 0
              : before.includes(g.venues)
                ? 1
                : 2;
          const kinds = out.map(kind);
          expect(kinds).toEqual([...kinds].sort((a, b) => a - b));
          // Within a kind: increasing distance from the offset (rotation order).
          const dist = (g: ClaimGroup): number =>
            (groups.indexOf(g) - offset + groups.length) % groups.length;
          for (let k = 1; k < out.length; k++)
            if (kinds[k] === kinds[k - 1]) expect(dist(out[k]!)).toBeGreaterThan(dist(out[k - 1]!));
        },
      ),
    );
  });
});
