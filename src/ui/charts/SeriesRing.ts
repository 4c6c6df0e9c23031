import type { Event } from '../../core/events.ts';

/** Columns of a ring's visible window, oldest first: views into the ring, never copies. */
export interface RingView {
  readonly t: Float64Array;
  readonly cols: readonly Float64Array[];
}

/**
 * A point this much earlier than the newest is time going back (a replay seek or loop), not a
 * late event of a live feed (those are clamped to the newest time, milliseconds at most).
 */
export const REWIND_SEC = 1;

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
  /** Time went back (a replay seek or loop): the next earlier point splices the window there. */
  private rewound = false;

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
    // Time going backwards is a replay seek or loop, not a late event: the window is cut at the
    // new point (what was drawn after it belongs to another pass), never drawn as a spike.
    if (this.len > 0 && e.timestamp < this.lastT) {
      if (this.rewound || this.lastT - e.timestamp > REWIND_SEC) this.truncateAfter(e.timestamp);
    }
    this.rewound = false;
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

  /**
   * Time went back to `t` (a replay seek or loop wrap): drop the points after it now, and cut at
   * the next earlier point too (the replay's own event times may sit just before `t`).
   */
  rewind(t: number): void {
    if (this.len > 0 && t < this.lastT) this.truncateAfter(t);
    this.rewound = true;
    this.version++;
  }

  /** Keep only the points at or before `t` (times ascend, so a binary search finds the cut). */
  private truncateAfter(t: number): void {
    let lo = this.head;
    let hi = this.head + this.len;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.t[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    this.len = lo - this.head;
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
