/**
 * Binance spot (`BINANCE`) and USDⓈ-M futures (`BINANCE_FUTURES`) adapters.
 *
 * Streams: combined streams with the stream names in the URL (`/stream?streams=a/b`), so no
 * SUBSCRIBE frames and no acks. Channels: `trades` ← `<s>@aggTrade` (taker side: `m=true` ⇒ the
 * buyer was the maker ⇒ taker **sell**), `ticker` ← `<s>@bookTicker`, `l2_book` ← `<s>@depth@100ms`
 * diffs synced against a snapshot taken over the **WebSocket API** `depth` method (no REST, no CORS).
 *
 * Snapshot requests carry the symbol in their id (`"depth:BTCUSDT:3"`), echoed back by the WS-API,
 * so a recording of received frames replays with no extra lines. The sync rules are in
 * `binance/depth.ts`; streams without book state in `binance/streams.ts`.
 *
 * Timestamps: trades use the trade time `T`; diffs and futures book tickers the event time `E`;
 * spot `bookTicker` has no time, so it uses the receipt time. A snapshot (spot WS-API responses
 * carry no time) is stamped with the event time of the first diff applied on top of it (futures:
 * the earlier of that and the snapshot's own `E`), so it never sorts after its own deltas.
 */
import type { AdapterOutput, Exchange, Subscription } from './VenueAdapter.ts';
import {
  type ConnectionAwareAdapter,
  type Json,
  adapterState,
  disconnectBooks,
  isObject,
  malformed,
  neverThrows,
  notice,
  parseFrame,
  warnOnce,
  seedParts,
  splitConcatenated,
} from './kit/index.ts';
import {
  type BinanceContext,
  type Book,
  errorNotice,
  newBook,
  onDiff,
  onWsApiResponse,
  requestFrame,
} from './binance/depth.ts';
import { binanceFrameSymbol } from './binance/frameSymbol.ts';
import { onBookTicker, onPartialDepth, onTrade } from './binance/streams.ts';

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

  /** Seed symbol of a venue symbol, from names seen so far (reads no stream state, adds none). */
  const nameOf = (venue: string): string =>
    seedOf.get(venue) ?? (spot ? splitConcatenated(venue) : `${splitConcatenated(venue)}-PERP`);
  function symbolOf(venue: string): string {
    const s = nameOf(venue);
    seedOf.set(venue, s);
    return s;
  }

  function bookOf(venue: string): Book {
    let b = books.get(venue);
    if (!b) {
      b = newBook(venue, symbolOf(venue));
      books.set(venue, b);
    }
    return b;
  }

  const c: BinanceContext = {
    spot,
    exchange,
    instrumentType,
    wsApiUrl,
    limit,
    maxBuffer,
    counters,
    symbolOf,
    bookOf,
  };

  function streamName(sub: Subscription): string {
    const s = venueOf(sub.symbol).toLowerCase();
    if (sub.channel === 'trades') return `${s}@aggTrade`;
    if (sub.channel === 'ticker') return `${s}@bookTicker`;
    return s + depthSuffix;
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
        onDiff(c, d, text, receiptTs, out);
        return;
      case 'aggTrade':
        onTrade(c, d, 'a', text, receiptTs, out);
        return;
      case 'trade':
        onTrade(c, d, 't', text, receiptTs, out);
        return;
      case 'bookTicker':
        onBookTicker(c, d, text, receiptTs, out);
        return;
      case 'serverShutdown':
        out.push(notice('warn', `${exchange} serverShutdown: reconnect now`));
        return;
      case undefined:
        // Spot bookTicker has no `e`; spot partial depth has neither `e` nor a symbol.
        if ('u' in d && 'b' in d && 'a' in d && 's' in d) {
          onBookTicker(c, d, text, receiptTs, out);
          return;
        }
        if (stream !== undefined && 'lastUpdateId' in d && 'bids' in d) {
          onPartialDepth(c, stream, d, text, receiptTs, out);
          return;
        }
        if (stream === undefined) {
          out.push(malformed('unrecognized frame', text, receiptTs));
          return;
        }
        warnOnce(
          warned,
          `stream:${stream}`,
          `${exchange}: unsupported stream '${stream}' ignored`,
          out,
        );
        return;
      default:
        warnOnce(
          warned,
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
      onWsApiResponse(c, msg, text, receiptTs, out);
      return out;
    }
    if ('result' in msg && 'id' in msg) return out; // SUBSCRIBE/UNSUBSCRIBE ack
    if ('error' in msg) {
      out.push(errorNotice(c, msg));
      return out;
    }
    onPayload(msg, undefined, text, receiptTs, out);
    return out;
  }

  return neverThrows({
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
        frames.push(requestFrame(c, b));
      }
      return frames;
    },

    onFrame,
    frameSymbol: (text: string) => binanceFrameSymbol(text, nameOf),

    onDisconnect(receiptTs: number, url?: string): AdapterOutput[] {
      const out: AdapterOutput[] = [];
      if (url === wsApiUrl) {
        for (const b of books.values()) b.requested = false; // responses will never come
        return out;
      }
      if (url !== undefined && url.startsWith(`${streamBase}/market/`)) return out; // no books there
      disconnectBooks(books.values(), `${exchange} connection closed`, receiptTs, out, (b) => {
        b.pending = undefined;
        b.buffer = [];
        b.requested = false;
      });
      return out;
    },
  });
}
