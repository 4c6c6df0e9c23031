/**
 * Coinbase Advanced Trade (`COINBASE`) adapter: `wss://advanced-trade-ws.coinbase.com`,
 * unauthenticated. Channels: `trades` ← `market_trades`, `ticker` ← `ticker` (`best_bid`/`best_ask`),
 * `l2_book` ← `level2` (messages arrive as `l2_data`; the snapshot is the whole book over WS).
 * Keep-alive: the `heartbeats` channel (channels close after 60–90 s without updates).
 *
 * Integrity: `sequence_num` is treated as one counter per connection (research §3.3): a jump > 1
 * means a message was lost ⇒ every `level2` book of the connection is invalid ⇒ `gap`, unsubscribe +
 * subscribe `level2` (a fresh snapshot follows), and no `l2_book` events until it arrives. Frames
 * with a number ≤ the last one are duplicates: their book updates are skipped.
 *
 * Trade side: the docs say `market_trades.side` "refers to the makers side", so by default the
 * taker side is its opposite (`tradeSide: 'maker'`). Cryptofeed passes it through unchanged and the
 * docs are unverified on this point (research §1.4 ❓); `tradeSide: 'taker'` passes it through.
 *
 * Timestamps: trades use the trade `time`; level2 updates their `event_time`; snapshots (whose
 * `event_time` is 1970) and tickers the message `timestamp`. Sub-millisecond digits are kept.
 */
import { isValidTimestamp, type L2Order, type TradeSide } from '../../core/events.ts';
import type { AdapterOutput, Subscription } from './VenueAdapter.ts';
import {
  type ConnectionAwareAdapter,
  type Json,
  adapterState,
  bookGap,
  FieldCheck,
  isObject,
  malformed,
  malformedField,
  marketEvent,
  neverThrows,
  notice,
  parseFrame,
  parseRfc3339,
  resync,
  showValue,
} from './kit/index.ts';
import {
  type CoinbaseContext,
  coinbaseFrameSymbol,
  envelopeTime,
  onTicker,
  onTrades,
} from './coinbase/streams.ts';

export interface CoinbaseAdapterOptions {
  readonly url?: string;
  /** What `market_trades.side` denotes. Default `'maker'` (per the channel docs) ⇒ flipped. */
  readonly tradeSide?: 'maker' | 'taker';
}

const URL_DEFAULT = 'wss://advanced-trade-ws.coinbase.com';

const CHANNEL_OF = { trades: 'market_trades', ticker: 'ticker', l2_book: 'level2' } as const;

