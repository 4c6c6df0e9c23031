/**
 * Bybit v5 public (`BYBIT`) adapter. `BTC-USDT` is spot (`/v5/public/spot`, `BTCUSDT`),
 * `BTC-USDT-PERP` linear (`/v5/public/linear`, `BTCUSDT`), `BTC-USDC-PERP` linear `BTCPERP`,
 * `BTC-USD-PERP` inverse (`/v5/public/inverse`, `BTCUSD`).
 *
 * Channels: `trades` ← `publicTrade.S` (`S` is the taker side), `l2_book` ← `orderbook.{depth}.S`
 * (default depth 200, 100 ms), `ticker` ← `tickers.S` for derivatives (snapshot then deltas where
 * missing fields are unchanged: merged here) and `orderbook.1.S` for spot (spot tickers carry no
 * bid/ask). Keep-alive `{"op":"ping"}` every 20 s.
 *
 * Book integrity (research §3.7): a snapshot, or `u = 1`, resets the book (`delta:false`); a delta
 * with `u ≤` the last `u` is stale and dropped; deltas before the first snapshot are dropped. Bybit
 * documents no contiguity rule for `u`, so a jump is only a gap with `strictUpdateIds: true`; a gap
 * unsubscribes and resubscribes the topic, which makes Bybit send a fresh snapshot.
 *
 * Spot and linear frames look the same (`orderbook.50.BTCUSDT` on both sockets). The category of a
 * frame comes from the `url` argument of `onFrame` when the caller passes it (extension), else from
 * the subscriptions when the symbol is subscribed in one category only, else from the frame
 * (linear tickers carry funding fields), else `defaultCategory`.
 */
import type { L2Order } from '../../core/events.ts';
import type { AdapterOutput, Subscription } from './VenueAdapter.ts';
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
import { FieldCheck, malformedField, pushLevels, showValue } from './checkedNumber.ts';

export type BybitCategory = 'spot' | 'linear' | 'inverse';

export interface BybitAdapterOptions {
  /** Host root; the category is appended. Default `wss://stream.bybit.com/v5/public`. */
  readonly baseUrl?: string;
  /** `orderbook.{depth}` for `l2_book`. Default 200. */
  readonly bookDepth?: 50 | 200 | 1000;
  /** Treat any `u ≠ last u + 1` on a delta as a sequence gap. Default false (not documented). */
  readonly strictUpdateIds?: boolean;
  /** Category of frames whose category cannot be told otherwise. Default `linear`. */
  readonly defaultCategory?: BybitCategory;
}

interface Book {
  readonly key: string;
  readonly category: BybitCategory;
  readonly symbol: string;
  readonly topic: string;
  live: boolean;
  lastU: number;
}

interface Quote {
  bid: number;
  ask: number;
}

