/**
 * Binance spot (`BINANCE`) and USDⓈ-M futures (`BINANCE_FUTURES`) adapters.
 *
 * Streams: combined streams with the stream names in the URL (`/stream?streams=a/b`), so no
 * SUBSCRIBE frames and no acks. Channels: `trades` ← `<s>@aggTrade` (taker side: `m=true` ⇒ the
 * buyer was the maker ⇒ taker **sell**), `ticker` ← `<s>@bookTicker`, `l2_book` ← `<s>@depth@100ms`
 * diffs synced against a snapshot taken over the **WebSocket API** `depth` method (no REST, no CORS).
 *
 * Snapshot requests carry the symbol in their id (`"depth:BTCUSDT:3"`), echoed back by the WS-API,
 * so a recording of received frames replays with no extra lines. Sync rules (research §3.1/§3.2):
 * spot drops diffs with `u ≤ L`, starts at `U ≤ L+1 ≤ u`, then needs `U ≤ last u + 1`; futures
 * drops `u < L`, starts at `U ≤ L ≤ u`, then needs `pu == last u`. A gap emits `gap`, a new
 * snapshot request, and no `l2_book` events for the symbol until that snapshot syncs.
 *
 * Timestamps: trades use the trade time `T`; diffs and futures book tickers the event time `E`;
 * spot `bookTicker` has no time, so it uses the receipt time. A snapshot (spot WS-API responses
 * carry no time) is stamped with the event time of the first diff applied on top of it (futures:
 * the earlier of that and the snapshot's own `E`), so it never sorts after its own deltas.
 */
import type { L2Order } from '../../core/events.ts';
import type { AdapterOutput, Exchange, Subscription } from './VenueAdapter.ts';
import {
  type ConnectionAwareAdapter,
  type Json,
  type RoutedSend,
  isObject,
  malformed,
  marketEvent,
  parseFrame,
  seedParts,
  splitConcatenated,
} from './venueSupport.ts';
import { adapterState } from './adapterState.ts';
import { FieldCheck, malformedField, num, pushLevels, showValue } from './checkedNumber.ts';

export interface BinanceAdapterOptions {
  /** Stream host, e.g. `wss://data-stream.binance.vision` (spot). */
  readonly streamUrl?: string;
  /** WebSocket API URL used for `depth` snapshots. */
  readonly wsApiUrl?: string;
  /** Diff depth push interval. Default `100ms`. */
  readonly depthInterval?: '100ms' | '250ms' | '500ms' | '1000ms';
  /** `limit` of snapshot requests. Default 1000 (spot allows ≤5000, futures ≤1000). */
  readonly snapshotLimit?: number;
  /** Diffs buffered per symbol while waiting for a snapshot (oldest dropped). Default 2000. */
  readonly maxBufferedDiffs?: number;
  /** Streams per connection URL. Default 200 (Binance allows 1024). */
  readonly maxStreamsPerConnection?: number;
  /** Venue symbol → seed symbol, for symbols seen in frames but never subscribed (replay). */
  readonly symbols?: Readonly<Record<string, string>>;
}

type Market = 'spot' | 'usdm';

const SPOT_STREAM = 'wss://stream.binance.com:9443';
const SPOT_WS_API = 'wss://ws-api.binance.com:443/ws-api/v3';
const USDM_STREAM = 'wss://fstream.binance.com';
const USDM_WS_API = 'wss://ws-fapi.binance.com/ws-fapi/v1';

/** A buffered diff, already decoded (its levels validated). */
interface Diff {
  readonly U: number;
  readonly u: number;
  readonly pu: number;
  readonly E: number;
  readonly orders: L2Order[];
  readonly receiptTs: number;
}

