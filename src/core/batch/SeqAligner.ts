import type { Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import type { GapItem } from './gaps.ts';
import type { OutputWriter } from './OutputWriter.ts';

/** What a queued note calls on the writer. */
const BEFORE = 0;
const AFTER = 1;
const GAP = 2;

/**
 * Puts an {@link OutputWriter}'s calls in the in-thread order when outputs come back later, as from
 * the worker runtime: inputs are numbered 1, 2, … in feed order (as `StreamManager.feed` numbers
 * them), their outputs arrive tagged with that number in canonical order, and the inputs' own
 * notes (`before`/`after`, gaps) are queued and applied at their place among them. The writer then
 * sees exactly the call sequence of the in-thread run, so the bytes are the same.
 */
export class SeqAligner {
  private seq = 0;
  // Notes in parallel arrays, not an object and a closure each: two per input, and they live
  // until the input's outputs come back, which is long enough to be copied by every GC on the way.
  /** `2·seq` before input `seq`, `2·seq + 1` after it (and for gaps that follow it). */
  private at: number[] = [];
  private kind: number[] = [];
  private what: (Feature | GapItem)[] = [];
  private ts: number[] = [];
  private head = 0;

  constructor(private readonly writer: OutputWriter) {}

  /** Input number {@link seq}+1 is an event of `source` at `ts`; returns its number. */
  input(source: Feature, ts: number): number {
    const n = ++this.seq;
    this.note(2 * n, BEFORE, source, ts);
    this.note(2 * n + 1, AFTER, source, ts);
    return n;
  }

  /** A gap, after the inputs fed so far. */
  gap(item: GapItem): void {
    this.note(2 * this.seq + 1, GAP, item, 0);
  }

  /** Outputs in canonical order (by input number, then position, then emission). */
  outputs(
    outs: readonly { readonly seq: number; readonly pos: number; readonly ev: Event }[],
  ): string {
    let text = '';
    for (const x of outs) {
      text += this.drain(2 * x.seq + 0.5);
      // A string is the NDJSON line a worker already wrote for it (RunWorkers with `ndjson`).
      const ev = x.ev as unknown;
      text += typeof ev === 'string' ? this.writer.outputLine(ev) : this.writer.output(x.pos, x.ev);
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
    return this.at.length - this.head;
  }

  private note(at: number, kind: number, what: Feature | GapItem, ts: number): void {
    this.at.push(at);
    this.kind.push(kind);
    this.what.push(what);
    this.ts.push(ts);
  }

  private drain(below: number): string {
    let text = '';
    const w = this.writer;
    while (this.head < this.at.length && this.at[this.head]! < below) {
      const i = this.head++;
      const kind = this.kind[i]!;
      if (kind === GAP) text += w.gap(this.what[i] as GapItem);
      else if (kind === BEFORE) text += w.before(this.what[i] as Feature, this.ts[i]!);
      else text += w.after(this.what[i] as Feature, this.ts[i]!);
    }
    if (this.head > 1024 && this.head * 2 > this.at.length) {
      this.at = this.at.slice(this.head);
      this.kind = this.kind.slice(this.head);
      this.what = this.what.slice(this.head);
      this.ts = this.ts.slice(this.head);
      this.head = 0;
    }
    return text;
  }
}
