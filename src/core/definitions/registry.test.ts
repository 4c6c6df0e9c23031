import { describe, expect, it } from 'vitest';
import type { Event, Level } from '../events.ts';
import { createFeature } from '../feature/createFeature.ts';
import type { Feature } from '../feature/Feature.ts';
import { FeatureStreamGraph } from '../graph/FeatureStreamGraph.ts';
import { depUpstreamSchema } from './DataDefinition.ts';
import { builtinDefinitions, getDefinition, listDefinitions } from './registry.ts';
import { inst } from '../../testing/core/testHelpers.ts';

const GROUPS = ['sources', 'order book', 'price', 'volatility', 'flow', 'transforms'];

/** Build `name` with its default slot definitions all the way down to sources. */
function withDefaults(name: string): Feature {
  const def = getDefinition(name);
  if (def.kind === 'source') return createFeature(def, def.channel ? inst : {});
  return createFeature(
    def,
    {},
    depUpstreamSchema(def).map((s) => withDefaults(s.default)),
  );
}

describe('registry', () => {
  it('lists every definition once, in palette group order', () => {
    const names = builtinDefinitions.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    const groupIdx = builtinDefinitions.map((d) => GROUPS.indexOf(d.group));
    expect(groupIdx.every((g, i) => g >= 0 && (i === 0 || g >= groupIdx[i - 1]!))).toBe(true);
    expect(listDefinitions().map((d) => d.name)).toEqual(names);
    expect(names).toEqual(
      expect.arrayContaining([
        'spread.relative_bid_ask_spread_fd',
        'volatility.volatility_stddev_fd',
        'tvi.trade_volume_imb_fd',
        'ohlcv.ohlcv_fd',
        'transforms.diff',
        'price.vwap_fd',
        'book.imbalance_fd',
        'price.microprice_fd',
        'transforms.log_return',
        'transforms.ewma',
        'transforms.zscore',
        'flow.trade_rate_fd',
      ]),
    );
  });

  it('gives every slot a default whose output kind the slot accepts', () => {
    for (const def of builtinDefinitions) {
      if (def.kind !== 'feature') continue;
      for (const layout of Object.values(def.depSchemas)) {
        for (const s of layout) {
          const d = getDefinition(s.default);
          const params = withDefaults(d.name).params;
          expect(s.accepts, `${def.name}.${s.name}`).toContain(d.outputKind(params));
        }
      }
    }
  });

  it('emits events whose fields are exactly timestamp, receipt_timestamp and the schema', () => {
    const bids: Level[] = [
      [99, 1],
      [98, 2],
    ];
    const asks: Level[] = [
      [101, 1],
      [102, 3],
    ];
    const inputs: Record<string, (t: number) => Event> = {
      trades: (t) => ({
        timestamp: t,
        receipt_timestamp: t,
        side: t % 2 ? 'buy' : 'sell',
        price: 100 + t,
        amount: 1,
        id: String(t),
      }),
      l2_book: (t) => ({
        timestamp: t,
        receipt_timestamp: t,
        delta: false,
        orders: [...bids.map((l) => ['bid', l[0], l[1] + t]), ...asks.map((l) => ['ask', ...l])],
      }),
    };
    for (const def of builtinDefinitions) {
      if (def.kind !== 'feature') continue;
      const f = withDefaults(def.name);
      const [src] = f.dataSources();
      const g = new FeatureStreamGraph([f]);
      const out: Event[] = [];
      g.setCallback(f, (_f, e) => out.push(e));
      for (let t = 0; t <= 200; t += 30) {
        g.emitNamedDataEvent([src!, inputs[src!.definition.name]!(t)]);
      }
      expect(out.length, def.name).toBeGreaterThan(0);
      const fields = ['timestamp', 'receipt_timestamp', ...Object.keys(def.outputSchema(f.params))];
      for (const e of out) {
        expect(Object.keys(e), def.name).toEqual(fields);
        for (const [k, type] of Object.entries(def.outputSchema(f.params))) {
          if (type === 'number') expect(typeof e[k], `${def.name}.${k}`).toBe('number');
        }
      }
    }
  });
});
