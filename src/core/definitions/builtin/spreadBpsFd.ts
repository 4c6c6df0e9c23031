import type { Level } from '../../events.ts';
import { defineFeature, slot } from '../define.ts';
import { mapDefined, onlyUpstream } from './upstream.ts';

/**
 * Bid-ask spread in basis points of the mid: `10⁴·(ask0 − bid0)/((ask0 + bid0)/2)`, one output per
 * book snapshot; none while a side is empty.
 */
export const spreadBpsFd = defineFeature({
  name: 'spread.spread_bps_fd',
  title: 'Spread (bps)',
  group: 'order book',
  description: 'Bid-ask spread in basis points of the mid price',
  depSchemas: { l2_book: slot('book', ['l2_snapshot'], 'l2_book.l2_snapshot_fd') },
  params: {},
  outputKind: () => 'scalar',
  outputSchema: () => ({ spread_bps: 'number' }),
  stream(upstreams) {
    const [, up] = onlyUpstream(upstreams);
    return mapDefined(up, (e) => {
      const bid = (e.bids as Level[])[0];
      const ask = (e.asks as Level[])[0];
      if (bid === undefined || ask === undefined) return undefined;
      return {
        timestamp: e.timestamp,
        receipt_timestamp: e.receipt_timestamp,
        spread_bps: (20000 * (ask[0] - bid[0])) / (ask[0] + bid[0]),
      };
    });
  },
});
