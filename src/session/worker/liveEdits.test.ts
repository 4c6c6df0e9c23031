import { describe, expect, it } from 'vitest';
import { createFeature } from '../../core/feature/createFeature.ts';
import { FeatureStreamWorkerGraph } from '../../runtime/FeatureStreamWorkerGraph.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import type { RuntimePlatform } from '../../runtime/ports.ts';
import { StreamManager } from '../../runtime/StreamManager.ts';
import { changedSubgraphs } from '../../runtime/workerConfigs.ts';

const base = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIM book → snapshot → mid on worker 0, volatility (window `w`) on worker 1. */
function graph(w: string): FeatureStreamWorkerGraph {
  const src = createFeature('l2_book', { exchange: 'SIM', symbol: 'BTC-USDT' });
  const snap = createFeature('l2_book.l2_snapshot_fd', { depth: 5 }, [src]);
  const mid = createFeature('price.mid_price_fd', {}, [snap], 'mid');
  const vol = createFeature('volatility.volatility_stddev_fd', { window: w }, [mid], 'vol');
  return new FeatureStreamWorkerGraph([mid, vol], [0, 0, 0, 1]);
}

describe('live edits on worker_threads', () => {
  it('a param edit replaces only the changed worker; the source worker keeps running', async () => {
    const spawned: number[] = [];
    const platform: RuntimePlatform = {
      ...base,
      spawn: (i) => {
        spawned.push(i);
        return base.spawn(i);
      },
    };
    const before = graph('10s');
    const after = graph('20s');
    const changed = changedSubgraphs(before, after);
    expect(changed).toEqual([1]);
    // A different placement is a different shape: a full restart.
    expect(changedSubgraphs(before, new FeatureStreamWorkerGraph([], []))).toBeUndefined();

    const got: number[] = [];
    const m = new StreamManager(before, platform, {
      mode: 'live',
      telemetryMs: 50,
      worker: { thin: true, series: [] },
      onOutputs: (outs) => outs.forEach((o) => got.push(o.pos)),
    });
    await m.start();
    try {
      await sleep(600);
      expect(got).toContain(0);
      expect(got).toContain(1);
      await m.replace(after, changed!);
      expect(spawned).toEqual([0, 1, 1]);
      got.length = 0;
      await sleep(600);
      // Both outputs keep flowing: mid from the untouched worker, vol from its replacement.
      expect(got).toContain(0);
      expect(got).toContain(1);
      const carry = await m.handoverAll();
      expect(Object.keys(carry)).toContain(after.keys[3]);
      expect(Object.keys(carry)).not.toContain(before.keys[3]);
    } finally {
      await m.stop();
    }
  }, 30_000);
});
