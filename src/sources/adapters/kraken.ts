import {
  type BookSide,
  isValidPrice,
  isValidSize,
  isValidTimestamp,
  type L2Order,
  type MarketEvent,
  type TradeSide,
} from '../../core/events.ts';
import { krakenToken } from './checksums.ts';
import { crc32AppendPart, crc32JoinParts, crc32PartOf, crc32PartOfInteger } from './crc32.ts';
import { formatDecimal } from './decimal.ts';
import {
  applyChecked,
  BULK_LEVELS,
  LevelBook,
  type LevelSide,
  type RawDecimal,
} from './LevelBook.ts';
import { parseRfc3339 } from './rfc3339.ts';
import type { AdapterOutput, Subscription, VenueAdapter } from './VenueAdapter.ts';
import { adapterState } from './adapterState.ts';
import { FieldCheck, fieldProblem, malformedField, num, showValue } from './checkedNumber.ts';

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
  /**
   * Always recover the book's decimal text by quoting it before `JSON.parse` (see `quotePriceQty`),
   * instead of only for values too large to recover from the parsed double. Default false.
   */
  readonly alwaysQuote?: boolean;
}

const DEPTHS = [10, 25, 100, 500, 1000];

type Json = Record<string, unknown>;

/**
 * What the book checksum needs per pair. Below `priceLimit` / `qtyLimit`, a JSON number written
 * with that many decimals is exactly recoverable from the parsed double: its shortest `String`
 * form, rounded to the precision, is the wire value. That holds while value × 10^precision < 2^51
 * (the double's error then stays under half a unit of the last decimal).
 */
interface PairPrecision {
  readonly priceLimit: number;
  readonly qtyLimit: number;
  /** A level's token as a `crc32` part; negative if a field is not a decimal. */
  readonly makePart: (price: RawDecimal, qty: RawDecimal) => number;
}

const ZEROS = '0'.repeat(32);

/**
 * Kraken's checksum token for one decimal at `precision` decimals: its digits without point or
 * leading zeros, fraction padded to `precision` (`0.566`, 4 → `5660`). Plain decimals take a
 * slicing fast path; anything else (exponent, extra digits, odd precision) goes through
 * `formatDecimal`. Undefined if `raw` is not a decimal.
 */
function krakenFieldToken(raw: RawDecimal, precision: number): string | undefined {
  const text = typeof raw === 'number' ? String(raw) : raw;
  const dot = text.indexOf('.');
  const fraction = dot < 0 ? 0 : text.length - dot - 1;
  if (fraction <= precision && precision < ZEROS.length && isPlainDecimal(text)) {
    const digits = dot < 0 ? text : text.slice(0, dot) + text.slice(dot + 1);
    return stripZeros(digits + ZEROS.slice(0, precision - fraction));
  }
  const formatted = formatDecimal(text, precision);
  return formatted === undefined ? undefined : krakenToken(formatted);
}

/** Digits with at most one point, no sign or exponent. */
function isPlainDecimal(text: string): boolean {
  let points = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) points++;
    else if (c < 48 || c > 57) return false;
  }
  return points <= 1 && text.length > points;
}

function stripZeros(digits: string): string {
  let lead = 0;
  while (lead < digits.length - 1 && digits.charCodeAt(lead) === 48) lead++;
  return lead === 0 ? digits : digits.slice(lead);
}

/**
 * `krakenFieldToken` as a `crc32` part. The usual case, a parsed double `raw` whose value is
 * exactly `n / 10^precision` for an integer `n` (the wire had at most `precision` decimals), skips
 * number→string formatting: the token is `n`'s digits. That is what the text path gives too: the
 * shortest text of `raw` is within one ulp of `n / 10^precision`, i.e. (below 2^50) within less
 * than half a unit of the last decimal, so padding or rounding it yields `n`. Anything else (more
 * decimals than the precision, huge values, exact text) takes the text path.
 */
function krakenFieldPart(raw: RawDecimal, precision: number, scale: number): number {
  if (typeof raw === 'number') {
    const n = Math.round(raw * scale);
    if (n / scale === raw && n > 0 && n < 2 ** 50) return crc32PartOfInteger(n);
  }
  const token = krakenFieldToken(raw, precision);
  return token === undefined ? -1 : crc32PartOf(token);
}

