import type { Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import type { GapItem } from './gaps.ts';
import type { OutputWriter } from './OutputWriter.ts';

interface Note {
  /** `2·seq` before input `seq`, `2·seq + 1` after it (and for gaps that follow it). */
  readonly at: number;
  readonly apply: (w: OutputWriter) => string;
}

/**
 * Puts an {@link OutputWriter}'s calls in the in-thread order when outputs come back later, as from
 * the worker runtime: inputs are numbered 1, 2, … in feed order (as `StreamManager.feed` numbers
 * them), their outputs arrive tagged with that number in canonical order, and the inputs' own
 * notes (`before`/`after`, gaps) are queued and applied at their place among them. The writer then
 * sees exactly the call sequence of the in-thread run, so the bytes are the same.
 */
export class SeqAligner {
  private seq = 0;
  private readonly notes: Note[] = [];
  private head = 0;

  constructor(private readonly writer: OutputWriter) {}

  /** Input number {@link seq}+1 is an event of `source` at `ts`; returns its number. */
  input(source: Feature, ts: number): number {
    const n = ++this.seq;
    this.notes.push({ at: 2 * n, apply: (w) => w.before(source, ts) });
    this.notes.push({ at: 2 * n + 1, apply: (w) => w.after(source, ts) });
    return n;
  }

  /** A gap, after the inputs fed so far. */
  gap(item: GapItem): void {
    this.notes.push({ at: 2 * this.seq + 1, apply: (w) => w.gap(item) });
  }

  /** Outputs in canonical order (by input number, then position, then emission). */
  outputs(
    outs: readonly { readonly seq: number; readonly pos: number; readonly ev: Event }[],
  ): string {
    let text = '';
    for (const x of outs) {
      text += this.drain(2 * x.seq + 0.5);
      text += this.writer.output(x.pos, x.ev);
    }
    return text;
  }

  /**
   * Every output of inputs up to `seq` has been handed to {@link outputs}: their notes can be
   * applied now. Without such calls the notes of inputs whose outputs are rare pile up here.
   */
  progress(seq: number): string {
    return this.drain(2 * seq + 2);
  }

  /** Every output has arrived: the remaining notes, then the writer's end. */
  finish(): string {
    return this.drain(Infinity) + this.writer.finish();
  }

  /** Notes waiting for outputs (tests). */
  get queued(): number {
    return this.notes.length - this.head;
  }

  private drain(below: number): string {
    let text = '';
    while (this.head < this.notes.length && this.notes[this.head]!.at < below)
      text += this.notes[this.head++]!.apply(this.writer);
    if (this.head > 1024 && this.head * 2 > this.notes.length) {
      this.notes.splice(0, this.head);
      this.head = 0;
    }
    return text;
  }
}
