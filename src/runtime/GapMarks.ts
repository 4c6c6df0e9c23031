import type { GapItem } from '../core/batch/gaps.ts';
import type { OutputWriter } from '../core/batch/OutputWriter.ts';
import type { Feature } from '../core/feature/Feature.ts';

/**
 * The NDJSON twin of `SeqAligner` for `--workers N`: in NDJSON an {@link OutputWriter}'s clocks
 * move only with inputs and gaps (output lines do not touch them), so the writer is told of each
 * input as it is fed, in input order — the same calls in the same order as in-thread — and only
 * the text that produces (a gap marker, before the outputs of the input that closed the gap)
 * waits for its place among the workers' output lines. Costs nothing per input beyond the
 * writer's own calls: no queued notes.
 */
export class GapMarks {
  private seq = 0;
  private readonly at: number[] = [];
  private readonly texts: string[] = [];
  private head = 0;

  constructor(private readonly writer: OutputWriter) {}

  /** Input {@link seq}+1 is an event of `source` at `ts` (fed now). */
  input(source: Feature, ts: number): void {
    const n = ++this.seq;
    const text = this.writer.before(source, ts);
    if (text !== '') {
      this.at.push(n);
      this.texts.push(text);
    }
    this.writer.after(source, ts);
  }

  /** A gap, after the inputs fed so far. */
  gap(item: GapItem): void {
    const text = this.writer.gap(item);
    if (text !== '') {
      this.at.push(this.seq + 0.5);
      this.texts.push(text);
    }
  }

  /** The markers due before the outputs of input `seq` (or once every input up to it is out). */
  upTo(seq: number): string {
    let text = '';
    while (this.head < this.at.length && this.at[this.head]! <= seq)
      text += this.texts[this.head++];
    return text;
  }

  /** End of input: the rest, then the writer's end (markers of gaps still open). */
  finish(): string {
    return this.upTo(Infinity) + this.writer.finish();
  }
}