function pairPrecision({ price_precision: pp, qty_precision: qp }: KrakenPrecision): PairPrecision {
  // Beyond 10^22 powers of ten are inexact: only the text path then.
  const priceScale = pp <= 22 ? 10 ** pp : NaN;
  const qtyScale = qp <= 22 ? 10 ** qp : NaN;
  return {
    priceLimit: 2 ** 51 / 10 ** pp,
    qtyLimit: 2 ** 51 / 10 ** qp,
    makePart: (price, qty) => {
      const tp = krakenFieldPart(price, pp, priceScale);
      const tq = tp < 0 ? -1 : krakenFieldPart(qty, qp, qtyScale);
      return tq < 0 ? -1 : crc32JoinParts(tp, tq);
    },
  };
}

interface BookState {
  readonly venueSymbol: string;
  readonly symbol: string;
  readonly book: LevelBook;
  /** The book matches the exchange's: updates apply and are emitted. */
  live: boolean;
  /** Warned once that checksums cannot be verified for lack of precisions. */
  warnedNoPrecision: boolean;
  /** Per-side checksum parts, valid while the side's `version` is unchanged. */
  readonly crcCache: { asks: SideCrc; bids: SideCrc };
}

/** The `crc32` part of one side's top-10 token string. */
interface SideCrc {
  version: number;
  part: number;
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

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69;
}

/**
 * Wraps the JSON number after every `"price"` and `"qty"` key in quotes, so that `JSON.parse` keeps
 * its exact text (`0.10000000` would otherwise become `0.1`); Node 20 lacks the reviver's
 * `context.source`. The scan is `indexOf`-driven; text without those keys is returned as is.
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

/** True if a level's JSON number is too large for its text to be recovered from the double. */
function beyondLimits(levels: unknown, p: PairPrecision): boolean {
  if (!Array.isArray(levels)) return false;
  for (const l of levels) {
    if (!isObject(l)) continue;
    if (typeof l.price === 'number' && l.price >= p.priceLimit) return true;
    if (typeof l.qty === 'number' && l.qty >= p.qtyLimit) return true;
  }
  return false;
}

