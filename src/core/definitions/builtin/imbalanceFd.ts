import type { Event, Level } from '../../events.ts';
import { growPartials, partialsTotal } from '../../stream/exactFloat.ts';
import { defineFeature } from '../define.ts';
import { isLent, shownLevels } from './bookView.ts';
import { BOOK_INPUT, TOP_LEVELS } from './common.ts';
import { mapDefined, onlyUpstream } from './upstream.ts';

/**
 * Adds ± the sizes of the best `levels` levels of a side of snapshot `e` (all it shows if fewer)
 * to the partials `p[0..n)` (exactFloat.ts) and returns their new count. Either form of the side
 * (bookView.ts) gives the same partials.
 */
function addSizes(
  p: number[],
  n: number,
  e: Event,
  side: readonly Level[],
  levels: number,
  lent: boolean,
  sign: 1 | -1,
): number {
  const count = Math.min(levels, shownLevels(e, side, lent));
  if (lent)
    for (let i = 0, j = side.length - 1; i < count; i++, j--)
      n = growPartials(p, n, sign * side[j]![1]);
  else for (let i = 0; i < count; i++) n = growPartials(p, n, sign * side[i]![1]);
  return n;
}

/**
 * Order-book imbalance over the top `levels` levels: `(Σbid size − Σask size)/(Σbid + Σask)`, in
 * [−1, 1], one output per book snapshot; none when both sides are empty (a one-sided book gives
 * ±1). Only the levels the upstream snapshot carries count: its `depth` caps `levels`.
 */
export const imbalanceFd = defineFeature({
  name: 'book.imbalance_fd',
  title: 'Book imbalance',
  group: 'order book',
  description: '(bid size − ask size) / (bid size + ask size) over the top N levels',
  depSchemas: BOOK_INPUT,
  params: TOP_LEVELS,
  outputKind: () => 'scalar',
  outputSchema: () => ({ imbalance: 'number' }),
  stream(upstreams, params) {
    const [, up] = onlyUpstream(upstreams);
    const levels = params.levels as number;
    const num: number[] = [];
    const den: number[] = [];
    // Borrows: sums sizes during the call only (l2_snapshot_fd may lend its book).
    return mapDefined(
      up,
      (e) => {
        const lent = isLent(e);
        const bids = e.bids as Level[];
        const asks = e.asks as Level[];
        // Both sums exact (Shewchuk partials): equal sides give exactly 0, and the difference of
        // nearly equal sums keeps its digits, which a plain running sum would lose.
        let nd = addSizes(den, 0, e, bids, levels, lent, 1);
        nd = addSizes(den, nd, e, asks, levels, lent, 1);
        const total = partialsTotal(den, nd);
        if (total === 0) return undefined;
        let nn = addSizes(num, 0, e, bids, levels, lent, 1);
        nn = addSizes(num, nn, e, asks, levels, lent, -1);
        return {
          timestamp: e.timestamp,
          receipt_timestamp: e.receipt_timestamp,
          imbalance: partialsTotal(num, nn) / total,
        };
      },
      { borrows: true },
    );
  },
});
