import { describe, expect, it } from 'vitest';
import { defineFeature } from '../core/definitions/define.ts';
import { createFeature } from '../core/feature/createFeature.ts';
import { Feature } from '../core/feature/Feature.ts';
import type { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import { partition, type ScalingStrategy, workerBudget } from './ScalingStrategy.ts';

const src = (symbol: string, def = 'l2_book') => createFeature(def, { exchange: 'SIM', symbol });
const mid = (s: Feature) =>
  createFeature('price.mid_price_fd', {}, [createFeature('l2_book.l2_snapshot_fd', {}, [s])]);

// A two-input feature (built-ins take one input), to exercise shared subgraphs.
const spread = defineFeature({
  name: 'test.spread',
  title: 'Spread',
  group: 'transforms',
  description: 'a - b',
  depSchemas: {
    pair: [
      { name: 'a', accepts: ['scalar'], default: 'price.mid_price_fd' },
      { name: 'b', accepts: ['scalar'], default: 'price.mid_price_fd' },
    ],
  },
  params: {},
  outputKind: () => 'scalar',
  outputSchema: () => ({ value: 'number' }),
  stream: (ups) => [...ups.values()][0]!,
});

function pipeline(): Feature[] {
  const a = mid(src('BTC-USDT'));
  const b = mid(src('ETH-USDT'));
  const vol = createFeature('volatility.volatility_stddev_fd', {}, [a]);
  const tvi = createFeature('tvi.trade_volume_imb_fd', {}, [src('BTC-USDT', 'trades')]);
  const s = new Feature(spread, {}, [a, b], 'spread');
  const z = createFeature('transforms.zscore', {}, [s]);
  return [vol, tvi, z, b];
}

function checkInvariants(g: FeatureStreamWorkerGraph): void {
  const n = g.dag.nodes.length;
  const owner = new Map<number, number>();
  for (const s of g.subgraphs)
    for (const i of s.nodes) {
      expect(owner.has(i), `node ${i} in two subgraphs`).toBe(false);
      owner.set(i, s.index);
    }
  expect(owner.size).toBe(n);
  // Edges complete: every cross-subgraph dependency is on exactly the edge between its owners.
  const expected = new Set<string>();
  g.dag.nodes.forEach((node, i) => {
    for (const c of node.children) {
      if (owner.get(c) !== owner.get(i)) expected.add(`${owner.get(c)}>${owner.get(i)}:${c}`);
    }
  });
  const actual = new Set(g.edges.flatMap((e) => e.features.map((f) => `${e.from}>${e.to}:${f}`)));
  expect(actual).toEqual(expected);
  // No cycles: subgraphs are numbered topologically, so every edge goes forward.
  for (const e of g.edges) expect(e.from).toBeLessThan(e.to);
  for (const s of g.subgraphs) {
    expect(s.inputs.every((i) => owner.get(i) !== s.index)).toBe(true);
    expect(s.sources.every((i) => g.dag.nodes[i]!.children.length === 0)).toBe(true);
  }
  const outs = g.subgraphs.flatMap((s) => s.outputs).sort();
  expect(outs).toEqual(g.dag.outputs.map((_, i) => i));
}

describe('partition', () => {
  const strategies: ScalingStrategy[] = [
    { kind: 'single' },
    { kind: 'per-source' },
    { kind: 'per-node' },
  ];
  for (const budget of [1, 2, 3, 16]) {
    for (const s of strategies) {
      it(`${s.kind}, ${budget} workers: every node once, edges complete, acyclic`, () => {
        const g = partition(pipeline(), s, { hardwareConcurrency: 16, maxWorkers: budget });
        checkInvariants(g);
        expect(g.subgraphs.length).toBeLessThanOrEqual(budget);
      });
    }
  }

  it('per-source keeps each source with what only it feeds and shares the rest', () => {
    const g = partition(
      pipeline(),
      { kind: 'per-source' },
      { hardwareConcurrency: 16, maxWorkers: 8 },
    );
    expect(g.subgraphs).toHaveLength(4); // BTC book, ETH book, BTC trades, shared
    const shared = g.subgraphs.at(-1)!;
    const names = shared.nodes.map((i) => g.dag.nodes[i]!.definition);
    expect(names).toEqual(['test.spread', 'transforms.zscore']);
    expect(g.edges.map((e) => e.to)).toEqual([3, 3]);
  });

  it('per-source folds by instrument when sources must share workers (a book with its trades)', () => {
    const sources = (g: FeatureStreamWorkerGraph): string[][] =>
      g.subgraphs.map((s) =>
        s.sources.map(
          (i) => `${String(g.dag.nodes[i]!.params.symbol)} ${g.dag.nodes[i]!.definition}`,
        ),
      );
    const outs = ['BTC', 'ETH'].flatMap((sym) => [mid(src(sym)), src(sym, 'trades')]);
    const two = partition(outs, { kind: 'per-source' }, { hardwareConcurrency: 2, maxWorkers: 2 });
    expect(sources(two)).toEqual([
      ['BTC l2_book', 'BTC trades'],
      ['ETH l2_book', 'ETH trades'],
    ]);
    // Room for every source: one each. One instrument on two workers: its sources split.
    const four = partition(outs, { kind: 'per-source' }, { hardwareConcurrency: 4, maxWorkers: 4 });
    expect(sources(four)).toHaveLength(4);
    const one = partition(
      outs.slice(0, 2),
      { kind: 'per-source' },
      { hardwareConcurrency: 2, maxWorkers: 2 },
    );
    expect(sources(one)).toEqual([['BTC l2_book'], ['BTC trades']]);
  });

  it('single puts everything in one worker with no edges', () => {
    const g = partition(pipeline(), { kind: 'single' });
    expect(g.subgraphs).toHaveLength(1);
    expect(g.edges).toEqual([]);
  });

  it('explicit placement follows the map; unplaced nodes follow their first child', () => {
    const outs = pipeline();
    const vol = outs[0]!;
    const g = partition(
      outs,
      { kind: 'explicit', workers: { [vol.key]: 5 } },
      { hardwareConcurrency: 16, maxWorkers: 4 },
    );
    checkInvariants(g);
    expect(g.subgraphs).toHaveLength(2);
    expect(g.subgraphs[1]!.nodes.map((i) => g.dag.nodes[i]!.definition)).toEqual([
      'volatility.volatility_stddev_fd',
    ]);
  });

  it('explicit placement that makes subgraphs feed each other is rejected', () => {
    const outs = pipeline();
    const vol = outs[0]!;
    const midF = vol.children[0]!;
    const book = midF.children[0]!;
    // source (0) → book (1) → mid (0): worker 0 would feed and consume worker 1.
    expect(() =>
      partition(
        outs,
        { kind: 'explicit', workers: { [book.key]: 1, [midF.key]: 0 } },
        { hardwareConcurrency: 16, maxWorkers: 4 },
      ),
    ).toThrow(/cycle/);
  });

  it('explicit placement beyond the budget is rejected', () => {
    const outs = pipeline();
    const workers = Object.fromEntries(outs.map((f, i) => [f.key, i + 1]));
    expect(() => partition(outs, { kind: 'explicit', workers }, { maxWorkers: 2 })).toThrow(
      /budget/,
    );
  });

  it('worker budget: cores − 1 by default, oversubscription capped at max(4, 2 × cores)', () => {
    expect(workerBudget({ hardwareConcurrency: 8 })).toBe(7);
    expect(workerBudget({ hardwareConcurrency: 1 })).toBe(1);
    expect(workerBudget({ hardwareConcurrency: 2 })).toBe(1);
    expect(workerBudget({ hardwareConcurrency: 2, maxWorkers: 3 })).toBe(3);
    expect(workerBudget({ hardwareConcurrency: 2, maxWorkers: 64 })).toBe(4);
    expect(workerBudget({ hardwareConcurrency: 16, maxWorkers: 64 })).toBe(32);
  });
});
