import { defineSource, instrumentParams } from '../define.ts';

/** `trades` (Cryptofeed schema): one event per trade; `side` is the taker side. */
export const trades = defineSource({
  name: 'trades',
  title: 'Trades',
  group: 'sources',
  description: 'Exchange trades: taker side, amount, price, id',
  channel: 'trades',
  params: instrumentParams,
  outputKind: () => 'trades',
  outputSchema: () => ({ side: 'string', amount: 'number', price: 'number', id: 'string' }),
});

/** `ticker`: best bid and ask. */
export const ticker = defineSource({
  name: 'ticker',
  title: 'Ticker',
  group: 'sources',
  description: 'Best bid and ask (top of book)',
  channel: 'ticker',
  params: instrumentParams,
  outputKind: () => 'ticker',
  outputSchema: () => ({ bid: 'number', ask: 'number' }),
});

/** `l2_book` (incremental): `delta: false` is a full snapshot; size 0 deletes a level. */
export const l2Book = defineSource({
  name: 'l2_book',
  title: 'L2 book updates',
  group: 'sources',
  description: 'Incremental order book: snapshots and level updates',
  channel: 'l2_book',
  params: instrumentParams,
  outputKind: () => 'l2_book',
  outputSchema: () => ({ delta: 'boolean', orders: 'orders' }),
});
