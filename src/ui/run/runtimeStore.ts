import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MovedSource } from '../../session/liveFeeds.ts';
import type { MergedNode } from '../../session/mergedNodes.ts';
import type { RunnerSink, RunTelemetry } from '../../session/PipelineRunner.ts';

/** One worker as the Workers panel shows it. */
export interface WorkerRow {
  readonly index: number;
  readonly nodeIds: readonly string[];
  readonly alive: boolean;
  readonly restarts: number;
  /** Output events per second of the nodes it computes. */
  readonly eventsPerSec: number;
}

export interface RuntimeView {
  readonly workers: readonly WorkerRow[];
  /** Worker index of each node id in the current run (what the node chips show). */
  readonly workerOf: ReadonlyMap<string, number>;
  /** Source nodes the run moved onto their feed's worker, by node id (the nodes' notes). */
  readonly movedOf: ReadonlyMap<string, MovedSource>;
  /** Nodes the run computes as an identical node's feature against their worker field, by id. */
  readonly mergedOf: ReadonlyMap<string, MergedNode>;
  readonly failures: number;
  readonly recoveries: number;
  /** State of each venue connection the workers own (`KRAKEN live`, …). */
  readonly feeds: readonly { readonly exchange: string; readonly state: string }[];
}

const EMPTY: RuntimeView = {
  workers: [],
  workerOf: new Map(),
  movedOf: new Map(),
  mergedOf: new Map(),
  failures: 0,
  recoveries: 0,
  feeds: [],
};

/** Where the run actually executes, updated at the telemetry rate (≤ 10 Hz). */
export type RuntimeStore = StoreApi<RuntimeView>;

/** The studio's runtime store (made by `createStudio()`, never on import). */
export function createRuntimeStore(): RuntimeStore {
  return createStore<RuntimeView>()(() => EMPTY);
}

/** The runner's demonstration hooks (the Workers panel's kill and slow buttons). */
export interface ActiveRunner {
  current: { killWorker?(index: number): void; slowWorker?(index: number): void } | undefined;
}

/**
 * Wrap a runner sink so telemetry also lands in `store`, and failures/recoveries are
 * announced through `notify` (a toast). `workerOf`, `movedOf` and `mergedOf` keep their identity while
 * placement is unchanged, so node chips and notes re-render only when a node moves.
 */
export function tapRuntime(
  store: RuntimeStore,
  sink: RunnerSink,
  notify: (text: string, kind: 'info' | 'error') => void,
): RunnerSink {
  return {
    ...sink,
    onStatus: (s) => {
      if (s.state !== 'running') store.setState(EMPTY);
      sink.onStatus(s);
    },
    onTelemetry: (t) => {
      put(store, t, notify);
      sink.onTelemetry?.(t);
    },
  };
}

function put(
  runtimeStore: RuntimeStore,
  t: RunTelemetry,
  notify: (text: string, kind: 'info' | 'error') => void,
): void {
  const prev = runtimeStore.getState();
  // A restart can fail and recover within one report: say both, or the failure goes unseen.
  const failed = t.failures > prev.failures;
  const recovered = t.recoveries > prev.recoveries;
  if (failed && recovered)
    notify('A worker failed and was recovered from its last checkpoint', 'error');
  else if (failed) notify('A worker failed: restarting it from its last checkpoint', 'error');
  else if (recovered) notify('Worker recovered: values continue', 'info');
  const workerOf = new Map<string, number>();
  const workers = t.workers.map((w) => {
    let eventsPerSec = 0;
    for (const id of w.nodeIds) {
      workerOf.set(id, w.index);
      eventsPerSec += t.nodes.get(id)?.eventsPerSec ?? 0;
    }
    return { ...w, eventsPerSec };
  });
  const same =
    workerOf.size === prev.workerOf.size &&
    [...workerOf].every(([id, w]) => prev.workerOf.get(id) === w);
  const movedOf = byNode(t.moved, prev.movedOf);
  const mergedOf = byNode(t.merged, prev.mergedOf);
  const feeds = t.feeds.map((f) => ({ exchange: f.exchange, state: f.state }));
  const sameFeeds = JSON.stringify(feeds) === JSON.stringify(prev.feeds);
  runtimeStore.setState({
    workers,
    workerOf: same ? prev.workerOf : workerOf,
    movedOf,
    mergedOf,
    failures: t.failures,
    recoveries: t.recoveries,
    feeds: sameFeeds ? prev.feeds : feeds,
  });
}

/** The notes of a report by node id; `prev` itself when they are the same (no re-render). */
function byNode<T extends { readonly nodeId: string }>(
  list: readonly T[] | undefined,
  prev: ReadonlyMap<string, T>,
): ReadonlyMap<string, T> {
  const next = new Map((list ?? []).map((m) => [m.nodeId, m]));
  const same =
    next.size === prev.size &&
    [...next].every(([id, m]) => JSON.stringify(prev.get(id)) === JSON.stringify(m));
  return same ? prev : next;
}
