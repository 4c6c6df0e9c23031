import { featuresFromPipeline, type PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import { featureRouteKey, routeKey } from '../sources/DataSourceEventEmitter.ts';
import { type DecoderSnapshot, RecordingDecoder } from '../recording/RecordingDecoder.ts';

/** A state checkpoint every this many lines (taken while playing forward). */
export const CHECKPOINT_LINES = 2000;
/** At most this many checkpoints; beyond it every other one is dropped (memory stays bounded). */
export const MAX_CHECKPOINTS = 256;
/** Event lines remembered for stepping (a tail: older ones are found again through checkpoints). */
const MAX_EVENT_LINES = 4096;

/** Receives each output event, with the index of the recording line that caused it. */
export type ReplayOutput = (nodeId: string, event: Event, line: number) => void;

/** The lines an engine reads: `line(i)` for `i < end` (a ChunkWindow, or an array in tests). */
export interface LineSource {
  line(i: number): string;
  readonly end: number;
}

/** An array as a LineSource (tests, Node). */
export const arrayLines = (lines: readonly string[]): LineSource => ({
  line: (i) => lines[i]!,
  get end() {
    return lines.length;
  },
});

interface Checkpoint {
  readonly line: number;
  readonly graph: GraphSnapshot;
  /** The venue adapters' state (books, sequence numbers); undefined only at line 0. */
  readonly decoder: DecoderSnapshot | undefined;
  readonly latest: Map<string, Event>;
}

/**
 * Replays recording lines (NDJSON texts) through a RecordingDecoder — the live venue adapters —
 * and a FeatureStreamGraph of the runnable document, routed by (exchange, channel, symbol)
 * exactly as the live emitters route. Pure and synchronous: the controller paces it and makes
 * sure the lines it asks for are loaded.
 *
 * Seeking: every {@link CHECKPOINT_LINES} lines the engine checkpoints the graph (`snapshot()`)
 * and the decoder (every adapter's books and sequence state). {@link restoreFor} puts a fresh
 * graph and decoder into the nearest checkpoint at or before a target; playing forward from there
 * reaches the target with no event skipped, so a seek costs at most one checkpoint spacing of
 * replay, wherever the target is. A decoder that cannot snapshot (an adapter without
 * `snapshot`) takes no checkpoints: its seeks restart from line 0.
 */
export class ReplayEngine {
  /** Index of the next line to process. */
  position = 0;
  /** Recent lines at which at least one event entered the graph (for stepping), ascending. */
  readonly eventLines: number[] = [];
  /** Each node's last output so far (restored with checkpoints: a seek can show values). */
  latest = new Map<string, Event>();
  private graph!: FeatureStreamGraph;
  private decoder = new RecordingDecoder();
  private routes = new Map<string, Feature[]>();
  private readonly checkpoints: Checkpoint[] = [];
  private readonly features: ReturnType<typeof featuresFromPipeline>;
  private line = 0;

  constructor(
    doc: PipelineDoc,
    private readonly lines: LineSource,
    private readonly onOutput: ReplayOutput,
  ) {
    this.features = featuresFromPipeline(doc);
    this.build();
    this.checkpoints.push({
      line: 0,
      graph: this.graph.snapshot(),
      decoder: undefined,
      latest: new Map(),
    });
  }

  /** Lines of the checkpoints held (tests, benches). */
  get checkpointLines(): number[] {
    return this.checkpoints.map((c) => c.line);
  }

  /** Process lines until `target` (exclusive) or the end of what is loaded; the new position. */
  runTo(target: number): number {
    const end = Math.min(target, this.lines.end);
    while (this.position < end) this.processOne();
    return this.position;
  }

  /**
   * Prepare a seek to `target`: when a checkpoint at or before it is ahead of the position, or
   * the target is behind, restore that checkpoint; the caller then plays forward to `target`
   * (outputs on the way are as of the past). `force` restores even when playing on would do.
   * Returns the position to play forward from.
   */
  restoreFor(target: number, force = false): number {
    const cp = this.checkpoints[this.nearestIndex(Math.max(0, target))]!;
    if (!force && target >= this.position && cp.line <= this.position) return this.position;
    this.decoder = cp.decoder ? RecordingDecoder.restore(cp.decoder) : new RecordingDecoder();
    this.build();
    this.graph.restore(cp.graph);
    this.latest = new Map(cp.latest);
    this.position = cp.line;
    let n = this.eventLines.length;
    while (n > 0 && this.eventLines[n - 1]! >= cp.line) n--;
    this.eventLines.length = n;
    return cp.line;
  }

  /** Seek to `target` at once (tests, Node): restore, then play forward over loaded lines. */
  seekNow(target: number): void {
    this.restoreFor(target);
    this.runTo(target);
  }

  private processOne(): void {
    const i = this.position;
    this.line = i;
    const events = this.decoder.push(this.lines.line(i), i + 1);
    let fed = false;
    for (const m of events) {
      const list = this.routes.get(routeKey(m.exchange, m.channel, m.symbol));
      if (!list) continue;
      fed = true;
      for (const f of list) this.graph.emitNamedDataEvent([f, m.event]);
    }
    if (fed) this.markFed(i);
    this.position = i + 1;
    if (this.position % CHECKPOINT_LINES === 0) this.checkpoint();
  }

  private markFed(i: number): void {
    const ev = this.eventLines;
    if (ev[ev.length - 1] === i) return;
    ev.push(i);
    if (ev.length > MAX_EVENT_LINES) ev.splice(0, ev.length - MAX_EVENT_LINES / 2);
  }

  private checkpoint(): void {
    const k = this.nearestIndex(this.position);
    if (this.checkpoints[k]!.line === this.position) return;
    const decoder = this.decoder.snapshot();
    if (!decoder) return;
    const cp = {
      line: this.position,
      graph: this.graph.snapshot(),
      decoder,
      latest: new Map(this.latest),
    };
    this.checkpoints.splice(k + 1, 0, cp);
    if (this.checkpoints.length > MAX_CHECKPOINTS) {
      // Keep the start and every other checkpoint: spacing doubles, memory stays bounded.
      const keep = this.checkpoints.filter((_, j) => j % 2 === 0);
      this.checkpoints.length = 0;
      this.checkpoints.push(...keep);
    }
  }

  /** Index of the last checkpoint at or before `target` (binary search; sorted by line). */
  private nearestIndex(target: number): number {
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.checkpoints[mid]!.line <= target) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** A fresh graph of the document, wired to the output callback and the routes. */
  private build(): void {
    const { features, byNodeId } = this.features;
    this.graph = new FeatureStreamGraph(features);
    for (const [nodeId, f] of byNodeId)
      this.graph.setCallback(f, (_f, e) => {
        this.latest.set(nodeId, e);
        this.onOutput(nodeId, e, this.line);
      });
    this.routes = new Map();
    for (const f of this.graph.getIns()) {
      if (f.definition.kind !== 'source' || f.definition.channel === undefined) continue;
      const key = featureRouteKey(f);
      this.routes.set(key, [...(this.routes.get(key) ?? []), f]);
    }
  }
}
