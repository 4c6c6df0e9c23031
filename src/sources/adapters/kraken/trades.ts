/** Kraken v2 `trade` and `ticker` items: stateless, one event (or one `malformed`) per item. */
import type { MarketEvent, TradeSide } from '../../../core/events.ts';
import type { AdapterOutput } from '../VenueAdapter.ts';
import {
  FieldCheck,
  isObject,
  malformed,
  malformedField,
  parseRfc3339,
  showValue,
} from '../kit/index.ts';
import { seedSymbolFromKraken } from './symbols.ts';

export function krakenEvent(
  symbol: string,
  channel: MarketEvent['channel'],
  event: MarketEvent['event'],
): AdapterOutput {
  return {
    type: 'event',
    event: { exchange: 'KRAKEN', instrument_type: 'spot', symbol, channel, event },
  };
}

/** Epoch seconds of an RFC 3339 field; NaN when it is not a string or not a time. */
export function krakenTime(v: unknown): number {
  return typeof v === 'string' ? parseRfc3339(v) : NaN;
}

export function onKrakenTrade(d: unknown, receiptTs: number, out: AdapterOutput[]): void {
  if (
    !isObject(d) ||
    typeof d.symbol !== 'string' ||
    d.symbol === '' ||
    (d.side !== 'buy' && d.side !== 'sell')
  ) {
    out.push(malformed('kraken trade: bad item', undefined, receiptTs));
    return;
  }
  const f = new FieldCheck();
  const price = f.price(d.price, 'price');
  const amount = f.size(d.qty, 'qty');
  const t = f.timeSec(krakenTime(d.timestamp), d.timestamp, 'timestamp');
  if (typeof d.trade_id !== 'number' && typeof d.trade_id !== 'string')
    f.fail('trade_id', `expected a trade id, got ${showValue(d.trade_id)}`);
  if (f.problem !== undefined) {
    out.push(malformedField(`kraken trade ${d.symbol}`, f.problem, undefined, receiptTs));
    return;
  }
  const side: TradeSide = d.side;
  const id = String(d.trade_id);
  const event = { timestamp: t, receipt_timestamp: receiptTs, side, amount, price, id };
  out.push(krakenEvent(seedSymbolFromKraken(d.symbol), 'trades', event));
}

/**
 * A quote needs two valid prices and, when it says when, a real time: zero prices or an epoch-0
 * timestamp (sent for an empty or not-yet-traded book) are not a quote.
 */
export function onKrakenTicker(d: unknown, receiptTs: number, out: AdapterOutput[]): void {
  if (!isObject(d) || typeof d.symbol !== 'string' || d.symbol === '') {
    out.push(malformed('kraken ticker: item without symbol', undefined, receiptTs));
    return;
  }
  const f = new FieldCheck();
  const bid = f.price(d.bid, 'bid');
  const ask = f.price(d.ask, 'ask');
  const t =
    d.timestamp === undefined
      ? receiptTs
      : f.timeSec(krakenTime(d.timestamp), d.timestamp, 'timestamp');
  if (f.problem !== undefined) {
    out.push(malformedField(`kraken ticker ${d.symbol}`, f.problem, undefined, receiptTs));
    return;
  }
  const event = { timestamp: t, receipt_timestamp: receiptTs, bid, ask };
  out.push(krakenEvent(seedSymbolFromKraken(d.symbol), 'ticker', event));
}
