import { describe, expect, it } from 'vitest';
import { MarketFeeds, STALE_MS } from './MarketFeeds.ts';

const line = (o: Record<string, unknown>): string =>
  JSON.stringify({ receipt_timestamp: 1_700_000_000.5, exchange: 'KRAKEN', ...o });

describe('MarketFeeds: feed health of cluster sources from the market stream', () => {
  it('counts each venue of the pipeline only, and is live while messages arrive', () => {
    const f = new MarketFeeds(['KRAKEN', 'COINBASE']);
    expect(f.subjects).toEqual(['md.KRAKEN.>', 'md.COINBASE.>']);
    for (let i = 0; i < 5; i++) f.message('md.KRAKEN.BTC-USD', line({ data: '{}' }), 1000 + i);
    f.message('md.BINANCE.BTC-USDT', line({ data: '{}' }), 1005);
    const [k, c] = f.statuses(2000);
    expect(k).toMatchObject({ exchange: 'KRAKEN', state: 'live', at: 2 });
    expect(k!.counters.messages).toBe(5);
    expect(c).toMatchObject({ exchange: 'COINBASE', state: 'stale' });
    expect(c!.reason).toBe('no message of this venue in the market stream');
  });

  it('turns the markers ingest writes into gaps, reconnects, a down state and chart markers', () => {
    const f = new MarketFeeds(['KRAKEN']);
    const s = 'md.KRAKEN._';
    expect(f.message(s, line({ marker: 'connect', url: 'wss://x' }), 0)).toBe(undefined);
    const gap = f.message(
      'md.KRAKEN.BTC-USD',
      line({ marker: 'gap', symbol: 'BTC-USD', detail: 'checksum: expected 1, got 2' }),
      1,
    );
    expect(gap).toEqual({
      kind: 'gap',
      exchange: 'KRAKEN',
      ts: 1_700_000_000.5,
      symbol: 'BTC-USD',
      detail: 'checksum: expected 1, got 2',
    });
    expect(f.message(s, line({ marker: 'disconnect', detail: 'socket closed' }), 2)?.kind).toBe(
      'disconnect',
    );
    expect(f.statuses(3)[0]).toMatchObject({
      state: 'error',
      reason: 'disconnected: socket closed',
    });
    expect(f.message(s, line({ marker: 'connect' }), 4)?.kind).toBe('reconnect');
    const [k] = f.statuses(5);
    expect(k).toMatchObject({ state: 'live' });
    expect(k!.counters).toMatchObject({ messages: 4, gaps: 1, reconnects: 1 });
    // A frame whose text merely mentions "marker" inside its data is not a marker.
    f.message(s, line({ data: '{"marker":"gap"}' }), 6);
    expect(f.statuses(7)[0]!.counters.gaps).toBe(1);
  });

  it('is stale, saying for how long, when the stream has nothing new', () => {
    const f = new MarketFeeds(['KRAKEN']);
    f.seed('md.KRAKEN.BTC-USD', 0);
    expect(f.statuses(STALE_MS)[0]!.state).toBe('live');
    expect(f.statuses(STALE_MS + 1)[0]).toMatchObject({
      state: 'stale',
      reason: 'no market message for 10 s (is featurizer ingest running?)',
    });
    expect(f.statuses(3 * 3600_000)[0]!.reason).toContain('3 h');
  });
});
