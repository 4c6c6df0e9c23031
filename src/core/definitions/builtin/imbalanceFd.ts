import type { Level } from '../../events.ts';
import { defineFeature } from '../define.ts';
import { BOOK_INPUT, TOP_LEVELS } from './common.ts';
import { mapDefined, onlyUpstream } from './upstream.ts';

/** Σ size over the best `levels` levels of a side (all of them if the side is shorter). */
export function sideSize(side: readonly Level[], levels: number): number {
  const n = Math.min(levels, side.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += side[i]![1];
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
    return mapDefined(up, (e) => {
      const b = sideSize(e.bids as Level[], levels);
      const a = sideSize(e.asks as Level[], levels);
      if (b + a === 0) return undefined;
      return {
        timestamp: e.timestamp,
        receipt_timestamp: e.receipt_timestamp,
        imbalance: (b - a) / (b + a),
      };
    });
  },
});
