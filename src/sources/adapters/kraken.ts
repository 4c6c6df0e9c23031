/**
 * Kraken spot websocket v2 (`KRAKEN`): `trade`, `ticker` (BBO) and the checksummed `book`.
 * Book numbers keep their decimal text for the CRC32 (`kraken/checksum.ts`, precisions from the
 * `instrument` channel); a checksum mismatch or an unreadable level is a gap and a resubscribe.
 * Stateless items are in `kraken/trades.ts`; the toolkit is `kit/`.
 */
import { isValidTimestamp, type L2Order } from '../../core/events.ts';
import type { AdapterOutput, Subscription, VenueAdapter } from './VenueAdapter.ts';
import {
  type GapReason,
  type Json,
  type LevelShape,
  adapterState,
  applyLevels,
  bookGap,
  bookOrders,
  disconnectBooks,
  isObject,
  LevelBook,
  malformed,
  malformedField,
  neverThrows,
  notice,
  parseFrame,
  readAny,
  resync,
} from './kit/index.ts';
import {
  type BookCrc,
  type KrakenPrecision,
  type PairPrecision,
  bookChecksum,
  emptyBookCrc,
  pairPrecision,
} from './kraken/checksum.ts';
import { parseKraken } from './kraken/quote.ts';
import { krakenSubscribeFrames } from './kraken/subscribe.ts';
import { krakenFrameSymbol, krakenSymbol, seedSymbolFromKraken } from './kraken/symbols.ts';
import { krakenEvent, krakenTime, onKrakenTicker, onKrakenTrade } from './kraken/trades.ts';

/** Kraken spot websocket v2, public endpoint. */
export const KRAKEN_WS_URL = 'wss://ws.kraken.com/v2';

export interface KrakenAdapterOptions {
  /** `book` depth to subscribe and to trim to: 10, 25, 100, 500 or 1000 (default 10). */
  readonly bookDepth?: number;
  /**
   * Precisions per pair, keyed `'MATIC/USD'` or `'MATIC-USD'`, for pairs the `instrument` channel
   * has not (yet) described; instrument data overrides them.
   */
  readonly precisions?: Readonly<Record<string, KrakenPrecision>>;
  /** Ask for the last 50 trades when subscribing to `trade` (default false). */
  readonly tradeSnapshot?: boolean;
  /**
   * Always recover the book's decimal text by quoting it before `JSON.parse` (see `quotePriceQty`),
   * instead of only for values too large to recover from the parsed double. Default false.
   */
  readonly alwaysQuote?: boolean;
}

const DEPTHS = [10, 25, 100, 500, 1000];

/** Kraken v2 levels: `{price, qty}`, JSON numbers (or their quoted text, see `quotePriceQty`). */
const LEVEL: LevelShape = {
  expected: '{price, qty}',
  priceField: '.price',
  sizeField: '.qty',
  isLevel: isObject,
  price: (l) => (l as Json).price,
  size: (l) => (l as Json).qty,
  read: readAny,
};

interface BookState {
  readonly venueSymbol: string;
  readonly symbol: string;
  readonly book: LevelBook;
  /** The book matches the exchange's: updates apply and are emitted. */
  live: boolean;
  /** Warned once that checksums cannot be verified for lack of precisions. */
  warnedNoPrecision: boolean;
  /** Per-side checksum parts, valid while the side's `version` is unchanged. */
  readonly crcCache: BookCrc;
}

