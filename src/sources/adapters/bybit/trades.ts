/** Bybit `publicTrade` pushes: stateless, one event (or one `malformed`) per trade. */
import type { AdapterOutput } from '../VenueAdapter.ts';
import {
  type Json,
  FieldCheck,
  isObject,
  malformed,
  malformedField,
  marketEvent,
  showValue,
} from '../kit/index.ts';
import type { BybitContext } from './quotes.ts';

export function onTrades(
  c: BybitContext,
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
    const category = c.categoryOf(venue as string, url, undefined);
    out.push(
      marketEvent(
        'BYBIT',
        category === 'spot' ? 'spot' : 'perpetual',
        c.symbolOf(category, venue as string),
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
