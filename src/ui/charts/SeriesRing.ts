import type { Event } from '../../core/events.ts';

/** Columns of a ring's visible window, oldest first: views into the ring, never copies. */
export interface RingView {
  readonly t: Float64Array;
  readonly cols: readonly Float64Array[];
}

/**
 * A bounded, columnar history of one node's output: event time plus one column per numeric
 * field, `capacity` points at most (the oldest is overwritten). Every value is written twice,
 * at `i` and `i + capacity`, so the live window is always one contiguous `subarray` — uPlot gets
 * views, and a frame costs no copy however full the ring is.
 */
export class SeriesRing {
  private readonly t: Float64Array;
  private readonly cols: Float64Array[];
  private head = 0;
  private len = 0;
  /** Bumped on every push: a chart redraws only when a version it shows moved. */
  version = 0;

  constructor(
    readonly fields: readonly string[],
    readonly capacity: number,
  ) {
    this.t = new Float64Array(capacity * 2);
    this.cols = fields.map(() => new Float64Array(capacity * 2));
  }

  /** Numeric fields of an event, in its key order (what a chart can plot). */
  static fieldsOf(e: Event): string[] {
    return Object.keys(e).filter(
      (k) => k !== 'timestamp' && k !== 'receipt_timestamp' && typeof e[k] === 'number',
    );
  }

  get size(): number {
    return this.len;
  }

  /** Time of the newest point (NaN when empty). */
  get lastT(): number {
    return this.len === 0 ? NaN : this.t[this.head + this.len - 1]!;
  }

  push(e: Event): void {
    const cap = this.capacity;
    let pos: number;
    if (this.len < cap) pos = (this.head + this.len++) % cap;
    else {
      pos = this.head;
      this.head = (this.head + 1) % cap;
    }
    // uPlot needs ascending x: a late event is drawn at the latest time seen, not before it.
    const t = Math.max(e.timestamp, this.len > 1 ? this.lastBefore(pos) : -Infinity);
    this.t[pos] = t;
    this.t[pos + cap] = t;
    for (let i = 0; i < this.fields.length; i++) {
      const v = e[this.fields[i]!];
      const x = typeof v === 'number' ? v : NaN;
      this.cols[i]![pos] = x;
      this.cols[i]![pos + cap] = x;
    }
    this.version++;
  }

  /** The points of the last `seconds` (all of them when not finite), as views. */
  view(seconds = Infinity): RingView {
    const end = this.head + this.len;
    let start = this.head;
    if (Number.isFinite(seconds) && this.len > 0) {
      const from = this.t[end - 1]! - seconds;
      let lo = this.head;
      let hi = end - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.t[mid]! < from) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    return {
      t: this.t.subarray(start, end),
      cols: this.cols.map((c) => c.subarray(start, end)),
    };
  }

  private lastBefore(pos: number): number {
    const cap = this.capacity;
    return this.t[(pos - 1 + cap) % cap]!;
  }
}
