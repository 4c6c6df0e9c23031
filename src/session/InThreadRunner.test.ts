import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { InThreadRunner } from './InThreadRunner.ts';

describe('InThreadRunner', () => {
  it('runs the default pipeline on the simulated market and reports every named output', async () => {
    const seen = new Set<string>();
    const statuses: string[] = [];
    const r = new InThreadRunner({
      onBatch: (batch) => batch.forEach((b) => seen.add(b.nodeId)),
      onStatus: (s) => statuses.push(s.state),
    });
    r.start(DEFAULT_PIPELINE);
    await vi.waitFor(() => expect(seen.has('tvi') && seen.has('volatility')).toBe(true), {
      timeout: 4000,
    });
    r.stop();
    expect([...seen]).toEqual(
      expect.arrayContaining(['book', 'snapshot', 'mid', 'spread', 'trades']),
    );
    expect(statuses).toEqual(['running', 'stopped']);
  });

  it('skips a source on an unknown venue and its downstream; the rest runs', async () => {
    const statuses: { state: string; skipped: readonly { nodeId: string }[] }[] = [];
    const seen = new Set<string>();
    const r = new InThreadRunner({
      onBatch: (batch) => batch.forEach((b) => seen.add(b.nodeId)),
      onStatus: (s) => statuses.push(s),
    });
    r.start({
      ...DEFAULT_PIPELINE,
      nodes: DEFAULT_PIPELINE.nodes.map((n) =>
        n.id === 'book' ? { ...n, params: { exchange: 'NOPE', symbol: 'X' } } : n,
      ),
    });
    expect(statuses[0]?.state).toBe('running');
    expect(statuses[0]?.skipped.map((s) => s.nodeId).sort()).toEqual([
      'book',
      'mid',
      'snapshot',
      'spread',
      'volatility',
    ]);
    await vi.waitFor(() => expect(seen.has('tvi')).toBe(true), { timeout: 4000 });
    r.stop();
    expect(seen.has('mid')).toBe(false);
  });
});
