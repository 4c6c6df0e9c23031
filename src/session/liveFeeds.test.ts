import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { planWorkers } from './workerPlan.ts';

/** A source → snapshot-or-nothing chain per entry; ids `<id>`, `<id>_snap`, `<id>_mid`. */
function doc(sources: readonly [string, string, Record<string, string>][]): PipelineDoc {
  const nodes: PipelineDoc['nodes'][number][] = [];
  const edges: PipelineDoc['edges'][number][] = [];
  for (const [id, definition, params] of sources) {
    nodes.push({ id, definition, params, position: { x: 0, y: 0 } });
    if (definition !== 'l2_book') continue;
    nodes.push({
      id: `${id}_snap`,
      definition: 'l2_book.l2_snapshot_fd',
      params: {},
      position: { x: 0, y: 0 },
    });
    nodes.push({
      id: `${id}_mid`,
      definition: 'price.mid_price_fd',
      params: {},
      position: { x: 0, y: 0 },
    });
    edges.push({ id: `${id}-s`, source: id, target: `${id}_snap`, targetSlot: 'book' });
    edges.push({ id: `${id}-m`, source: `${id}_snap`, target: `${id}_mid`, targetSlot: 'book' });
  }
  return { version: 1, name: 'feeds', nodes, edges } as PipelineDoc;
}

function workerOf(plan: ReturnType<typeof planWorkers>): Record<string, number> {
  if (!plan.graph) throw new Error('nothing planned');
  const sub = plan.graph.subgraphOf();
  const out: Record<string, number> = {};
  plan.idsAtNode.forEach((ids, i) => ids.forEach((id) => (out[id] = sub[i]!)));
  return out;
}

const SIM_SPOT = { exchange: 'SIM', symbol: 'BTC-USDT', instrument_type: 'spot' };
const SIM_PERP = { ...SIM_SPOT, instrument_type: 'perpetual' };
const COINBASE = { exchange: 'COINBASE', symbol: 'BTC-USDT' };
const KRAKEN = { exchange: 'KRAKEN', symbol: 'BTC-USDT' };

