import type { ByteLines } from '../core/batch/ByteLines.ts';
import { ByteRunCopier } from '../core/batch/ByteRunCopier.ts';
import { outputColumnsOf } from '../core/batch/format.ts';
import type { BatchFormat } from '../core/batch/OutputWriter.ts';
import { OutputWriter } from '../core/batch/OutputWriter.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import { dagNodes } from '../runtime/featureSpec.ts';
import { outputEvent, type SubgraphBatch } from './OutputBatch.ts';

/**
 * A subgraph's notes and outputs not released yet: its batches holding notes, and those holding
 * outputs (two queues: an output may wait for another subgraph's note while this one's next
 * notes are due), each read from its head on.
 */
interface Held {
  readonly notes: SubgraphBatch[];
  /** Next note, and next gap item, of `notes[0]`. */
  ni: number;
  gi: number;
  readonly outs: SubgraphBatch[];
  /** Next output of `outs[0]`. */
  oi: number;
}

/**
 * Rebuilds `featurizer run`'s bytes from the subgraphs' output chains. Each subgraph's batches
 * carry its outputs (as `run`'s NDJSON lines) and, for the subgraphs that own sources, one note
 * per input (source and time) or gap. Released up to the lowest `to` of all subgraphs, notes
 * and outputs are walked in input order and each input's outputs in canonical order (output
 * position, then emission): for each input the writer gets `before`, its outputs, `after`, and
 * a gap where it was noted — the very call sequence the in-thread BatchRunner makes on its
 * {@link OutputWriter}, so the text is the same. NDJSON output lines are copied as bytes (runs of
 * adjacent lines at once); CSV parses them back into events for the as-of join.
 */
export class TailAssembler {
  private readonly nodes: Feature[];
  private readonly writer: OutputWriter;
  private readonly csv: boolean;
  private readonly keepFeature: boolean[];
  private readonly to = new Map<number, number>();
  private readonly lastStreamSeq = new Map<number, number>();
  private readonly held: Held[] = [];
  private readonly heldOf = new Map<number, Held>();
  private started = false;
  /** NDJSON lines copied as bytes (the writer counts the rest). */
  private copied = 0;
  /** NDJSON lines waiting to be copied (adjacent lines join one copy). */
  private readonly runs = new ByteRunCopier();

  /** Output lines (NDJSON) or rows (CSV) written so far. */
  get outputs(): number {
    return this.writer.outputs + this.copied;
  }

