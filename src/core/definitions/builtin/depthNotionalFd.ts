import type { Event, Level } from '../../events.ts';
import { defineFeature } from '../define.ts';
import { isLent, shownLevels } from './bookView.ts';
import { BOOK_INPUT, TOP_LEVELS } from './common.ts';
import { onlyUpstream } from './upstream.ts';

/** Σ price·size over the best `levels` levels shown, best first in either form (bookView.ts). */
function sideNotional(e: Event, side: readonly Level[], levels: number, lent: boolean): number {
  const n = Math.min(levels, shownLevels(e, side, lent));
  let sum = 0;
  if (lent) for (let i = 0, j = side.length - 1; i < n; i++, j--) sum += side[j]![0] * side[j]![1];
  else for (let i = 0; i < n; i++) sum += side[i]![0] * side[i]![1];
  return sum;
}

/**
 * Resting notional `Σ price·size` over the top `levels` levels of each side, one output per book
 * snapshot (an empty side gives 0).
 */
export const depthNotionalFd = defineFeature({
  name: 'book.depth_notional_fd',
  title: 'Book depth (notional)',
  group: 'order book',
  description: 'Σ price·size of the top N bid and ask levels',
  depSchemas: BOOK_INPUT,
  params: TOP_LEVELS,
  outputKind: () => 'record',
  outputSchema: () => ({ bid_notional: 'number', ask_notional: 'number' }),
  stream(upstreams, params) {
    const [, up] = onlyUpstream(upstreams);
    const levels = params.levels as number;
    // Borrows: sums the levels during the call only (l2_snapshot_fd may lend its book).
    return up.map(
      (e) => {
        const lent = isLent(e);
        return {
          timestamp: e.timestamp,
          receipt_timestamp: e.receipt_timestamp,
          bid_notional: sideNotional(e, e.bids as Level[], levels, lent),
          ask_notional: sideNotional(e, e.asks as Level[], levels, lent),
        };
      },
      { borrows: true },
    );
  },
});