/** Coinbase Advanced Trade adapter. Symbols are product ids (`BTC-USD`). */
export function createCoinbaseAdapter(
  options: CoinbaseAdapterOptions = {},
): ConnectionAwareAdapter {
  const url = options.url ?? URL_DEFAULT;
  const flip = (options.tradeSide ?? 'maker') === 'maker';
  const BUY: TradeSide = flip ? 'sell' : 'buy';
  const SELL: TradeSide = flip ? 'buy' : 'sell';

  /** Product id in frames → seed symbol. `-USDC` subscriptions receive `-USD` data (docs). */
  const alias = new Map<string, string>();
  /** Books: product id → live (true) or awaiting a snapshot (false). */
  const books = new Map<string, boolean>();
  const counters = { lastSeq: -1 };
  const state = adapterState({ alias, books, counters });

  function symbolOf(product: string): string {
    return alias.get(product) ?? product;
  }

  function productOf(symbol: string): string {
    const parts = symbol.split('-');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new RangeError(
        `COINBASE cannot serve symbol '${symbol}': expected a spot product BASE-QUOTE`,
      );
    }
    return symbol;
  }

  const c: CoinbaseContext = { symbolOf, BUY, SELL };

  function gapAll(
    detail: string,
    reason: 'sequence' | 'disconnect',
    receiptTs: number,
    out: AdapterOutput[],
  ): string[] {
    const affected: string[] = [];
    for (const [product, live] of books) {
      if (live) out.push(bookGap(symbolOf(product), reason, detail, receiptTs));
      books.set(product, false);
      affected.push(product);
    }
    return affected;
  }

  function onL2(
    msg: Json,
    events: unknown[],
    text: string,
    receiptTs: number,
    fresh: boolean,
    out: AdapterOutput[],
  ): void {
    const envTs = envelopeTime(msg);
    for (const ev of events) {
      if (!isObject(ev)) {
        out.push(malformed('l2_data event is not an object', text, receiptTs));
        continue;
      }
      const product = ev['product_id'];
      const type = ev['type'];
      const updates = ev['updates'];
      if (
        typeof product !== 'string' ||
        product === '' ||
        !Array.isArray(updates) ||
        (type !== 'snapshot' && type !== 'update')
      ) {
        out.push(malformed('l2_data event without product_id/type/updates', text, receiptTs));
        continue;
      }
      const snapshot = type === 'snapshot';
      if (!snapshot && (!fresh || books.get(product) !== true)) continue; // duplicate, or awaiting a snapshot
      const orders: L2Order[] = [];
      const f = new FieldCheck();
      for (let i = 0; i < updates.length && f.problem === undefined; i++) {
        const up: unknown = updates[i];
        if (!isObject(up)) {
          f.fail(`updates[${i}]`, `expected an object, got ${showValue(up)}`);
          break;
        }
        const price = f.price(up['price_level'], `updates[${i}].price_level`);
        const size = f.size(up['new_quantity'], `updates[${i}].new_quantity`);
        const side = up['side'];
        if (side !== 'bid' && side !== 'offer' && side !== 'ask')
          f.fail(`updates[${i}].side`, `expected bid | offer, got ${showValue(side)}`);
        if (f.problem === undefined) orders.push([side === 'bid' ? 'bid' : 'ask', price, size]);
      }
      if (f.problem !== undefined) {
        out.push(malformedField('l2_data', f.problem, text, receiptTs));
        if (!snapshot && books.get(product) === true) {
          // The book missed an update: invalid until a fresh snapshot, asked for by resubscribing.
          books.set(product, false);
          const gap = bookGap(symbolOf(product), 'reset', 'unreadable level2 update', receiptTs);
          resync(out, gap, resubscribeFrames([product]), url);
        }
        continue;
      }
      let ts = envTs;
      if (!snapshot) {
        const first = updates[0];
        const et =
          isObject(first) && typeof first['event_time'] === 'string'
            ? parseRfc3339(first['event_time'])
            : NaN;
        if (et > 0 && isValidTimestamp(et)) ts = et;
      }
      if (snapshot) books.set(product, true);
      out.push(
        marketEvent('COINBASE', 'spot', symbolOf(product), 'l2_book', {
          timestamp: ts === ts ? ts : receiptTs,
          receipt_timestamp: receiptTs,
          delta: !snapshot,
          orders,
        }),
      );
    }
  }

  function resubscribeFrames(products: string[]): string[] {
    if (products.length === 0) return [];
    return [
      JSON.stringify({ type: 'unsubscribe', product_ids: products, channel: 'level2' }),
      JSON.stringify({ type: 'subscribe', product_ids: products, channel: 'level2' }),
    ];
  }

  function onFrame(text: string, receiptTs: number): AdapterOutput[] {
    const out: AdapterOutput[] = [];
    const msg = parseFrame(text, receiptTs, out);
    if (!msg) return out;
    const channel = msg['channel'];
    if (typeof channel !== 'string') {
      if (msg['type'] === 'error') {
        out.push(notice('error', `COINBASE error: ${String(msg['message'])}`));
      } else {
        out.push(malformed('frame without channel', text, receiptTs));
      }
      return out;
    }
    // Sequence check on every message of the connection, whatever its channel.
    // A sequence number that is not an integer would poison the check for the whole connection
    // (every later message would look stale): the frame is malformed, the state untouched.
    const seqCheck = new FieldCheck();
    const seq =
      msg['sequence_num'] === undefined ? NaN : seqCheck.seq(msg['sequence_num'], 'sequence_num');
    if (seqCheck.problem !== undefined) {
      out.push(malformedField(channel, seqCheck.problem, text, receiptTs));
      return out;
    }
    let fresh = true;
    if (seq === seq) {
      if (counters.lastSeq >= 0 && seq > counters.lastSeq + 1) {
        const affected = gapAll(
          `sequence_num jumped from ${counters.lastSeq} to ${seq}: ${seq - counters.lastSeq - 1} message(s) lost`,
          'sequence',
          receiptTs,
          out,
        );
        for (const frame of resubscribeFrames(affected)) out.push({ type: 'send', frame, url });
      }
      if (seq <= counters.lastSeq) fresh = false;
      else counters.lastSeq = seq;
    }
    const events = msg['events'];
    switch (channel) {
      case 'l2_data':
        if (!Array.isArray(events)) break;
        onL2(msg, events, text, receiptTs, fresh, out);
        return out;
      case 'market_trades':
        if (!Array.isArray(events)) break;
        if (fresh) onTrades(c, events, text, receiptTs, out);
        return out;
      case 'ticker':
        if (!Array.isArray(events)) break;
        if (fresh) onTicker(c, msg, events, text, receiptTs, out);
        return out;
      case 'heartbeats':
      case 'subscriptions':
        return out;
      default:
        out.push(notice('info', `COINBASE: unsupported channel '${channel}' ignored`));
        return out;
    }
    out.push(malformed(`${channel} message without events`, text, receiptTs));
    return out;
  }

  return neverThrows({
    exchange: 'COINBASE',
    ...state,

    endpoints(subs: readonly Subscription[]): string[] {
      for (const s of subs) productOf(s.symbol);
      return subs.length > 0 ? [url] : [];
    },

    subscribeFrames(_url: string, subs: readonly Subscription[]): string[] {
      const byChannel = new Map<string, string[]>();
      const subscribed = new Set(subs.map((s) => productOf(s.symbol)));
      for (const s of subs) {
        const product = productOf(s.symbol);
        const ch = CHANNEL_OF[s.channel];
        let list = byChannel.get(ch);
        if (!list) byChannel.set(ch, (list = []));
        if (!list.includes(product)) list.push(product);
        if (s.channel === 'l2_book' && !books.has(product)) books.set(product, false);
        // Public channels answer `-USDC` subscriptions with `-USD` product ids.
        if (product.endsWith('-USDC')) {
          const usd = product.slice(0, -1);
          if (!subscribed.has(usd)) alias.set(usd, product);
        }
      }
      // One channel per subscribe message; heartbeats keep quiet channels open.
      const frames = [JSON.stringify({ type: 'subscribe', channel: 'heartbeats' })];
      for (const [channel, products] of byChannel) {
        frames.push(JSON.stringify({ type: 'subscribe', product_ids: products, channel }));
      }
      return frames;
    },

    onFrame,

    frameSymbol: (text: string) => coinbaseFrameSymbol(text, symbolOf),

    onDisconnect(receiptTs: number): AdapterOutput[] {
      const out: AdapterOutput[] = [];
      gapAll('COINBASE connection closed', 'disconnect', receiptTs, out);
      counters.lastSeq = -1; // the counter is per connection
      return out;
    },
  });
}
