import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { planWorkers, studioWorkerCount } from './workerPlan.ts';

const place = (workers: Record<string, string>) => ({
  ...DEFAULT_PIPELINE,
  nodes: DEFAULT_PIPELINE.nodes.map((n) => (workers[n.id] ? { ...n, worker: workers[n.id] } : n)),
});

function workerOf(plan: ReturnType<typeof planWorkers>): Record<string, number> {
  if (!plan.graph) throw new Error('nothing planned');
  const sub = plan.graph.subgraphOf();
  const out: Record<string, number> = {};
  plan.idsAtNode.forEach((ids, i) => ids.forEach((id) => (out[id] = sub[i]!)));
  return out;
}

describe('planWorkers', () => {
  it('splits an unplaced pipeline per source', () => {
    const w = workerOf(planWorkers(DEFAULT_PIPELINE, 4));
    expect(w.book).toBe(w.volatility);
    expect(w.trades).toBe(w.ohlcv);
    expect(w.book).not.toBe(w.trades);
  });

  it('puts placed nodes on their worker; unplaced ones keep their source group', () => {
    const plan = planWorkers(place({ mid: 'w1', volatility: 'w2' }), 2);
    if (!plan.graph) throw new Error('nothing planned');
    const w = workerOf(plan);
    expect(new Set([w.book, w.mid, w.volatility, w.trades]).size).toBe(4);
    expect(w.snapshot).toBe(w.book);
    expect(w.spread).toBe(w.book);
    expect(plan.graph.subgraphs).toHaveLength(4);
    // Every node is an output, so every node shows a value.
    expect(plan.idsAtOutput.flat().sort()).toEqual(DEFAULT_PIPELINE.nodes.map((n) => n.id).sort());
  });

  it('refuses placements that make workers feed each other both ways', () => {
    expect(() => planWorkers(place({ book: 'w1', mid: 'w1' }), 2)).toThrow(/cycle/);
  });

  it('defaults to cores − 1 workers, within 2..8', () => {
    expect([1, 2, 4, 16, 64].map(studioWorkerCount)).toEqual([2, 2, 3, 8, 8]);
  });
});
