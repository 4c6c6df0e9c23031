import type { Event } from '../../events.ts';
import { slidingValueWindow } from '../../stream/valueWindow.ts';
import { defineFeature } from '../define.ts';
import { LOOKBACK_WINDOW, SCALAR_INPUT } from './common.ts';
import { onlyUpstream, scalarValueField } from './upstream.ts';

interface DiffAcc {
  /** Value of the oldest event in the window (null before the first event). */
  first: number | null;
}

/**
 * The seed's Diff transform: relative change `(last − first)/first` of a scalar input, where
 * first/last are the oldest and newest events in `[t − window, t]`; emitted on every input. A zero
 * `first` gives no output (the seed divided by zero).
 */
export const diff = defineFeature({
  name: 'transforms.diff',
  title: 'Relative change',
  group: 'transforms',
  description: '(last − first) / first of a value over a time window',
  depSchemas: SCALAR_INPUT,
  params: LOOKBACK_WINDOW,
  outputKind: () => 'scalar',
  outputSchema: () => ({ diff: 'number' }),
  stream(upstreams, params) {
    const [feature, up] = onlyUpstream(upstreams);
    const field = scalarValueField(feature);
    const valueOf = (e: Event): number => e[field] as number;
    return slidingValueWindow<Event, DiffAcc, Event>(up, params.window as number, valueOf, {
      init: () => ({ first: null }),
      add(acc, x) {
        if (acc.first === null) acc.first = x;
        return acc;
      },
      remove: (acc) => acc,
      evicted(acc, values, from) {
        acc.first = values[from]!;
        return acc;
      },
      result(acc, e, x) {
        const first = acc.first!;
        if (first === 0) return undefined;
        return {
          timestamp: e.timestamp,
          receipt_timestamp: e.receipt_timestamp,
          diff: (x - first) / first,
        };
      },
    });
  },
});
