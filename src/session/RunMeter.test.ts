import { describe, expect, it, vi } from 'vitest';
import { emptyCounters, type FeedStatus } from '../sources/connection/FeedStatus.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { InThreadRunner } from './InThreadRunner.ts';
import type { RunTelemetry } from './PipelineRunner.ts';
import { RunMeter } from './RunMeter.ts';

const status = (over: Partial<FeedStatus>, counters: object = {}): FeedStatus => ({
  exchange: 'KRAKEN',
  urls: [],
  state: 'live',
  at: 100,
  ...over,
  counters: { ...emptyCounters(), ...counters },
});

describe('RunMeter', () => {
  it('turns counter increases into gap and reconnect markers, once each', () => {
    const m = new RunMeter();
    expect(m.markers(status({}))).toEqual([]);
    const gap = status(
      { state: 'resyncing', reason: 'BTC-USDT: checksum mismatch', at: 101 },
      { gaps: 1, checksumFailures: 1 },
    );
    expect(m.markers(gap)).toEqual([
      expect.objectContaining({ kind: 'gap', exchange: 'KRAKEN', symbol: 'BTC-USDT', ts: 101 }),
    ]);
    expect(m.markers(gap)).toEqual([]);
    expect(m.markers(status({ at: 102 }, { gaps: 1, reconnects: 1 }))).toEqual([
      expect.objectContaining({ kind: 'reconnect', ts: 102 }),
    ]);
  });

  it('reports node rates and gives each edge its source rate', () => {
    const m = new RunMeter();
    m.reset(0);
    for (let i = 0; i < 20; i++) m.count('book');
    const t = m.report(DEFAULT_PIPELINE, [], 1000);
    expect(t.nodes.get('book')?.eventsPerSec).toBe(20);
    expect(t.edges.get('book->snapshot')).toEqual({ eventsPerSec: 20, queueFill: 0, drops: 0 });
  });
});

describe('InThreadRunner telemetry', () => {
  it('reports the simulated market as one live feed, and node rates', async () => {
    let last: RunTelemetry | undefined;
    const r = new InThreadRunner({
      onBatch: () => {},
      onStatus: () => {},
      onTelemetry: (t) => (last = t),
    });
    r.start(DEFAULT_PIPELINE);
    await vi.waitFor(() => expect(last?.nodes.get('book')?.eventsPerSec ?? 0).toBeGreaterThan(0), {
      timeout: 4000,
    });
    r.stop();
    expect(last?.feeds).toEqual([expect.objectContaining({ exchange: 'SIM', state: 'live' })]);
  });
});
