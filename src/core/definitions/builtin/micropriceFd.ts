import type { Level } from '../../events.ts';
import { defineFeature, slot } from '../define.ts';
import { mapDefined, onlyUpstream } from './upstream.ts';

/**
 * Size-weighted mid from the top level: `(bid·askSize + ask·bidSize)/(bidSize + askSize)`. It leans
 * towards the side with less size (the one more likely to be taken out next). One output per book
 * snapshot; none while a side is empty.
 */
export const micropriceFd = defineFeature({
  name: 'price.microprice_fd',
  title: 'Microprice',
  group: 'price',
  description: 'Top-of-book mid weighted by the opposite side sizes',
  depSchemas: { l2_book: slot('book', ['l2_snapshot'], 'l2_book.l2_snapshot_fd') },
  params: {},
  outputKind: () => 'scalar',
  outputSchema: () => ({ microprice: 'number' }),
  stream(upstreams) {
    const [, up] = onlyUpstream(upstreams);
    return mapDefined(up, (e) => {
      const bid = (e.bids as Level[])[0];
      const ask = (e.asks as Level[])[0];
      if (bid === undefined || ask === undefined) return undefined;
      return {
        timestamp: e.timestamp,
        receipt_timestamp: e.receipt_timestamp,
        microprice: (bid[0] * ask[1] + ask[0] * bid[1]) / (bid[1] + ask[1]),
      };
    });
  },
});
