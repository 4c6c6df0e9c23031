import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import { browserPlatform } from '../runtime/browser.ts';
import type { CollectedOutput } from '../runtime/OutputCollector.ts';
import type { RuntimePlatform } from '../runtime/ports.ts';
import type { ScalingStrategy } from '../runtime/ScalingStrategy.ts';
import { StreamManager } from '../runtime/StreamManager.ts';
import type { RuntimeTelemetry } from '../runtime/TelemetryHub.ts';
import { changedSubgraphs } from '../runtime/workerConfigs.ts';
import type { RecordingEmitterOptions } from '../recording/RecordingFeed.ts';
import {
  type RecordingStatusListener,
  studioWorkerRecording,
  type OpenWorkerRecording,
  type WorkerRecording,
} from './recordTap.ts';
import type { FeedMarker, PipelineRunner, RunnerSink, RunOptions } from './PipelineRunner.ts';
import { OutputBatcher } from './OutputBatcher.ts';
import { planWorkers, type WorkerPlan } from './workerPlan.ts';
import { toRunTelemetry } from './workerTelemetry.ts';

export interface WorkerRunnerOptions {
  /** Venue id → websocket origin (e.g. the exchange simulator), passed to every worker. */
  readonly endpointOverrides?: Readonly<Record<string, string>>;
  /** `navigator.hardwareConcurrency`; sets the default worker count (see `studioWorkerCount`). */
  readonly hardwareConcurrency?: number;
  /** Where workers come from (tests); default: Web Workers of the browser stream-worker entry. */
  readonly platform?: RuntimePlatform;
  /** Runs that workers do not serve (non-live sources) go to this runner instead. */
  readonly fallback?: (sink: RunnerSink) => PipelineRunner;
  /** Opens the recorder for `RunOptions.record` (default: the studio's recorder worker). */
  readonly openRecording?: OpenWorkerRecording;
  /** Told when the default recorder starts, stops by itself and closes (the studio's store). */
  readonly recordingStatus?: RecordingStatusListener;
  /** How nodes without a `worker` field split (default `per-source`). */
  readonly strategy?: ScalingStrategy;
}

/**
 * Runs the document on Web Workers through the runtime's StreamManager, in live mode: workers own
 * the emitters (Simulated market, venue feeds with endpoint overrides, synthetic sources), the
 * pipeline is split by each node's `worker` (others by source), and outputs come back thinned to
 * the latest event per tick except for charted (`setSeriesNodes`) nodes. Edits apply live: a
 * param edit rebuilds only the workers whose features changed; any other change (structure,
 * placement) restarts the workers; either way features whose key is unchanged keep their state.
 * A run with `RunOptions.record` records in the workers: each sends its sources' raw lines and
 * its nodes' outputs to the recording's recorder worker (see `studioWorkerRecording`); an
 * edit ends the recorded outputs (they would no longer match a replay), frames go on.
 */
export class WorkerRunner implements PipelineRunner {
  private run: { manager: StreamManager; plan: WorkerPlan } | undefined;
  private fallback: PipelineRunner | undefined;
  /** start/update/stop are async underneath: run them one at a time, in call order. */
  private chain: Promise<void> = Promise.resolve();
  private series: readonly string[] = [];
  private offset = { failures: 0, recoveries: 0 };
  private last: RuntimeTelemetry | undefined;
  private readonly batcher: OutputBatcher;
  private readonly platform: RuntimePlatform;
  /** The recording of this run (`RunOptions.record`): kept across edits, closed on stop. */
  private recording: WorkerRecording | undefined;

  constructor(
    private readonly sink: RunnerSink,
    private readonly o: WorkerRunnerOptions = {},
  ) {
    this.batcher = new OutputBatcher((batch) => this.sink.onBatch(batch));
    this.platform =
      o.platform ??
      browserPlatform(() => {
        const w = new Worker(new URL('./worker/browserStreamWorker.ts', import.meta.url), {
          type: 'module',
        });
        // While recording, each worker (a replacement too) gets its own port to the recorder.
        this.recording?.connectWorker?.(w);
        return w;
      });
  }

  start(doc: PipelineDoc, options?: RunOptions): void {
    this.stopFallback();
    this.enqueue(() => this.teardown());
    this.closeRecording();
    if (options?.source && options.source.kind !== 'live') {
      if (!this.o.fallback) {
        this.sink.onStatus({ state: 'error', message: 'workers run live only', skipped: [] });
        return;
      }
      this.fallback = this.o.fallback(this.sink);
      this.fallback.start(doc, options);
      return;
    }
    const rec = options?.record
      ? (this.o.openRecording ?? studioWorkerRecording(this.o.recordingStatus))(options.record, doc)
      : undefined;
    this.recording = rec;
    this.enqueue(async () => {
      this.offset = { failures: 0, recoveries: 0 };
      // The recorder must listen before any worker records.
      await rec?.ready;
      return this.launch(doc);
    });
  }

  update(doc: PipelineDoc): void {
    if (this.fallback) return this.fallback.update(doc);
    this.recording?.rebuilt();
    this.enqueue(() => this.apply(doc));
  }

  stop(): void {
    this.stopFallback();
    this.enqueue(() => this.teardown());
    this.closeRecording();
    this.sink.onStatus({ state: 'stopped', skipped: [] });
  }

  setSeriesNodes(nodeIds: readonly string[]): void {
    this.series = [...nodeIds];
    this.fallback?.setSeriesNodes(nodeIds);
    if (this.run) this.run.manager.setSeries(this.seriesPositions(this.run.plan));
  }

  /** Demonstrations and tests: terminate worker `index` (the manager restores it at once). */
  killWorker(index: number): void {
    void this.run?.manager.injectFault(index, 'terminate');
  }

