import { featuresFromPipeline, type PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event, MarketEvent } from '../../core/events.ts';
import type { Feature } from '../../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../../core/graph/FeatureStreamGraph.ts';
import type { GraphSnapshot } from '../../core/graph/snapshot.ts';
import { featureRouteKey, routeKey } from '../../sources/DataSourceEventEmitter.ts';
import { RecordingDecoder } from '../../sources/recording/RecordingDecoder.ts';

/** A graph state checkpoint every this many lines (taken while playing forward). */
export const CHECKPOINT_LINES = 2000;
/** At most this many checkpoints; beyond it every other one is dropped (memory stays bounded). */
const MAX_CHECKPOINTS = 256;

/** Receives each output event, with the index of the recording line that caused it. */
export type ReplayOutput = (nodeId: string, event: Event, line: number) => void;

/**
 * Replays recording lines (NDJSON texts) through a RecordingDecoder — the live venue adapters —
 * and a FeatureStreamGraph of the runnable document, routed by (exchange, channel, symbol)
 * exactly as the live emitters route. Pure and synchronous: the controller paces it.
 *
 * Seeking: the graph is checkpointed (`snapshot()`) every {@link CHECKPOINT_LINES} lines. A seek
 * restores the nearest checkpoint at or before the target into a fresh graph, then plays forward
 * to the target, so no event is ever skipped by a stateful feature. Adapters are stateful too
 * (books, sequence numbers) but cannot be snapshotted, so the decoder is rebuilt by re-decoding
 * every line from the start up to the checkpoint without feeding the graph (decoding only). A
 * recording of SIM lines only has no adapter state, so that pass is skipped for it.
 */
export class ReplayEngine {
  /** Index of the next line to process. */
  position = 0;
  /** Lines at which at least one event entered the graph (for stepping), ascending. */
  readonly eventLines: number[] = [];
  private graph!: FeatureStreamGraph;
  private decoder = new RecordingDecoder();
  private routes = new Map<string, Feature[]>();
  private readonly checkpoints: {
    line: number;
    snap: GraphSnapshot;
    latest: Map<string, Event>;
  }[] = [];
  /** Each node's last output so far (restored with checkpoints: a seek can show values). */
  latest = new Map<string, Event>();
  private readonly features: ReturnType<typeof featuresFromPipeline>;
  private line = 0;

  constructor(
    doc: PipelineDoc,
    /** Shared and growing (follow-live appends): the engine reads, never writes. */
    private readonly lines: readonly string[],
    private readonly onOutput: ReplayOutput,
    private readonly statelessDecoder = false,
  ) {
    this.features = featuresFromPipeline(doc);
    this.build();
    this.checkpoints.push({ line: 0, snap: this.graph.snapshot(), latest: new Map() });
  }

  /** Lines available now. */
  get length(): number {
    return this.lines.length;
  }

  /** Process lines until `target` (exclusive) or the end; returns the new position. */
  runTo(target: number): number {
    const end = Math.min(target, this.lines.length);
    while (this.position < end) this.processOne();
    return this.position;
  }

  /**
   * Work plan of a seek to `target`: restore the nearest checkpoint, then play forward. A
   * generator, so the controller can spread a long seek over frames and show progress; each
   * yield is a fraction done. Outputs are delivered only for the play-forward part.
   */
  *seek(target: number, slice = 4000): Generator<number, void> {
    target = Math.max(0, Math.min(target, this.lines.length));
    const cp = this.checkpoints[this.nearestIndex(target)]!;
    const back = target < this.position;
    if (back || cp.line > this.position) {
      // Forward, the decoder is already right up to `position`; backward it restarts at 0.
      let i = back ? 0 : this.position;
      if (back) this.decoder = new RecordingDecoder();
      if (back && this.statelessDecoder) i = cp.line;
      this.trimEventLines(i);
      const span = Math.max(1, target - i);
      for (; i < cp.line; i++) {
        this.markFed(i, this.decoder.push(this.lines[i]!, i + 1));
        if (i % slice === slice - 1) yield ((i - (target - span)) / span) * 0.5;
      }
      this.build();
      this.graph.restore(cp.snap);
      this.latest = new Map(cp.latest);
      this.position = cp.line;
    }
    const from = this.position;
    while (this.position < target) {
      this.runTo(Math.min(target, this.position + slice));
      yield 0.5 + ((this.position - from) / Math.max(1, target - from)) * 0.5;
    }
  }

  /** Run a seek to completion (tests, compare). */
  seekNow(target: number): void {
    for (const _ of this.seek(target));
  }

  private processOne(): void {
    const i = this.position;
    this.line = i;
    const events = this.decoder.push(this.lines[i]!, i + 1);
    for (const m of events) {
      const list = this.routes.get(routeKey(m.exchange, m.channel, m.symbol));
      if (list) for (const f of list) this.graph.emitNamedDataEvent([f, m.event]);
    }
    this.markFed(i, events);
    this.position = i + 1;
    if (this.position % CHECKPOINT_LINES === 0) this.checkpoint();
  }

  /** Remember line `i` when one of its events is routed to the graph (stepping stops there). */
  private markFed(i: number, events: readonly MarketEvent[]): void {
    if (!events.some((m) => this.routes.has(routeKey(m.exchange, m.channel, m.symbol)))) return;
    if (this.eventLines[this.eventLines.length - 1] !== i) this.eventLines.push(i);
  }

  private checkpoint(): void {
    const last = this.checkpoints[this.checkpoints.length - 1]!;
    if (last.line >= this.position) return;
    this.checkpoints.push({
      line: this.position,
      snap: this.graph.snapshot(),
      latest: new Map(this.latest),
    });
    if (this.checkpoints.length > MAX_CHECKPOINTS) {
      // Keep the start and every other checkpoint: spacing doubles, memory stays bounded.
      const keep = this.checkpoints.filter((_, k) => k % 2 === 0);
      this.checkpoints.length = 0;
      this.checkpoints.push(...keep);
    }
  }

  private nearestIndex(target: number): number {
    let k = 0;
    while (k + 1 < this.checkpoints.length && this.checkpoints[k + 1]!.line <= target) k++;
    return k;
  }

  private nearest(target: number): number {
    return this.checkpoints[this.nearestIndex(target)]!.line;
  }

  private trimEventLines(line: number): void {
    let n = this.eventLines.length;
    while (n > 0 && this.eventLines[n - 1]! >= line) n--;
    this.eventLines.length = n;
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
