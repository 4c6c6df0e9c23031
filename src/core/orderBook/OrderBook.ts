import type { Level } from '../events.ts';

/**
 * An L2 order book as a plain object (so it snapshots with the graph): each side is an array of
 * immutable `[price, size]` levels, best first (bids descending, asks ascending). A changed level
 * is replaced, never mutated, so a top-N snapshot is one `slice` that later updates cannot alter.
 */
export interface OrderBook {
  bids: Level[];
  asks: Level[];
}

export function emptyBook(): OrderBook {
  return { bids: [], asks: [] };
}

/** Index of `price` in a best-first side, or `-(insertionPoint + 1)` when absent. */
function search(side: readonly Level[], price: number, descending: boolean): number {
  let lo = 0;
  let hi = side.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = side[mid]![0];
    if (p === price) return mid;
    if (descending ? p > price : p < price) lo = mid + 1;
    else hi = mid - 1;
  }
  return -(lo + 1);
}

/**
 * Set the size at `price` (size 0 deletes). Returns false when asked to delete a level that is not
 * there: the book is unchanged, and callers may count it as an inconsistency.
 */
export function setLevel(side: Level[], price: number, size: number, descending: boolean): boolean {
  return applyLevel(side, price, size, descending) >= 0;
}

/**
 * {@link setLevel}, returning the index of the level it changed, inserted or removed (levels at
 * and after it may have moved), or -1 for a delete of a missing level (nothing changed). Lets a
 * top-N view know whether the top N changed without comparing them.
 */
export function applyLevel(
  side: Level[],
  price: number,
  size: number,
  descending: boolean,
): number {
  const i = search(side, price, descending);
  if (size === 0) {
    if (i < 0) return -1;
    side.splice(i, 1);
    return i;
  }
  if (i >= 0) {
    side[i] = [price, size];
    return i;
  }
  side.splice(-i - 1, 0, [price, size]);
  return -i - 1;
}

/** The best `depth` levels of a side (`depth < 0`: all). */
export function topLevels(side: readonly Level[], depth: number): Level[] {
  return depth < 0 || depth >= side.length ? side.slice() : side.slice(0, depth);
}