interface Book {
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

/** A lost request (no response within this many seconds of receipt time) may be re-sent. */
const REQUEST_TIMEOUT_SEC = 10;

/** Binance spot adapter (`BINANCE`). */
export function createBinanceAdapter(options: BinanceAdapterOptions = {}): ConnectionAwareAdapter {
  return createBinanceLike('spot', options);
}

/** Binance USDⓈ-M futures adapter (`BINANCE_FUTURES`), perpetuals as `BTC-USDT-PERP`. */
export function createBinanceFuturesAdapter(
  options: BinanceAdapterOptions = {},
): ConnectionAwareAdapter {
  return createBinanceLike('usdm', options);
}

/** Wrap a REST `/depth` body as the WS-API response a request for `venueSymbol` would get. */
export function wsApiDepthResponse(venueSymbol: string, restBody: unknown, n = 1): string {
  return JSON.stringify({ id: `depth:${venueSymbol}:${n}`, status: 200, result: restBody });
}

function createBinanceLike(market: Market, options: BinanceAdapterOptions): ConnectionAwareAdapter {
  const spot = market === 'spot';
  const exchange: Exchange = spot ? 'BINANCE' : 'BINANCE_FUTURES';
  const instrumentType = spot ? 'spot' : 'perpetual';
  const streamBase = options.streamUrl ?? (spot ? SPOT_STREAM : USDM_STREAM);
  const wsApiUrl = options.wsApiUrl ?? (spot ? SPOT_WS_API : USDM_WS_API);
  const interval = options.depthInterval ?? '100ms';
  const defaultInterval = spot ? '1000ms' : '250ms';
  const depthSuffix = interval === defaultInterval ? '@depth' : `@depth@${interval}`;
  const limit = options.snapshotLimit ?? 1000;
  const maxBuffer = options.maxBufferedDiffs ?? 2000;
  const maxStreams = options.maxStreamsPerConnection ?? 200;

  /** Venue symbol (`BTCUSDT`) → seed symbol (`BTC-USDT` / `BTC-USDT-PERP`). */
  const seedOf = new Map<string, string>(Object.entries(options.symbols ?? {}));
  const books = new Map<string, Book>();
  const warned = new Set<string>();
  const counters = { requestSeq: 0 };
  const state = adapterState({ seedOf, books, warned, counters });

  function venueOf(symbol: string): string {
    const p = seedParts(symbol);
    if (!p || p.perp === spot) {
      throw new RangeError(
        `${exchange} cannot serve symbol '${symbol}': expected ${spot ? 'BASE-QUOTE' : 'BASE-QUOTE-PERP'}`,
      );
    }
    const venue = p.base + p.quote;
    seedOf.set(venue, symbol);
    return venue;
  }

  function symbolOf(venue: string): string {
    let s = seedOf.get(venue);
    if (s === undefined) {
      s = spot ? splitConcatenated(venue) : `${splitConcatenated(venue)}-PERP`;
      seedOf.set(venue, s);
    }
    return s;
  }

  function bookOf(venue: string): Book {
    let b = books.get(venue);
    if (!b) {
      b = {
        venue,
        symbol: symbolOf(venue),
        live: false,
        lastU: 0,
        requested: false,
        requestedAt: 0,
        retryAt: -Infinity,
        buffer: [],
        pending: undefined,
      };
      books.set(venue, b);
    }
    return b;
  }

  function streamName(sub: Subscription): string {
    const s = venueOf(sub.symbol).toLowerCase();
    if (sub.channel === 'trades') return `${s}@aggTrade`;
    if (sub.channel === 'ticker') return `${s}@bookTicker`;
    return s + depthSuffix;
  }

  function requestFrame(b: Book): string {
    counters.requestSeq++;
    return JSON.stringify({
      id: `depth:${b.venue}:${counters.requestSeq}`,
      method: 'depth',
      params: { symbol: b.venue, limit },
    });
  }

  /** Ask for a snapshot unless one is outstanding (or we are backing off after an error). */
  function request(b: Book, receiptTs: number, out: AdapterOutput[]): void {
    if (b.requested && receiptTs - b.requestedAt < REQUEST_TIMEOUT_SEC) return;
    if (receiptTs < b.retryAt) return;
    b.requested = true;
    b.requestedAt = receiptTs;
    const send: RoutedSend = { type: 'send', frame: requestFrame(b), url: wsApiUrl };
    out.push(send);
  }

  function emitL2(
    b: Book,
    delta: boolean,
    ts: number,
    receiptTs: number,
    orders: L2Order[],
    out: AdapterOutput[],
  ): void {
    out.push(
      marketEvent(exchange, instrumentType, b.symbol, 'l2_book', {
        timestamp: ts,
        receipt_timestamp: receiptTs,
        delta,
        orders,
      }),
    );
  }

  /** Book integrity lost: report (if it was live), drop state, keep `keep` buffered, resync. */
  function invalidate(
    b: Book,
    reason: 'sequence' | 'disconnect',
    detail: string,
    receiptTs: number,
    keep: Diff[],
    out: AdapterOutput[],
  ): void {
    if (b.live) {
      out.push({
        type: 'gap',
        symbol: b.symbol,
        channel: 'l2_book',
        reason,
        detail,
        receipt_timestamp: receiptTs,
      });
    }
    b.live = false;
    b.pending = undefined;
    b.buffer = keep;
  }

  /** Apply one diff to a live book; false (after reporting the gap) if it does not chain. */
  function applyLive(b: Book, d: Diff, receiptTs: number, out: AdapterOutput[]): boolean {
    if (d.u <= b.lastU) return true; // stale or duplicate
    const chained = spot ? d.U <= b.lastU + 1 : d.pu === b.lastU;
    if (!chained) {
      const detail = spot
        ? `${b.venue}: diff U=${d.U} u=${d.u} does not follow last u=${b.lastU} (need U ≤ ${b.lastU + 1})`
        : `${b.venue}: diff pu=${d.pu} (U=${d.U} u=${d.u}) ≠ last u=${b.lastU}`;
      invalidate(b, 'sequence', detail, receiptTs, [], out);
      return false;
    }
    emitL2(b, true, d.E / 1000, d.receiptTs, d.orders, out);
    b.lastU = d.u;
    return true;
  }

  /** With a pending snapshot and buffered diffs: go live if they line up, else re-request. */
  function trySync(b: Book, receiptTs: number, out: AdapterOutput[]): void {
    const snap = b.pending;
    if (!snap) return;
    const L = snap.L;
    const buf = b.buffer;
    let i = 0;
    while (i < buf.length && (spot ? buf[i]!.u <= L : buf[i]!.u < L)) i++;
    if (i === buf.length) {
      b.buffer = [];
      return; // everything buffered is older than the snapshot: wait for the next diff
    }
    const first = buf[i]!;
    if (spot ? first.U > L + 1 : first.U > L) {
      // The snapshot predates the oldest diff we hold: ask for a newer one, keep buffering.
      b.pending = undefined;
      b.buffer = buf.slice(i);
      request(b, receiptTs, out);
      return;
    }
    b.pending = undefined;
    b.buffer = [];
    const ts = (spot || !(snap.E <= first.E) ? first.E : snap.E) / 1000;
    emitL2(b, false, ts, snap.receiptTs, snap.orders, out);
    emitL2(b, true, first.E / 1000, first.receiptTs, first.orders, out);
    b.live = true;
    b.lastU = first.u;
    for (let j = i + 1; j < buf.length; j++) {
      if (!applyLive(b, buf[j]!, receiptTs, out)) {
        b.buffer = buf.slice(j);
        request(b, receiptTs, out);
        return;
      }
    }
  }

  function onDiff(d: Json, text: string, receiptTs: number, out: AdapterOutput[]): void {
    const venue = d['s'];
    const f = new FieldCheck();
    const U = f.seq(d['U'], 'U');
    const u = f.seq(d['u'], 'u');
    const E = num(d['E']); // milliseconds, kept as sent (timestamps divide it once)
    f.timeMs(d['E'], 'E');
    const pu = spot ? 0 : f.seq(d['pu'], 'pu');
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
    const b = bookOf(venue as string);
    if (b.live) {
      if (!applyLive(b, diff, receiptTs, out)) {
        b.buffer = [diff];
        request(b, receiptTs, out);
      }
      return;
    }
    b.buffer.push(diff);
    if (b.buffer.length > maxBuffer) b.buffer.shift();
    if (b.pending) trySync(b, receiptTs, out);
    else request(b, receiptTs, out);
  }

  function onWsApiResponse(msg: Json, text: string, receiptTs: number, out: AdapterOutput[]): void {
    const id = msg['id'];
    if (typeof id !== 'string' || !id.startsWith('depth:')) {
      if (msg['status'] !== 200) out.push(errorNotice(msg));
      return; // not one of ours
    }
    const venue = id.slice(6, id.lastIndexOf(':') > 6 ? id.lastIndexOf(':') : id.length);
    const b = bookOf(venue);
    b.requested = false;
    const status = msg['status'];
    if (status !== 200) {
      // 429/418: rate limited or banned; back off longer. Time here is receipt time (no clock).
      b.retryAt = receiptTs + (status === 429 || status === 418 ? 30 : 5);
      out.push(errorNotice(msg));
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
    trySync(b, receiptTs, out);
  }

  function errorNotice(msg: Json): AdapterOutput {
    const e = msg['error'];
    const what = isObject(e) ? `${String(e['code'])} ${String(e['msg'])}` : JSON.stringify(msg);
    return {
      type: 'notice',
      level: 'error',
      detail: `${exchange} request ${String(msg['id'])} failed (status ${String(msg['status'])}): ${what}`,
    };
  }

  function onTrade(
    d: Json,
    idField: 'a' | 't',
    text: string,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    const venue = d['s'];
    const f = new FieldCheck();
    const price = f.price(d['p'], 'p');
    const amount = f.size(d['q'], 'q');
    const time = f.timeMs(d['T'], 'T');
    const m = d['m'];
    const id = d[idField];
    if (typeof venue !== 'string' || venue === '')
      f.fail('s', `expected a symbol, got ${showValue(venue)}`);
    if (typeof m !== 'boolean') f.fail('m', `expected true or false, got ${showValue(m)}`);
    if (typeof id !== 'number' && typeof id !== 'string')
      f.fail(idField, `expected a trade id, got ${showValue(id)}`);
    if (f.problem !== undefined) {
      out.push(malformedField(String(d['e']), f.problem, text, receiptTs));
      return;
    }
    out.push(
      marketEvent(exchange, instrumentType, symbolOf(venue as string), 'trades', {
        timestamp: time,
        receipt_timestamp: receiptTs,
        side: m ? 'sell' : 'buy',
        amount,
        price,
        id: String(id),
      }),
    );
  }

  function onBookTicker(d: Json, text: string, receiptTs: number, out: AdapterOutput[]): void {
    const venue = d['s'];
    const f = new FieldCheck();
    const bid = f.price(d['b'], 'b');
    const ask = f.price(d['a'], 'a');
    // Futures carry the event time; spot has none and uses the receipt time.
    const time = d['E'] === undefined ? receiptTs : f.timeMs(d['E'], 'E');
    if (typeof venue !== 'string' || venue === '')
      f.fail('s', `expected a symbol, got ${showValue(venue)}`);
    if (f.problem !== undefined) {
      out.push(malformedField('bookTicker', f.problem, text, receiptTs));
      return;
    }
    out.push(
      marketEvent(exchange, instrumentType, symbolOf(venue as string), 'ticker', {
        timestamp: time,
        receipt_timestamp: receiptTs,
        bid,
        ask,
      }),
    );
  }

  /** Spot `<s>@depthN` partial book: a full top-N snapshot each push, named only by its stream. */
  function onPartialDepth(
    stream: string,
    d: Json,
    text: string,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    const orders: L2Order[] = [];
    const bad =
      pushLevels(orders, 'bid', d['bids'], 'bids') ?? pushLevels(orders, 'ask', d['asks'], 'asks');
    if (bad !== undefined) {
      out.push(malformedField('partial depth', bad, text, receiptTs));
      return;
    }
    const venue = stream.slice(0, stream.indexOf('@')).toUpperCase();
    if (venue === '') {
      out.push(malformed(`partial depth on stream '${stream}' without a symbol`, text, receiptTs));
      return;
    }
    out.push(
      marketEvent(exchange, instrumentType, symbolOf(venue), 'l2_book', {
        timestamp: receiptTs,
        receipt_timestamp: receiptTs,
        delta: false,
        orders,
      }),
    );
  }

  function warnOnce(key: string, detail: string, out: AdapterOutput[]): void {
    if (warned.has(key)) return;
    warned.add(key);
    out.push({ type: 'notice', level: 'warn', detail });
  }

  /** One stream payload (raw, or the `data` of a combined frame). */
  function onPayload(
    d: Json,
    stream: string | undefined,
    text: string,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    const e = d['e'];
    switch (e) {
      case 'depthUpdate':
        onDiff(d, text, receiptTs, out);
        return;
      case 'aggTrade':
        onTrade(d, 'a', text, receiptTs, out);
        return;
      case 'trade':
        onTrade(d, 't', text, receiptTs, out);
        return;
      case 'bookTicker':
        onBookTicker(d, text, receiptTs, out);
        return;
      case 'serverShutdown':
        out.push({
          type: 'notice',
          level: 'warn',
          detail: `${exchange} serverShutdown: reconnect now`,
        });
        return;
      case undefined:
        // Spot bookTicker has no `e`; spot partial depth has neither `e` nor a symbol.
        if ('u' in d && 'b' in d && 'a' in d && 's' in d) {
          onBookTicker(d, text, receiptTs, out);
          return;
        }
        if (stream !== undefined && 'lastUpdateId' in d && 'bids' in d) {
          onPartialDepth(stream, d, text, receiptTs, out);
          return;
        }
        if (stream === undefined) {
          out.push(malformed('unrecognized frame', text, receiptTs));
          return;
        }
        warnOnce(`stream:${stream}`, `${exchange}: unsupported stream '${stream}' ignored`, out);
        return;
      default:
        warnOnce(
          `e:${String(e)}`,
          `${exchange}: unsupported event '${String(e)}'${stream ? ` on '${stream}'` : ''} ignored`,
          out,
        );
    }
  }

  function onFrame(text: string, receiptTs: number): AdapterOutput[] {
    const out: AdapterOutput[] = [];
    const msg = parseFrame(text, receiptTs, out);
    if (!msg) return out;
    const stream = msg['stream'];
    if (typeof stream === 'string') {
      const data = msg['data'];
      if (!isObject(data))
        out.push(malformed(`combined frame '${stream}' without an object data`, text, receiptTs));
      else onPayload(data, stream, text, receiptTs, out);
      return out;
    }
    if ('e' in msg) {
      onPayload(msg, undefined, text, receiptTs, out);
      return out;
    }
    if ('status' in msg && 'id' in msg) {
      onWsApiResponse(msg, text, receiptTs, out);
      return out;
    }
    if ('result' in msg && 'id' in msg) return out; // SUBSCRIBE/UNSUBSCRIBE ack
    if ('error' in msg) {
      out.push(errorNotice(msg));
      return out;
    }
    onPayload(msg, undefined, text, receiptTs, out);
    return out;
  }

  return {
    exchange,
    ...state,

    endpoints(subs: readonly Subscription[]): string[] {
      const groups = new Map<string, string[]>();
      let needsApi = false;
      for (const sub of subs) {
        const name = streamName(sub);
        if (sub.channel === 'l2_book') needsApi = true;
        // USDⓈ-M split its host (2026-04-23): depth/bookTicker on /public, aggTrade on /market.
        const root = spot
          ? streamBase
          : `${streamBase}/${sub.channel === 'trades' ? 'market' : 'public'}`;
        let g = groups.get(root);
        if (!g) groups.set(root, (g = []));
        if (!g.includes(name)) g.push(name);
      }
      const urls: string[] = [];
      for (const [root, names] of groups) {
        for (let i = 0; i < names.length; i += maxStreams) {
          urls.push(`${root}/stream?streams=${names.slice(i, i + maxStreams).join('/')}`);
        }
      }
      if (needsApi) urls.push(wsApiUrl);
      return urls;
    },

    subscribeFrames(url: string, subs: readonly Subscription[]): string[] {
      // Stream names travel in the URL; only the WS-API connection needs frames (snapshot requests).
      if (url !== wsApiUrl) {
        for (const sub of subs) venueOf(sub.symbol); // register symbol names
        return [];
      }
      const frames: string[] = [];
      for (const sub of subs) {
        if (sub.channel !== 'l2_book') continue;
        const b = bookOf(venueOf(sub.symbol));
        // An outstanding request belonged to a socket that is gone or was not open yet (a diff
        // that arrives first asks before this socket opens, and that send is lost): ask again.
        if (b.live) continue;
        b.requested = true;
        frames.push(requestFrame(b));
      }
      return frames;
    },

    onFrame,

    onDisconnect(receiptTs: number, url?: string): AdapterOutput[] {
      const out: AdapterOutput[] = [];
      if (url === wsApiUrl) {
        for (const b of books.values()) b.requested = false; // responses will never come
        return out;
      }
      if (url !== undefined && url.startsWith(`${streamBase}/market/`)) return out; // no books there
      for (const b of books.values()) {
        invalidate(b, 'disconnect', `${exchange} connection closed`, receiptTs, [], out);
        b.requested = false;
      }
      return out;
    },
  };
}
