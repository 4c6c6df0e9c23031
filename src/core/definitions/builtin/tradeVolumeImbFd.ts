import type { Event, TradeEvent } from '../../events.ts';
import type { Stream } from '../../stream/Stream.ts';
import { slidingWindow } from '../../stream/windows.ts';
import { defineFeature } from '../define.ts';
import { TRADES_INPUT, TRADES_WINDOW } from './common.ts';
import { onlyUpstream } from './upstream.ts';

/** Per-instance window sums (the seed kept these as class attributes, shared by every TVI). */
interface TviAcc {
  buy: number;
  sell: number;
  nBuy: number;
  nSell: number;
}

/**
 * The seed's TradeVolumeImbFD: `2·(buy − sell)/(buy + sell)` of taker notional (`price·amount`)
 * over the trades in `[t − window, t]`, emitted on every trade. Sides are the normalized lowercase
 * `buy`/`sell`; any other side counts on neither side (the seed counted everything but `BUY` as a
 * sell). A side's sum is set to exactly 0 when its last trade leaves the window, so rounding never
 * leaves a phantom residue. No output while the window's total notional is 0.
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
    return slidingWindow<TradeEvent, TviAcc, Event>(
      up as Stream<TradeEvent>,
      params.window as number,
      {
        init: () => ({ buy: 0, sell: 0, nBuy: 0, nSell: 0 }),
        add(acc, t) {
          if (t.side === 'buy') {
            acc.buy += t.price * t.amount;
            acc.nBuy++;
          } else if (t.side === 'sell') {
            acc.sell += t.price * t.amount;
            acc.nSell++;
          }
          return acc;
        },
        remove(acc, t) {
          if (t.side === 'buy') {
            acc.buy = --acc.nBuy === 0 ? 0 : acc.buy - t.price * t.amount;
          } else if (t.side === 'sell') {
            acc.sell = --acc.nSell === 0 ? 0 : acc.sell - t.price * t.amount;
          }
          return acc;
        },
        result(acc, t) {
          const total = acc.buy + acc.sell;
          if (total === 0) return undefined;
          return {
            timestamp: t.timestamp,
            receipt_timestamp: t.receipt_timestamp,
            tvi: (2 * (acc.buy - acc.sell)) / total,
          };
        },
      },
    );
  },
});
