import { defineFeature } from 'featurizer';

/** (best bid + best ask) / 2 from an order-book snapshot: the built-in mid price, written by hand. */
export default defineFeature({
  name: 'my.mid_price',
  title: 'My mid price',
  description: '(best bid + best ask) / 2, written as a user definition',
  params: {},
  inputs: [{ name: 'book', accepts: ['l2_snapshot'], default: 'l2_book.l2_snapshot_fd' }],
  output: { kind: 'scalar', schema: { mid_price: 'number' } },
  init: () => ({}),
  onEvent(_state, input) {
    const bids = input.bids as [number, number][];
    const asks = input.asks as [number, number][];
    if (bids.length === 0 || asks.length === 0) return undefined;
    return { mid_price: (bids[0]![0] + asks[0]![0]) / 2 };
  },
});
