import { featuresFromPipeline, type PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import { isSupportedExchange } from '../sources/adapters/registry.ts';
import type { DataSourceEventEmitter } from '../sources/DataSourceEventEmitter.ts';
import type { FeedStatus } from '../sources/connection/FeedStatus.ts';
import type { SocketLike } from '../sources/connection/SocketLike.ts';
import { ExchangeEventEmitter } from '../sources/ExchangeEventEmitter.ts';
import { SIM_EXCHANGE, SimulatedEventEmitter } from '../sources/sim/SimulatedEventEmitter.ts';
import {
  type OpenRecordTap,
  type RecordingStatusListener,
  type RecordTap,
  studioRecordTap,
} from './recordTap.ts';
import type { PipelineRunner, RunnerSink, RunOptions } from './PipelineRunner.ts';
import { OutputBatcher } from './OutputBatcher.ts';
import { RunMeter, TELEMETRY_MS } from './RunMeter.ts';
import { runnablePart } from './runnablePart.ts';

export interface InThreadRunnerOptions {
  /** Venue id → websocket origin (e.g. a local exchange simulator). */
  readonly endpointOverrides?: Readonly<Record<string, string>>;
  /** Opens the recorder for `RunOptions.record` (default: the studio's, src/session/recordTap.ts). */
  readonly openRecording?: OpenRecordTap;
  /** Told when the default recorder starts, stops by itself and closes (the studio's store). */
  readonly recordingStatus?: RecordingStatusListener;
}

/** How often synthetic sources generate (they are pure functions of a time interval). */
const SYNTHETIC_MS = 200;

/**
 * Runs the document on the main thread: one FeatureStreamGraph, the Simulated market for `SIM`
 * sources, one ExchangeEventEmitter for live venues, a timer for synthetic sources. Every update
 * rebuilds the graph from the new document (windows restart; a run is cheap to rebuild), which is
 * what makes param edits apply live.
 */
export class InThreadRunner implements PipelineRunner {
  private emitters: DataSourceEventEmitter[] = [];
  private readonly batcher: OutputBatcher;
  private timers: ReturnType<typeof setInterval>[] = [];
  private running = false;
  /** The recording of this run (`RunOptions.record`); kept across rebuilds, closed on stop. */
  private tap: RecordTap | undefined;
  /** Telemetry (rates, feeds, markers): see {@link RunMeter}. */
  private readonly meter = new RunMeter();
  private telemetryTimer: ReturnType<typeof setInterval> | undefined;
  private live: ExchangeEventEmitter | undefined;
  private sim: SimulatedEventEmitter | undefined;

  constructor(
    private readonly sink: RunnerSink,
    private readonly o: InThreadRunnerOptions = {},
  ) {
    this.batcher = new OutputBatcher((batch) => this.sink.onBatch(batch));
  }

  /** In one thread every event is already here: nothing to thin, so nothing to configure. */
  setSeriesNodes(_nodeIds: readonly string[]): void {}

  start(doc: PipelineDoc, options?: RunOptions): void {
    this.teardown();
    this.running = true;
    // `update` rebuilds through here without options: the recording goes on, its outputs end.
    if (options === undefined) this.tap?.rebuilt();
    else {
      void this.tap?.close();
      const open = this.o.openRecording ?? studioRecordTap(this.o.recordingStatus);
      this.tap = options.record ? open(options.record, doc) : undefined;
    }
    const { doc: runnable, skipped } = runnablePart(doc, { inThread: true });
    if (runnable.nodes.length === 0) {
      this.sink.onStatus({ state: 'running', message: 'nothing to run yet', skipped });
      return;
    }
    try {
      this.build(runnable);
      this.startTelemetry(runnable);
      this.sink.onStatus({ state: 'running', skipped });
    } catch (e) {
      this.teardown();
      this.sink.onStatus({ state: 'error', message: errorText(e), skipped });
    }
  }

  update(doc: PipelineDoc): void {
    if (this.running) this.start(doc);
  }

  stop(): void {
    this.teardown();
    void this.tap?.close();
    this.tap = undefined;
    this.running = false;
    this.sink.onStatus({ state: 'stopped', skipped: [] });
  }

  private build(doc: PipelineDoc): void {
    const { features, byNodeId } = featuresFromPipeline(doc);
    const graph = new FeatureStreamGraph(features);
    for (const [nodeId, f] of byNodeId)
      graph.setCallback(f, (_f, e) => {
        this.meter.count(nodeId);
        this.batcher.push(nodeId, e);
      });
    const tap = this.tap;
    if (tap)
      for (const [nodeId, f] of byNodeId) graph.setCallback(f, (_f, e) => tap.output(nodeId, e));
    const emit = (f: Feature, e: Event): void => {
      try {
        graph.emitNamedDataEvent([f, e]);
      } catch (err) {
        // A throwing feature would otherwise throw on every event: stop and say why.
        this.teardown();
        this.sink.onStatus({ state: 'error', message: errorText(err), skipped: [] });
      }
    };
    let sim: SimulatedEventEmitter | undefined;
    let live: ExchangeEventEmitter | undefined;
    for (const f of graph.getIns()) {
      const def = f.definition;
      if (def.kind === 'source' && def.generate) {
        this.startSynthetic(f, emit);
        continue;
      }
      const exchange = String(f.params.exchange);
      if (exchange === SIM_EXCHANGE) {
        sim ??= new SimulatedEventEmitter(tap ? { record: tap.frames } : {});
        sim.registerCallback(f, (sf, e) => {
          this.meter.countSim();
          emit(sf, e);
        });
      } else if (isSupportedExchange(exchange)) {
        live ??= new ExchangeEventEmitter({
          // The DOM socket has the SocketLike shape; only its handler parameter types are narrower.
          socketFactory: (url) => new WebSocket(url) as unknown as SocketLike,
          ...(this.o.endpointOverrides ? { endpointOverrides: this.o.endpointOverrides } : {}),
          ...(tap ? { record: tap.frames } : {}),
          onStatus: (st) => this.mark(st),
        });
        live.registerCallback(f, emit);
      } else throw new Error(`no live feed for exchange "${exchange}"`);
    }
    this.sim = sim;
    this.live = live;
    this.emitters = [sim, live].filter((x) => x !== undefined);
    for (const em of this.emitters) em.start();
  }

  private startSynthetic(f: Feature, emit: (f: Feature, e: Event) => void): void {
    const def = f.definition;
    if (def.kind !== 'source' || !def.generate) return;
    let from = Date.now() / 1000;
    let lastTs = -Infinity;
    this.timers.push(
      setInterval(() => {
        const now = Date.now() / 1000;
        // Intervals are inclusive at both ends: skip what the previous tick already emitted.
        for (const e of def.generate!(f.params, from, now)) if (e.timestamp > lastTs) emit(f, e);
        lastTs = now;
        from = now;
      }, SYNTHETIC_MS),
    );
  }

  /** Telemetry at {@link TELEMETRY_MS}; feed counters are diffed here too (markers). */
  private startTelemetry(doc: PipelineDoc): void {
    this.meter.reset(performance.now());
    this.telemetryTimer = setInterval(() => {
      const feeds = this.live?.statuses() ?? [];
      for (const st of feeds) this.mark(st);
      const all = this.sim ? [this.meter.simFeed(Date.now() / 1000), ...feeds] : feeds;
      this.sink.onTelemetry?.(this.meter.report(doc, all, performance.now()));
    }, TELEMETRY_MS);
  }

  private mark(status: FeedStatus): void {
    for (const m of this.meter.markers(status)) this.sink.onMarker?.(m);
  }

  private teardown(): void {
    clearInterval(this.telemetryTimer);
    this.telemetryTimer = undefined;
    this.live = undefined;
    this.sim = undefined;
    for (const em of this.emitters) em.stop();
    for (const t of this.timers) clearInterval(t);
    this.batcher.clear();
    this.emitters = [];
    this.timers = [];
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
