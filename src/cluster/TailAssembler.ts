import type { GapItem } from '../core/batch/gaps.ts';
import type { BatchFormat } from '../core/batch/OutputWriter.ts';
import { OutputWriter } from '../core/batch/OutputWriter.ts';
import { SeqAligner } from '../core/batch/SeqAligner.ts';
import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import { dagNodes } from '../runtime/featureSpec.ts';
import type { Note, Out, SubgraphBatch } from './SubgraphProcessor.ts';

/**
 * Rebuilds `featurizer run`'s bytes from the subgraphs' output chains. Each subgraph's batches
 * carry its outputs and, for the subgraphs that own sources, one note per input (source and
 * time) or gap. Released up to the lowest `to` of all subgraphs, the notes are replayed into
 * core's {@link SeqAligner} in input order and the outputs in canonical order (input, output
 * position, emission): the very call sequence the in-thread BatchRunner makes on its
 * {@link OutputWriter}, so the text is the same.
 */
export class TailAssembler {
  private readonly nodes: Feature[];
  private readonly writer: OutputWriter;
  private readonly aligned: SeqAligner;
  private readonly relevant: number[];
  private readonly to = new Map<number, number>();
  private readonly lastStreamSeq = new Map<number, number>();
  /**
   * What each subgraph sent that is not released yet, in its order (input order: a subgraph's
   * notes and outputs come by input), read from `head` on: a release takes a prefix of each
   * instead of scanning and copying everything held (one subgraph may run far ahead of another).
   */
  private readonly held = new Map<number, Held>();
  private started = false;
  /** Output lines (NDJSON) or rows (CSV) written so far. */
  get outputs(): number {
    return this.writer.outputs;
  }

  constructor(
    features: readonly Feature[],
    g: FeatureStreamWorkerGraph,
    format: BatchFormat,
    startTo: number,
  ) {
    this.nodes = dagNodes(features);
    this.writer = new OutputWriter(features, format);
    this.aligned = new SeqAligner(this.writer);
    this.relevant = g.subgraphs
      .filter((s) => s.sources.length > 0 || s.outputs.length > 0)
      .map((s) => s.index);
    for (const i of this.relevant) {
      this.to.set(i, startTo);
      this.held.set(i, { notes: [], nh: 0, outs: [], oh: 0 });
    }
  }

  /** Whether batches of subgraph `sg` matter here (pure intermediate ones do not). */
  wants(sg: number): boolean {
    return this.to.has(sg);
  }

  /** Batch of subgraph `sg` at output-stream sequence `streamSeq`. */
  push(sg: number, streamSeq: number, b: SubgraphBatch): void {
    const last = this.to.get(sg);
    if (last === undefined || streamSeq <= (this.lastStreamSeq.get(sg) ?? 0)) return;
    if (b.from !== last)
      throw new Error(`subgraph ${sg}: batch from ${b.from} does not continue ${last}`);
    this.lastStreamSeq.set(sg, streamSeq);
    this.to.set(sg, b.to);
    const h = this.held.get(sg)!;
    for (const n of b.n) h.notes.push(n);
    for (const o of b.o) h.outs.push(o);
  }

  /** Every input ≤ this has all its outputs here. */
  get watermark(): number {
    let w = Infinity;
    for (const t of this.to.values()) w = Math.min(w, t);
    return w;
  }

  /** The output text of every input up to the watermark. */
  release(): string {
    let text = this.begin();
    const w = this.watermark;
    const notes: Note[] = [];
    const outs: Out[] = [];
    for (const h of this.held.values()) {
      h.nh = takeUpTo(h.notes, h.nh, w, notes);
      h.oh = takeUpTo(h.outs, h.oh, w, outs);
      if (h.nh > 4096 && h.nh * 2 > h.notes.length) [h.notes, h.nh] = [h.notes.slice(h.nh), 0];
      if (h.oh > 4096 && h.oh * 2 > h.outs.length) [h.outs, h.oh] = [h.outs.slice(h.oh), 0];
    }
    if (notes.length === 0) return text;
    notes.sort((a, b) => a[0] - b[0]);
    // Stable: outputs of one (input, position) keep their emission order (one subgraph's).
    outs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const num = new Map<number, number>();
    let last = 0;
    for (const n of notes) {
      if (n[1] === -1) this.aligned.gap(n[2] as GapItem);
      else num.set(n[0], (last = this.aligned.input(this.nodes[n[1]]!, n[2] as number)));
    }
    const mapped: { seq: number; pos: number; ev: Event }[] = outs.map(([s, pos, ev]) => {
      const n = num.get(s);
      if (n === undefined) throw new Error(`output for input ${s} without its source note`);
      return { seq: n, pos, ev };
    });
    text += this.aligned.outputs(mapped);
    if (last > 0) text += this.aligned.progress(last);
    return text;
  }

  /** End of the stream: the rest, then the writer's end (open gaps, last CSV rows). */
  finish(): string {
    return this.release() + this.aligned.finish();
  }

  private begin(): string {
    if (this.started) return '';
    this.started = true;
    return this.writer.header();
  }
}

interface Held {
  notes: Note[];
  nh: number;
  outs: Out[];
  oh: number;
}

/** Append `xs[from…]` while its input is ≤ `w` to `into`; the new head. */
function takeUpTo<T extends Note | Out>(
  xs: readonly T[],
  from: number,
  w: number,
  into: T[],
): number {
  let i = from;
  for (; i < xs.length && xs[i]![0] <= w; i++) into.push(xs[i]!);
  return i;
}
