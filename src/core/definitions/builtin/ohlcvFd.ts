import type { Event, TradeEvent } from '../../events.ts';
import type { Stream } from '../../stream/Stream.ts';
import { err, twoProduct, twoSum } from '../../stream/exactFloat.ts';
import { tumblingWindow } from '../../stream/windows.ts';
import { defineFeature } from '../define.ts';
import { TRADES_INPUT } from './common.ts';
import { onlyUpstream } from './upstream.ts';

interface Bar {
  open: number;
  high: number;
  low: number;
  close: number;
  /**
   * Σ amount and Σ price·amount as compensated sums (`volume + volumeErr`, `pv + pvErr`), with
   * exact products: within an ulp or two of the exact sums however many trades a bar has.
   */
  volume: number;
  volumeErr: number;
  pv: number;
  pvErr: number;
  n: number;
}

/**
 * OHLCV bars over UTC-aligned buckets `[k·w, (k+1)·w)`. A bar is emitted when the first trade at
 * or after its end arrives (that trade opens the next bar; the seed put it in the closing one).
 * Buckets without trades emit nothing. The bar event is stamped with the bar end and the closing
 * trade's receipt time; `start` is the bar start.
 */
export const ohlcvFd = defineFeature({
  name: 'ohlcv.ohlcv_fd',
  title: 'OHLCV bars',
  group: 'price',
  description: 'Open, high, low, close, volume, VWAP per UTC-aligned time bar',
  depSchemas: TRADES_INPUT,
  params: {
    window: {
      type: 'duration',
      default: '1m',
      unit: 's',
      description: 'Bar length; bars align to UTC multiples of it',
    },
  },
  outputKind: () => 'ohlcv',
  outputSchema: () => ({
    open: 'number',
    high: 'number',
    low: 'number',
    close: 'number',
    volume: 'number',
    vwap: 'number',
    num_trades: 'number',
    start: 'number',
  }),
  stream(upstreams, params) {
    const [, up] = onlyUpstream(upstreams);
    return tumblingWindow<TradeEvent, Bar, Event>(
      up as Stream<TradeEvent>,
      params.window as number,
      {
        init: (t) => ({
          open: t.price,
          high: t.price,
          low: t.price,
          close: t.price,
          volume: t.amount,
          volumeErr: 0,
          pv: twoProduct(t.price, t.amount),
          pvErr: err.value,
          n: 1,
        }),
        add(b, t) {
          if (t.price > b.high) b.high = t.price;
          if (t.price < b.low) b.low = t.price;
          b.close = t.price;
          b.volume = twoSum(b.volume, t.amount);
          b.volumeErr += err.value;
          const pv = twoProduct(t.price, t.amount);
          const pvErr = err.value;
          b.pv = twoSum(b.pv, pv);
          b.pvErr += err.value + pvErr;
          b.n++;
          return b;
        },
        result: (b, startSec, endSec, closer) => {
          const volume = b.volume + b.volumeErr;
          return {
            timestamp: endSec,
            receipt_timestamp: closer.receipt_timestamp,
            open: b.open,
            high: b.high,
            low: b.low,
            close: b.close,
            volume,
            // A bar of zero-amount trades has no volume weighting: fall back to the close.
            vwap: volume > 0 ? (b.pv + b.pvErr) / volume : b.close,
            num_trades: b.n,
            start: startSec,
          };
        },
      },
    );
  },
});
