/** The window every rate in the studio is measured over: events per second over the last second. */
export const RATE_WINDOW_MS = 1000;

/**
 * The one definition of a rate in the studio (node badges, edge labels, Feed health, the Workers
 * panel): events per second over a sliding window of {@link RATE_WINDOW_MS}, computed from a
 * cumulative count sampled whenever a report is made. The rate is `(count now − count at the
 * newest sample at least one window old) / (time between them)`, so reports that arrive between
 * two worker posts (no new count) neither read 0 nor double the next one: the window always
 * spans about a second of samples. Before a window of history exists, it spans what there is.
 * Pure: the caller passes the time (ms), so it runs the same in tests, workers and the page.
 */
export class SlidingRate {
  /** Samples (time ms, cumulative count), oldest first; the first is at least a window old once there is history. */
  private readonly at: number[] = [];
  private readonly counts: number[] = [];

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  /**
   * Record the cumulative `count` at `nowMs` and return events/s over the sliding window. A count
   * lower than the previous one (a restarted counter) starts the window afresh.
   */
  observe(count: number, nowMs: number): number {
    const n = this.at.length;
    if (n > 0 && (count < this.counts[n - 1]! || nowMs < this.at[n - 1]!)) this.reset();
    this.at.push(nowMs);
    this.counts.push(count);
    // Drop samples while the next one is still at least a window old: the oldest kept is the
    // newest sample that covers the whole window.
    while (this.at.length > 2 && nowMs - this.at[1]! >= this.windowMs) {
      this.at.shift();
      this.counts.shift();
    }
    const dt = nowMs - this.at[0]!;
    return dt > 0 ? ((count - this.counts[0]!) * 1000) / dt : 0;
  }

  reset(): void {
    this.at.length = 0;
    this.counts.length = 0;
  }
}

/** A {@link SlidingRate} per key (node id, edge id, feed), forgetting keys no longer reported. */
export class SlidingRates<K> {
  private readonly rates = new Map<K, SlidingRate>();

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  observe(key: K, count: number, nowMs: number): number {
    let r = this.rates.get(key);
    if (!r) this.rates.set(key, (r = new SlidingRate(this.windowMs)));
    return r.observe(count, nowMs);
  }

  /** Forget every key not in `keep` (a node deleted, a feed closed). */
  retain(keep: ReadonlySet<K>): void {
    for (const k of [...this.rates.keys()]) if (!keep.has(k)) this.rates.delete(k);
  }

  clear(): void {
    this.rates.clear();
  }
}
