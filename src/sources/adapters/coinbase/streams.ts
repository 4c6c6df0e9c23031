/** Coinbase `market_trades` and `ticker` messages: no book state, one event per item. */
import { isValidTimestamp, type TradeSide } from '../../../core/events.ts';
import type { AdapterOutput } from '../VenueAdapter.ts';
import {
  type Json,
  FieldCheck,
  frameObject,
  isObject,
  malformed,
  malformedField,
  marketEvent,
  nonEmpty,
  OneSymbol,
  parseRfc3339,
  scanOneValue,
  showValue,
} from '../kit/index.ts';

/** What the stream handlers read from their adapter. */
export interface CoinbaseContext {
  /** Product id in frames → seed symbol. */
  symbolOf(product: string): string;
  /** The taker side of a `BUY` / `SELL` trade (`tradeSide` option). */
  readonly BUY: TradeSide;
  readonly SELL: TradeSide;
}

export function onTrades(
  c: CoinbaseContext,
  events: unknown[],
  text: string,
  receiptTs: number,
  out: AdapterOutput[],
): void {
  for (const ev of events) {
    const trades = isObject(ev) ? ev['trades'] : undefined;
    if (!Array.isArray(trades)) {
      out.push(malformed('market_trades event without trades', text, receiptTs));
      continue;
    }
    for (const t of trades) {
      if (!isObject(t)) {
        out.push(malformed('market_trades trade is not an object', text, receiptTs));
        continue;
      }
      const product = t['product_id'];
      const f = new FieldCheck();
      const price = f.price(t['price'], 'price');
      const amount = f.size(t['size'], 'size');
      const side = t['side'];
      const id = t['trade_id'];
      const rawTime = t['time'];
      const ts = f.timeSec(
        typeof rawTime === 'string' ? parseRfc3339(rawTime) : NaN,
        rawTime,
        'time',
      );
      if (typeof product !== 'string' || product === '')
        f.fail('product_id', `expected a product, got ${showValue(product)}`);
      if (side !== 'BUY' && side !== 'SELL')
        f.fail('side', `expected c.BUY | c.SELL, got ${showValue(side)}`);
      if (typeof id !== 'string' && typeof id !== 'number')
        f.fail('trade_id', `expected a trade id, got ${showValue(id)}`);
      if (f.problem !== undefined) {
        out.push(malformedField('market_trades', f.problem, text, receiptTs));
        continue;
      }
      out.push(
        marketEvent('COINBASE', 'spot', c.symbolOf(product as string), 'trades', {
          timestamp: ts,
          receipt_timestamp: receiptTs,
          side: side === 'BUY' ? c.BUY : c.SELL,
          amount,
          price,
          id: String(id),
        }),
      );
    }
  }
}

export function onTicker(
  c: CoinbaseContext,
  msg: Json,
  events: unknown[],
  text: string,
  receiptTs: number,
  out: AdapterOutput[],
): void {
  const envTs = envelopeTime(msg);
  for (const ev of events) {
    const tickers = isObject(ev) ? ev['tickers'] : undefined;
    if (!Array.isArray(tickers)) {
      out.push(malformed('ticker event without tickers', text, receiptTs));
      continue;
    }
    for (const t of tickers) {
      const f = new FieldCheck();
      const o = isObject(t) ? t : {};
      const product = o['product_id'];
      const bid = f.price(o['best_bid'], 'best_bid');
      const ask = f.price(o['best_ask'], 'best_ask');
      if (typeof product !== 'string' || product === '')
        f.fail('product_id', `expected a product, got ${showValue(product)}`);
      if (f.problem !== undefined) {
        out.push(malformedField('ticker', f.problem, text, receiptTs));
        continue;
      }
      out.push(
        marketEvent('COINBASE', 'spot', c.symbolOf(product as string), 'ticker', {
          timestamp: envTs === envTs ? envTs : receiptTs,
          receipt_timestamp: receiptTs,
          bid,
          ask,
        }),
      );
    }
  }
}

/** The envelope's `timestamp` in epoch seconds, or NaN when absent or not a valid time. */
export function envelopeTime(msg: Json): number {
  const t = parseRfc3339(typeof msg['timestamp'] === 'string' ? msg['timestamp'] : '');
  return t > 0 && isValidTimestamp(t) ? t : NaN;
}

/** An `l2_data`, `market_trades` or `ticker` frame with its channel first. */
const DATA_HEAD = /^\{"channel":"(?:l2_data|market_trades|ticker)",/;

/** Where each channel names its products: `l2_data` per event, the others per trade/ticker. */
const ITEMS_OF: Record<string, string | undefined> = {
  l2_data: undefined,
  market_trades: 'trades',
  ticker: 'tickers',
};

/**
 * The product a Coinbase frame is about (`VenueAdapter.frameSymbol`), through `symbolOf`:
 * undefined for heartbeats, subscription acks and frames naming several products.
 */
export function coinbaseFrameSymbol(
  text: string,
  symbolOf: (product: string) => string,
): string | undefined {
  // The common shape, as Coinbase writes it (channel first): only events name products.
  if (DATA_HEAD.test(text)) {
    const product = scanOneValue(text, 'product_id');
    if (product !== null) return product === undefined ? undefined : symbolOf(product);
  }
  const msg = frameObject(text);
  const channel = msg?.['channel'];
  const events = msg?.['events'];
  if (typeof channel !== 'string' || !(channel in ITEMS_OF) || !Array.isArray(events))
    return undefined;
  const itemsKey = ITEMS_OF[channel];
  const one = new OneSymbol();
  const add = (o: unknown): void => {
    const p = isObject(o) ? nonEmpty(o['product_id']) : undefined;
    one.add(p === undefined ? undefined : symbolOf(p));
  };
  for (const ev of events) {
    if (itemsKey === undefined) add(ev);
    else {
      const items = isObject(ev) ? ev[itemsKey] : undefined;
      if (Array.isArray(items)) for (const t of items) add(t);
    }
  }
  return one.symbol;
}