/** Creates a pure Kraken websocket v2 adapter: `trade`, `ticker` (BBO) and checksummed `book`. */
export function createKrakenAdapter(options: KrakenAdapterOptions = {}): VenueAdapter {
  const depth = DEPTHS.includes(options.bookDepth ?? 10) ? (options.bookDepth ?? 10) : 10;
  const alwaysQuote = options.alwaysQuote ?? false;
  const precisions = new Map<string, PairPrecision>();
  const known = new Map<string, KrakenPrecision>();
  for (const [pair, p] of Object.entries(options.precisions ?? {})) {
    precisions.set(pair.replace('-', '/'), pairPrecision(p));
  }
  const books = new Map<string, BookState>();
  const counters = { reqId: 0 };
  const state = adapterState({ precisions, known, books, counters });

  function subscribeFrame(method: string, params: Json): string {
    return JSON.stringify({ method, params, req_id: ++counters.reqId });
  }

  function stateOf(pair: string): BookState {
    let s = books.get(pair);
    if (!s) {
      const symbol = seedSymbolFromKraken(pair);
      s = {
        venueSymbol: pair,
        symbol,
        book: new LevelBook(),
        live: false,
        warnedNoPrecision: false,
        crcCache: { asks: { version: -1, part: 0 }, bids: { version: -1, part: 0 } },
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
    const { symbol, venueSymbol } = s;
    out.push({
      type: 'gap',
      symbol,
      channel: 'l2_book',
      reason,
      detail,
      receipt_timestamp: receiptTs,
    });
    const params = { channel: 'book', symbol: [venueSymbol], depth };
    out.push({ type: 'send', frame: subscribeFrame('unsubscribe', params) });
    out.push({ type: 'send', frame: subscribeFrame('subscribe', { ...params, snapshot: true }) });
  }

  /** Applies levels in order; the problem with the first bad level (named), if any. */
  function applyLevels(
    side: LevelSide,
    levels: unknown,
    name: BookSide,
    orders: L2Order[] | undefined,
  ): string | undefined {
    const field = name === 'bid' ? 'bids' : 'asks';
    if (levels === undefined) return undefined;
    if (!Array.isArray(levels)) return `${field}: expected an array, got ${showValue(levels)}`;
    // Few levels (the usual update) are set one by one; many (a snapshot) are collected, then
    // sorted and merged at once (LevelSide.setMany), so no frame costs O(N²).
    const bulk = levels.length >= BULK_LEVELS;
    const ps: number[] = [];
    const ss: number[] = [];
    const pr: RawDecimal[] = [];
    const sr: RawDecimal[] = [];
    for (let i = 0; i < levels.length; i++) {
      const level: unknown = levels[i];
      if (!isObject(level)) return `${field}[${i}]: expected {price, qty}, got ${showValue(level)}`;
      const rawPrice = level.price;
      const rawQty = level.qty;
      const price = num(rawPrice);
      const qty = num(rawQty);
      if (!isValidPrice(price))
        return `${field}[${i}].price: ${fieldProblem('price', rawPrice, price) ?? 'invalid'}`;
      if (!isValidSize(qty))
        return `${field}[${i}].qty: ${fieldProblem('size', rawQty, qty) ?? 'invalid'}`;
      if (!bulk) {
        const changed = side.set(price, qty, rawPrice as RawDecimal, rawQty as RawDecimal);
        if (changed && orders) orders.push([name, price, qty]);
        continue;
      }
      ps.push(price);
      ss.push(qty);
      pr.push(rawPrice as RawDecimal);
      sr.push(rawQty as RawDecimal);
    }
    if (bulk) applyChecked(side, name, ps, ss, pr, sr, orders);
    return undefined;
  }

  /** Recomputes a side's top-10 part if the side changed; false if a level has no token. */
  function refreshSide(side: LevelSide, cache: SideCrc, p: PairPrecision): boolean {
    if (cache.version === side.version) return true;
    let part = 0;
    const n = Math.min(10, side.length);
    for (let rank = 0; rank < n; rank++) {
      const level = side.part(rank, p.makePart);
      if (level < 0) return false;
      part = rank === 0 ? level : crc32JoinParts(part, level);
    }
    cache.version = side.version;
    cache.part = part;
    return true;
  }

  /**
   * CRC32 over the top-10 tokens, asks then bids. Each level's token is cached as a CRC part (its
   * register contribution and length), and each side's part per side version, so an update costs
   * a few table lookups per changed level instead of formatting and re-hashing 20 tokens.
   */
  function checksumOf(s: BookState, p: PairPrecision): number | undefined {
    const { asks, bids } = s.crcCache;
    if (!refreshSide(s.book.asks, asks, p) || !refreshSide(s.book.bids, bids, p)) return undefined;
    return crc32AppendPart(crc32AppendPart(0, asks.part), bids.part);
  }

  function snapshotOrders(book: LevelBook): L2Order[] {
    const orders: L2Order[] = [];
    const { bids, asks } = book;
    for (let r = 0; r < bids.length; r++) orders.push(['bid', bids.price(r), bids.size(r)]);
    for (let r = 0; r < asks.length; r++) orders.push(['ask', asks.price(r), asks.size(r)]);
    return orders;
  }

  /** Verifies the book against the frame's checksum; false (after invalidating) on a mismatch. */
  function verify(s: BookState, d: Json, receiptTs: number, out: AdapterOutput[]): boolean {
    if (typeof d.checksum !== 'number') return true;
    const p = precisions.get(s.venueSymbol);
    if (p === undefined) {
      if (!s.warnedNoPrecision) {
        s.warnedNoPrecision = true;
        const detail = `kraken book ${s.venueSymbol}: no precisions, checksum not verified`;
        out.push({ type: 'notice', level: 'warn', detail });
      }
      return true;
    }
    const crc = checksumOf(s, p);
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
      const detail = 'kraken book: item without symbol';
      out.push({ type: 'malformed', detail, receipt_timestamp: receiptTs });
      return;
    }
    const s = stateOf(d.symbol);
    if (!snapshot && !s.live) return; // waiting for a snapshot: an update has nothing to apply to
    const { book } = s;
    if (snapshot) book.clear();
    const orders: L2Order[] | undefined = snapshot ? undefined : [];
    const bad =
      applyLevels(book.bids, d.bids, 'bid', orders) ??
      applyLevels(book.asks, d.asks, 'ask', orders);
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
    const t = typeof d.timestamp === 'string' ? parseRfc3339(d.timestamp) : NaN;
    out.push(
      marketEvent(s.symbol, 'l2_book', {
        timestamp: t > 0 && isValidTimestamp(t) ? t : receiptTs,
        receipt_timestamp: receiptTs,
        delta: !snapshot,
        orders: orders ?? snapshotOrders(book),
      }),
    );
  }

  function onTrade(d: unknown, receiptTs: number, out: AdapterOutput[]): void {
    if (
      !isObject(d) ||
      typeof d.symbol !== 'string' ||
      d.symbol === '' ||
      (d.side !== 'buy' && d.side !== 'sell')
    ) {
      out.push({
        type: 'malformed',
        detail: 'kraken trade: bad item',
        receipt_timestamp: receiptTs,
      });
      return;
    }
    const f = new FieldCheck();
    const price = f.price(d.price, 'price');
    const amount = f.size(d.qty, 'qty');
    const t = f.timeSec(
      typeof d.timestamp === 'string' ? parseRfc3339(d.timestamp) : NaN,
      d.timestamp,
      'timestamp',
    );
    if (typeof d.trade_id !== 'number' && typeof d.trade_id !== 'string')
      f.fail('trade_id', `expected a trade id, got ${showValue(d.trade_id)}`);
    if (f.problem !== undefined) {
      out.push(malformedField(`kraken trade ${d.symbol}`, f.problem, undefined, receiptTs));
      return;
    }
    const side: TradeSide = d.side;
    const id = String(d.trade_id);
    const event = { timestamp: t, receipt_timestamp: receiptTs, side, amount, price, id };
    out.push(marketEvent(seedSymbolFromKraken(d.symbol), 'trades', event));
  }

  /**
   * A quote needs two valid prices and, when it says when, a real time: zero prices or an epoch-0
   * timestamp (sent for an empty or not-yet-traded book) are not a quote.
   */
  function onTicker(d: unknown, receiptTs: number, out: AdapterOutput[]): void {
    if (!isObject(d) || typeof d.symbol !== 'string' || d.symbol === '') {
      out.push({
        type: 'malformed',
        detail: 'kraken ticker: item without symbol',
        receipt_timestamp: receiptTs,
      });
      return;
    }
    const f = new FieldCheck();
    const bid = f.price(d.bid, 'bid');
    const ask = f.price(d.ask, 'ask');
    const t =
      d.timestamp === undefined
        ? receiptTs
        : f.timeSec(
            typeof d.timestamp === 'string' ? parseRfc3339(d.timestamp) : NaN,
            d.timestamp,
            'timestamp',
          );
    if (f.problem !== undefined) {
      out.push(malformedField(`kraken ticker ${d.symbol}`, f.problem, undefined, receiptTs));
      return;
    }
    out.push(
      marketEvent(seedSymbolFromKraken(d.symbol), 'ticker', {
        timestamp: t,
        receipt_timestamp: receiptTs,
        bid,
        ask,
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

  function onBook(msg: Json, data: unknown[], receiptTs: number, out: AdapterOutput[]): void {
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
  }

  function onMessage(msg: Json, receiptTs: number, out: AdapterOutput[]): void {
    const { channel, data } = msg;
    if (typeof channel === 'string') {
      if (channel === 'heartbeat') return;
      if (channel === 'instrument') return onInstrument(data);
      if (channel === 'status') {
        const st = Array.isArray(data) && isObject(data[0]) ? data[0] : {};
        const system = String(st.system);
        const level = system === 'online' ? 'info' : 'warn';
        out.push({ type: 'notice', level, detail: `kraken status: ${system}` });
        return;
      }
      if (!Array.isArray(data)) {
        const detail = `kraken ${channel}: no data array`;
        out.push({ type: 'malformed', detail, receipt_timestamp: receiptTs });
        return;
      }
      if (channel === 'book') onBook(msg, data, receiptTs, out);
      else if (channel === 'trade') for (const d of data) onTrade(d, receiptTs, out);
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

  /**
   * The one `JSON.parse` of a frame. Book numbers normally come back as doubles whose text is
   * recoverable with the pair's precisions; a book frame with a value beyond that (or every book
   * frame with `alwaysQuote`) is parsed from its quoted form instead, keeping the exact text.
   */
  function parse(text: string): unknown {
    if (alwaysQuote) {
      return JSON.parse(text.indexOf('"book"') >= 0 ? quotePriceQty(text) : text);
    }
    const msg: unknown = JSON.parse(text);
    if (!isObject(msg) || msg.channel !== 'book' || !Array.isArray(msg.data)) return msg;
    for (const d of msg.data) {
      if (!isObject(d) || typeof d.symbol !== 'string' || d.symbol === '') continue;
      const p = precisions.get(d.symbol);
      if (p && (beyondLimits(d.bids, p) || beyondLimits(d.asks, p))) {
        return JSON.parse(quotePriceQty(text));
      }
    }
    return msg;
  }

  return {
    exchange: 'KRAKEN',
    ...state,
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
        const snapshot = options.tradeSnapshot ?? false;
        frames.push(subscribeFrame('subscribe', { channel: 'trade', symbol, snapshot }));
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
          msg = parse(text);
        } catch {
          out.push({
            type: 'malformed',
            detail: 'kraken: invalid JSON',
            receipt_timestamp: receiptTs,
          });
          return out;
        }
        if (!isObject(msg)) {
          const detail = 'kraken: not a JSON object';
          out.push({ type: 'malformed', detail, receipt_timestamp: receiptTs });
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
