import type { Event, Level } from '../../events.ts';
import { defineFeature } from '../define.ts';
import { isLent, shownLevels } from './bookView.ts';
import { BOOK_INPUT, TOP_LEVELS } from './common.ts';
import { mapDefined, onlyUpstream } from './upstream.ts';

/**
 * Σ size over the best `levels` levels of a side of snapshot `e` (all it shows if fewer), best
 * first in either form (bookView.ts), so both give the same bits.
 */
export function sideSize(e: Event, side: readonly Level[], levels: number, lent: boolean): number {
  const n = Math.min(levels, shownLevels(e, side, lent));
  let sum = 0;
  if (lent) for (let i = 0, j = side.length - 1; i < n; i++, j--) sum += side[j]![1];
  else for (let i = 0; i < n; i++) sum += side[i]![1];
  return sum;
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
    // Borrows: sums sizes during the call only (l2_snapshot_fd may lend its book).
    return mapDefined(
      up,
      (e) => {
        const lent = isLent(e);
        const b = sideSize(e, e.bids as Level[], levels, lent);
        const a = sideSize(e, e.asks as Level[], levels, lent);
        if (b + a === 0) return undefined;
        return {
          timestamp: e.timestamp,
          receipt_timestamp: e.receipt_timestamp,
          imbalance: (b - a) / (b + a),
        };
      },
      { borrows: true },
    );
  },
});