/** Bybit v5 public adapter. */
export function createBybitAdapter(options: BybitAdapterOptions = {}): ConnectionAwareAdapter {
  const baseUrl = options.baseUrl ?? 'wss://stream.bybit.com/v5/public';
  const depth = options.bookDepth ?? 200;
  const strict = options.strictUpdateIds ?? false;
  const defaultCategory = options.defaultCategory ?? 'linear';

  /** `category|VENUE` → seed symbol, and venue symbol → categories it is subscribed in. */
  const seedOf = new Map<string, string>();
  const categoriesOf = new Map<string, BybitCategory[]>();
  const books = new Map<string, Book>();
  const quotes = new Map<string, Quote>();
  const counters = { reqSeq: 0 };
  const state = adapterState({ seedOf, categoriesOf, books, quotes, counters });

  function urlOf(category: BybitCategory): string {
    return `${baseUrl}/${category}`;
  }

  function categoryOfUrl(url: string): BybitCategory | undefined {
    if (url.endsWith('/spot')) return 'spot';
    if (url.endsWith('/linear')) return 'linear';
    if (url.endsWith('/inverse')) return 'inverse';
    return undefined;
  }

  function venueOf(symbol: string): { category: BybitCategory; venue: string } {
    const p = seedParts(symbol);
    if (!p)
      throw new RangeError(
        `BYBIT cannot serve symbol '${symbol}': expected BASE-QUOTE or BASE-QUOTE-PERP`,
      );
    let category: BybitCategory;
    let venue: string;
    if (!p.perp) {
      category = 'spot';
      venue = p.base + p.quote;
    } else if (p.quote === 'USD') {
      category = 'inverse';
      venue = `${p.base}USD`;
    } else {
      category = 'linear';
      venue = p.quote === 'USDC' ? `${p.base}PERP` : p.base + p.quote;
    }
    seedOf.set(`${category}|${venue}`, symbol);
    const cats = categoriesOf.get(venue) ?? [];
    if (!cats.includes(category)) cats.push(category);
    categoriesOf.set(venue, cats);
    return { category, venue };
  }

  function symbolOf(category: BybitCategory, venue: string): string {
    const key = `${category}|${venue}`;
    let s = seedOf.get(key);
    if (s === undefined) {
      if (category === 'spot') s = splitConcatenated(venue);
      else if (category === 'inverse') s = `${splitConcatenated(venue)}-PERP`;
      else if (venue.endsWith('PERP')) s = `${venue.slice(0, -4)}-USDC-PERP`;
      else s = `${splitConcatenated(venue)}-PERP`;
      seedOf.set(key, s);
    }
    return s;
  }

  function categoryOf(
    venue: string,
    url: string | undefined,
    data: Json | undefined,
  ): BybitCategory {
    if (url !== undefined) {
      const c = categoryOfUrl(url);
      if (c) return c;
    }
    const cats = categoriesOf.get(venue);
    if (cats && cats.length === 1) return cats[0]!;
    if (data && ('fundingRate' in data || 'markPrice' in data)) return 'linear';
    return defaultCategory;
  }

  function topicsOf(sub: Subscription): { category: BybitCategory; topic: string } {
    const { category, venue } = venueOf(sub.symbol);
    if (sub.channel === 'trades') return { category, topic: `publicTrade.${venue}` };
    if (sub.channel === 'l2_book') return { category, topic: `orderbook.${depth}.${venue}` };
    // Spot tickers have no bid/ask: the level-1 book is the spot BBO.
    return { category, topic: category === 'spot' ? `orderbook.1.${venue}` : `tickers.${venue}` };
  }

  function op(opName: string, args: string[]): string {
    counters.reqSeq++;
    return JSON.stringify({ req_id: String(counters.reqSeq), op: opName, args });
  }

  /**
   * An unreadable push of a live book's topic: the book missed an update (Bybit promises no
   * contiguous `u` to notice it later), so it is invalid until a fresh snapshot, asked for by
   * resubscribing, as after a sequence jump.
   */
  function lostUpdate(
    topic: string,
    url: string | undefined,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    if (topic.startsWith('orderbook.1.')) return; // a quote stream: the next push replaces it
    for (const b of books.values()) {
      if (b.topic !== topic || !b.live || (url !== undefined && urlOf(b.category) !== url))
        continue;
      b.live = false;
      out.push({
        type: 'gap',
        symbol: b.symbol,
        channel: 'l2_book',
        reason: 'reset',
        detail: `${topic}: unreadable update`,
        receipt_timestamp: receiptTs,
      });
      const target = url ?? urlOf(b.category);
      const unsub: RoutedSend = { type: 'send', frame: op('unsubscribe', [topic]), url: target };
      const sub: RoutedSend = { type: 'send', frame: op('subscribe', [topic]), url: target };
      out.push(unsub, sub);
    }
  }

  function onBook(
    msg: Json,
    topic: string,
    url: string | undefined,
    text: string,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    const data = msg['data'];
    const type = msg['type'];
    const f = new FieldCheck();
    const ts = f.timeMs(msg['ts'], 'ts');
    const venue = isObject(data) ? data['s'] : undefined;
    const u = isObject(data) ? f.seq(data['u'], 'data.u') : NaN;
    if (!isObject(data)) f.fail('data', `expected an object, got ${showValue(data)}`);
    else if (typeof venue !== 'string' || venue === '')
      f.fail('data.s', `expected a symbol, got ${showValue(venue)}`);
    if (type !== 'snapshot' && type !== 'delta')
      f.fail('type', `expected snapshot | delta, got ${showValue(type)}`);
    if (f.problem !== undefined) {
      out.push(malformedField('orderbook', f.problem, text, receiptTs));
      lostUpdate(topic, url, receiptTs, out);
      return;
    }
    const d = data as Json;
    const orders: L2Order[] = [];
    const bad =
      pushLevels(orders, 'bid', d['b'], 'data.b') ?? pushLevels(orders, 'ask', d['a'], 'data.a');
    if (bad !== undefined) {
      out.push(malformedField('orderbook', bad, text, receiptTs));
      lostUpdate(topic, url, receiptTs, out);
      return;
    }
    const category = categoryOf(venue as string, url, undefined);
    const symbol = symbolOf(category, venue as string);
    if (topic.startsWith('orderbook.1.')) {
      onLevel1(category, symbol, orders, type === 'snapshot', ts, receiptTs, out);
      return;
    }
    const key = `${category}|${topic}`;
    let b = books.get(key);
    if (!b) {
      b = { key, category, symbol, topic, live: false, lastU: 0 };
      books.set(key, b);
    }
    const reset = type === 'snapshot' || u === 1;
    if (!reset) {
      if (!b.live || u <= b.lastU) return; // awaiting a snapshot, or a stale/duplicate delta
      if (strict && u !== b.lastU + 1) {
        out.push({
          type: 'gap',
          symbol,
          channel: 'l2_book',
          reason: 'sequence',
          detail: `${topic}: update id jumped from ${b.lastU} to ${u}`,
          receipt_timestamp: receiptTs,
        });
        b.live = false;
        const target = url ?? urlOf(category);
        const unsub: RoutedSend = { type: 'send', frame: op('unsubscribe', [topic]), url: target };
        const sub: RoutedSend = { type: 'send', frame: op('subscribe', [topic]), url: target };
        out.push(unsub, sub);
        return;
      }
    }
    b.live = true;
    b.lastU = u;
    out.push(
      marketEvent('BYBIT', category === 'spot' ? 'spot' : 'perpetual', symbol, 'l2_book', {
        timestamp: ts,
        receipt_timestamp: receiptTs,
        delta: !reset,
        orders,
      }),
    );
  }

  function quoteOf(category: BybitCategory, symbol: string): Quote {
    const key = `${category}|${symbol}`;
    let q = quotes.get(key);
    if (!q) quotes.set(key, (q = { bid: NaN, ask: NaN }));
    return q;
  }

  function emitTicker(
    category: BybitCategory,
    symbol: string,
    q: Quote,
    ts: number,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    if (q.bid !== q.bid || q.ask !== q.ask) return;
    out.push(
      marketEvent('BYBIT', category === 'spot' ? 'spot' : 'perpetual', symbol, 'ticker', {
        timestamp: ts,
        receipt_timestamp: receiptTs,
        bid: q.bid,
        ask: q.ask,
      }),
    );
  }

  /**
   * `orderbook.1`: each push carries the best level of each side (a side may be absent). A delta
   * that improves the best sends the new level *and* a size-0 entry for the old one, in either
   * order: a side becomes the price of its entry with a size, and is emptied only by a size-0
   * entry for its current best when the frame brings no new one (a delete of any other price is
   * stale and ignored).
   */
  function onLevel1(
    category: BybitCategory,
    symbol: string,
    orders: L2Order[],
    snapshot: boolean,
    ts: number,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    const q = quoteOf(category, symbol);
    if (snapshot) q.bid = q.ask = NaN;
    let bid = NaN;
    let ask = NaN;
    let bidDeleted = false;
    let askDeleted = false;
    for (const [side, price, size] of orders) {
      if (side === 'bid') {
        if (size > 0) bid = bid === bid ? Math.max(bid, price) : price;
        else if (price === q.bid) bidDeleted = true;
      } else if (size > 0) ask = ask === ask ? Math.min(ask, price) : price;
      else if (price === q.ask) askDeleted = true;
    }
    if (bid === bid || bidDeleted) q.bid = bid;
    if (ask === ask || askDeleted) q.ask = ask;
    emitTicker(category, symbol, q, ts, receiptTs, out);
  }

  function onTickers(
    msg: Json,
    url: string | undefined,
    text: string,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    const data = msg['data'];
    const f = new FieldCheck();
    const ts = f.timeMs(msg['ts'], 'ts');
    const venue = isObject(data) ? data['symbol'] : undefined;
    if (!isObject(data)) f.fail('data', `expected an object, got ${showValue(data)}`);
    else if (typeof venue !== 'string' || venue === '')
      f.fail('data.symbol', `expected a symbol, got ${showValue(venue)}`);
    const d = isObject(data) ? data : {};
    const hasBid = 'bid1Price' in d;
    const hasAsk = 'ask1Price' in d;
    // An empty side is sent as "": no quote until it comes back.
    const bid = hasBid && d['bid1Price'] !== '' ? f.price(d['bid1Price'], 'data.bid1Price') : NaN;
    const ask = hasAsk && d['ask1Price'] !== '' ? f.price(d['ask1Price'], 'data.ask1Price') : NaN;
    if (f.problem !== undefined) {
      out.push(malformedField('tickers', f.problem, text, receiptTs));
      return;
    }
    if (!hasBid && !hasAsk) return; // spot tickers (no BBO) or a delta that left the BBO unchanged
    const category = categoryOf(venue as string, url, d);
    const symbol = symbolOf(category, venue as string);
    const q = quoteOf(category, symbol);
    if (hasBid) q.bid = bid;
    if (hasAsk) q.ask = ask;
    emitTicker(category, symbol, q, ts, receiptTs, out);
  }

  function onTrades(
    msg: Json,
    url: string | undefined,
    text: string,
    receiptTs: number,
    out: AdapterOutput[],
  ): void {
    const data = msg['data'];
    if (!Array.isArray(data)) {
      out.push(malformed('publicTrade message without a data array', text, receiptTs));
      return;
    }
    for (const t of data) {
      if (!isObject(t)) {
        out.push(malformed('publicTrade entry is not an object', text, receiptTs));
        continue;
      }
      const venue = t['s'];
      const f = new FieldCheck();
      const time = f.timeMs(t['T'], 'T');
      const price = f.price(t['p'], 'p');
      const amount = f.size(t['v'], 'v');
      const S = t['S'];
      const id = t['i'];
      if (typeof venue !== 'string' || venue === '')
        f.fail('s', `expected a symbol, got ${showValue(venue)}`);
      if (S !== 'Buy' && S !== 'Sell') f.fail('S', `expected Buy | Sell, got ${showValue(S)}`);
      if (typeof id !== 'string') f.fail('i', `expected a trade id, got ${showValue(id)}`);
      if (f.problem !== undefined) {
        out.push(malformedField('publicTrade', f.problem, text, receiptTs));
        continue;
      }
      const category = categoryOf(venue as string, url, undefined);
      out.push(
        marketEvent(
          'BYBIT',
          category === 'spot' ? 'spot' : 'perpetual',
          symbolOf(category, venue as string),
          'trades',
          {
            timestamp: time,
            receipt_timestamp: receiptTs,
            side: S === 'Buy' ? 'buy' : 'sell',
            amount,
            price,
            id: id as string,
          },
        ),
      );
    }
  }

  function onFrame(text: string, receiptTs: number, url?: string): AdapterOutput[] {
    const out: AdapterOutput[] = [];
    const msg = parseFrame(text, receiptTs, out);
    if (!msg) return out;
    const topic = msg['topic'];
    if (typeof topic === 'string') {
      if (topic.startsWith('orderbook.')) onBook(msg, topic, url, text, receiptTs, out);
      else if (topic.startsWith('publicTrade.')) onTrades(msg, url, text, receiptTs, out);
      else if (topic.startsWith('tickers.')) onTickers(msg, url, text, receiptTs, out);
      else
        out.push({
          type: 'notice',
          level: 'info',
          detail: `BYBIT: unsupported topic '${topic}' ignored`,
        });
      return out;
    }
    const o = msg['op'];
    if (typeof o === 'string') {
      // Subscribe acks and pongs (`{"success":true,"op":"ping"}`, `{"op":"pong"}`).
      if (msg['success'] === false) {
        out.push({
          type: 'notice',
          level: 'error',
          detail: `BYBIT ${o} failed: ${String(msg['ret_msg'])}`,
        });
      }
      return out;
    }
    out.push(malformed('frame without topic or op', text, receiptTs));
    return out;
  }

  return {
    exchange: 'BYBIT',
    ...state,
    keepAlive: { frame: '{"op":"ping"}', intervalSec: 20 },

    endpoints(subs: readonly Subscription[]): string[] {
      const urls: string[] = [];
      for (const s of subs) {
        const u = urlOf(topicsOf(s).category);
        if (!urls.includes(u)) urls.push(u);
      }
      return urls;
    },

    subscribeFrames(url: string, subs: readonly Subscription[]): string[] {
      const category = categoryOfUrl(url);
      const args: string[] = [];
      for (const s of subs) {
        const t = topicsOf(s);
        if (t.category === category && !args.includes(t.topic)) args.push(t.topic);
      }
      const frames: string[] = [];
      // Spot accepts at most 10 args per subscribe request.
      for (let i = 0; i < args.length; i += 10) frames.push(op('subscribe', args.slice(i, i + 10)));
      return frames;
    },

    onFrame,

    onDisconnect(receiptTs: number, url?: string): AdapterOutput[] {
      const out: AdapterOutput[] = [];
      const only = url !== undefined ? categoryOfUrl(url) : undefined;
      for (const b of books.values()) {
        if (only !== undefined && b.category !== only) continue;
        if (b.live) {
          out.push({
            type: 'gap',
            symbol: b.symbol,
            channel: 'l2_book',
            reason: 'disconnect',
            detail: `BYBIT ${b.category} connection closed`,
            receipt_timestamp: receiptTs,
          });
        }
        b.live = false;
      }
      return out;
    },
  };
}
