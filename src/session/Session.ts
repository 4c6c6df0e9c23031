import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { MarketEvent } from '../core/events.ts';
import type { RuntimePlatform } from '../runtime/ports.ts';
import type { ScalingStrategy } from '../runtime/ScalingStrategy.ts';
import { openStudioDb, type StudioDatabase } from '../storage/db.ts';
import type { CompareResult } from './compare.ts';
import { compareRecording } from './compareRecording.ts';
import { outputsText } from './recordingFiles.ts';
import type { BatchFormat } from '../core/batch/BatchRunner.ts';
import { InThreadRunner } from './InThreadRunner.ts';
import { LinesRunner } from './LinesRunner.ts';
import type {
  FeedMarker,
  NodeEvents,
  PipelineRunner,
  RunStatus,
  RunTelemetry,
} from './PipelineRunner.ts';
import type { RecordingStatusListener } from './recordTap.ts';
import { ReplayRunner } from './ReplayRunner.ts';
import { type Playback, replayStatePort, type ReplayStatePort } from './replayState.ts';

export type { Playback };
import { runnablePart } from './runnablePart.ts';
import { WorkerRunner } from './WorkerRunner.ts';

/** Where a session's market data comes from. */
export type SessionSource =
  /** Venue feeds and the Simulated market (exchange `SIM`), as the document's source nodes say. */
  | { readonly kind: 'live' }
  /** A recording of the library (IndexedDB), streamed in chunks. */
  | { readonly kind: 'recording'; readonly recordingId: string }
  /** A recording file's lines (NDJSON, docs/recording-format.md), held in memory. */
  | { readonly kind: 'lines'; readonly lines: readonly string[] }
  /** Normalized events of the Simulated market (exchange `SIM`), in receipt order. */
  | { readonly kind: 'events'; readonly events: readonly MarketEvent[] };

/** What a session can do over its source (Lichtblick's Player: capabilities, not modes). */
export type SessionCapability =
  'playback' | 'record' | 'compare' | 'export' | 'telemetry' | 'feedStatus';

export interface SessionOptions {
  readonly doc: PipelineDoc;
  readonly source: SessionSource;
  /**
   * How the run splits over workers, live and replay alike. `single` without a `platform` runs
   * in this thread — the studio's `?runner=inthread`, which leaves user-definition nodes out
   * (their reason in `RunStatus.skipped`) even in Node with compiled definitions registered: user
   * code never runs on the page's main thread. Any other strategy needs a `platform` (Web Workers, or worker_threads of
   * src/session/worker/nodeStreamWorker.ts). Nodes with a `worker` field are always placed there.
   * With a platform, recorded sources (`recording`, `lines`, `events`) replay in workers: the
   * source workers read and decode the recording, this thread paces (WorkerReplayController).
   */
  readonly scaling?: ScalingStrategy;
  readonly platform?: RuntimePlatform;
  readonly hardwareConcurrency?: number;
  readonly endpointOverrides?: Readonly<Record<string, string>>;
  /** The recordings database (default: the studio's). */
  readonly db?: () => Promise<StudioDatabase>;
  /** Its name, for replay workers that open it themselves (default: the studio's). */
  readonly dbName?: string;
  /** Where playback state is published (the studio passes its store; default: a private one). */
  readonly replayState?: ReplayStatePort;
  readonly recordingStatus?: RecordingStatusListener;
}

/** What a session reports. Batches come at most about once per animation frame. */
export interface SessionListener {
  onOutputs?(batch: readonly NodeEvents[]): void;
  onStatus?(status: RunStatus): void;
  onTelemetry?(telemetry: RunTelemetry): void;
  onMarker?(marker: FeedMarker): void;
}

const CAPABILITIES: Record<SessionSource['kind'], readonly SessionCapability[]> = {
  live: ['record', 'telemetry', 'feedStatus'],
  recording: ['playback', 'compare', 'export'],
  lines: ['playback'],
  events: ['playback'],
};

/**
 * A pipeline document running over one source, headless: the seam the studio and the CLI share.
 * A thin, typed face over the runners (in-thread, workers, replay): it picks the runner for the
 * source and strategy, and offers what that source can do — {@link playback} for recorded
 * sources, {@link record} and feed status for live ones, {@link compare} for stored recordings.
 * No DOM at import time: it runs in Node (worker_threads) and in browsers.
 */
export class Session {
  readonly capabilities: ReadonlySet<SessionCapability>;
  private doc: PipelineDoc;
  private runner: PipelineRunner | undefined;
  private lastTelemetry: RunTelemetry | undefined;
  private readonly state: ReplayStatePort;

  constructor(
    private readonly o: SessionOptions,
    private readonly listener: SessionListener = {},
  ) {
    this.doc = o.doc;
    this.state = o.replayState ?? replayStatePort();
    this.capabilities = new Set(CAPABILITIES[o.source.kind]);
  }

