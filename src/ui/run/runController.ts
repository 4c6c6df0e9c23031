import { createStore } from 'zustand/vanilla';
import type { PipelineDoc, PipelineNode } from '../../core/config/PipelineDoc.ts';
import type { PipelineStore } from '../state/pipelineStore.ts';
import type { ValuesStore } from '../state/valuesStore.ts';
import { LatestValues } from './LatestValues.ts';
import type { RunOptions } from '../../session/PipelineRunner.ts';
import type { RunnerFactory, RunnerSink, RunStatus } from '../../session/PipelineRunner.ts';

/** Extra listeners for runner output (charts, telemetry panels), beside the values store. */
export type RunTaps = Partial<
  Pick<RunnerSink, 'onBatch' | 'onTelemetry' | 'onMarker' | 'onUserFailure'>
> & {
  /** A run starts or stops: drop history and telemetry that belong to the previous one. */
  readonly onReset?: () => void;
};

/** Quiet time after an edit before the run is rebuilt (typing a window should not restart 5×). */
const UPDATE_DEBOUNCE_MS = 150;

/**
 * Keeps the runner in step with the document on screen: Run starts it on the current document,
 * every edit that changes what runs or where (not positions) updates it, Stop stops it.
 */
export function createRunController(
  pipeline: PipelineStore,
  values: ValuesStore,
  factory: RunnerFactory,
  taps: RunTaps = {},
) {
  const status = createStore<{ status: RunStatus }>()(() => ({
    status: { state: 'stopped', skipped: [] },
  }));
  const latest = new LatestValues(values);
  const runner = factory({
    onBatch: (batch) => {
      for (const { nodeId, events } of batch) for (const e of events) latest.push(nodeId, e);
      taps.onBatch?.(batch);
    },
    onTelemetry: (t) => taps.onTelemetry?.(t),
    onMarker: (m) => taps.onMarker?.(m),
    onUserFailure: (f) => taps.onUserFailure?.(f),
    onStatus: (s) => {
      status.setState({ status: s });
      // A node left out of the run must not keep showing the value it had before the edit.
      if (s.skipped.length === 0) return;
      const { values: v, rates } = values.getState();
      const drop = new Set(s.skipped.map((k) => k.nodeId));
      const keep = <T>(o: ReadonlyMap<string, T>) =>
        new Map([...o].filter(([id]) => !drop.has(id)));
      values.setState({ values: keep(v), rates: keep(rates) });
    },
  });
  let unsubscribe: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Start running the document on screen; `options` pick a replay source or a recording. */
  const run = (options?: RunOptions): void => {
    if (unsubscribe) return;
    let running = pipeline.getState().doc;
    latest.start();
    taps.onReset?.();
    runner.start(running, options);
    unsubscribe = pipeline.subscribe(({ doc }) => {
      // A worker change moves the node to another thread: the runner must hear about it too.
      if (sameRunnable(doc, running) && sameWorkers(doc, running)) return;
      running = doc;
      clearTimeout(timer);
      timer = setTimeout(() => runner.update(pipeline.getState().doc), UPDATE_DEBOUNCE_MS);
    });
  };
  const stop = (): void => {
    unsubscribe?.();
    unsubscribe = undefined;
    clearTimeout(timer);
    runner.stop();
    latest.stop(true);
    taps.onReset?.();
  };
  /** Charted nodes: the runner ships every event of these (others may be thinned). */
  const setSeriesNodes = (nodeIds: readonly string[]): void => runner.setSeriesNodes(nodeIds);
  /**
   * Re-apply the document after what its names mean changed (a user definition was edited or
   * trusted): an update like a param edit, so only workers whose feature keys changed rebuild.
   */
  const refresh = (): void => {
    if (unsubscribe) runner.update(pipeline.getState().doc);
  };
  return {
    status,
    run,
    stop,
    setSeriesNodes,
    refresh,
    isRunning: () => unsubscribe !== undefined,
  };
}

export type RunController = ReturnType<typeof createRunController>;

/** Whether two documents run the same (they differ at most in positions, workers, doc name). */
export function sameRunnable(a: PipelineDoc, b: PipelineDoc): boolean {
  if (a.edges !== b.edges && JSON.stringify(a.edges) !== JSON.stringify(b.edges)) return false;
  if (a.nodes === b.nodes) return true;
  if (a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((n, i) => {
    const m = b.nodes[i]!;
    return n === m || sameFieldsButPlace(n, m) || runKey(n) === runKey(m);
  });
}

/**
 * The fast answer for a moved node (a drag changes one node per frame, and this runs for every
 * node, twice per frame): every field but position and worker is the same value. Identity
 * implies the same JSON, so a `true` here is exact; `false` falls back to comparing JSON.
 */
function sameFieldsButPlace(a: PipelineNode, b: PipelineNode): boolean {
  const keys = (n: PipelineNode) =>
    Object.keys(n).filter((k) => k !== 'position' && k !== 'worker');
  const ka = keys(a);
  if (ka.length !== keys(b).length) return false;
  return ka.every(
    (k) => Object.hasOwn(b, k) && a[k as keyof PipelineNode] === b[k as keyof PipelineNode],
  );
}

function runKey({ position: _p, worker: _w, ...rest }: PipelineNode): string {
  return JSON.stringify(rest);
}

/** Whether every node keeps its worker placement. */
function sameWorkers(a: PipelineDoc, b: PipelineDoc): boolean {
  return a.nodes.every((n, i) => n.worker === b.nodes[i]?.worker);
}