  constructor(
    features: readonly Feature[],
    g: FeatureStreamWorkerGraph,
    format: BatchFormat,
    startTo: number,
  ) {
    this.nodes = dagNodes(features);
    this.writer = new OutputWriter(features, format);
    this.csv = format === 'csv';
    this.keepFeature = outputColumnsOf(features).map((c) => c.fields.includes('feature'));
    for (const s of g.subgraphs) {
      if (s.sources.length === 0 && s.outputs.length === 0) continue;
      this.to.set(s.index, startTo);
      const h: Held = { notes: [], ni: 0, gi: 0, outs: [], oi: 0 };
      this.held.push(h);
      this.heldOf.set(s.index, h);
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
    const h = this.heldOf.get(sg)!;
    if (b.noteSeq.length > 0) h.notes.push(b);
    if (b.outSeq.length > 0) h.outs.push(b);
  }

  /** Every input ≤ this has all its outputs here. */
  get watermark(): number {
    let w = Infinity;
    for (const t of this.to.values()) w = Math.min(w, t);
    return w;
  }

  /** Append the output of every input up to the watermark to `out`. */
  release(out: ByteLines): void {
    this.begin(out);
    const w = this.watermark;
    const held = this.held;
    for (;;) {
      // The lowest note held (notes of one input come from one subgraph: the source's owner).
      let h: Held | undefined;
      let seq = Infinity;
      for (const x of held) {
        const b = x.notes[0];
        if (b !== undefined && b.noteSeq[x.ni]! < seq) {
          seq = b.noteSeq[x.ni]!;
          h = x;
        }
      }
      this.checkOrphans(Math.min(seq, w + 1));
      if (h === undefined || seq > w) break;
      const b = h.notes[0]!;
      const node = b.noteNode[h.ni]!;
      if (node === -1) {
        this.text(out, this.writer.gap(b.gaps[h.gi++]!));
        this.nextNote(h);
        continue;
      }
      const src = this.nodes[node]!;
      const ts = b.noteTs[h.ni]!;
      this.nextNote(h);
      this.text(out, this.writer.before(src, ts));
      this.outputsOf(seq, out);
      this.text(out, this.writer.after(src, ts));
    }
    this.flush(out);
  }

  /** End of the stream: the rest, then the writer's end (open gaps, last CSV rows). */
  finish(out: ByteLines): void {
    this.release(out);
    out.text(this.writer.finish());
  }

  private begin(out: ByteLines): void {
    if (this.started) return;
    this.started = true;
    out.text(this.writer.header());
  }

  private text(out: ByteLines, s: string): void {
    if (s === '') return;
    this.flush(out);
    out.text(s);
  }

  /** Step past `h`'s next note. */
  private nextNote(h: Held): void {
    if (++h.ni < h.notes[0]!.noteSeq.length) return;
    h.notes.shift();
    h.ni = h.gi = 0;
  }

  /** `h`'s next output is `k` of its first batch. */
  private outputAt(h: Held, k: number): void {
    if (k < h.outs[0]!.outSeq.length) h.oi = k;
    else {
      h.outs.shift();
      h.oi = 0;
    }
  }

  /** Input `seq`'s outputs, in canonical order: output position, then subgraph, then emission. */
  private outputsOf(seq: number, out: ByteLines): void {
    let owners = 0;
    let only: Held | undefined;
    for (const x of this.held) {
      const b = x.outs[0];
      if (b !== undefined && b.outSeq[x.oi] === seq) {
        owners++;
        only = x;
      }
    }
    if (owners === 0) return;
    if (owners === 1) {
      // One subgraph's run of outputs: copied whole when its positions are already in order.
      const b = only!.outs[0]!;
      let k = only!.oi;
      let sorted = true;
      for (; k < b.outSeq.length && b.outSeq[k] === seq; k++)
        if (k > only!.oi && b.outPos[k]! < b.outPos[k - 1]!) sorted = false;
      if (sorted) {
        for (let i = only!.oi; i < k; i++) this.output(b, i, out);
        return this.outputAt(only!, k);
      }
    }
    // A batch never ends inside an input's outputs (it covers whole inputs): one batch each.
    const group: { b: SubgraphBatch; k: number }[] = [];
    for (const x of this.held) {
      const b = x.outs[0];
      if (b === undefined) continue;
      let k = x.oi;
      for (; k < b.outSeq.length && b.outSeq[k] === seq; k++) group.push({ b, k });
      if (k > x.oi) this.outputAt(x, k);
    }
    // Stable: equal positions keep subgraph, then emission order.
    group.sort((p, q) => p.b.outPos[p.k]! - q.b.outPos[q.k]!);
    for (const { b, k } of group) this.output(b, k, out);
  }

  private output(b: SubgraphBatch, k: number, out: ByteLines): void {
    const pos = b.outPos[k]!;
    if (this.csv)
      return this.text(out, this.writer.output(pos, outputEvent(b, k, this.keepFeature[pos])));
    this.copied++;
    this.runs.add(b.lines, k === 0 ? 0 : b.outEnd[k - 1]!, b.outEnd[k]!, out);
  }

  private flush(out: ByteLines): void {
    this.runs.flush(out);
  }

  /** An output held for an input below `seq` whose note was never seen: a broken chain. */
  private checkOrphans(seq: number): void {
    for (const x of this.held) {
      const b = x.outs[0];
      if (b !== undefined && b.outSeq[x.oi]! < seq)
        throw new Error(`output for input ${b.outSeq[x.oi]} without its source note`);
    }
  }
}
