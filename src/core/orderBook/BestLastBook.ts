import type { L2Order, Level } from '../events.ts';
import { type ApplyResult, applyOrders, BULK_ORDERS } from './OrderBook.ts';

/**
 * The order book of the book features, built for the access pattern of a live book: each side is
 * an array of immutable `[price, size]` levels sorted **best last** (bids ascending, asks
 * descending). Nearly every update lands within a few levels of the top, so an insert or delete
 * there moves only the few better levels behind it; best first ({@link OrderBook}, which the
 * exchange simulator keeps) it moves the whole side (bench/orderBook.bench.ts: 2–3× faster at 1k
 * levels). Plain data, so it snapshots with the graph. Positions in this API are **ranks** from
 * the best (0 = best), as in {@link applyOrders}.
 */
export interface BestLastBook {
  bids: Level[];
  asks: Level[];
}

export function emptyBestLastBook(): BestLastBook {
  return { bids: [], asks: [] };
}

/** Storage index of `price`, or `-(insertionPoint + 1)`; bids ascend, asks descend. */
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
 * Set the size at `price` (0 deletes). Returns the rank of the level it changed, inserted or
 * removed (ranks at and after it may have moved), or -1 for a delete of a missing level.
 */
export function applyLevelBestLast(
  side: Level[],
  price: number,
  size: number,
  bids: boolean,
): number {
  const n = side.length;
  const i = search(side, price, bids);
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

/**
 * {@link applyOrders} for a best-last book: level by level below {@link BULK_ORDERS}; from there
 * (snapshots) the sides are flipped, merged by {@link applyOrders} in O(M log M + N) and flipped
 * back. `into`, when given, receives the result (the hot path reuses one object).
 */
export function applyOrdersBestLast(
  book: BestLastBook,
  orders: readonly L2Order[],
  into: ApplyResult = { missingDeletes: 0, bidsFrom: Infinity, asksFrom: Infinity },
): ApplyResult {
  if (orders.length >= BULK_ORDERS) {
    book.bids.reverse();
    book.asks.reverse();
    const r = applyOrders(book, orders);
    book.bids.reverse();
    book.asks.reverse();
    into.missingDeletes = r.missingDeletes;
    into.bidsFrom = r.bidsFrom;
    into.asksFrom = r.asksFrom;
    return into;
  }
  let missingDeletes = 0;
  let bidsFrom = Infinity;
  let asksFrom = Infinity;
  for (let k = 0; k < orders.length; k++) {
    const o = orders[k]!;
    if (o[0] === 'bid') {
      const i = applyLevelBestLast(book.bids, o[1], o[2], true);
      if (i < 0) missingDeletes++;
      else if (i < bidsFrom) bidsFrom = i;
    } else {
      const i = applyLevelBestLast(book.asks, o[1], o[2], false);
      if (i < 0) missingDeletes++;
      else if (i < asksFrom) asksFrom = i;
    }
  }
  into.missingDeletes = missingDeletes;
  into.bidsFrom = bidsFrom;
  into.asksFrom = asksFrom;
  return into;
}

/** The best `depth` levels of a best-last side, best first (`depth < 0`: all). */
export function topLevelsBestLast(side: readonly Level[], depth: number): Level[] {
  const n = side.length;
  const k = depth < 0 || depth >= n ? n : depth;
  // Two builtins (a copy, an in-place reverse) beat a JS loop from ~5 levels up.
  if (k > 4) return side.slice(n - k).reverse();
  const out: Level[] = [];
  for (let j = 0; j < k; j++) out.push(side[n - 1 - j]!);
  return out;
}
