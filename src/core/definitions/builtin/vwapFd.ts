import type { Event, TradeEvent } from '../../events.ts';
import type { Stream } from '../../stream/Stream.ts';
import { slidingWindow } from '../../stream/windows.ts';
import { defineFeature } from '../define.ts';
import { TRADES_INPUT, TRADES_WINDOW } from './common.ts';
import { onlyUpstream } from './upstream.ts';

interface VwapAcc {
  /** Σ price·amount and Σ amount over the window. */
  pv: number;
  v: number;
}

/**
 * Volume-weighted average price `Σ price·amount / Σ amount` of the trades in `[t − window, t]`,
 * emitted on every trade (no output while Σ amount is 0). When eviction leaves only the newest
 * trade, the sums are reset to that trade's exact values, so rounding residue cannot accumulate
 * across quiet periods.
 */
export const vwapFd = defineFeature({
  name: 'price.vwap_fd',
  title: 'VWAP',
  group: 'price',
  description: 'Volume-weighted average trade price over a time window',
  depSchemas: TRADES_INPUT,
  params: TRADES_WINDOW,
  outputKind: () => 'scalar',
  outputSchema: () => ({ vwap: 'number' }),
  stream(upstreams, params) {
    const [, up] = onlyUpstream(upstreams);
    return slidingWindow<TradeEvent, VwapAcc, Event>(
      up as Stream<TradeEvent>,
      params.window as number,
      {
        init: () => ({ pv: 0, v: 0 }),
        add(acc, t) {
          acc.pv += t.price * t.amount;
          acc.v += t.amount;
          return acc;
        },
        remove(acc, t) {
          acc.pv -= t.price * t.amount;
          acc.v -= t.amount;
          return acc;
        },
        evicted(acc, window, from) {
          if (window.length - from === 1) {
            const t = window[from]!;
            acc.pv = t.price * t.amount;
            acc.v = t.amount;
          }
          return acc;
        },
        result(acc, t) {
          if (acc.v === 0) return undefined;
          return {
            timestamp: t.timestamp,
            receipt_timestamp: t.receipt_timestamp,
            vwap: acc.pv / acc.v,
          };
        },
      },
    );
  },
});
