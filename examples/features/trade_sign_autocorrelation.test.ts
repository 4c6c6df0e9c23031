import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TradeSide } from '../../src/core/events.ts';
import { createFeature } from '../../src/core/feature/createFeature.ts';
import { compileDefinitionOrThrow } from '../../src/core/userdef/compileDefinition.ts';
import { int, ratio } from '../../src/testing/core/exactReference.ts';
import { collect, inst, trade } from '../../src/testing/core/testHelpers.ts';
import { exampleSource, expectClose } from '../../src/testing/core/userDefinitions.ts';

const acDef = compileDefinitionOrThrow(exampleSource('trade_sign_autocorrelation'));

function run(trades: number, lag: number, sides: readonly TradeSide[]) {
  const src = createFeature('trades', inst);
  const f = createFeature(acDef, { trades, lag }, [src]);
  return collect(
    f,
    src,
    sides.map((s, i) => trade(i, s, 100, 1)),
  );
}

/**
 * The reference straight from the formula, per trade: the last `cap` signs, deviations from
 * their mean scaled by n (n·s_i − S, integers), ρ = Σ_{i ≥ lag} d_i d_{i−lag} / Σ d_i² in BigInt,
 * one rounding at the end; undefined while n ≤ lag or every sign is equal.
 */
function reference(cap: number, lag: number, sides: readonly TradeSide[]): (number | undefined)[] {
  return sides.map((_, k) => {
    const w = sides.slice(Math.max(0, k + 1 - cap), k + 1).map((s) => (s === 'buy' ? 1n : -1n));
    const n = BigInt(w.length);
    if (w.length <= lag) return undefined;
    const S = w.reduce((a, b) => a + b, 0n);
    const d = w.map((s) => n * s - S);
    const num = d.slice(lag).reduce((a, x, i) => a + x * d[i]!, 0n);
    const den = d.reduce((a, x) => a + x * x, 0n);
    return den === 0n ? undefined : ratio(int(num), int(den));
  });
}

describe('examples.trade_sign_autocorrelation', () => {
  it('alternating signs: negative at lag 1, positive at lag 2 (worked by hand)', () => {
    const alt: TradeSide[] = ['buy', 'sell', 'buy', 'sell', 'buy', 'sell'];
    // Lag 1, n = 2: deviations n·s − S = [2, −2], ρ = (2·−2) / (4 + 4) = −0.5; n = 3: S = 1,
    // d = [2, −4, 2], ρ = (−8 − 8) / 24 = −2/3; n = 4: d = [4, −4, 4, −4], ρ = −48 / 64.
    const lag1 = run(100, 1, alt).map((e) => e.autocorrelation);
    expect(lag1.slice(0, 3)).toEqual([-0.5, -2 / 3, -0.75]);
    // Lag 2 over the last 4: n = 3: d = [2, −4, 2], ρ = 4 / 24; then d = ±[4, −4, 4, −4]: 32 / 64.
    expect(run(4, 2, alt).map((e) => e.autocorrelation)).toEqual([1 / 6, 0.5, 0.5, 0.5]);
    expect(run(10, 1, ['buy', 'buy', 'buy'])).toEqual([]); // no variance: no output
  });

  it('agrees with the exact formula over any window and lag (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<TradeSide>('buy', 'sell'), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (sides, cap, lag) => {
          const want = reference(cap, lag, sides);
          const got = run(cap, lag, sides);
          const wantDefined = want.flatMap((x, i) => (x === undefined ? [] : [[i, x] as const]));
          expect(got.map((e) => e.timestamp)).toEqual(wantDefined.map(([i]) => i));
          got.forEach((e, i) => expectClose(e.autocorrelation as number, wantDefined[i]![1]));
        },
      ),
      { numRuns: 300 },
    );
  });
});
