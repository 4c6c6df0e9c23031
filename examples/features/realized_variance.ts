import {
  compensatedSums,
  defineFeature,
  liftProduct,
  slidingAggregate,
  sumAt,
  tumblingWindow,
} from 'featurizer';
import type { Event } from 'featurizer';

/**
 * Realized variance of a price sampled on a fixed time grid: the price of each grid interval
 * [k·grid, (k+1)·grid) is its last value (previous-tick sampling), the return of an interval is
 * ln(close / previous close), and the output is Σ r² over the returns whose interval ended in
 * [t − window, t], emitted when an interval closes (at its end time). Intervals with no input
 * repeat the previous close, so their return is 0 and they are skipped. Windowed sums of squares
 * go through compensated sums of exact products: no running sum, nothing subtracted.
 */
export default defineFeature({
  name: 'examples.realized_variance',
  title: 'Realized variance (grid)',
  description: 'Σ r² of log returns of a value sampled on a fixed grid, over a time window',
  params: {
    grid: { type: 'duration', default: '1s', unit: 's', description: 'Sampling interval' },
    window: { type: 'duration', default: '5m', unit: 's', description: 'Look-back of the sum' },
  },
  inputs: [{ name: 'price', accepts: ['scalar'], default: 'price.mid_price_fd' }],
  output: { kind: 'scalar', schema: { realized_variance: 'number' } },
  stream(inputs, params) {
    const { stream, field } = inputs.price!;
    const closes = tumblingWindow(stream, params.grid as number, {
      init: (first: Event) => ({ close: first[field!] as number }),
      add: (acc: { close: number }, x: Event) => ({ close: x[field!] as number }),
      result: (acc, _start, end, closer) => ({
        timestamp: end,
        receipt_timestamp: closer.receipt_timestamp,
        close: acc.close,
      }),
    });
    const returns = closes.fold(
      (s: { prev: number | null }, c: Event) => {
        const prev = s.prev;
        s.prev = c.close as number;
        if (prev === null) return undefined;
        const r = Math.log((c.close as number) / prev);
        return Number.isFinite(r) ? { ...c, r } : undefined;
      },
      { prev: null },
    );
    return slidingAggregate(returns, params.window as number, {
      monoid: compensatedSums(1),
      lift: (x: Event, out: number[], o: number) =>
        liftProduct(x.r as number, x.r as number, out, o),
      result: (agg: readonly number[], _count: number, latest: Event) => ({
        timestamp: latest.timestamp,
        receipt_timestamp: latest.receipt_timestamp,
        realized_variance: sumAt(agg, 0),
      }),
    });
  },
});
