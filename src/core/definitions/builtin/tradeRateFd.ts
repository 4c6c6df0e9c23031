import type { Event } from '../../events.ts';
import { slidingAggregate } from '../../stream/slidingAggregate.ts';
import { defineFeature } from '../define.ts';
import { TRADES_INPUT, TRADES_WINDOW } from './common.ts';
import { onlyUpstream } from './upstream.ts';

/** Nothing to aggregate: the window's item count is all this feature needs. */
const NONE = { width: 0, identity: [], combine() {} };

/**
 * Trade arrival rate: `count` = trades in `[t − window, t]` (the current one included) and
 * `rate = count / window` in trades per second, emitted on every trade.
 */
export const tradeRateFd = defineFeature({
  name: 'flow.trade_rate_fd',
  title: 'Trade rate',
  group: 'flow',
  description: 'Trade count and trades per second over a time window',
  depSchemas: TRADES_INPUT,
  params: TRADES_WINDOW,
  outputKind: () => 'record',
  outputSchema: () => ({ count: 'number', rate: 'number' }),
  stream(upstreams, params) {
    const [, up] = onlyUpstream(upstreams);
    const windowSec = params.window as number;
    return slidingAggregate<Event, Event>(up, windowSec, {
      monoid: NONE,
      lift() {},
      result: (_agg, count, t) => ({
        timestamp: t.timestamp,
        receipt_timestamp: t.receipt_timestamp,
        count,
        rate: count / windowSec,
      }),
    });
  },
});
