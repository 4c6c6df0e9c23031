import type { Feature } from '../core/feature/Feature.ts';
import { dagNodes, FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';

/**
 * How a pipeline is split across workers.
 * - `single`: everything in one worker.
 * - `per-source`: each data source with the features only it feeds; features fed by several
 *   sources share one extra subgraph downstream of them.
 * - `per-node`: one node per worker (tests and the studio's "max parallel" view).
 * - `explicit`: the studio's placement, feature key → worker label; an unplaced feature follows
 *   its first child (sources default to label 0).
 */
export type ScalingStrategy =
  | { readonly kind: 'single' }
  | { readonly kind: 'per-source' }
  | { readonly kind: 'per-node' }
  | { readonly kind: 'explicit'; readonly workers: Readonly<Record<string, number>> };

export interface WorkerBudgetOptions {
  /** `navigator.hardwareConcurrency` or `os.availableParallelism()`; the caller reads it. */
  readonly hardwareConcurrency?: number;
  /** Requested cap; default {@link defaultWorkerCount}. */
  readonly maxWorkers?: number;
}

/** Default worker cap: one per core, minus one for the main thread (UI, feeder), at least 1. */
function defaultWorkerCount(hardwareConcurrency = 1): number {
  return Math.max(1, Math.floor(hardwareConcurrency) - 1);
}

/**
 * The number of workers a partition may use. A request may oversubscribe up to
 * `max(4, 2 × cores)` (workers are mostly idle between batches, and tests need several workers
 * on small machines) but no further: more threads than that only add context switches.
 */
export function workerBudget(o: WorkerBudgetOptions = {}): number {
  const cores = Math.max(1, Math.floor(o.hardwareConcurrency ?? 1));
  const cap = Math.max(4, 2 * cores);
  const want = o.maxWorkers ?? defaultWorkerCount(cores);
  return Math.min(cap, Math.max(1, Math.floor(want)));
}

/** Split the DAG of `outs` into subgraphs by `strategy`, within the worker budget. */
export function partition(
  outs: readonly Feature[],
  strategy: ScalingStrategy,
  budget: WorkerBudgetOptions = {},
): FeatureStreamWorkerGraph {
  const nodes = dagNodes(outs);
  const max = workerBudget(budget);
  return new FeatureStreamWorkerGraph(outs, assign(nodes, strategy, max));
}

function assign(nodes: readonly Feature[], strategy: ScalingStrategy, max: number): number[] {
  switch (strategy.kind) {
    case 'single':
      return nodes.map(() => 0);
    case 'per-node':
      // Contiguous ranges of a children-first order never form a cycle, so folding to the budget
      // keeps the partition valid.
      return nodes.map((_, i) => Math.floor((i * Math.min(max, nodes.length)) / nodes.length));
    case 'per-source':
      return perSource(nodes, max);
    case 'explicit':
      return explicit(nodes, strategy.workers, max);
  }
}

function perSource(nodes: readonly Feature[], max: number): number[] {
  const index = new Map(nodes.map((f, i) => [f.key, i]));
  const fedBy: Set<number>[] = [];
  nodes.forEach((f, i) => {
    fedBy[i] = f.isSource
      ? new Set([i])
      : new Set(f.children.flatMap((c) => [...fedBy[index.get(c.key)!]!]));
  });
  const sources = nodes.flatMap((f, i) => (f.isSource ? [i] : []));
  const shared = fedBy.some((s) => s.size > 1) ? 1 : 0;
  // Fold source groups round-robin into what the budget leaves after the shared subgraph; the
  // shared subgraph only consumes, so any folding of the groups stays acyclic.
  const groups = Math.max(1, Math.min(sources.length, max - shared));
  // When sources must share workers, those of one instrument share first: an order book costs
  // several times what its trades do, so folding books with books and trades with trades (source
  // order) loads one worker with every book; by instrument, each worker gets a book and its trades.
  const instrument = (i: number): string => {
    const p = nodes[i]!.params;
    return JSON.stringify([p.exchange, p.instrument_type, p.symbol]);
  };
  const instruments = [...new Set(sources.map(instrument))];
  const unit = (s: number, k: number): number =>
    instruments.length >= groups ? instruments.indexOf(instrument(s)) : k;
  const group = new Map(sources.map((s, k) => [s, unit(s, k) % groups]));
  return fedBy.map((s) => (s.size === 1 ? group.get([...s][0]!)! : max === 1 ? 0 : groups));
}

function explicit(
  nodes: readonly Feature[],
  workers: Readonly<Record<string, number>>,
  max: number,
): number[] {
  const index = new Map(nodes.map((f, i) => [f.key, i]));
  const out: number[] = [];
  nodes.forEach((f, i) => {
    const placed = workers[f.key];
    const child = f.children[0];
    out[i] = placed ?? (child ? out[index.get(child.key)!]! : 0);
  });
  const used = new Set(out).size;
  if (used > max) {
    throw new Error(`explicit placement uses ${used} workers; the budget is ${max}`);
  }
  return out;
}
