import type { Level } from '../../events.ts';
import { defineFeature, slot } from '../define.ts';
import { mapDefined, onlyUpstream } from './upstream.ts';

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
  depSchemas: { l2_book: slot('book', ['l2_snapshot'], 'l2_book.l2_snapshot_fd') },
  params: {},
  outputKind: () => 'scalar',
  outputSchema: () => ({ spread: 'number' }),
  stream(upstreams) {
    const [, up] = onlyUpstream(upstreams);
    return mapDefined(up, (e) => {
      const bid = (e.bids as Level[])[0];
      const ask = (e.asks as Level[])[0];
      if (bid === undefined || ask === undefined) return undefined;
      return {
        timestamp: e.timestamp,
        receipt_timestamp: e.receipt_timestamp,
        spread: (2 * (ask[0] - bid[0])) / (ask[0] + bid[0]),
      };
    });
  },
});
