import type { Event, Level, TickerEvent } from '../../events.ts';
import { defineFeature, slot } from '../define.ts';
import { isLent, levelAt } from './bookView.ts';
import { samples, type SamplerState } from './sampler.ts';

/**
 * The seed's MidPriceFD: (best bid + best ask) / 2 from the order book (default) or from the
 * ticker (`dep_schema: ticker`). One output per input; a book with an empty side has no mid and
 * emits nothing. `sampling` (raw by default) thins the output as the seed's configs intended.
 */
export const midPriceFd = defineFeature({
  name: 'price.mid_price_fd',
  title: 'Mid price',
  group: 'price',
  description: '(best bid + best ask) / 2, from the book or the ticker',
  depSchemas: {
    l2_book: slot('book', ['l2_snapshot'], 'l2_book.l2_snapshot_fd'),
    ticker: slot('ticker', ['ticker'], 'ticker'),
  },
  params: {
    sampling: {
      type: 'sampling',
      default: 'raw',
      description: 'raw = every input | min interval like 1s',
    },
  },
  outputKind: () => 'scalar',
  outputSchema: () => ({ mid_price: 'number' }),
  stream(upstreams, params) {
    const [feature, up] = [...upstreams][0]!;
    const fromTicker = feature.definition.outputKind(feature.params) === 'ticker';
    const sampling = params.sampling!;
    return up.fold(
      (s: SamplerState, e: Event) => {
        let mid: number;
        if (fromTicker) {
          const t = e as TickerEvent;
          mid = (t.bid + t.ask) / 2;
        } else {
          const lent = isLent(e);
          const bid = levelAt(e, e.bids as Level[], 0, lent);
          const ask = levelAt(e, e.asks as Level[], 0, lent);
          if (bid === undefined || ask === undefined) return undefined;
          mid = (bid[0] + ask[0]) / 2;
        }
        if (sampling !== 'raw' && !samples(sampling, s, e.timestamp)) return undefined;
        return { timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp, mid_price: mid };
      },
      { lastUs: null },
      // Reads the best levels during the call only, so l2_snapshot_fd may lend its book.
      { borrows: true },
    );
  },
});
