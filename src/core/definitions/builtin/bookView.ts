import type { Event, Level } from '../../events.ts';

/**
 * The two forms of an `l2_snapshot` event, and how the built-in book features read both.
 *
 * - **Plain** (what outputs, callbacks and any consumer that may keep its input receive): `bids`
 *   and `asks` are fresh top-N arrays, best first, never mutated afterwards.
 * - **Lent** (l2_snapshot_fd's hot path, only when every consumer borrows, see
 *   `OperatorOptions.borrows`): one reused object whose `bids`/`asks` are the book's own sides as
 *   stored, **best last** and whole, with `depth` the levels per side the snapshot shows
 *   (Infinity: all), marked by a private symbol no input or user code can forge. Valid only during
 *   the consumer's call; no top-N array is built per update.
 *
 * Readers take the side array and {@link isLent}'s answer and index through these helpers, so one
 * read costs the same in both forms.
 */
const LENT: unique symbol = Symbol('lent l2_snapshot');

export interface LentBookEvent extends Event {
  timestamp: number;
  receipt_timestamp: number;
  bids: Level[];
  asks: Level[];
  readonly depth: number;
  readonly [LENT]: true;
}

/** A lent event for `depth` levels per side (`depth < 0`: all), to be refilled per update. */
export function lentBookEvent(depth: number): LentBookEvent {
  return {
    timestamp: 0,
    receipt_timestamp: 0,
    bids: [],
    asks: [],
    depth: depth < 0 ? Infinity : depth,
    [LENT]: true,
  };
}

/** Whether `e` is the lent form (sides best last, whole). */
export function isLent(e: Event): e is LentBookEvent {
  return (e as Partial<LentBookEvent>)[LENT] === true;
}

/** How many levels of `side` the snapshot `e` shows. */
export function shownLevels(e: Event, side: readonly Level[], lent: boolean): number {
  if (!lent) return side.length;
  const depth = (e as LentBookEvent).depth;
  return depth < side.length ? depth : side.length;
}

/** The level at `rank` (0 = best) of a side of `e`; undefined past the levels `e` shows. */
export function levelAt(
  e: Event,
  side: readonly Level[],
  rank: number,
  lent: boolean,
): Level | undefined {
  if (!lent) return side[rank];
  const i = side.length - 1 - rank;
  return i >= 0 && rank < (e as LentBookEvent).depth ? side[i] : undefined;
}
