import type { Event, TradeEvent } from '../../events.ts';
import type { Stream } from '../../stream/Stream.ts';
import { sumsWindow } from './sumsWindow.ts';
import { defineFeature } from '../define.ts';
import { TRADES_INPUT, TRADES_WINDOW } from './common.ts';
import { compensatedSums, liftProduct, sumAt } from './compensatedSums.ts';
import { onlyUpstream } from './upstream.ts';

/** `[Σ price·amount, Σ amount]` as compensated sums. */
const SUMS = compensatedSums(2);

/**
 * Volume-weighted average price `Σ price·amount / Σ amount` of the trades in `[t − window, t]`,
 * emitted on every trade; no output while Σ amount is 0 (only zero-amount trades in the window).
 * The sums are compensated, with exact products, over a two-stacks window that never subtracts:
 * Σ amount is exactly 0 only when every amount in the window is, and VWAP is within a few ulps of
 * the exact ratio.
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
    return sumsWindow<TradeEvent, Event>(up as Stream<TradeEvent>, params.window as number, {
      monoid: SUMS,
      lift(t, out, o) {
        liftProduct(t.price, t.amount, out, o);
        out[o + 2] = t.amount;
        out[o + 3] = 0;
      },
      result(agg, _count, t) {
        const v = sumAt(agg, 2);
        if (v === 0) return undefined;
        return {
          timestamp: t.timestamp,
          receipt_timestamp: t.receipt_timestamp,
          vwap: sumAt(agg, 0) / v,
        };
      },
    });
  },
});
