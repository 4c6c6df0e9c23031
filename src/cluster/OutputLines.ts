import { ByteLines } from '../core/batch/ByteLines.ts';
import { outputColumnsOf } from '../core/batch/format.ts';
import { NdjsonLineWriter, TimesText } from '../core/batch/NdjsonLineWriter.ts';
import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { OutputColumnsIn } from './OutputBatch.ts';

/**
 * A subgraph's outputs since its last batch, as `featurizer run`'s NDJSON lines: each event is
 * written when emitted by the same {@link NdjsonLineWriter} `run`'s {@link OutputWriter} uses,
 * into one UTF-8 buffer, with its input number and output position beside it. The tail then
 * copies bytes (NDJSON) instead of parsing events and printing their numbers again; a CSV tail
 * parses the lines back (`outputEvent`).
 */
export class OutputLines implements OutputColumnsIn {
  seq: number[] = [];
  pos: number[] = [];
  ends: number[] = [];
  /** Lines before this byte offset belong to inputs already published (skipped). */
  start = 0;
  private readonly out = new ByteLines(1 << 16);
  private readonly writers: NdjsonLineWriter[];

  /** `features`: the deployment's configured outputs, in config order (positions). */
  constructor(features: readonly Feature[]) {
    const times = new TimesText();
    this.writers = outputColumnsOf(features).map((c) => new NdjsonLineWriter(c, times));
  }

  get bytes(): Uint8Array {
    return this.out.bytes;
  }

  get length(): number {
    return this.seq.length;
  }

  /** Output position `pos` emitted `e` for input `seq`. */
  add(seq: number, pos: number, e: Event): void {
    this.writers[pos]!.lineTo(e, this.out);
    this.seq.push(seq);
    this.pos.push(pos);
    this.ends.push(this.out.length);
  }

  /**
   * Drop the outputs of inputs ≤ `published` (a restarted owner catching up): a prefix, since
   * outputs come in input order.
   */
  skipUpTo(published: number): void {
    let k = 0;
    while (k < this.seq.length && this.seq[k]! <= published) k++;
    if (k === 0) return;
    this.start = this.ends[k - 1]!;
    this.seq = this.seq.slice(k);
    this.pos = this.pos.slice(k);
    this.ends = this.ends.slice(k);
  }

  clear(): void {
    this.seq = [];
    this.pos = [];
    this.ends = [];
    this.start = 0;
    this.out.clear();
  }
}
