import type { BookSide, L2Order, MarketEvent, TradeSide } from '../../core/events.ts';
import { krakenLevelToken } from './checksums.ts';
import { crc32 } from './crc32.ts';
import { formatDecimal } from './decimal.ts';
import { LevelBook, type LevelSide } from './LevelBook.ts';
import type { AdapterOutput, Subscription, VenueAdapter } from './VenueAdapter.ts';

/** Kraken spot websocket v2, public endpoint. */
export const KRAKEN_WS_URL = 'wss://ws.kraken.com/v2';

/** Decimal places Kraken uses for a pair's prices and quantities (`instrument` channel fields). */
export interface KrakenPrecision {
  readonly price_precision: number;
  readonly qty_precision: number;
}

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
}

const DEPTHS = [10, 25, 100, 500, 1000];

type Json = Record<string, unknown>;

interface BookState {
  readonly venueSymbol: string;
  readonly symbol: string;
  readonly book: LevelBook;
  /** The book matches the exchange's: updates apply and are emitted. */
  live: boolean;
  /** Warned once that checksums cannot be verified for lack of precisions. */
  warnedNoPrecision: boolean;
}

/** Seed symbol (`BTC-USD`) → Kraken v2 pair (`BTC/USD`); undefined for what Kraken spot lacks (perps). */
export function krakenSymbol(symbol: string): string | undefined {
  const dash = symbol.indexOf('-');
  if (dash <= 0 || dash !== symbol.lastIndexOf('-') || dash === symbol.length - 1) return undefined;
  return symbol.slice(0, dash) + '/' + symbol.slice(dash + 1);
}

/** Kraken v2 pair (`BTC/USD`) → seed symbol (`BTC-USD`). v2 already writes BTC, not XBT. */
export function seedSymbolFromKraken(pair: string): string {
  return pair.replace('/', '-');
}

function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/**
 * RFC 3339 time (`2023-10-06T17:35:55.440295Z`, any fraction length, `Z` or `±hh:mm`) → epoch
 * seconds, keeping the microseconds that `Date.parse` would drop. NaN if it is not one.
 */