  /**
   * Demonstrations and tests: slow worker `index` down for a few seconds (`slow` fault). A fast
   * upstream's edge into it fills and drops (backpressure). Busy is not dead: it keeps answering
   * between processing slices, is not restored, and the edge drains when the fault ends.
   */
  slowWorker(index: number): void {
    void this.run?.manager.injectFault(index, 'slow');
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((e: unknown) => {
      this.sink.onStatus({ state: 'error', message: errorText(e), skipped: [] });
    });
  }

  private async launch(doc: PipelineDoc, carry?: Record<string, GraphSnapshot>): Promise<void> {
    const plan = planWorkers(doc, this.o.hardwareConcurrency ?? 2, this.o.strategy);
    if (!plan.graph) {
      this.sink.onStatus({
        state: 'running',
        message: 'nothing to run yet',
        skipped: plan.skipped,
      });
      return;
    }
    const workers = plan.graph.subgraphs.map((sg) => sg.index);
    const record = this.recording?.startRun(workers, plan.idsAtOutput);
    const emitterOptions: RecordingEmitterOptions = {
      ...(this.o.endpointOverrides ? { endpointOverrides: this.o.endpointOverrides } : {}),
      ...(record ? { record } : {}),
    };
    const manager: StreamManager = new StreamManager(plan.graph, this.platform, {
      mode: 'live',
      checkpointMs: 500,
      // Short enough that a killed worker is noticed and restored within about two seconds.
      heartbeatMs: 1500,
      telemetryMs: 100,
      // Recorded outputs must equal a replay of the recorded lines (Compare): a live edge that
      // drops batches under backpressure (drop-oldest) would break that, so while outputs are
      // recorded edges are lossless — a slow downstream worker costs queue memory, not outputs.
      ...(record?.outputs ? { transport: { policy: 'lossless' as const } } : {}),
      worker: { thin: true, series: this.seriesPositions(plan), emitterOptions },
      onOutputs: (outs) => {
        if (this.run?.manager === manager) this.deliver(this.run.plan, outs);
      },
      onTelemetry: (t) => {
        if (this.run?.manager === manager) this.telemetry(manager, this.run.plan, t);
      },
    });
    this.run = { manager, plan };
    try {
      await manager.start(carry);
    } catch (e) {
      await this.teardown();
      throw e;
    }
    this.status(plan);
  }

  private async apply(doc: PipelineDoc): Promise<void> {
    const run = this.run;
    if (!run) return this.launch(doc);
    let next: ReturnType<typeof planWorkers>;
    try {
      next = planWorkers(doc, this.o.hardwareConcurrency ?? 2, this.o.strategy);
    } catch (e) {
      // An impossible placement: stop, like any run that cannot go on, and say why.
      await this.teardown();
      throw e;
    }
    if (!next.graph) {
      await this.teardown();
      this.sink.onStatus({
        state: 'running',
        message: 'nothing to run yet',
        skipped: next.skipped,
      });
      return;
    }
    const changed = changedSubgraphs(run.plan.graph, next.graph);
    if (changed) {
      run.plan = next;
      if (changed.length > 0) await run.manager.replace(next.graph, changed);
      this.status(next);
      return;
    }
    const carry = await run.manager.handoverAll();
    await this.teardown();
    await this.launch(doc, carry);
  }

  private deliver(plan: WorkerPlan, outs: readonly CollectedOutput[]): void {
    for (const o of outs)
      for (const id of plan.idsAtOutput[o.pos] ?? []) this.batcher.push(id, o.ev);
  }

  private telemetry(manager: StreamManager, plan: WorkerPlan, t: RuntimeTelemetry): void {
    const prev = this.last;
    this.last = t;
    const offset = this.offset;
    this.sink.onTelemetry?.(toRunTelemetry(t, plan, manager.workerStates(), offset, prev));
    for (const m of t.markers) {
      if ((m as { kind?: unknown }).kind === 'userFailure')
        this.sink.onUserFailure?.(m as unknown as UserFailure);
      else this.sink.onMarker?.(m as FeedMarker);
    }
  }

  private status(plan: WorkerPlan): void {
    const n = plan.graph.subgraphs.length;
    const message = `on ${n} worker${n === 1 ? '' : 's'}`;
    this.sink.onStatus({ state: 'running', message, skipped: plan.skipped });
  }

  private seriesPositions(plan: WorkerPlan): number[] {
    const want = new Set(this.series);
    return plan.idsAtOutput.flatMap((ids, pos) => (ids.some((id) => want.has(id)) ? [pos] : []));
  }

  private async teardown(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    this.batcher.clear();
    if (!run) return;
    // Failures and recoveries count over the whole session, across the restarts edits cause.
    if (this.last) {
      this.offset = {
        failures: this.offset.failures + this.last.failures,
        recoveries: this.offset.recoveries + this.last.recoveries,
      };
    }
    this.last = undefined;
    await run.manager.stop();
    // No workers any more: say so, or panels keep showing the last report of a stopped run.
    this.sink.onTelemetry?.({
      workers: [],
      nodes: new Map(),
      edges: new Map(),
      feeds: [],
      ...this.offset,
    });
  }

  /** Close the recording once the workers it records have stopped (they flush on stop). */
  private closeRecording(): void {
    const rec = this.recording;
    this.recording = undefined;
    // Started once the workers stopped, not awaited: the close takes as long as the recorder
    // needs (the recording shows "Saving…" until then), and the next run must not wait for it.
    if (rec)
      this.enqueue(() => {
        void rec.close();
        return Promise.resolve();
      });
  }

  private stopFallback(): void {
    this.fallback?.stop();
    this.fallback = undefined;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
