import type { Json } from '../kit/index.ts';
import type { Subscription } from '../VenueAdapter.ts';
import { krakenSymbol } from './symbols.ts';

/**
 * The Kraken v2 subscribe frames for `subs`: `instrument` first when a book is wanted (the book
 * checksum's precisions come from it, so a recording carries them too), then `book`, `trade` and
 * `ticker` (BBO), each over its pairs. `frame` numbers each request (the adapter's `req_id`).
 */
export function krakenSubscribeFrames(
  subs: readonly Subscription[],
  depth: number,
  tradeSnapshot: boolean,
  frame: (method: string, params: Json) => string,
): string[] {
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
    frames.push(frame('subscribe', { channel: 'instrument', snapshot: true }));
    const symbol = [...byChannel.l2_book];
    frames.push(frame('subscribe', { channel: 'book', symbol, depth, snapshot: true }));
  }
  if (byChannel.trades.size > 0) {
    const symbol = [...byChannel.trades];
    frames.push(frame('subscribe', { channel: 'trade', symbol, snapshot: tradeSnapshot }));
  }
  if (byChannel.ticker.size > 0) {
    const symbol = [...byChannel.ticker];
    frames.push(frame('subscribe', { channel: 'ticker', symbol, event_trigger: 'bbo' }));
  }
  return frames;
}
