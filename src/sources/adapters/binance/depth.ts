/**
 * Binance `l2_book`: diffs synced against a WS-API `depth` snapshot (research §3.1/§3.2). Spot
 * drops diffs with `u ≤ L`, starts at `U ≤ L+1 ≤ u`, then needs `U ≤ last u + 1`; futures drops
 * `u < L`, starts at `U ≤ L ≤ u`, then needs `pu == last u`. A gap emits `gap`, a new snapshot
 * request, and no `l2_book` events for the symbol until that snapshot syncs.
 */
import type { L2Order } from '../../../core/events.ts';
import type { AdapterOutput, Exchange } from '../VenueAdapter.ts';
import {
  type GapReason,
  type Json,
  type RoutedSend,
  bookGap,
  FieldCheck,
  isObject,
  malformedField,
  marketEvent,
  num,
  pushLevels,
} from '../kit/index.ts';

/** What the depth sync and the stream handlers read from their adapter. */
export interface BinanceContext {
  readonly spot: boolean;
  readonly exchange: Exchange;
  readonly instrumentType: string;
  /** WebSocket API URL that snapshot requests go to. */
  readonly wsApiUrl: string;
  /** `limit` of snapshot requests. */
  readonly limit: number;
  /** Diffs buffered per symbol while waiting for a snapshot (oldest dropped). */
  readonly maxBuffer: number;
  readonly counters: { requestSeq: number };
  /** Venue symbol (`BTCUSDT`) → seed symbol. */
  symbolOf(venue: string): string;
  /** The book of a venue symbol, created waiting for a snapshot. */
  bookOf(venue: string): Book;
}

/** A failed WS-API request, as a notice naming its id and status. */
export function errorNotice(c: BinanceContext, msg: Json): AdapterOutput {
  const e = msg['error'];
  const what = isObject(e) ? `${String(e['code'])} ${String(e['msg'])}` : JSON.stringify(msg);
  return {
    type: 'notice',
    level: 'error',
    detail: `${c.exchange} request ${String(msg['id'])} failed (status ${String(msg['status'])}): ${what}`,
  };
}

/** A buffered diff, already decoded (its levels validated). */
export interface Diff {
  readonly U: number;
  readonly u: number;
  readonly pu: number;
  readonly E: number;
  readonly orders: L2Order[];
  readonly receiptTs: number;
}

export interface Book {
  readonly venue: string;
  readonly symbol: string;
  live: boolean;
  /** Last applied `u` while live. */
  lastU: number;
  /** A snapshot request is outstanding (sent at `requestedAt`). */
  requested: boolean;
  requestedAt: number;
  /** Do not request before this receipt time (after an error response). */
  retryAt: number;
  buffer: Diff[];
  /** A snapshot that arrived before any diff that could be applied on it. */
  pending: { L: number; E: number; orders: L2Order[]; receiptTs: number } | undefined;
}

/** The book of `venue`, waiting for its first snapshot. */
export function newBook(venue: string, symbol: string): Book {
  return {
    venue,
    symbol,
    live: false,
    lastU: 0,
    requested: false,
    requestedAt: 0,
    retryAt: -Infinity,
    buffer: [],
    pending: undefined,
  };
}

/** A lost request (no response within this many seconds of receipt time) may be re-sent. */
export const REQUEST_TIMEOUT_SEC = 10;

export function requestFrame(c: BinanceContext, b: Book): string {
  c.counters.requestSeq++;
  return JSON.stringify({
    id: `depth:${b.venue}:${c.counters.requestSeq}`,
    method: 'depth',
    params: { symbol: b.venue, limit: c.limit },
  });
}

/** Ask for a snapshot unless one is outstanding (or we are backing off after an error). */
export function request(c: BinanceContext, b: Book, receiptTs: number, out: AdapterOutput[]): void {
  if (b.requested && receiptTs - b.requestedAt < REQUEST_TIMEOUT_SEC) return;
  if (receiptTs < b.retryAt) return;
  b.requested = true;
  b.requestedAt = receiptTs;
  const send: RoutedSend = { type: 'send', frame: requestFrame(c, b), url: c.wsApiUrl };
  out.push(send);
}

export function emitL2(
  c: BinanceContext,
  b: Book,
  delta: boolean,
  ts: number,
  receiptTs: number,
  orders: L2Order[],
  out: AdapterOutput[],
): void {
  out.push(
    marketEvent(c.exchange, c.instrumentType, b.symbol, 'l2_book', {
      timestamp: ts,
      receipt_timestamp: receiptTs,
      delta,
      orders,
    }),
  );
}

/** Book integrity lost: report (if it was live), drop state, keep `keep` buffered, resync. */
export function invalidate(
  b: Book,
  reason: GapReason,
  detail: string,
  receiptTs: number,
  keep: Diff[],
  out: AdapterOutput[],
): void {
  if (b.live) out.push(bookGap(b.symbol, reason, detail, receiptTs));
  b.live = false;
  b.pending = undefined;
  b.buffer = keep;
}

