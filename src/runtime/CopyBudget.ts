/**
 * Share of a replay worker's time its checkpoint copies to the main thread may take. A copy is a
 * structured clone of the graph's state: cheap for the default pipeline (~1.5 ms), but a research
 * pipeline's long windows (`volatility` and `zscore` over 5 minutes) clone ~37 ms a copy, and
 * copying every other checkpoint then took a third of a first play (4.1 s of 100k lines on one
 * worker, 2.6 s without copies; bench/traceReplay.ts, `TRACE_SPLIT=heavy`).
 */
export const COPY_SHARE = 0.1;
/** Copies cheaper than this are never put off (the budget only reins in costly ones). */
export const CHEAP_COPY_MS = 4;

/**
 * When a replay worker may copy its next checkpoint to the main thread (for a crashed worker's
 * replacement): a copy that cost `c` ms, over {@link CHEAP_COPY_MS}, puts the next off until
 * `c / COPY_SHARE` ms after it began, so copies take at most about {@link COPY_SHARE} of the
 * worker's time. What it costs: a replacement replays from an older copy (more lines, never
 * other outputs: replay is deterministic). Seeks never use the copies (each worker holds every
 * checkpoint it made). Times are the caller's clock (ms).
 */
export class CopyBudget {
  private nextAt = -Infinity;

  /** Whether a copy may be made at `now`. */
  allows(now: number): boolean {
    return now >= this.nextAt;
  }

  /** A copy began at `start` and cost `costMs`. */
  spent(start: number, costMs: number): void {
    this.nextAt = costMs < CHEAP_COPY_MS ? -Infinity : start + costMs / COPY_SHARE;
  }
}
