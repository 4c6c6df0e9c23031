import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMicros } from '../../src/core/events.ts';
import { createFeature } from '../../src/core/feature/createFeature.ts';
import { compileDefinitionOrThrow } from '../../src/core/userdef/compileDefinition.ts';
import { exact, mul, sumOf, toNumber } from '../../src/testing/core/exactReference.ts';
import { collect, scalarSource, value } from '../../src/testing/core/testHelpers.ts';
import { exampleSource, expectClose } from '../../src/testing/core/userDefinitions.ts';

const rvDef = compileDefinitionOrThrow(exampleSource('realized_variance'));

function run(grid: string, window: string, points: readonly (readonly [number, number])[]) {
  const src = scalarSource();
  const f = createFeature(rvDef, { grid, window }, [src]);
  return collect(
    f,
    src,
    points.map(([t, x]) => value(t, x)),
  );
}

/**
 * The reference, written from the definition's text: closes per grid interval (last value; a
 * late point joins the open interval), log returns between consecutive closes, and for each
 * return the exact Σ r² over returns whose interval ended in [t − window, t] (µs edges, arrival
 * order).
 */
function reference(
  gridUs: number,
  windowUs: number,
  points: readonly (readonly [number, number])[],
) {
  const closes: { endUs: number; close: number }[] = [];
  let open: { k: number; close: number } | undefined;
  for (const [t, x] of points) {
    const k = Math.floor(toMicros(t) / gridUs);
    if (open && k > open.k) {
      closes.push({ endUs: (open.k + 1) * gridUs, close: open.close });
      open = undefined;
    }
    open = open ? { k: open.k, close: x } : { k, close: x };
  }
  const returns = closes
    .slice(1)
    .map((c, i) => ({ us: c.endUs, r: Math.log(c.close / closes[i]!.close) }));
  return returns.map((ret, i) => {
    const inWindow = returns.slice(0, i + 1).filter((x) => x.us >= ret.us - windowUs);
    return {
      t: ret.us / 1e6,
      rv: toNumber(sumOf(inWindow.map((x) => mul(exact(x.r), exact(x.r))))),
    };
  });
}

describe('examples.realized_variance', () => {
  it('samples the last price of each grid interval and sums squared log returns over the window', () => {
    const out = run('1s', '2s', [
      [0.2, 100],
      [0.9, 110], // close of [0, 1): 110
      [1.5, 121], // closes [0,1) at t=1; close of [1, 2): 121
      [3.1, 121], // closes [1,2) at t=2: r = ln(1.1); [2,3) had no point
      [4.0, 100], // closes [3,4) at t=4: r = 0 (close 121)
      [6.5, 100], // closes [4,5) at t=5: r = ln(100/121); window [3, 5]: ln(1.1) at 2 is out
    ]);
    const r1 = Math.log(121 / 110);
    const r3 = Math.log(100 / 121);
    expect(out.map((e) => e.timestamp)).toEqual([2, 4, 5]);
    expectClose(out[0]!.realized_variance as number, r1 * r1);
    expectClose(out[1]!.realized_variance as number, r1 * r1); // [2, 4]: r1 and 0
    expectClose(out[2]!.realized_variance as number, r3 * r3);
    expect(out.map((e) => e.receipt_timestamp)).toEqual([3.35, 4.25, 6.75]);
  });

  it('a constant price has a realized variance of exactly 0', () => {
    const out = run(
      '1s',
      '1m',
      [...Array(30).keys()].map((i) => [i * 0.7, 65000.5] as const),
    );
    expect(out.length).toBeGreaterThan(10);
    expect(new Set(out.map((e) => e.realized_variance))).toEqual(new Set([0]));
  });

  it('agrees with exact sums of squared returns (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: -300_000, max: 2_000_000 }),
            fc.integer({ min: 1, max: 10_000 }),
          ),
          {
            minLength: 1,
            maxLength: 80,
          },
        ),
        fc.constantFrom(['1s', 1e6], ['250ms', 250e3]),
        fc.constantFrom(['2s', 2e6], ['10s', 10e6]),
        (steps, [grid, gridUs], [window, windowUs]) => {
          let us = 1_700_000_000_000_000;
          const points = steps.map(([dt, p]) => {
            us += dt;
            return [us / 1e6, p / 100] as const;
          });
          const out = run(grid as string, window as string, points);
          const want = reference(gridUs as number, windowUs as number, points);
          expect(out.map((e) => e.timestamp)).toEqual(want.map((w) => w.t));
          out.forEach((e, i) => expectClose(e.realized_variance as number, want[i]!.rv));
        },
      ),
      { numRuns: 300 },
    );
  });
});
