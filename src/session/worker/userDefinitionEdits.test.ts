import { describe, expect, it } from 'vitest';
import type { AnyDefinition } from '../../core/definitions/DataDefinition.ts';
import { createFeature } from '../../core/feature/createFeature.ts';
import { compileDefinitionOrThrow } from '../../core/userdef/compileDefinition.ts';
import { embedDefinitions, shellDefinition } from '../../core/userdef/embeddedDefinitions.ts';
import { FeatureStreamWorkerGraph } from '../../runtime/FeatureStreamWorkerGraph.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import type { RuntimePlatform } from '../../runtime/ports.ts';
import { StreamManager } from '../../runtime/StreamManager.ts';
import { changedSubgraphs } from '../../runtime/workerConfigs.ts';
import { exampleSource } from '../../testing/core/userDefinitions.ts';

const base = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The studio's view of a definition: its manifest only (the shell), source riding along. */
const shell = (source: string): AnyDefinition =>
  shellDefinition(embedDefinitions([compileDefinitionOrThrow(source)])[0]!, true);

/** SIM book → snapshot → built-in mid on worker 0; the user mid (`def`) on worker 1. */
function graph(def: AnyDefinition): FeatureStreamWorkerGraph {
  const src = createFeature('l2_book', { exchange: 'SIM', symbol: 'BTC-USDT' });
  const snap = createFeature('l2_book.l2_snapshot_fd', { depth: 5 }, [src]);
  const mid = createFeature('price.mid_price_fd', {}, [snap], 'mid');
  const umid = createFeature(def, {}, [snap], 'umid');
  return new FeatureStreamWorkerGraph([mid, umid], [0, 0, 0, 1]);
}

describe('editing a user definition while live', () => {
  it('rebuilds only the worker computing it, which compiles the new code; the rest keeps running', async () => {
    const spawned: number[] = [];
    const platform: RuntimePlatform = {
      ...base,
      spawn: (i) => {
        spawned.push(i);
        return base.spawn(i);
      },
    };
    const source = exampleSource('mid_price');
    const before = graph(shell(source));
    // The edit: the user's mid now reports twice the mid (a visible change of the code).
    const after = graph(shell(source.replace('[0]) / 2', '[0]) * 1')));
    const changed = changedSubgraphs(before, after);
    expect(changed).toEqual([1]);

    const got: [number, number][] = [];
    const m = new StreamManager(before, platform, {
      mode: 'live',
      telemetryMs: 50,
      worker: { thin: true, series: [] },
      onOutputs: (outs) => outs.forEach((o) => got.push([o.pos, o.ev.mid_price as number])),
    });
    await m.start();
    try {
      await sleep(800);
      const ratio = (): number[] => {
        const mids = got.filter(([p]) => p === 0).map(([, v]) => v);
        const users = got.filter(([p]) => p === 1).map(([, v]) => v);
        return [mids.at(-1)!, users.at(-1)!].map((v) => Math.round(v / 1000));
      };
      const [mid0, user0] = ratio();
      expect(user0).toBe(mid0); // the workers compiled and ran the user's mid
      await m.replace(after, changed!);
      expect(spawned).toEqual([0, 1, 1]);
      got.length = 0;
      await sleep(800);
      const [mid1, user1] = ratio();
      expect(user1!).toBeGreaterThan(1.9 * mid1!); // the replacement runs the edited code
    } finally {
      await m.stop();
    }
  }, 30_000);
});