describe('one live feed, one worker (planWorkers)', () => {
  const strategies = [{ kind: 'per-source' }, { kind: 'per-node' }] as const;

  it('puts two sources of one route on one worker, in every strategy and against worker fields', () => {
    const two = doc([
      ['book', 'l2_book', SIM_SPOT],
      ['book2', 'l2_book', SIM_PERP],
    ]);
    const placed = {
      ...two,
      nodes: two.nodes.map((n) => (n.id === 'book2' ? { ...n, worker: 'w1' } : n)),
    };
    for (const [d, s] of [
      ...strategies.map((s) => [two, s] as const),
      [placed, { kind: 'per-source' }] as const,
    ]) {
      const w = workerOf(planWorkers(d, 8, s));
      expect(w.book2, s.kind).toBe(w.book);
      // The chains under them stay on workers of their own.
      expect(w.book2_mid, s.kind).not.toBe(w.book_mid);
    }
  });

  it('puts every source of one venue on one worker (one connection), each venue its own', () => {
    const venues = doc([
      ['cbook', 'l2_book', COINBASE],
      ['ctrades', 'trades', COINBASE],
      ['cticker', 'ticker', { ...COINBASE, symbol: 'ETH-USDT' }],
      ['kbook', 'l2_book', KRAKEN],
      ['ktrades', 'trades', KRAKEN],
    ]);
    for (const s of strategies) {
      const w = workerOf(planWorkers(venues, 8, s));
      expect(w.ctrades, s.kind).toBe(w.cbook);
      expect(w.cticker, s.kind).toBe(w.cbook);
      expect(w.ktrades, s.kind).toBe(w.kbook);
      expect(w.kbook, s.kind).not.toBe(w.cbook);
    }
  });

  it('leaves Simulated-market routes apart (each route is its own market) and the default pipeline as it was', () => {
    const w = workerOf(planWorkers(DEFAULT_PIPELINE, 4));
    expect(w.book).not.toBe(w.trades);
    expect(planWorkers(DEFAULT_PIPELINE, 4).graph!.subgraphs).toHaveLength(2);
  });

  it('says which sources moved, from which requested worker, to which, for which feed', () => {
    const venues = doc([
      ['kbook', 'l2_book', KRAKEN],
      ['ktrades', 'trades', KRAKEN],
      ['cbook', 'l2_book', COINBASE],
    ]);
    const placed = {
      ...venues,
      nodes: venues.nodes.map((n) => (n.id === 'ktrades' ? { ...n, worker: 'w1' } : n)),
    };
    const plan = planWorkers(placed, 8);
    const w = workerOf(plan);
    // Coinbase is alone on its connection: nothing to say about it, nor about any feature.
    expect(plan.graph && plan.moved).toEqual([
      {
        nodeId: 'ktrades',
        requested: 'w1',
        worker: w.kbook,
        withNodeId: 'kbook',
        feed: { kind: 'venue', exchange: 'KRAKEN' },
      },
    ]);
    expect(w.ktrades).toBe(w.kbook);
  });

  it('names the Simulated-market route a source moved for, and the strategy as its request', () => {
    const sim = doc([
      ['book', 'l2_book', SIM_SPOT],
      ['book2', 'l2_book', SIM_PERP],
      ['trades', 'trades', SIM_SPOT],
    ]);
    for (const s of strategies) {
      const plan = planWorkers(sim, 8, s);
      expect(plan.graph && plan.moved, s.kind).toEqual([
        {
          nodeId: 'book2',
          requested: undefined,
          worker: workerOf(plan).book,
          withNodeId: 'book',
          feed: { kind: 'route', exchange: 'SIM', channel: 'l2_book', symbol: 'BTC-USDT' },
        },
      ]);
    }
  });

  it('moves nothing when every feed has one source (the default pipeline)', () => {
    const plan = planWorkers(DEFAULT_PIPELINE, 4);
    expect(plan.graph && plan.moved).toEqual([]);
  });

  it('reports every move consistently with where the sources run, for any sources and fields', () => {
    const source = fc.record({
      exchange: fc.constantFrom('KRAKEN', 'COINBASE', 'SIM'),
      channel: fc.constantFrom('l2_book', 'trades'),
      perp: fc.boolean(),
      worker: fc.constantFrom(undefined, 'w1', 'w2'),
    });
    const strategy = fc.constantFrom(...strategies);
    fc.assert(
      fc.property(
        // Two identical nodes are one feature (one placement): distinct sources only.
        fc.uniqueArray(source, {
          minLength: 1,
          maxLength: 6,
          selector: (x) => `${x.exchange} ${x.channel} ${x.perp}`,
        }),
        strategy,
        (list, s) => {
          const d = doc(
            list.map((x, i) => [
              `s${i}`,
              x.channel,
              {
                exchange: x.exchange,
                symbol: 'BTC-USDT',
                instrument_type: x.perp ? 'perpetual' : 'spot',
              },
            ]),
          );
          const fields = new Map(list.map((x, i) => [`s${i}`, x.worker]));
          const placed = {
            ...d,
            nodes: d.nodes.map((n) => (fields.get(n.id) ? { ...n, worker: fields.get(n.id) } : n)),
          };
          const plan = planWorkers(placed, 8, s);
          if (!plan.graph) throw new Error('nothing planned');
          const w = workerOf(plan);
          // The feed, by the rule: a venue is one feed, a Simulated route (channel, symbol) one.
          const feedOf = (id: string) => {
            const x = list[Number(id.slice(1))]!;
            return x.exchange === 'SIM' ? `SIM ${x.channel}` : x.exchange;
          };
          const moved = new Map(plan.moved.map((m) => [m.nodeId, m]));
          for (const m of plan.moved) {
            expect(fields.has(m.nodeId)).toBe(true);
            expect(feedOf(m.withNodeId)).toBe(feedOf(m.nodeId));
            expect(moved.has(m.withNodeId)).toBe(false);
            expect([m.worker, w[m.nodeId]]).toEqual([w[m.withNodeId], w[m.withNodeId]]);
            expect(m.requested).toBe(fields.get(m.nodeId));
            const x = list[Number(m.nodeId.slice(1))]!;
            expect(m.feed).toEqual(
              x.exchange === 'SIM'
                ? { kind: 'route', exchange: 'SIM', channel: x.channel, symbol: 'BTC-USDT' }
                : { kind: 'venue', exchange: x.exchange },
            );
          }
          const byFeed = new Map<string, string[]>();
          for (const id of fields.keys())
            byFeed.set(feedOf(id), [...(byFeed.get(feedOf(id)) ?? []), id]);
          for (const ids of byFeed.values()) {
            // Every source of a feed on one worker, and what joined whom named once per feed.
            expect(new Set(ids.map((id) => w[id])).size).toBe(1);
            expect(new Set(ids.flatMap((id) => moved.get(id)?.withNodeId ?? [])).size).toBeLessThan(
              2,
            );
            const asked = new Set(ids.map((id) => fields.get(id)));
            // All placed on one named worker: they were together already, nothing moved.
            if (asked.size === 1 && !asked.has(undefined))
              expect(ids.filter((id) => moved.has(id))).toEqual([]);
            // Two named workers asked: they were apart, so one at least was moved.
            if ([...asked].filter((a) => a !== undefined).length > 1)
              expect(ids.some((id) => moved.has(id))).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