/** Creates a pure Kraken websocket v2 adapter: `trade`, `ticker` (BBO) and checksummed `book`. */
export function createKrakenAdapter(options: KrakenAdapterOptions = {}): VenueAdapter {
  const depth = DEPTHS.includes(options.bookDepth ?? 10) ? (options.bookDepth ?? 10) : 10;
  const alwaysQuote = options.alwaysQuote ?? false;
  const precisions = new Map<string, PairPrecision>();
  const known = new Map<string, KrakenPrecision>();
  /** `precisions` is derived (its entries hold closures): from the options, then `known`. */
  const derivePrecisions = (): void => {
    precisions.clear();
    for (const [pair, p] of Object.entries(options.precisions ?? {})) {
      precisions.set(pair.replace('-', '/'), pairPrecision(p));
    }
    for (const [pair, p] of known) precisions.set(pair, pairPrecision(p));
  };
  derivePrecisions();
  const books = new Map<string, BookState>();
  const counters = { reqId: 0 };
  // Only data in the snapshot (no closures), so a cluster checkpoint can serialize it (#15).
  const state = adapterState({ known, books, counters });

  function subscribeFrame(method: string, params: Json): string {
    return JSON.stringify({ method, params, req_id: ++counters.reqId });
  }

  function stateOf(pair: string): BookState {
    let s = books.get(pair);
    if (!s) {
      const symbol = seedSymbolFromKraken(pair);
      const book = new LevelBook();
      s = {
        venueSymbol: pair,
        symbol,
        book,
        live: false,
        warnedNoPrecision: false,
        crcCache: emptyBookCrc(),
      };
      books.set(pair, s);
    }
    return s;
  }

  function invalidate(
    s: BookState,
    reason: GapReason,
    detail: string,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    s.live = false;
    s.book.clear();
    const params = { channel: 'book', symbol: [s.venueSymbol], depth };
    resync(out, bookGap(s.symbol, reason, detail, receiptTs), [
      subscribeFrame('unsubscribe', params),
      subscribeFrame('subscribe', { ...params, snapshot: true }),
    ]);
  }

  /** Verifies the book against the frame's checksum; false (after invalidating) on a mismatch. */
  function verify(s: BookState, d: Json, receiptTs: number, out: AdapterOutput[]): boolean {
    if (typeof d.checksum !== 'number') return true;
    const p = precisions.get(s.venueSymbol);
    if (p === undefined) {
      if (!s.warnedNoPrecision) {
        s.warnedNoPrecision = true;
        out.push(
          notice('warn', `kraken book ${s.venueSymbol}: no precisions, checksum not verified`),
        );
      }
      return true;
    }
    const crc = bookChecksum(s.book, s.crcCache, p);
    if (crc === d.checksum) return true;
    invalidate(s, 'checksum', `checksum ${String(crc)} != ${d.checksum}`, receiptTs, out);
    return false;
  }

  function onBookItem(
    d: unknown,
    snapshot: boolean,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    if (!isObject(d) || typeof d.symbol !== 'string' || d.symbol === '') {
      out.push(malformed('kraken book: item without symbol', undefined, receiptTs));
      return;
    }
    const s = stateOf(d.symbol);
    if (!snapshot && !s.live) return; // waiting for a snapshot: an update has nothing to apply to
    const { book } = s;
    if (snapshot) book.clear();
    const orders: L2Order[] | undefined = snapshot ? undefined : [];
    const bad =
      applyLevels(book.bids, 'bid', d.bids, 'bids', orders, LEVEL) ??
      applyLevels(book.asks, 'ask', d.asks, 'asks', orders, LEVEL);
    if (bad !== undefined) {
      out.push(malformedField(`kraken book ${d.symbol}`, bad, undefined, receiptTs));
      invalidate(s, 'reset', 'unreadable book level', receiptTs, out);
      return;
    }
    // Kraken sends no deletes for levels pushed out of the subscribed depth: trim, and say so.
    book.bids.truncate(depth, orders);
    book.asks.truncate(depth, orders);
    if (!verify(s, d, receiptTs, out)) return;
    s.live = true;
    if (orders?.length === 0) return; // only deletes of absent levels: nothing changed
    // The book has changed whatever its time says: a missing or impossible time is the receipt's.
    const t = krakenTime(d.timestamp);
    out.push(
      krakenEvent(s.symbol, 'l2_book', {
        timestamp: t > 0 && isValidTimestamp(t) ? t : receiptTs,
        receipt_timestamp: receiptTs,
        delta: !snapshot,
        orders: orders ?? bookOrders(book),
      }),
    );
  }

  function onInstrument(data: unknown): void {
    if (!isObject(data) || !Array.isArray(data.pairs)) return;
    for (const p of data.pairs) {
      if (!isObject(p) || typeof p.symbol !== 'string') continue;
      const { price_precision: pp, qty_precision: qp } = p;
      if (!Number.isInteger(pp) || !Number.isInteger(qp)) continue;
      const old = known.get(p.symbol);
      if (old && old.price_precision === pp && old.qty_precision === qp) continue;
      const precision = { price_precision: pp as number, qty_precision: qp as number };
      known.set(p.symbol, precision);
      precisions.set(p.symbol, pairPrecision(precision));
      books.get(p.symbol)?.book.clearTokens();
    }
  }

  function onMessage(msg: Json, receiptTs: number, out: AdapterOutput[]): void {
    const { channel, data } = msg;
    if (typeof channel === 'string') {
      if (channel === 'heartbeat') return;
      if (channel === 'instrument') return onInstrument(data);
      if (channel === 'status') {
        const st = Array.isArray(data) && isObject(data[0]) ? data[0] : {};
        const system = String(st.system);
        out.push(notice(system === 'online' ? 'info' : 'warn', `kraken status: ${system}`));
        return;
      }
      if (!Array.isArray(data)) {
        out.push(malformed(`kraken ${channel}: no data array`, undefined, receiptTs));
        return;
      }
      if (channel === 'book') {
        const snapshot = msg.type === 'snapshot';
        if (!snapshot && msg.type !== 'update')
          out.push(malformed('kraken book: unknown type', undefined, receiptTs));
        else for (const d of data) onBookItem(d, snapshot, receiptTs, out);
      } else if (channel === 'trade') for (const d of data) onKrakenTrade(d, receiptTs, out);
      else if (channel === 'ticker') for (const d of data) onKrakenTicker(d, receiptTs, out);
      else out.push(notice('info', `kraken: unhandled channel ${channel}`));
      return;
    }
    if (typeof msg.method === 'string') {
      if (msg.success === false)
        out.push(notice('error', `kraken ${msg.method} failed: ${String(msg.error)}`));
      return; // pong and successful (un)subscribe acks
    }
    out.push(malformed('kraken: neither channel nor method', undefined, receiptTs));
  }

  return neverThrows({
    exchange: 'KRAKEN',
    ...state,
    restore(saved) {
      state.restore(saved);
      derivePrecisions();
    },
    keepAlive: { frame: '{"method":"ping"}', intervalSec: 30 },

    endpoints(subs) {
      return subs.some((s) => krakenSymbol(s.symbol) !== undefined) ? [KRAKEN_WS_URL] : [];
    },

    subscribeFrames(_url, subs: readonly Subscription[]) {
      return krakenSubscribeFrames(subs, depth, options.tradeSnapshot ?? false, subscribeFrame);
    },

    onFrame(text, receiptTs) {
      const out: AdapterOutput[] = [];
      const msg = parseFrame(text, receiptTs, out, (t) => parseKraken(t, alwaysQuote, precisions));
      if (msg) onMessage(msg, receiptTs, out);
      return out;
    },

    frameSymbol: krakenFrameSymbol,

    onDisconnect(receiptTs) {
      const out: AdapterOutput[] = [];
      disconnectBooks(books.values(), 'connection closed', receiptTs, out, (s) => s.book.clear());
      return out;
    },
  });
}
