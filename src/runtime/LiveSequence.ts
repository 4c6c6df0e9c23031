/**
 * A live worker's sequence numbers: what orders its inputs in every `InputMerger` downstream and
 * what the recorder's merge orders its recorded lines by. Wall-clock µs (a millisecond clock,
 * +1 per number taken), strictly increasing in this worker.
 */
export class LiveSequence {
  /** The last number taken (or passed by {@link tick}): every input so far has a seq `<=` it. */
  last = 0;

  constructor(private readonly clockMs: () => number = Date.now) {}

  /** Take the next number. */
  next(): number {
    this.last = Math.max(this.last + 1, this.clockMs() * 1000);
    return this.last;
  }

  /** A recorded line that causes events: its stamp. */
  openLine(): number {
    return this.next();
  }

  /** The seq of a live input event. */
  eventSeq(): number {
    return this.next();
  }

  /** The current task ended: the line's events are all emitted. */
  closeLine(): void {}

  /** The clock moved with no input: the watermark follows it (a quiet worker must not hold merges). */
  tick(): number {
    this.last = Math.max(this.last, this.clockMs() * 1000);
    return this.last;
  }
}
