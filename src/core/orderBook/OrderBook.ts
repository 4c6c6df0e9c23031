import type { L2Order, Level } from '../events.ts';

/**
 * An L2 order book as a plain object (so it snapshots with the graph): each side is an array of
 * immutable `[price, size]` levels sorted **best last** (bids ascending, asks descending), built
 * for the access pattern of a live book: nearly every update lands within a few levels of the
 * top, so an insert or delete there moves only the few better levels behind it (best first, it
 * moved the whole side: 2–4× slower at 1k levels, see bench/orderBook.bench.ts). A changed level
 * is replaced, never mutated, so a top-N view ({@link topLevels}, best first) is a copy that later
 * updates cannot alter. Positions in this API are **ranks** from the best (0 = best).
 */
export interface OrderBook {
  bids: Level[];
  asks: Level[];
}

export function emptyBook(): OrderBook {
  return { bids: [], asks: [] };
}

/**
 * Storage index of `price` in a best-last side, or `-(insertionPoint + 1)` when absent. `bids`:
 * the side is ascending; otherwise descending.
 */
function search(side: readonly Level[], price: number, bids: boolean): number {
  let lo = 0;
  let hi = side.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = side[mid]![0];
    if (p === price) return mid;
    if (bids ? p < price : p > price) lo = mid + 1;
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
 * {@link setLevel}, returning the rank (0 = best) of the level it changed, inserted or removed
 * (levels ranked at and after it may have moved), or -1 for a delete of a missing level (nothing
 * changed). Lets a top-N view know whether the top N changed without comparing them.
 * `descending` is true for bids (best first they descend), as before.
 */
export function applyLevel(
  side: Level[],
  price: number,
  size: number,
  descending: boolean,
): number {
  const n = side.length;
  const i = search(side, price, descending);
  if (size === 0) {
    if (i < 0) return -1;
    side.splice(i, 1);
    return n - 1 - i;
  }
  if (i >= 0) {
    side[i] = [price, size];
    return n - 1 - i;
  }
  const at = -i - 1;
  if (at === n) side.push([price, size]);
  else side.splice(at, 0, [price, size]);
  return n - at;
}

/** The best `depth` levels of a side, best first (`depth < 0`: all). */
export function topLevels(side: readonly Level[], depth: number): Level[] {
  const n = side.length;
  const k = depth < 0 || depth >= n ? n : depth;
  // Two builtins (a copy, an in-place reverse) beat a JS loop from ~5 levels up.
  if (k > 4) return side.slice(n - k).reverse();
  const out: Level[] = [];
  for (let j = 0; j < k; j++) out.push(side[n - 1 - j]!);
  return out;
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
 * `into`, when given, receives the result (a caller on the hot path reuses one object).
 */
export function applyOrders(
  book: OrderBook,
  orders: readonly L2Order[],
  into?: ApplyResult,
): ApplyResult {
  if (orders.length >= BULK_ORDERS) return mergeOrders(book, orders, into);
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
  if (!into) return { missingDeletes, bidsFrom, asksFrom };
  into.missingDeletes = missingDeletes;
  into.bidsFrom = bidsFrom;
  into.asksFrom = asksFrom;
  return into;
}

function mergeOrders(book: OrderBook, orders: readonly L2Order[], into?: ApplyResult): ApplyResult {
  const r: ApplyResult = into ?? { missingDeletes: 0, bidsFrom: Infinity, asksFrom: Infinity };
  r.missingDeletes = 0;
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
  // The merge walks best first: flip the side, merge, flip back (O(N), as the merge itself).
  side.reverse();
  try {
    return mergeBestFirst(side, orders, idx, descending, r);
  } finally {
    side.reverse();
  }
}

function mergeBestFirst(
  side: Level[],
  orders: readonly L2Order[],
  idx: number[],
  descending: boolean,
  r: ApplyResult,
): number {
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
