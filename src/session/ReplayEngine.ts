import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import { type DecoderSnapshot, RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { NodeGraph, type NodeGraphPlan } from './NodeGraph.ts';
import type { ReplayTarget } from './ReplayTarget.ts';

export type { ReplayTarget };

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

/**
 * Lines streamed a chunk at a time as a LineSource (line indexes continue across chunks): what
 * Compare and batch runs over a recording read through.
 */
export class ChunkLines implements LineSource {
  private base = 0;
  private chunk: readonly string[] = [];
  /** The lines from index `base` on (the previous chunk is dropped). */
  set(base: number, chunk: readonly string[]): void {
    this.base = base;
    this.chunk = chunk;
  }
  line(i: number): string {
    return this.chunk[i - this.base]!;
  }
  get end(): number {
    return this.base + this.chunk.length;
  }
}

interface Checkpoint {
  readonly line: number;
  readonly graph: GraphSnapshot;
  /** The venue adapters' state (books, sequence numbers); undefined only at line 0. */
  readonly decoder: DecoderSnapshot | undefined;
  readonly latest: Map<string, Event>;
}

/**
 * The one decoder loop over recording lines (NDJSON texts): each line through a RecordingDecoder
 * — the live venue adapters — with the gaps they report, into a {@link ReplayTarget}. Given a
 * document, the target is its {@link NodeGraph} (every node's outputs, routed by (exchange,
 * channel, symbol) exactly as the live emitters route); given a target, that target (a batch
 * run's writer). Pure and synchronous: the controller paces it and makes sure the lines it asks
 * for are loaded.
 *
 * Seeking (document form): every {@link CHECKPOINT_LINES} lines the engine checkpoints the graph
 * (`snapshot()`) and the decoder (every adapter's books and sequence state). {@link restoreFor}
 * puts a fresh graph and decoder into the nearest checkpoint at or before a target; playing
 * forward from there reaches the target with no event skipped, so a seek costs at most one
 * checkpoint spacing of replay, wherever the target is. A decoder that cannot snapshot (an
 * adapter without `snapshot`) takes no checkpoints: its seeks restart from line 0. A target
 * without a graph takes none either: it plays forward once.
 */
export class ReplayEngine {
  /** Index of the next line to process. */
  position = 0;
  /** Recent lines at which at least one event entered the graph (for stepping), ascending. */
  readonly eventLines: number[] = [];
  /** Each node's last output so far (restored with checkpoints: a seek can show values). */
  latest = new Map<string, Event>();
  private target: ReplayTarget;
  private decoderNow = new RecordingDecoder();
  private readonly checkpoints: Checkpoint[] = [];
  private readonly plan: NodeGraphPlan | undefined;
  private line = 0;

  /** Replay `lines` through `doc`, every node's outputs to `onOutput`; or into `target`. */
  constructor(doc: PipelineDoc, lines: LineSource, onOutput: ReplayOutput);
  constructor(target: ReplayTarget, lines: LineSource);
  constructor(
    into: PipelineDoc | ReplayTarget,
    private readonly lines: LineSource,
    onOutput?: ReplayOutput,
  ) {
    if ('push' in into) {
      this.plan = undefined;
      this.target = into;
      return;
    }
    this.plan = NodeGraph.plan(into, (nodeId, e) => {
      this.latest.set(nodeId, e);
      onOutput!(nodeId, e, this.line);
    });
    this.target = new NodeGraph(this.plan);
    this.checkpoints.push({
      line: 0,
      graph: this.target.graph!.snapshot(),
      decoder: undefined,
      latest: new Map(),
    });
  }

  /** The decoder (its stats and malformed-frame report). */
  get decoder(): RecordingDecoder {
    return this.decoderNow;
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
    if (!this.plan) throw new Error('this replay plays forward only (its target has no graph)');
    const cp = this.checkpoints[this.nearestIndex(Math.max(0, target))]!;
    if (!force && target >= this.position && cp.line <= this.position) return this.position;
    this.decoderNow = cp.decoder ? RecordingDecoder.restore(cp.decoder) : new RecordingDecoder();
    this.target = new NodeGraph(this.plan);
    this.target.graph!.restore(cp.graph);
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
    let fed = false;
    for (const item of this.decoderNow.pushItems(this.lines.line(i), i + 1))
      if (this.target.push(item)) fed = true;
    if (fed) this.markFed(i);
    this.position = i + 1;
    if (this.plan && this.position % CHECKPOINT_LINES === 0) this.checkpoint();
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
    const decoder = this.decoderNow.snapshot();
    if (!decoder) return;
    const cp = {
      line: this.position,
      graph: this.target.graph!.snapshot(),
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
}
