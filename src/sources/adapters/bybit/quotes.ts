/** Bybit quotes (`tickers`, spot `orderbook.1`) and the context its handlers share. */
import type { L2Order } from '../../../core/events.ts';
import type { AdapterOutput } from '../VenueAdapter.ts';
import {
  type Json,
  FieldCheck,
  isObject,
  malformedField,
  marketEvent,
  showValue,
} from '../kit/index.ts';

/** What the stateless Bybit handlers read from their adapter. */
export interface BybitContext {
  /** Last quote per `category|symbol` (tickers and `orderbook.1` push changed sides only). */
  readonly quotes: Map<string, Quote>;
  /** The category of a venue symbol's frame (from its connection, else its subscriptions). */
  categoryOf(venue: string, url: string | undefined, data: Json | undefined): BybitCategory;
  /** Venue symbol of a category → seed symbol. */
  symbolOf(category: BybitCategory, venue: string): string;
}

export type BybitCategory = 'spot' | 'linear' | 'inverse';

export interface Quote {
  bid: number;
  ask: number;
}

export function quoteOf(c: BybitContext, category: BybitCategory, symbol: string): Quote {
  const key = `${category}|${symbol}`;
  let q = c.quotes.get(key);
  if (!q) c.quotes.set(key, (q = { bid: NaN, ask: NaN }));
  return q;
}

export function emitTicker(
  c: BybitContext,
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
export function onLevel1(
  c: BybitContext,
  category: BybitCategory,
  symbol: string,
  orders: L2Order[],
  snapshot: boolean,
  ts: number,
  receiptTs: number,
  out: AdapterOutput[],
): void {
  const q = quoteOf(c, category, symbol);
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
  emitTicker(c, category, symbol, q, ts, receiptTs, out);
}

export function onTickers(
  c: BybitContext,
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
  const category = c.categoryOf(venue as string, url, d);
  const symbol = c.symbolOf(category, venue as string);
  const q = quoteOf(c, category, symbol);
  if (hasBid) q.bid = bid;
  if (hasAsk) q.ask = ask;
  emitTicker(c, category, symbol, q, ts, receiptTs, out);
}
