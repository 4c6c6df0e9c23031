import type { Level } from '../../events.ts';
import { defineFeature } from '../define.ts';
import { BOOK_INPUT, TOP_LEVELS } from './common.ts';
import { onlyUpstream } from './upstream.ts';

function sideNotional(side: readonly Level[], levels: number): number {
  const n = Math.min(levels, side.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += side[i]![0] * side[i]![1];
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
    return up.map((e) => ({
      timestamp: e.timestamp,
      receipt_timestamp: e.receipt_timestamp,
      bid_notional: sideNotional(e.bids as Level[], levels),
      ask_notional: sideNotional(e.asks as Level[], levels),
    }));
  },
});
