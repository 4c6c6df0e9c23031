import type { L2Order, Level } from '../events.ts';

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

/**
 * Orders per event from which {@link applyOrders} merges instead of inserting one by one: one
 * `splice` per level costs O(N) moves, so a snapshot of N levels sent worst-first (or shuffled) would
 * cost O(N²) — minutes for 500k levels. Below this, the per-level path is faster (no sort, no copy).
 */
export const BULK_ORDERS = 128;

/** What {@link applyOrders} did. */
export interface ApplyResult {
  /** Deletes (size 0) of levels that were not in the book. */
  missingDeletes: number;
  /** Index of the best-ranked level of each side that changed (Infinity: that side is unchanged). */
  bidsFrom: number;
  asksFrom: number;
}

/**
 * Applies an event's orders to `book` in order (size 0 deletes; a later order for a price wins).
 * Small batches go level by level (O(log N) search + one `splice`); large ones — full snapshots —
 * are sorted and merged with each side in O(M log M + N), so any single event costs at most that.
 */
export function applyOrders(book: OrderBook, orders: readonly L2Order[]): ApplyResult {
  if (orders.length >= BULK_ORDERS) return mergeOrders(book, orders);
  let missingDeletes = 0;
  let bidsFrom = Infinity;
  let asksFrom = Infinity;
  for (let k = 0; k < orders.length; k++) {
    const o = orders[k]!;
    if (o[0] === 'bid') {
      const i = applyLevel(book.bids, o[1], o[2], true);
      if (i < 0) missingDeletes++;
      else if (i < bidsFrom) bidsFrom = i;
    } else {
      const i = applyLevel(book.asks, o[1], o[2], false);
      if (i < 0) missingDeletes++;
      else if (i < asksFrom) asksFrom = i;
    }
  }
  return { missingDeletes, bidsFrom, asksFrom };
}

function mergeOrders(book: OrderBook, orders: readonly L2Order[]): ApplyResult {
  const r: ApplyResult = { missingDeletes: 0, bidsFrom: Infinity, asksFrom: Infinity };
  const bidIdx: number[] = [];
  const askIdx: number[] = [];
  for (let k = 0; k < orders.length; k++) (orders[k]![0] === 'bid' ? bidIdx : askIdx).push(k);
  r.bidsFrom = mergeSide(book.bids, orders, bidIdx, true, r);
  r.asksFrom = mergeSide(book.asks, orders, askIdx, false, r);
  return r;
}

/**
 * Merges the orders at `idx` into `side`: sorts them best-first (ties in arrival order), then walks
 * the side and the sorted orders once, replaying each price's orders in sequence. Rewrites `side`
 * in place; returns the first changed index (Infinity if none).
 */
function mergeSide(
  side: Level[],
  orders: readonly L2Order[],
  idx: number[],
  descending: boolean,
  r: ApplyResult,
): number {
  if (idx.length === 0) return Infinity;
  idx.sort((a, b) => {
    const pa = orders[a]![1];
    const pb = orders[b]![1];
    return pa === pb ? a - b : descending ? pb - pa : pa - pb;
  });
  const before = (p: number, q: number) => (descending ? p > q : p < q);
  const out: Level[] = [];
  let first = Infinity;
  let i = 0;
  let j = 0;
  while (j < idx.length) {
    const price = orders[idx[j]!]![1];
    while (i < side.length && before(side[i]![0], price)) out.push(side[i++]!);
    let level: Level | undefined;
    if (i < side.length && side[i]![0] === price) level = side[i++];
    const had = level;
    for (; j < idx.length && orders[idx[j]!]![1] === price; j++) {
      const size = orders[idx[j]!]![2];
      if (size !== 0) level = [price, size];
      else if (level === undefined) r.missingDeletes++;
      else level = undefined;
    }
    if (level !== had) first = Math.min(first, out.length);
    if (level !== undefined) out.push(level);
  }
  while (i < side.length) out.push(side[i++]!);
  for (let k = 0; k < out.length; k++) side[k] = out[k]!;
  side.length = out.length;
  return first;
}
