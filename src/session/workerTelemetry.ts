import type { RuntimeTelemetry } from '../runtime/TelemetryHub.ts';
import type { FeedStatus } from '../sources/connection/FeedStatus.ts';
import type { RunTelemetry } from './PipelineRunner.ts';
import type { WorkerPlan } from './workerPlan.ts';

/** Queued batches a live edge holds before dropping the oldest (Transport's default). */
const EDGE_QUEUE = 32;

/**
 * The runtime's report (DAG node indexes, worker edges) in the studio's terms (node ids, pipeline
 * edge ids). Runs at the telemetry rate (≤ 10 Hz), never per event. `offset` carries failure and
 * recovery counts over from the runs an edit replaced. An edge's `drops` are those since `prev`
 * (the previous report of the same run): the runtime counts drops since a sender started, and a
 * running total would keep an edge coloured as backpressured long after the pressure went.
 */
export function toRunTelemetry(
  rt: RuntimeTelemetry,
  plan: WorkerPlan,
  states: readonly { index: number; alive: boolean; restarts: number }[],
  offset: { failures: number; recoveries: number },
  prev?: RuntimeTelemetry,
): RunTelemetry {
  const g = plan.graph;
  const latency = new Map(rt.workers.map((w) => [w.worker, w.latencyMs]));
  const rate = new Map(rt.nodes.map((n) => [n.node, n.eventsPerSec]));
  const nodes = new Map<string, { eventsPerSec: number; latencyMs?: number }>();
  for (const n of rt.nodes) {
    const lat = latency.get(n.worker);
    for (const id of plan.idsAtNode[n.node] ?? [])
      nodes.set(id, { eventsPerSec: n.eventsPerSec, ...(lat ? { latencyMs: lat } : {}) });
  }
  const subOf = g.subgraphOf();
  const edges = new Map<string, { eventsPerSec: number; queueFill: number; drops: number }>();
  for (const e of plan.doc.edges) {
    const from = plan.nodeIndex.get(e.source);
    const to = plan.nodeIndex.get(e.target);
    if (from === undefined || to === undefined) continue;
    const eventsPerSec = rate.get(from) ?? 0;
    const we = g.edges.find(
      (x) => x.from === subOf[from] && x.to === subOf[to] && x.features.includes(from),
    );
    const st = we ? rt.edges[String(we.id)] : undefined;
    const before = we ? (prev?.edges[String(we.id)]?.drops ?? 0) : 0;
    edges.set(e.id, {
      eventsPerSec,
      queueFill: st ? Math.min(1, st.queued / EDGE_QUEUE) : 0,
      // A restarted sender counts from 0 again: fewer than before means all of these are new.
      drops: st ? (st.drops >= before ? st.drops - before : st.drops) : 0,
    });
  }
  return {
    workers: states.map((s) => ({
      ...s,
      nodeIds: (g.subgraphs[s.index]?.nodes ?? []).flatMap((i) => plan.idsAtNode[i] ?? []),
    })),
    nodes,
    edges,
    feeds: rt.feeds as FeedStatus[],
    failures: offset.failures + rt.failures,
    recoveries: offset.recoveries + rt.recoveries,
    moved: plan.moved,
    merged: plan.merged,
  };
}
