import { defineFeature } from '../define.ts';
import { BOOK_INPUT, fromTopOfBook } from './common.ts';

/**
 * The seed's RelativeBidAskSpreadFD: `2·(ask0 − bid0)/(ask0 + bid0)`, the spread relative to the
 * mid price, one output per book snapshot; none while a side is empty. Signed (a crossed book gives
 * a negative spread), where the seed took the absolute value.
 */
export const relativeBidAskSpreadFd = defineFeature({
  name: 'spread.relative_bid_ask_spread_fd',
  title: 'Relative spread',
  group: 'order book',
  description: '(ask − bid) / mid from the top of the book',
  depSchemas: BOOK_INPUT,
  params: {},
  outputKind: () => 'scalar',
  outputSchema: () => ({ spread: 'number' }),
  stream: (upstreams) =>
    fromTopOfBook(upstreams, 'spread', (bid, ask) => (2 * (ask[0] - bid[0])) / (ask[0] + bid[0])),
});
