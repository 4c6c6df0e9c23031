import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFeature } from '../core/feature/createFeature.ts';
import { Feature } from '../core/feature/Feature.ts';
import { compileDefinitionOrThrow } from '../core/userdef/compileDefinition.ts';
import { orderSensitiveSources } from '../testing/core/userDefinitions.ts';
import { multiFeatures } from '../testing/sources/testPipeline.ts';
import { compareKeys, needsDerivationOrder } from './DerivationOrder.ts';
import { toDagSpec } from './featureSpec.ts';
import { partition } from './ScalingStrategy.ts';
import { changedSubgraphs } from './workerConfigs.ts';

const join = compileDefinitionOrThrow(orderSensitiveSources().join);
const step = compileDefinitionOrThrow(orderSensitiveSources().step);
const mid = (symbol: string, instrument_type = 'spot') =>
  createFeature('price.mid_price_fd', {}, [
    createFeature('l2_book.l2_snapshot_fd', {}, [
      createFeature('l2_book', { exchange: 'SIM', symbol, instrument_type }),
    ]),
  ]);
const needs = (outs: Feature[], workers = 4) => needsDerivationOrder(toDagSpec(outs), workers);

describe('needsDerivationOrder', () => {
  it('is off for pipelines without a node joining one input twice (built-ins have one input)', () => {
    expect(needs(multiFeatures())).toBe(false);
    // A join of two instruments: their inputs never share a sequence number.
    expect(needs([new Feature(join, {}, [mid('BTC-USDT'), mid('ETH-USDT')])])).toBe(false);
  });

  it('is on for a diamond, a longer reconvergent path and two sources on one route', () => {
    const m = mid('BTC-USDT');
    expect(needs([new Feature(join, {}, [m, new Feature(step, {}, [m])])])).toBe(true);
    const far = new Feature(step, {}, [new Feature(step, {}, [new Feature(step, {}, [m])])]);
    expect(needs([new Feature(join, {}, [far, new Feature(step, {}, [m])])])).toBe(true);
    // Replay and live feed every source on (exchange, channel, symbol) the same lines.
    expect(needs([new Feature(join, {}, [m, mid('BTC-USDT', 'perpetual')])])).toBe(true);
  });

  it('is off on one worker, whatever the shape', () => {
    const m = mid('BTC-USDT');
    expect(needs([new Feature(join, {}, [m, new Feature(step, {}, [m])])], 1)).toBe(false);
  });
});

describe('changedSubgraphs', () => {
  it('restarts every worker when an edit turns ordered delivery on (same shape, new route)', () => {
    // join(mid ETH, step(mid BTC)) → join(mid BTC perpetual, step(mid BTC)): the same shape,
    // but both sources now take the BTC-USDT book lines.
    const graph = (other: string, type = 'spot') => {
      const outs = [
        new Feature(join, {}, [mid(other, type), new Feature(step, {}, [mid('BTC-USDT')])]),
      ];
      return partition(outs, { kind: 'per-node' }, { hardwareConcurrency: 16, maxWorkers: 16 });
    };
    const [eth, btc] = [graph('ETH-USDT'), graph('BTC-USDT', 'perpetual')];
    expect(needsDerivationOrder(eth.dag, 2)).toBe(false);
    expect(needsDerivationOrder(btc.dag, 2)).toBe(true);
    expect(changedSubgraphs(eth, btc)).toBeUndefined();
    // An edit that keeps the mode rebuilds only the changed workers.
    expect(changedSubgraphs(eth, graph('SOL-USDT'))).toEqual(expect.any(Array));
  });
});

describe('compareKeys', () => {
  const key = fc.array(fc.nat(5), { maxLength: 6 });
  it('is the lexicographic order of paths, a prefix first (fast-check)', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        const want = a.join(',') === b.join(',') ? 0 : lexLess(a, b) ? -1 : 1;
        expect(Math.sign(compareKeys(a, b))).toBe(want);
      }),
    );
  });
});

/** The reference: walk both paths, the first difference decides; a path before its extensions. */
function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; ; i++) {
    if (i === b.length) return false;
    if (i === a.length) return true;
    if (a[i] !== b[i]) return a[i]! < b[i]!;
  }
}
