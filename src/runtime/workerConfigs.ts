import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import { needsDerivationOrder } from './DerivationOrder.ts';
import type { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import type { TransportOptions } from './Transport.ts';
import type { RunMode, WorkerConfig } from './workerTypes.ts';

/** What every worker of one run shares (from the manager's options). */
export interface SharedWorkerOptions {
  readonly mode?: RunMode;
  readonly transport?: TransportOptions;
  readonly checkpointMs?: number;
  readonly telemetryMs?: number;
  /** Passed into each config as is (live studio: thinning, series, emitter options). */
  readonly worker?: Pick<WorkerConfig, 'thin' | 'series' | 'emitterOptions' | 'ndjson'>;
}

/** The config of subgraph `index` of `g`. */
export function workerConfig(
  g: FeatureStreamWorkerGraph,
  index: number,
  o: SharedWorkerOptions,
): WorkerConfig {
  return {
    index,
    workers: g.subgraphs.length,
    dag: g.dag,
    plan: g.subgraphs[index]!,
    inEdges: g.inEdges(index),
    outEdges: g.outEdges(index),
    mode: o.mode ?? 'replay',
    transport: { policy: o.mode === 'live' ? 'drop-oldest' : 'lossless', ...o.transport },
    ...(o.checkpointMs !== undefined ? { checkpointMs: o.checkpointMs } : {}),
    ...(o.telemetryMs !== undefined ? { telemetryMs: o.telemetryMs } : {}),
    ...o.worker,
  };
}

/** Input lane of edge `edgeId` at subgraph `to`: lane 0 is the feeder/emitters. */
export function laneOf(g: FeatureStreamWorkerGraph, to: number, edgeId: number): number {
  return 1 + g.inEdges(to).findIndex((e) => e.id === edgeId);
}

/** The entries of `carry` for the nodes subgraph `index` computes (what its worker restores). */
export function carryFor(
  g: FeatureStreamWorkerGraph,
  index: number,
  carry: Readonly<Record<string, GraphSnapshot>> | undefined,
): Record<string, GraphSnapshot> | undefined {
  if (!carry) return undefined;
  const out: Record<string, GraphSnapshot> = {};
  for (const i of g.subgraphs[index]!.nodes) {
    const key = g.keys[i]!;
    if (carry[key]) out[key] = carry[key];
  }
  return out;
}

/**
 * Subgraphs of `next` that must be rebuilt to go from `prev` to `next`, or `undefined` when the
 * two differ in shape (node count, wiring, partition, outputs) and every worker must restart.
 * Same shape means node indexes, edges and lanes line up, so a rebuilt worker can take over its
 * predecessor's port numbering; it must be rebuilt when any node it computes changed key.
 */
export function changedSubgraphs(
  prev: FeatureStreamWorkerGraph,
  next: FeatureStreamWorkerGraph,
): number[] | undefined {
  const shape = (g: FeatureStreamWorkerGraph): string =>
    JSON.stringify([
      g.dag.nodes.map((n) => n.children),
      g.dag.outputs,
      g.subgraphs.map((s) => [s.nodes, s.inputs, s.outputs]),
      g.edges,
    ]);
  if (shape(prev) !== shape(next)) return undefined;
  // Ordered delivery is all or nothing across a run's workers (what out-edges carry differs).
  const n = next.subgraphs.length;
  if (needsDerivationOrder(prev.dag, n) !== needsDerivationOrder(next.dag, n)) return undefined;
  return next.subgraphs
    .filter((s) => s.nodes.some((i) => prev.keys[i] !== next.keys[i]))
    .map((s) => s.index);
}
