import type { Event } from '../../events.ts';
import type { Monoid } from '../../stream/slidingAggregate.ts';
import { slidingAggregate } from '../../stream/slidingAggregate.ts';
import { defineFeature } from '../define.ts';
import { LOOKBACK_WINDOW, SCALAR_INPUT } from './common.ts';
import { onlyUpstream, scalarValueField } from './upstream.ts';

/** `[n, first]`: the count and the oldest value (the older side's, unless it is empty). */
const FIRST: Monoid = {
  width: 2,
  identity: [0, 0],
  combine(a, ai, b, bi, out, o) {
    const na = a[ai]!;
    const first = na > 0 ? a[ai + 1]! : b[bi + 1]!;
    out[o] = na + b[bi]!;
    out[o + 1] = first;
  },
};

/**
 * The seed's Diff transform: relative change `(last − first)/first` of a scalar input, where
 * first/last are the oldest and newest events in `[t − window, t]`; emitted on every input. A zero
 * `first` gives no output (the seed divided by zero), and so does a change beyond the double range.
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
    return slidingAggregate<Event, Event>(up, params.window as number, {
      monoid: FIRST,
      lift(e, out, o) {
        out[o] = 1;
        out[o + 1] = e[field] as number;
      },
      result(agg, _count, e) {
        const first = agg[1]!;
        if (first === 0) return undefined;
        const d = ((e[field] as number) - first) / first;
        if (!Number.isFinite(d)) return undefined;
        return { timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp, diff: d };
      },
    });
  },
});
