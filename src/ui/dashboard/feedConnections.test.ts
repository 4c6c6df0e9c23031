import { describe, expect, it } from 'vitest';
import { emptyCounters, type FeedStatus } from '../../sources/connection/FeedStatus.ts';
import { feedConnections } from './feedConnections.ts';

const feed = (exchange: string, urls: string[], over: Partial<FeedStatus> = {}): FeedStatus => ({
  exchange,
  urls,
  state: 'live',
  counters: { ...emptyCounters(), messages: 10 },
  at: 1,
  ...over,
});

describe('feedConnections', () => {
  it('makes one row of the same feed reported by two workers, and says it is two copies', () => {
    // What the WorkerRunner's telemetry carries for the default pipeline on two workers: each
    // worker runs its own Simulated market and reports it.
    const rows = feedConnections([feed('SIM', []), feed('SIM', [])]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.copies).toBe(2);
    expect(rows[0]!.status.counters.messages).toBe(20);
  });

  it('keeps different connections apart, even to one exchange, and endpoint order does not matter', () => {
    const rows = feedConnections([
      feed('KRAKEN', ['wss://a', 'wss://b']),
      feed('KRAKEN', ['wss://b', 'wss://a']),
      feed('KRAKEN', ['wss://futures']),
      feed('SIM', []),
    ]);
    expect(rows.map((r) => [r.status.exchange, r.copies])).toEqual([
      ['KRAKEN', 2],
      ['KRAKEN', 1],
      ['SIM', 1],
    ]);
  });

  it('shows the worst state of the copies and the largest latency', () => {
    const [row] = feedConnections([
      feed('OKX', ['wss://x'], {
        counters: { ...emptyCounters(), gaps: 1, avgLatencySec: 0.01 },
      }),
      feed('OKX', ['wss://x'], {
        state: 'stale',
        reason: 'no data for 10 s',
        counters: { ...emptyCounters(), gaps: 2, avgLatencySec: 0.2 },
      }),
    ]);
    expect(row!.status.state).toBe('stale');
    expect(row!.status.reason).toBe('no data for 10 s');
    expect(row!.status.counters.gaps).toBe(3);
    expect(row!.status.counters.avgLatencySec).toBe(0.2);
  });
});