  /** Run (live) or load the recorded source, paused at its start. */
  start(): void {
    this.runner?.stop();
    this.runner = this.makeRunner();
    const s = this.o.source;
    this.runner.start(
      this.doc,
      s.kind === 'recording' ? { source: { kind: 'replay', recordingId: s.recordingId } } : {},
    );
  }

  /** Apply an edited document to the running session (params apply live). */
  update(doc: PipelineDoc): void {
    this.doc = doc;
    this.runner?.update(doc);
  }

  stop(): void {
    this.runner?.stop();
    this.runner = undefined;
  }

  /** Playback of a recorded source once loaded; undefined for live sources. */
  get playback(): Playback | undefined {
    return this.capabilities.has('playback') ? this.state.getState().controller : undefined;
  }

  /** The last telemetry reported (live runs), with one status per venue feed. */
  get telemetry(): RunTelemetry | undefined {
    return this.lastTelemetry;
  }

  get feeds(): RunTelemetry['feeds'] {
    return this.lastTelemetry?.feeds ?? [];
  }

  /** Restart the live run recording its frames (and outputs) under `recordingId`. */
  record(recordingId: string, outputs: boolean): void {
    this.need('record');
    this.runner?.stop();
    this.runner = this.makeRunner();
    this.runner.start(this.doc, { record: { recordingId, outputs } });
  }

  /** Replay the stored recording through the document and compare with its recorded outputs. */
  async compare(tolerance = 0, onProgress?: (f: number) => void): Promise<CompareResult> {
    this.need('compare');
    const s = this.o.source as { readonly recordingId: string };
    const db = await (this.o.db ?? openStudioDb)();
    const { doc } = runnablePart(this.doc);
    return compareRecording(db, { recordingId: s.recordingId, doc, tolerance }, onProgress);
  }

  /**
   * The document's outputs over the stored recording as CSV or NDJSON, byte for byte what
   * `featurizer run` writes from the exported file: both are one RecordingBatch (the replay's
   * decoder loop into the core GraphStepper and OutputWriter: as-of join, gap markers and cells).
   * The document as given: export runs what is drawn.
   */
  async outputs(format: BatchFormat): Promise<string> {
    this.need('export');
    const s = this.o.source as { readonly recordingId: string };
    const db = await (this.o.db ?? openStudioDb)();
    return outputsText(db, s.recordingId, this.doc, format);
  }

  private need(c: SessionCapability): void {
    if (!this.capabilities.has(c))
      throw new Error(`a session over a ${this.o.source.kind} source cannot ${c}`);
  }

  private makeRunner(): PipelineRunner {
    const sink = {
      onBatch: (b: readonly NodeEvents[]) => this.listener.onOutputs?.(b),
      onStatus: (st: RunStatus) => this.listener.onStatus?.(st),
      onTelemetry: (t: RunTelemetry) => {
        this.lastTelemetry = t;
        this.listener.onTelemetry?.(t);
      },
      onMarker: (m: FeedMarker) => this.listener.onMarker?.(m),
    };
    const o = this.o;
    const s = o.source;
    const scaling = o.scaling ?? { kind: 'single' };
    if (!o.platform && scaling.kind !== 'single')
      throw new Error(`scaling "${scaling.kind}" needs a worker platform`);
    // Recorded sources replay in workers with the live partitioning when there is a platform.
    const workers = o.platform
      ? {
          platform: o.platform,
          strategy: scaling,
          ...(o.hardwareConcurrency !== undefined
            ? { hardwareConcurrency: o.hardwareConcurrency }
            : {}),
        }
      : undefined;
    if (s.kind === 'recording') return new ReplayRunner(sink, this.state, o.db, workers, o.dbName);
    if (s.kind === 'lines') return new LinesRunner(sink, this.state, s.lines, workers);
    if (s.kind === 'events') return new LinesRunner(sink, this.state, simLines(s.events), workers);
    const common = {
      ...(o.endpointOverrides ? { endpointOverrides: o.endpointOverrides } : {}),
      ...(o.recordingStatus ? { recordingStatus: o.recordingStatus } : {}),
    };
    if (!o.platform) return new InThreadRunner(sink, common);
    return new WorkerRunner(sink, {
      ...common,
      platform: o.platform,
      strategy: scaling,
      ...(o.hardwareConcurrency !== undefined
        ? { hardwareConcurrency: o.hardwareConcurrency }
        : {}),
    });
  }
}

/** Normalized SIM events as recording lines (the format's pass-through `event` lines). */
export function simLines(events: readonly MarketEvent[]): string[] {
  return events.map((e) =>
    JSON.stringify({ receipt_timestamp: e.event.receipt_timestamp, exchange: 'SIM', event: e }),
  );
}