/** Apply one diff to a live book; false (after reporting the gap) if it does not chain. */
export function applyLive(
  c: BinanceContext,
  b: Book,
  d: Diff,
  receiptTs: number,
  out: AdapterOutput[],
): boolean {
  if (d.u <= b.lastU) return true; // stale or duplicate
  const chained = c.spot ? d.U <= b.lastU + 1 : d.pu === b.lastU;
  if (!chained) {
    const detail = c.spot
      ? `${b.venue}: diff U=${d.U} u=${d.u} does not follow last u=${b.lastU} (need U ≤ ${b.lastU + 1})`
      : `${b.venue}: diff pu=${d.pu} (U=${d.U} u=${d.u}) ≠ last u=${b.lastU}`;
    invalidate(b, 'sequence', detail, receiptTs, [], out);
    return false;
  }
  emitL2(c, b, true, d.E / 1000, d.receiptTs, d.orders, out);
  b.lastU = d.u;
  return true;
}

/** With a pending snapshot and buffered diffs: go live if they line up, else re-request. */
export function trySync(c: BinanceContext, b: Book, receiptTs: number, out: AdapterOutput[]): void {
  const snap = b.pending;
  if (!snap) return;
  const L = snap.L;
  const buf = b.buffer;
  let i = 0;
  while (i < buf.length && (c.spot ? buf[i]!.u <= L : buf[i]!.u < L)) i++;
  if (i === buf.length) {
    b.buffer = [];
    return; // everything buffered is older than the snapshot: wait for the next diff
  }
  const first = buf[i]!;
  if (c.spot ? first.U > L + 1 : first.U > L) {
    // The snapshot predates the oldest diff we hold: ask for a newer one, keep buffering.
    b.pending = undefined;
    b.buffer = buf.slice(i);
    request(c, b, receiptTs, out);
    return;
  }
  b.pending = undefined;
  b.buffer = [];
  const ts = (c.spot || !(snap.E <= first.E) ? first.E : snap.E) / 1000;
  emitL2(c, b, false, ts, snap.receiptTs, snap.orders, out);
  emitL2(c, b, true, first.E / 1000, first.receiptTs, first.orders, out);
  b.live = true;
  b.lastU = first.u;
  for (let j = i + 1; j < buf.length; j++) {
    if (!applyLive(c, b, buf[j]!, receiptTs, out)) {
      b.buffer = buf.slice(j);
      request(c, b, receiptTs, out);
      return;
    }
  }
}

export function onDiff(
  c: BinanceContext,
  d: Json,
  text: string,
  receiptTs: number,
  out: AdapterOutput[],
): void {
  const venue = d['s'];
  const f = new FieldCheck();
  const U = f.seq(d['U'], 'U');
  const u = f.seq(d['u'], 'u');
  const E = num(d['E']); // milliseconds, kept as sent (timestamps divide it once)
  f.timeMs(d['E'], 'E');
  const pu = c.spot ? 0 : f.seq(d['pu'], 'pu');
  if (typeof venue !== 'string' || venue === '') f.fail('s', 'expected a symbol');
  if (f.problem !== undefined) {
    out.push(malformedField('depthUpdate', f.problem, text, receiptTs));
    return;
  }
  const orders: L2Order[] = [];
  const bad = pushLevels(orders, 'bid', d['b'], 'b') ?? pushLevels(orders, 'ask', d['a'], 'a');
  if (bad !== undefined) {
    out.push(malformedField('depthUpdate', bad, text, receiptTs));
    return;
  }
  const diff: Diff = { U, u, pu, E, orders, receiptTs };
  const b = c.bookOf(venue as string);
  if (b.live) {
    if (!applyLive(c, b, diff, receiptTs, out)) {
      b.buffer = [diff];
      request(c, b, receiptTs, out);
    }
    return;
  }
  b.buffer.push(diff);
  if (b.buffer.length > c.maxBuffer) b.buffer.shift();
  if (b.pending) trySync(c, b, receiptTs, out);
  else request(c, b, receiptTs, out);
}

export function onWsApiResponse(
  c: BinanceContext,
  msg: Json,
  text: string,
  receiptTs: number,
  out: AdapterOutput[],
): void {
  const id = msg['id'];
  if (typeof id !== 'string' || !id.startsWith('depth:')) {
    if (msg['status'] !== 200) out.push(errorNotice(c, msg));
    return; // not one of ours
  }
  const venue = id.slice(6, id.lastIndexOf(':') > 6 ? id.lastIndexOf(':') : id.length);
  const b = c.bookOf(venue);
  b.requested = false;
  const status = msg['status'];
  if (status !== 200) {
    // 429/418: rate limited or banned; back off longer. Time here is receipt time (no clock).
    b.retryAt = receiptTs + (status === 429 || status === 418 ? 30 : 5);
    out.push(errorNotice(c, msg));
    return;
  }
  const r = msg['result'];
  const f = new FieldCheck();
  const L = isObject(r) ? f.seq(r['lastUpdateId'], 'result.lastUpdateId') : NaN;
  if (!isObject(r)) f.fail('result', 'expected an object');
  const orders: L2Order[] = [];
  const bad =
    f.problem ??
    pushLevels(orders, 'bid', (r as Json)['bids'], 'result.bids') ??
    pushLevels(orders, 'ask', (r as Json)['asks'], 'result.asks');
  if (bad !== undefined) {
    out.push(malformedField('depth response', bad, text, receiptTs));
    return;
  }
  if (b.live) return; // a late duplicate: the book is already synced
  const snapE = num((r as Json)['E']); // futures only; a bad one is ignored, as a missing one
  b.pending = { L, E: snapE > 0 ? snapE : NaN, orders, receiptTs };
  trySync(c, b, receiptTs, out);
}
