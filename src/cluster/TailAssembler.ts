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
  private notes: Note[] = [];
  private outs: Out[] = [];
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
    for (const i of this.relevant) this.to.set(i, startTo);
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
    for (const n of b.n) this.notes.push(n);
    for (const o of b.o) this.outs.push(o);
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
    const notes = take(this, 'notes', w).sort((a, b) => a[0] - b[0]);
    if (notes.length === 0) return text;
    const outs = take(this, 'outs', w).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
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

/** Remove and return the items of `t[key]` with input ≤ `w` (they are sorted per subgraph). */
function take<K extends 'notes' | 'outs'>(
  t: TailAssembler,
  key: K,
  w: number,
): (K extends 'notes' ? Note : Out)[] {
  const self = t as unknown as Record<K, (Note | Out)[]>;
  const keep: (Note | Out)[] = [];
  const out: (Note | Out)[] = [];
  for (const x of self[key]) (x[0] <= w ? out : keep).push(x);
  self[key] = keep;
  return out as (K extends 'notes' ? Note : Out)[];
}