export function parseRfc3339(text: string): number {
  if (text.length < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  let i = 19;
  let fraction = 0;
  if (text.charCodeAt(i) === 46) {
    let scale = 1;
    for (i++; i < text.length; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      scale /= 10;
      fraction += d * scale;
    }
  }
  let offset = 0;
  const zone = text.charCodeAt(i);
  if (zone === 43 || zone === 45) {
    offset = (twoDigits(text, i + 1) * 3600 + twoDigits(text, i + 4) * 60) * (zone === 43 ? 1 : -1);
  } else if ((zone !== 90 && zone !== 122) || i !== text.length - 1) return NaN;
  const ms = Date.UTC(
    year,
    twoDigits(text, 5) - 1,
    twoDigits(text, 8),
    twoDigits(text, 11),
    twoDigits(text, 14),
    twoDigits(text, 17),
  );
  return ms / 1000 + fraction - offset;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69;
}

/**
 * Wraps the JSON number after every `"price"` and `"qty"` key in quotes, so that the single
 * `JSON.parse` keeps its exact text (`0.10000000` would otherwise become `0.1`). Node 20 lacks the
 * reviver's `context.source`. The scan is `indexOf`-driven; text without those keys is returned as is.
 */
export function quotePriceQty(text: string): string {
  let p = text.indexOf('"price"');
  let q = text.indexOf('"qty"');
  if (p < 0 && q < 0) return text;
  const n = text.length;
  let out = '';
  let from = 0;
  while (p >= 0 || q >= 0) {
    const isPrice = q < 0 || (p >= 0 && p < q);
    let i = (isPrice ? p : q) + (isPrice ? 7 : 5);
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 58 /* : */) {
      i++;
      while (isSpace(text.charCodeAt(i))) i++;
      const c = text.charCodeAt(i);
      if (c === 45 || (c >= 48 && c <= 57)) {
        let j = i + 1;
        while (j < n && isNumberChar(text.charCodeAt(j))) j++;
        out += text.slice(from, i) + '"' + text.slice(i, j) + '"';
        from = j;
        i = j;
      }
    }
    if (isPrice) p = text.indexOf('"price"', i);
    else q = text.indexOf('"qty"', i);
  }
  return from === 0 ? text : out + text.slice(from);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function decimalText(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Creates a pure Kraken websocket v2 adapter: `trade`, `ticker` (BBO) and checksummed `book`. */
export function createKrakenAdapter(options: KrakenAdapterOptions = {}): VenueAdapter {
  const depth = DEPTHS.includes(options.bookDepth ?? 10) ? (options.bookDepth ?? 10) : 10;
  const precisions = new Map<string, KrakenPrecision>();
  for (const [pair, p] of Object.entries(options.precisions ?? {})) {
    precisions.set(pair.replace('-', '/'), p);
  }
  const tokenMakers = new Map<string, (price: string, qty: string) => string | undefined>();
  const books = new Map<string, BookState>();
  let reqId = 0;

  function subscribeFrame(method: string, params: Json): string {
    return JSON.stringify({ method, params, req_id: ++reqId });
  }

  function tokenMaker(
    pair: string,
  ): ((price: string, qty: string) => string | undefined) | undefined {
    let make = tokenMakers.get(pair);
    if (make) return make;
    const p = precisions.get(pair);
    if (!p) return undefined;
    make = (price, qty) => {
      const fp = formatDecimal(price, p.price_precision);
      const fq = formatDecimal(qty, p.qty_precision);
      return fp === undefined || fq === undefined ? undefined : krakenLevelToken(fp, fq);
    };
    tokenMakers.set(pair, make);
    return make;
  }

  function stateOf(pair: string): BookState {
    let s = books.get(pair);
    if (!s) {
      s = {
        venueSymbol: pair,
        symbol: seedSymbolFromKraken(pair),
        book: new LevelBook(),
        live: false,
        warnedNoPrecision: false,
      };
      books.set(pair, s);
    }
    return s;
  }

  function marketEvent(
    symbol: string,
    channel: MarketEvent['channel'],
    event: MarketEvent['event'],
  ): AdapterOutput {
    return {
      type: 'event',
      event: { exchange: 'KRAKEN', instrument_type: 'spot', symbol, channel, event },
    };
  }

  function invalidate(
    s: BookState,
    reason: 'checksum' | 'reset',
    detail: string,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    s.live = false;
    s.book.clear();
    out.push({
      type: 'gap',
      symbol: s.symbol,
      channel: 'l2_book',
      reason,
      detail,
      receipt_timestamp: receiptTs,
    });
    out.push({
      type: 'send',
      frame: subscribeFrame('unsubscribe', { channel: 'book', symbol: [s.venueSymbol], depth }),
    });
    out.push({
      type: 'send',
      frame: subscribeFrame('subscribe', {
        channel: 'book',
        symbol: [s.venueSymbol],
        depth,
        snapshot: true,
      }),
    });
  }

  /** Applies levels in order; false if one is not a valid level. */
  function applyLevels(
    side: LevelSide,
    levels: unknown,
    name: BookSide,
    orders: L2Order[] | undefined,
  ): boolean {
    if (levels === undefined) return true;
    if (!Array.isArray(levels)) return false;
    for (const level of levels) {
      if (!isObject(level)) return false;
      const priceText = decimalText(level.price);
      const qtyText = decimalText(level.qty);
      if (priceText === undefined || qtyText === undefined) return false;
      const price = Number(priceText);
      const qty = Number(qtyText);
      if (!(price > 0) || !(qty >= 0) || !Number.isFinite(price) || !Number.isFinite(qty))
        return false;
      if (side.set(price, qty, priceText, qtyText) && orders) orders.push([name, price, qty]);
    }
    return true;
  }

  function checksumOf(
    book: LevelBook,
    make: (price: string, qty: string) => string | undefined,
  ): number | undefined {
    let crc = 0;
    for (const side of [book.asks, book.bids]) {
      const n = Math.min(10, side.length);
      for (let rank = 0; rank < n; rank++) {
        const token = side.token(rank, make);
        if (token === undefined) return undefined;
        crc = crc32(token, crc);
      }
    }
    return crc;
  }

  function snapshotOrders(book: LevelBook): L2Order[] {
    const orders: L2Order[] = [];
    for (let r = 0; r < book.bids.length; r++)
      orders.push(['bid', book.bids.price(r), book.bids.size(r)]);
    for (let r = 0; r < book.asks.length; r++)
      orders.push(['ask', book.asks.price(r), book.asks.size(r)]);
    return orders;
  }

  function onBookItem(
    d: unknown,
    snapshot: boolean,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    if (!isObject(d) || typeof d.symbol !== 'string') {
      out.push({
        type: 'malformed',
        detail: 'kraken book: item without symbol',
        receipt_timestamp: receiptTs,
      });
      return;
    }
    const s = stateOf(d.symbol);
    if (!snapshot && !s.live) return; // waiting for a snapshot: an update has nothing to apply to
    const { book } = s;
    if (snapshot) book.clear();
    const orders: L2Order[] | undefined = snapshot ? undefined : [];
    if (
      !applyLevels(book.bids, d.bids, 'bid', orders) ||
      !applyLevels(book.asks, d.asks, 'ask', orders)
    ) {
      out.push({
        type: 'malformed',
        detail: `kraken book ${d.symbol}: bad level`,
        receipt_timestamp: receiptTs,
      });
      invalidate(s, 'reset', 'unreadable book level', receiptTs, out);
      return;
    }
    // Kraken sends no deletes for levels pushed out of the subscribed depth: trim, and tell downstream.
    book.bids.truncate(depth, orders && ((price) => orders.push(['bid', price, 0])));
    book.asks.truncate(depth, orders && ((price) => orders.push(['ask', price, 0])));
    if (typeof d.checksum === 'number') {
      const make = tokenMaker(d.symbol);
      if (make === undefined) {
        if (!s.warnedNoPrecision) {
          s.warnedNoPrecision = true;
          out.push({
            type: 'notice',
            level: 'warn',
            detail: `kraken book ${d.symbol}: no precisions, checksum not verified`,
          });
        }
      } else {
        const crc = checksumOf(book, make);
        if (crc !== d.checksum) {
          invalidate(s, 'checksum', `checksum ${String(crc)} != ${d.checksum}`, receiptTs, out);
          return;
        }
      }
    }
    s.live = true;
    if (orders?.length === 0) return; // only deletes of absent levels: nothing changed
    const t = typeof d.timestamp === 'string' ? parseRfc3339(d.timestamp) : NaN;
    out.push(
      marketEvent(s.symbol, 'l2_book', {
        timestamp: Number.isFinite(t) ? t : receiptTs,
        receipt_timestamp: receiptTs,
        delta: !snapshot,
        orders: orders ?? snapshotOrders(book),
      }),
    );
  }

  function onTrade(d: unknown, receiptTs: number, out: AdapterOutput[]): void {
    if (!isObject(d) || typeof d.symbol !== 'string' || (d.side !== 'buy' && d.side !== 'sell')) {
      out.push({
        type: 'malformed',
        detail: 'kraken trade: bad item',
        receipt_timestamp: receiptTs,
      });
      return;
    }
    const price = Number(d.price);
    const amount = Number(d.qty);
    const t = typeof d.timestamp === 'string' ? parseRfc3339(d.timestamp) : NaN;
    if (
      !Number.isFinite(price) ||
      !Number.isFinite(amount) ||
      !Number.isFinite(t) ||
      d.trade_id === undefined
    ) {
      out.push({
        type: 'malformed',
        detail: `kraken trade ${d.symbol}: bad fields`,
        receipt_timestamp: receiptTs,
      });
      return;
    }
    const side: TradeSide = d.side;
    out.push(
      marketEvent(seedSymbolFromKraken(d.symbol), 'trades', {
        timestamp: t,
        receipt_timestamp: receiptTs,
        side,
        amount,
        price,
        id: String(d.trade_id),
      }),
    );
  }

  function onTicker(d: unknown, receiptTs: number, out: AdapterOutput[]): void {
    if (
      !isObject(d) ||
      typeof d.symbol !== 'string' ||
      typeof d.bid !== 'number' ||
      typeof d.ask !== 'number'
    ) {
      out.push({
        type: 'malformed',
        detail: 'kraken ticker: bad item',
        receipt_timestamp: receiptTs,
      });
      return;
    }
    const t = typeof d.timestamp === 'string' ? parseRfc3339(d.timestamp) : NaN;
    out.push(
      marketEvent(seedSymbolFromKraken(d.symbol), 'ticker', {
        timestamp: Number.isFinite(t) ? t : receiptTs,
        receipt_timestamp: receiptTs,
        bid: d.bid,
        ask: d.ask,
      }),
    );
  }

  function onInstrument(data: unknown): void {
    if (!isObject(data) || !Array.isArray(data.pairs)) return;
    for (const p of data.pairs) {
      if (!isObject(p) || typeof p.symbol !== 'string') continue;
      const { price_precision: pp, qty_precision: qp } = p;
      if (typeof pp !== 'number' || typeof qp !== 'number') continue;
      const old = precisions.get(p.symbol);
      if (old && old.price_precision === pp && old.qty_precision === qp) continue;
      precisions.set(p.symbol, { price_precision: pp, qty_precision: qp });
      tokenMakers.delete(p.symbol);
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
        out.push({
          type: 'notice',
          level: system === 'online' ? 'info' : 'warn',
          detail: `kraken status: ${system}`,
        });
        return;
      }
      if (!Array.isArray(data)) {
        out.push({
          type: 'malformed',
          detail: `kraken ${channel}: no data array`,
          receipt_timestamp: receiptTs,
        });
        return;
      }
      if (channel === 'book') {
        const snapshot = msg.type === 'snapshot';
        if (!snapshot && msg.type !== 'update') {
          out.push({
            type: 'malformed',
            detail: 'kraken book: unknown type',
            receipt_timestamp: receiptTs,
          });
          return;
        }
        for (const d of data) onBookItem(d, snapshot, receiptTs, out);
      } else if (channel === 'trade') for (const d of data) onTrade(d, receiptTs, out);
      else if (channel === 'ticker') for (const d of data) onTicker(d, receiptTs, out);
      else
        out.push({ type: 'notice', level: 'info', detail: `kraken: unhandled channel ${channel}` });
      return;
    }
    if (typeof msg.method === 'string') {
      if (msg.success === false) {
        const detail = `kraken ${msg.method} failed: ${String(msg.error)}`;
        out.push({ type: 'notice', level: 'error', detail });
      }
      return; // pong and successful (un)subscribe acks
    }
    out.push({
      type: 'malformed',
      detail: 'kraken: neither channel nor method',
      receipt_timestamp: receiptTs,
    });
  }

  return {
    exchange: 'KRAKEN',
    keepAlive: { frame: '{"method":"ping"}', intervalSec: 30 },

    endpoints(subs) {
      return subs.some((s) => krakenSymbol(s.symbol) !== undefined) ? [KRAKEN_WS_URL] : [];
    },

    subscribeFrames(_url, subs: readonly Subscription[]) {
      const byChannel = {
        l2_book: new Set<string>(),
        trades: new Set<string>(),
        ticker: new Set<string>(),
      };
      for (const sub of subs) {
        const pair = krakenSymbol(sub.symbol);
        if (pair !== undefined) byChannel[sub.channel].add(pair);
      }
      const frames: string[] = [];
      if (byChannel.l2_book.size > 0) {
        // Precisions for the book checksum come from here, so a recording carries them too.
        frames.push(subscribeFrame('subscribe', { channel: 'instrument', snapshot: true }));
        const symbol = [...byChannel.l2_book];
        frames.push(
          subscribeFrame('subscribe', { channel: 'book', symbol, depth, snapshot: true }),
        );
      }
      if (byChannel.trades.size > 0) {
        const symbol = [...byChannel.trades];
        frames.push(
          subscribeFrame('subscribe', {
            channel: 'trade',
            symbol,
            snapshot: options.tradeSnapshot ?? false,
          }),
        );
      }
      if (byChannel.ticker.size > 0) {
        const symbol = [...byChannel.ticker];
        frames.push(
          subscribeFrame('subscribe', { channel: 'ticker', symbol, event_trigger: 'bbo' }),
        );
      }
      return frames;
    },

    onFrame(text, receiptTs) {
      const out: AdapterOutput[] = [];
      try {
        let msg: unknown;
        try {
          msg = JSON.parse(text.indexOf('"book"') >= 0 ? quotePriceQty(text) : text);
        } catch {
          out.push({
            type: 'malformed',
            detail: 'kraken: invalid JSON',
            receipt_timestamp: receiptTs,
          });
          return out;
        }
        if (!isObject(msg)) {
          out.push({
            type: 'malformed',
            detail: 'kraken: not a JSON object',
            receipt_timestamp: receiptTs,
          });
          return out;
        }
        onMessage(msg, receiptTs, out);
      } catch (err) {
        out.push({
          type: 'malformed',
          detail: `kraken: ${String(err)}`,
          receipt_timestamp: receiptTs,
        });
      }
      return out;
    },

    onDisconnect(receiptTs) {
      const out: AdapterOutput[] = [];
      for (const s of books.values()) {
        if (!s.live) continue;
        s.live = false;
        s.book.clear();
        out.push({
          type: 'gap',
          symbol: s.symbol,
          channel: 'l2_book',
          reason: 'disconnect',
          detail: 'connection closed',
          receipt_timestamp: receiptTs,
        });
      }
      return out;
    },
  };
}
