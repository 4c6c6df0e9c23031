import { describe, expect, it } from 'vitest';
import type { RuntimeTelemetry } from '../runtime/TelemetryHub.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { planWorkers } from './workerPlan.ts';
import { toRunTelemetry } from './workerTelemetry.ts';

// mid and volatility on workers of their own: the pipeline edge snapshot->mid crosses workers.
const place: Record<string, string> = { mid: 'w1', volatility: 'w2' };
const doc = {
  ...DEFAULT_PIPELINE,
  nodes: DEFAULT_PIPELINE.nodes.map((n) => (place[n.id] ? { ...n, worker: place[n.id] } : n)),
};
const planned = planWorkers(doc, 4);
if (!planned.graph) throw new Error('nothing planned');
const plan = planned;
const crossing = () => {
  const g = plan.graph;
  const sub = g.subgraphOf();
  const from = plan.nodeIndex.get('snapshot')!;
  return g.edges.find((e) => e.from === sub[from] && e.features.includes(from))!;
};

function report(drops: number, queued: number): RuntimeTelemetry {
  const stats = { items: 0, batches: 0, drops, queued, inFlight: 8, retained: 0, itemsPerSec: 0 };
  return {
    at: 0,
    nodes: [],
    edges: { [String(crossing().id)]: stats },
    workers: [],
    failures: 0,
    recoveries: 0,
    events: [],
    feeds: [],
    markers: [],
  };
}
const edge = (t: RuntimeTelemetry, prev?: RuntimeTelemetry) =>
  toRunTelemetry(t, plan, [], { failures: 0, recoveries: 0 }, prev).edges.get('snapshot->mid')!;

describe('toRunTelemetry', () => {
  it('reports a cross-worker edge’s queue fill and the drops since the previous report', () => {
    expect(crossing()).toBeDefined();
    const a = report(0, 8);
    const b = report(120, 32);
    const c = report(120, 0);
    expect(edge(a)).toMatchObject({ queueFill: 0.25, drops: 0 });
    expect(edge(b, a)).toMatchObject({ queueFill: 1, drops: 120 });
    // The pressure went: the queue drained and nothing more was dropped.
    expect(edge(c, b)).toMatchObject({ queueFill: 0, drops: 0 });
  });

  it('counts a restarted sender’s drops from its new start', () => {
    expect(edge(report(5, 0), report(120, 0)).drops).toBe(5);
  });
});
