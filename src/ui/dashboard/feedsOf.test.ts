import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from '../../session/defaultPipeline.ts';
import { feedsOf, markerMatches } from './feedsOf.ts';

describe('feedsOf', () => {
  it('finds the source feeds upstream of a node', () => {
    expect(feedsOf(DEFAULT_PIPELINE, ['volatility'])).toEqual([
      { exchange: 'SIM', symbol: 'BTC-USDT' },
    ]);
  });

  it('matches markers by exchange, and by symbol when the marker names one', () => {
    const feeds = [{ exchange: 'KRAKEN', symbol: 'BTC-USDT' }];
    const m = { kind: 'gap', exchange: 'KRAKEN', ts: 1 } as const;
    expect(markerMatches(feeds, m)).toBe(true);
    expect(markerMatches(feeds, { ...m, symbol: 'ETH-USDT' })).toBe(false);
    expect(markerMatches(feeds, { ...m, exchange: 'OKX' })).toBe(false);
  });
});
