/** Binance streams without book state: trades, book tickers, partial depth. */
import type { L2Order } from '../../../core/events.ts';
import type { AdapterOutput } from '../VenueAdapter.ts';
import {
  type Json,
  FieldCheck,
  malformed,
  malformedField,
  marketEvent,
  pushLevels,
  showValue,
} from '../kit/index.ts';
import type { BinanceContext } from './depth.ts';

export function onTrade(
  c: BinanceContext,
  d: Json,
  idField: 'a' | 't',
  text: string,
  receiptTs: number,
  out: AdapterOutput[],
): void {
  const venue = d['s'];
  const f = new FieldCheck();
  const price = f.price(d['p'], 'p');
  const amount = f.size(d['q'], 'q');
  const time = f.timeMs(d['T'], 'T');
  const m = d['m'];
  const id = d[idField];
  if (typeof venue !== 'string' || venue === '')
    f.fail('s', `expected a symbol, got ${showValue(venue)}`);
  if (typeof m !== 'boolean') f.fail('m', `expected true or false, got ${showValue(m)}`);
  if (typeof id !== 'number' && typeof id !== 'string')
    f.fail(idField, `expected a trade id, got ${showValue(id)}`);
  if (f.problem !== undefined) {
    out.push(malformedField(String(d['e']), f.problem, text, receiptTs));
    return;
  }
  out.push(
    marketEvent(c.exchange, c.instrumentType, c.symbolOf(venue as string), 'trades', {
      timestamp: time,
      receipt_timestamp: receiptTs,
      side: m ? 'sell' : 'buy',
      amount,
      price,
      id: String(id),
    }),
  );
}

export function onBookTicker(
  c: BinanceContext,
  d: Json,
  text: string,
  receiptTs: number,
  out: AdapterOutput[],
): void {
  const venue = d['s'];
  const f = new FieldCheck();
  const bid = f.price(d['b'], 'b');
  const ask = f.price(d['a'], 'a');
  // Futures carry the event time; spot has none and uses the receipt time.
  const time = d['E'] === undefined ? receiptTs : f.timeMs(d['E'], 'E');
  if (typeof venue !== 'string' || venue === '')
    f.fail('s', `expected a symbol, got ${showValue(venue)}`);
  if (f.problem !== undefined) {
    out.push(malformedField('bookTicker', f.problem, text, receiptTs));
    return;
  }
  out.push(
    marketEvent(c.exchange, c.instrumentType, c.symbolOf(venue as string), 'ticker', {
      timestamp: time,
      receipt_timestamp: receiptTs,
      bid,
      ask,
    }),
  );
}

/** Spot `<s>@depthN` partial book: a full top-N snapshot each push, named only by its stream. */
export function onPartialDepth(
  c: BinanceContext,
  stream: string,
  d: Json,
  text: string,
  receiptTs: number,
  out: AdapterOutput[],
): void {
  const orders: L2Order[] = [];
  const bad =
    pushLevels(orders, 'bid', d['bids'], 'bids') ?? pushLevels(orders, 'ask', d['asks'], 'asks');
  if (bad !== undefined) {
    out.push(malformedField('partial depth', bad, text, receiptTs));
    return;
  }
  const venue = stream.slice(0, stream.indexOf('@')).toUpperCase();
  if (venue === '') {
    out.push(malformed(`partial depth on stream '${stream}' without a symbol`, text, receiptTs));
    return;
  }
  out.push(
    marketEvent(c.exchange, c.instrumentType, c.symbolOf(venue), 'l2_book', {
      timestamp: receiptTs,
      receipt_timestamp: receiptTs,
      delta: false,
      orders,
    }),
  );
}
