/**
 * A live worker's sequence numbers: what orders its inputs in every `InputMerger` downstream and
 * what the recorder's merge orders its recorded lines by. Wall-clock µs (a millisecond clock,
 * +1 per number taken), strictly increasing in this worker, and never equal to another worker's
 * of the same run: worker `index` of `workers` takes only numbers `≡ index (mod workers)`.
 *
 * Two rules make a live run see what a replay of its recording sees (docs/recording-format.md,
 * "Order of a live run"):
 * - a recorded line that causes events opens a line, and every event this worker's sources emit
 *   until the line closes (the end of the task that received it) takes the line's own number, so
 *   a merge downstream never puts another worker's line between two events of one line; a replay
 *   feeds a line's events together;
 * - no two workers share a number, so a merge of several workers' lanes never falls back on a
 *   tie rule (lane rank in an `InputMerger`, worker index in the recorder's merge), which would
 *   order two workers' equal stamps differently in different places.
 */
export class LiveSequence {
  /** The last number taken (or passed by {@link tick}): every input so far has a seq `<=` it. */
  last = 0;
  /** The open line's number: the seq its events take. */
  private open: number | undefined;

  constructor(
    private readonly index = 0,
    private readonly workers = 1,
    private readonly clockMs: () => number = Date.now,
  ) {}

  /** Take the next number of this worker's residue class. */
  next(): number {
    const base = Math.max(this.last + 1, this.clockMs() * 1000);
    const w = this.workers;
    this.last = base + ((((this.index - base) % w) + w) % w);
    return this.last;
  }

  /** A recorded line that causes events: its stamp, which its events take too until closed. */
  openLine(): number {
    this.open = this.next();
    return this.open;
  }

  /** The seq of a live input event: the open line's, or a fresh number when none is open. */
  eventSeq(): number {
    return this.open ?? this.next();
  }

  /** The task that received the line ended: its events are all emitted. */
  closeLine(): void {
    this.open = undefined;
  }

  /** The clock moved with no input: the watermark follows it (a quiet worker must not hold merges). */
  tick(): number {
    this.last = Math.max(this.last, this.clockMs() * 1000);
    return this.last;
  }
}
