import type { Event, TradeEvent } from '../../events.ts';
import type { Stream } from '../../stream/Stream.ts';
import { sumsWindow } from './sumsWindow.ts';
import { defineFeature } from '../define.ts';
import { TRADES_INPUT, TRADES_WINDOW } from './common.ts';
import { compensatedSums, differenceAt, liftProduct, sumAt } from './compensatedSums.ts';
import { onlyUpstream } from './upstream.ts';

/** `[buy notional, sell notional]` as compensated sums. */
const SUMS = compensatedSums(2);

/**
 * The seed's TradeVolumeImbFD: `2·(buy − sell)/(buy + sell)` of taker notional (`price·amount`)
 * over the trades in `[t − window, t]`, emitted on every trade. Sides are the normalized lowercase
 * `buy`/`sell`; any other side counts on neither side (the seed counted everything but `BUY` as a
 * sell). No output while the window's total notional is 0. State is per instance (the seed kept
 * it in class attributes shared by every TVI). Sums are compensated, with exact products, over a
 * two-stacks window that never subtracts, so a side with no (non-zero) trade left sums to exactly 0.
 */
export const tradeVolumeImbFd = defineFeature({
  name: 'tvi.trade_volume_imb_fd',
  title: 'Trade volume imbalance',
  group: 'flow',
  description: '2·(buy − sell)/(buy + sell) taker notional over a time window',
  depSchemas: TRADES_INPUT,
  params: TRADES_WINDOW,
  outputKind: () => 'scalar',
  outputSchema: () => ({ tvi: 'number' }),
  stream(upstreams, params) {
    const [, up] = onlyUpstream(upstreams);
    return sumsWindow<TradeEvent, Event>(up as Stream<TradeEvent>, params.window as number, {
      monoid: SUMS,
      lift(t, out, o) {
        const side = t.side === 'buy' ? 0 : t.side === 'sell' ? 2 : -1;
        // In index order: the arrays grow by appending, and stay packed.
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
        out[o + 3] = 0;
        if (side >= 0) liftProduct(t.price, t.amount, out, o + side);
      },
      result(agg, _count, t) {
        const total = sumAt(agg, 0) + sumAt(agg, 2);
        if (total === 0) return undefined;
        return {
          timestamp: t.timestamp,
          receipt_timestamp: t.receipt_timestamp,
          tvi: (2 * differenceAt(agg, 0, 2)) / total,
        };
      },
    });
  },
});
