import { defineFeature } from '../define.ts';
import { BOOK_INPUT, fromTopOfBook } from './common.ts';

/**
 * Bid-ask spread in basis points of the mid: `10⁴·(ask0 − bid0)/((ask0 + bid0)/2)`, one output per
 * book snapshot; none while a side is empty.
 */
export const spreadBpsFd = defineFeature({
  name: 'spread.spread_bps_fd',
  title: 'Spread (bps)',
  group: 'order book',
  description: 'Bid-ask spread in basis points of the mid price',
  depSchemas: BOOK_INPUT,
  params: {},
  outputKind: () => 'scalar',
  outputSchema: () => ({ spread_bps: 'number' }),
  stream: (upstreams) =>
    fromTopOfBook(
      upstreams,
      'spread_bps',
      (bid, ask) => (20000 * (ask[0] - bid[0])) / (ask[0] + bid[0]),
    ),
});
