import { defineFeature, exactSum } from 'featurizer';

type Level = [price: number, size: number];

/**
 * Multi-level order-flow imbalance (Cont, Kukanov & Stoikov): for each of the top N levels,
 * between two consecutive book snapshots,
 *
 *   e = [bid size now if bid price ≥ before] − [bid size before if bid price ≤ before]
 *     − [ask size now if ask price ≤ before] + [ask size before if ask price ≥ before],
 *
 * and the output is the sum over the levels present in both snapshots: positive when buy
 * pressure grew. One output per snapshot after the first. The terms cancel (a bid that grows
 * while an ask grows by as much), so they are summed exactly rounded (`exactSum`): equal and
 * opposite changes give exactly 0.
 */
export default defineFeature({
  name: 'examples.order_flow_imbalance',
  title: 'Order-flow imbalance (top N)',
  description: 'Σ over the top N levels of the order-flow change between two book snapshots',
  params: {
    levels: {
      type: 'number',
      integer: true,
      min: 1,
      max: 50,
      default: 5,
      unit: 'levels',
      description: 'Levels per side',
    },
  },
  inputs: [{ name: 'book', accepts: ['l2_snapshot'], default: 'l2_book.l2_snapshot_fd' }],
  output: { kind: 'scalar', schema: { ofi: 'number' } },
  init: () => ({ bids: null as Level[] | null, asks: null as Level[] | null }),
  onEvent(state, input, _slot, params) {
    const n = params.levels as number;
    const bids = (input.bids as Level[]).slice(0, n).map(([p, s]) => [p, s] as Level);
    const asks = (input.asks as Level[]).slice(0, n).map(([p, s]) => [p, s] as Level);
    const prevBids = state.bids;
    const prevAsks = state.asks;
    state.bids = bids;
    state.asks = asks;
    if (prevBids === null || prevAsks === null) return undefined;
    const terms: number[] = [];
    for (let i = 0; i < n; i++) {
      const b = bids[i];
      const pb = prevBids[i];
      if (b !== undefined && pb !== undefined) {
        if (b[0] >= pb[0]) terms.push(b[1]);
        if (b[0] <= pb[0]) terms.push(-pb[1]);
      }
      const a = asks[i];
      const pa = prevAsks[i];
      if (a !== undefined && pa !== undefined) {
        if (a[0] <= pa[0]) terms.push(-a[1]);
        if (a[0] >= pa[0]) terms.push(pa[1]);
      }
    }
    return { ofi: exactSum(terms) };
  },
});
