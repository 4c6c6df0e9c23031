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
  adapterState,
  bookGap,
  disconnectBooks,
  FieldCheck,
  isObject,
  malformed,
  malformedField,
  marketEvent,
  neverThrows,
  notice,
  parseFrame,
  pushLevels,
  resync,
  showValue,
} from './kit/index.ts';
import {
  type BybitCategory,
  type BybitContext,
  type Quote,
  onLevel1,
  onTickers,
} from './bybit/quotes.ts';
import {
  type BybitNames,
  bybitFrameSymbol,
  categoryOf,
  categoryOfUrl,
  symbolOf,
  venueOf,
} from './bybit/symbols.ts';
import { onTrades } from './bybit/trades.ts';

export type { BybitCategory } from './bybit/quotes.ts';

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

  const names: BybitNames = { seedOf, categoriesOf, defaultCategory };
  const c: BybitContext = {
    quotes,
    categoryOf: (venue, url, data) => categoryOf(names, venue, url, data),
    symbolOf: (category, venue) => symbolOf(names, category, venue),
  };

  function topicsOf(sub: Subscription): { category: BybitCategory; topic: string } {
    const { category, venue } = venueOf(names, sub.symbol);
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
      const gap = bookGap(b.symbol, 'reset', `${topic}: unreadable update`, receiptTs);
      const frames = [op('unsubscribe', [topic]), op('subscribe', [topic])];
      resync(out, gap, frames, url ?? urlOf(b.category));
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
    const category = c.categoryOf(venue as string, url, undefined);
    const symbol = c.symbolOf(category, venue as string);
    if (topic.startsWith('orderbook.1.')) {
      onLevel1(c, category, symbol, orders, type === 'snapshot', ts, receiptTs, out);
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
        const detail = `${topic}: update id jumped from ${b.lastU} to ${u}`;
        const frames = [op('unsubscribe', [topic]), op('subscribe', [topic])];
        resync(out, bookGap(symbol, 'sequence', detail, receiptTs), frames, url ?? urlOf(category));
        b.live = false;
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

  function onFrame(text: string, receiptTs: number, url?: string): AdapterOutput[] {
    const out: AdapterOutput[] = [];
    const msg = parseFrame(text, receiptTs, out);
    if (!msg) return out;
    const topic = msg['topic'];
    if (typeof topic === 'string') {
      if (topic.startsWith('orderbook.')) onBook(msg, topic, url, text, receiptTs, out);
      else if (topic.startsWith('publicTrade.')) onTrades(c, msg, url, text, receiptTs, out);
      else if (topic.startsWith('tickers.')) onTickers(c, msg, url, text, receiptTs, out);
      else out.push(notice('info', `BYBIT: unsupported topic '${topic}' ignored`));
      return out;
    }
    const o = msg['op'];
    if (typeof o === 'string') {
      // Subscribe acks and pongs (`{"success":true,"op":"ping"}`, `{"op":"pong"}`).
      if (msg['success'] === false) {
        out.push(notice('error', `BYBIT ${o} failed: ${String(msg['ret_msg'])}`));
      }
      return out;
    }
    out.push(malformed('frame without topic or op', text, receiptTs));
    return out;
  }

  return neverThrows({
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

    frameSymbol: (text: string, url?: string) => bybitFrameSymbol(names, text, url),

    onDisconnect(receiptTs: number, url?: string): AdapterOutput[] {
      const out: AdapterOutput[] = [];
      const only = url !== undefined ? categoryOfUrl(url) : undefined;
      const detail = (b: Book): string => `BYBIT ${b.category} connection closed`;
      disconnectBooks(books.values(), detail, receiptTs, out, undefined, (b) =>
        only === undefined ? true : b.category === only,
      );
      return out;
    },
  });
}
