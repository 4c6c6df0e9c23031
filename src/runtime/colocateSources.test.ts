import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFeature } from '../core/feature/createFeature.ts';
import { Feature } from '../core/feature/Feature.ts';
import { getDefinition } from '../core/definitions/registry.ts';
import { dagNodes, FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import { colocateSources, sourceRoute, splitRoute } from './colocateSources.ts';
import type { RuntimePlatform } from './ports.ts';
import { StreamManager } from './StreamManager.ts';

/** A random DAG: sources on a few routes of two venues (several instrument types each), then features. */
const dags = fc
  .record({
    sources: fc.array(
      fc.record({
        exchange: fc.constantFrom('SIM', 'KRAKEN'),
        channel: fc.constantFrom('l2_book', 'trades'),
        symbol: fc.constantFrom('BTC-USDT', 'ETH-USDT'),
        type: fc.constantFrom('spot', 'perpetual', 'future'),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    features: fc.array(fc.tuple(fc.nat(), fc.option(fc.nat(), { freq: 2 })), {
      minLength: 1,
      maxLength: 8,
    }),
    labels: fc.array(fc.nat(4), { minLength: 14, maxLength: 14 }),
  })
  .map(({ sources, features, labels }) => {
    const nodes: Feature[] = sources.map((s) =>
      createFeature(s.channel, { exchange: s.exchange, symbol: s.symbol, instrument_type: s.type }),
    );
    const def = getDefinition('price.mid_price_fd');
    features.forEach(([a, b], k) => {
      const children = [nodes[a % nodes.length]!];
      if (b !== null && b % nodes.length !== a % nodes.length)
        children.push(nodes[b % nodes.length]!);
      nodes.push(new Feature(def, { k }, children));
    });
    const outs = [...new Map(nodes.map((f) => [f.key, f])).values()];
    const all = dagNodes(outs);
    return { outs, all, labels: all.map((_, i) => labels[i % labels.length]!) };
  });

/** The assignment as the graph numbers it (topological), or undefined when it has a cycle. */
function built(outs: readonly Feature[], labels: readonly number[]): number[] | undefined {
  try {
    return new FeatureStreamWorkerGraph(outs, labels).subgraphOf();
  } catch {
    return undefined;
  }
}

/** Two ways to name a feed: by route, or by venue (every route of an exchange). */
const byRoute = sourceRoute;
const byVenue = (f: Feature) => JSON.stringify([f.params.exchange]);

describe('colocateSources', () => {
  it('puts every feed on one worker, keeps every other grouping and never makes a cycle (fast-check)', () => {
    let moved = 0;
    fc.assert(
      fc.property(dags, fc.boolean(), ({ outs, all, labels }, venue) => {
        const feedOf = venue ? byVenue : byRoute;
        const before = built(outs, labels);
        fc.pre(before !== undefined);
        const g = new FeatureStreamWorkerGraph(outs, labels);
        const out = colocateSources(outs, g, feedOf);
        const after = out.subgraphOf();
        expect(after, 'no cycle').toBeDefined();
        const feeds = new Map<string, number[]>();
        all.forEach((f, i) => {
          const r = f.isSource ? feedOf(f) : undefined;
          if (r !== undefined) feeds.set(r, [...(feeds.get(r) ?? []), i]);
        });
        for (const ix of feeds.values()) {
          expect(new Set(ix.map((i) => after![i]))).toHaveLength(1);
          // The owner is the route's first subgraph in topological order: its source stays, and
          // so does everything that was with it.
          const first = Math.min(...ix.map((i) => before![i]!));
          const owner = ix.find((i) => before![i] === first)!;
          all.forEach((f, j) => {
            const stays = !f.isSource || feedOf(f) === feedOf(all[owner]!);
            if (before![j] === first && stays) expect(after![j]).toBe(after![owner]);
          });
        }
        // Only sources move: features keep exactly their groups.
        const features = all.flatMap((f, i) => (f.isSource ? [] : [i]));
        for (const i of features)
          for (const j of features) expect(after![i] === after![j]).toBe(before![i] === before![j]);
        if (out !== g) moved++;
        else
          for (const ix of feeds.values())
            expect(new Set(ix.map((i) => before![i]))).toHaveLength(1);
      }),
      { numRuns: 400, seed: 11 },
    );
    // The property met routes split over workers, not only ones already together.
    expect(moved).toBeGreaterThan(50);
  });

  it('a live run refuses a graph made by hand that splits a route, naming it; replay does not', async () => {
    const book = (type: string) =>
      createFeature('l2_book', { exchange: 'SIM', symbol: 'BTC-USDT', instrument_type: type });
    const outs = [
      book('spot'),
      book('perpetual'),
      createFeature('trades', { exchange: 'SIM', symbol: 'BTC-USDT' }),
    ];
    const split = new FeatureStreamWorkerGraph(outs, [0, 1, 2]);
    expect(splitRoute(split)).toBe('SIM l2_book BTC-USDT has sources on workers 0 and 1');
    // Two routes on two workers are two feeds, each opened once.
    expect(splitRoute(new FeatureStreamWorkerGraph(outs, [0, 0, 1]))).toBeUndefined();
    // The check comes before any worker is spawned: a platform that cannot spawn proves it.
    const platform: RuntimePlatform = {
      spawn: () => {
        throw new Error('spawned');
      },
      channel: () => {
        throw new Error('no channels');
      },
      now: () => 0,
    };
    const live = new StreamManager(split, platform, { mode: 'live' });
    await expect(live.start()).rejects.toThrow(
      /^live run: route SIM l2_book BTC-USDT has sources on workers 0 and 1, which would open its feed twice/,
    );
    await expect(new StreamManager(split, platform, { mode: 'replay' }).start()).rejects.toThrow(
      'spawned',
    );
  });
});
