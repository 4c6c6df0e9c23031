import { featuresFromPipeline, type PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import { dagNodes } from '../runtime/FeatureStreamWorkerGraph.ts';
import { partition, type ScalingStrategy, workerBudget } from '../runtime/ScalingStrategy.ts';
import { feedMoves, type MovedSource, oneWorkerPerFeed } from './liveFeeds.ts';
import { type MergedNode, mergedNodes } from './mergedNodes.ts';
import { runnablePart } from './runnablePart.ts';

/** A document split across workers, with the maps from runtime indexes back to node ids. */
export interface WorkerPlan {
  readonly graph: FeatureStreamWorkerGraph;
  /** Node ids per output position (every runnable node is an output, so every node shows). */
  readonly idsAtOutput: readonly (readonly string[])[];
  /** Node ids per DAG node index (for per-node telemetry and the worker overlay). */
  readonly idsAtNode: readonly (readonly string[])[];
  /** DAG node index of each runnable node id. */
  readonly nodeIndex: ReadonlyMap<string, number>;
  /** The runnable part of the document (edges for per-edge telemetry). */
  readonly doc: PipelineDoc;
  readonly skipped: { nodeId: string; reason: string }[];
  /** Source nodes moved onto their feed's worker against their placement, in DAG order. */
  readonly moved: readonly MovedSource[];
  /**
   * Nodes computed as an identical node's feature whose `worker` field lost to that node's
   * (`mergedNodes`), in DAG order: their notes say so rather than the field being silently ignored.
   */
  readonly merged: readonly MergedNode[];
}

/**
 * Workers a studio run may use by default: one per core minus the main thread, at least 2 (so
 * a pipeline with two sources splits even on a dual-core machine), at most 8 (more threads only
 * add context switches and memory for a canvas-sized pipeline).
 */
export function studioWorkerCount(hardwareConcurrency: number): number {
  return Math.min(8, Math.max(2, Math.floor(hardwareConcurrency) - 1));
}

/**
 * Partition the runnable part of `doc`: nodes with a `worker` are placed on that worker (the
 * `explicit` strategy); the others keep their group under `strategy` (default `per-source`); then
 * the data sources of one live feed move onto one worker (`oneWorkerPerFeed`: one connection
 * per venue, one Simulated market per route). Live runs and replays both plan here, so they
 * split alike. Throws (with a message for the
 * status line) when placements make workers feed each other both ways or exceed the budget.
 */
export function planWorkers(
  doc: PipelineDoc,
  hardwareConcurrency: number,
  strategy: ScalingStrategy = { kind: 'per-source' },
): WorkerPlan | { readonly graph?: undefined; readonly skipped: WorkerPlan['skipped'] } {
  const { doc: runnable, skipped } = runnablePart(doc);
  if (runnable.nodes.length === 0) return { skipped };
  const { byNodeId } = featuresFromPipeline(runnable);
  const outs: Feature[] = [];
  const idsAtOutput: string[][] = [];
  for (const n of runnable.nodes) {
    const f = byNodeId.get(n.id)!;
    let pos = outs.findIndex((o) => o.key === f.key);
    if (pos < 0) pos = outs.push(f) - 1;
    (idsAtOutput[pos] ??= []).push(n.id);
  }
  const nodes = dagNodes(outs);
  const index = new Map(nodes.map((f, i) => [f.key, i]));
  const budget = { hardwareConcurrency, maxWorkers: studioWorkerCount(hardwareConcurrency) };
  // Nodes without a `worker` field are grouped by the strategy (`explicit` means those fields).
  const base: ScalingStrategy = strategy.kind === 'explicit' ? { kind: 'per-source' } : strategy;
  const groups = partition(outs, base, budget).subgraphOf();
  // Identical nodes are one feature: the last `worker` field of its nodes places it (each
  // assignment below overwrites the one before); `mergedNodes` reports the others.
  // Labels: per-source groups first, then one label per named worker (w1…), in first-use order.
  const named = new Map<string, number>();
  const workers: Record<string, number> = {};
  nodes.forEach((f, i) => (workers[f.key] = groups[i]!));
  for (const n of runnable.nodes) {
    if (n.worker === undefined) continue;
    if (!named.has(n.worker)) named.set(n.worker, groups.length + named.size);
    workers[byNodeId.get(n.id)!.key] = named.get(n.worker)!;
  }
  const max = workerBudget({ hardwareConcurrency, maxWorkers: Number.MAX_SAFE_INTEGER });
  // The strategy and the `worker` fields place the features; a feed's sources share a worker.
  const placed = partition(
    outs,
    { kind: 'explicit', workers },
    { hardwareConcurrency, maxWorkers: max },
  );
  const graph = oneWorkerPerFeed(outs, placed);
  const idsAtNode: string[][] = nodes.map(() => []);
  const nodeIndex = new Map<string, number>();
  for (const n of runnable.nodes) {
    const i = index.get(byNodeId.get(n.id)!.key)!;
    idsAtNode[i]!.push(n.id);
    nodeIndex.set(n.id, i);
  }
  const after = graph.subgraphOf();
  const workerField = new Map(runnable.nodes.map((n) => [n.id, n.worker]));
  const moved = feedMoves(outs, placed).flatMap((m) =>
    idsAtNode[m.node]!.map((nodeId) => ({
      nodeId,
      requested: workerField.get(nodeId),
      worker: after[m.node]!,
      withNodeId: idsAtNode[m.owner]![0]!,
      feed: m.feed,
    })),
  );
  const merged = mergedNodes(idsAtNode, workerField, after);
  return { graph, idsAtOutput, idsAtNode, nodeIndex, doc: runnable, skipped, moved, merged };
}
