// `featurizer run --workers N` with two partitions or more serves partition 0 on its main thread
// (runtime/inThreadWorker.ts, behind a channel, same protocol) and the others in worker threads. The output must be the bytes
// of a run with every partition in a worker thread, whichever side is killed mid-run, and a
// pipeline with user code is never run on the main thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareBatch } from '../../core/batch/runBatch.ts';
import { registerDefinition, unregisterDefinition } from '../../core/definitions/registry.ts';
import { compileDefinitionOrThrow } from '../../core/userdef/compileDefinition.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import { ThreadCpu } from '../../runtime/node/threadCpu.ts';
import { runWorkers, type RunWorkersOptions } from '../../runtime/runWorkers.ts';
import { partition } from '../../runtime/ScalingStrategy.ts';
import { exampleSource } from '../../testing/core/userDefinitions.ts';
import { faultMidRun } from '../../testing/runtime/faultMidRun.ts';
import { fixtureLines, multiFeatures } from '../../testing/sources/testPipeline.ts';

const entry = new URL('./nodeStreamWorker.ts', import.meta.url);
const threads = nodePlatform(entry);
const features = multiFeatures();
const lines = fixtureLines();
const opts = (format: 'ndjson' | 'csv'): RunWorkersOptions => ({
  format,
  strategy: { kind: 'per-source' },
  budget: { hardwareConcurrency: 2, maxWorkers: 2 },
  feedBatch: 32,
});

describe('a partition served on the main thread', () => {
  it('gives the bytes of a run on worker threads only, NDJSON and CSV, on one thread fewer', async () => {
    for (const format of ['ndjson', 'csv'] as const) {
      const want = await runWorkers(features, lines, threads, opts(format));
      expect(want.workers).toBe(2);
      expect(want.output.split('\n').length).toBeGreaterThan(300);
      const cpu = new ThreadCpu();
      cpu.begin();
      const here = nodePlatform(entry, cpu, (i) => i === 0);
      const got = await runWorkers(features, lines, here, opts(format));
      expect(got.output).toBe(want.output);
      expect(got.events).toBe(want.events);
      // Worker 0 ran here: only worker 1 had a thread of its own.
      const r = cpu.report();
      expect(r.inMain).toEqual([0]);
      expect(Number.isNaN(r.workers[0])).toBe(true);
      expect(r.workers[1]).toBeGreaterThan(0);
      // Every partition here (the CLI keeps a single partition on a worker; the API allows it).
      const one = { ...opts(format), budget: { hardwareConcurrency: 2, maxWorkers: 1 } };
      const alone = await runWorkers(
        features,
        lines,
        nodePlatform(entry, undefined, () => true),
        one,
      );
      expect(alone.output).toBe(want.output);
    }
  }, 60_000);

  it('keeps the bytes when the partition served here is wired to workers by edges (per-node)', async () => {
    const perNode: RunWorkersOptions = {
      ...opts('ndjson'),
      strategy: { kind: 'per-node' },
      budget: { hardwareConcurrency: 4, maxWorkers: 3 },
    };
    // A chain cut in three: 0 → 1 → 2 (partition 1 has an edge in and an edge out).
    const edges = partition(features, perNode.strategy, perNode.budget).edges;
    expect(edges.some((e) => e.from === 0 && e.to === 1)).toBe(true);
    expect(edges.some((e) => e.from === 1)).toBe(true);
    const want = await runWorkers(features, lines, threads, perNode);
    expect(want.workers).toBe(3);
    for (const served of [0, 1]) {
      const here = nodePlatform(entry, undefined, (i) => i === served);
      expect((await runWorkers(features, lines, here, perNode)).output).toBe(want.output);
    }
  }, 60_000);

  it.each([0, 1])(
    'recovers partition %i killed mid-run (0: the main thread’s), output unchanged',
    async (index) => {
      const want = await runWorkers(features, lines, threads, opts('ndjson'));
      const fault = faultMidRun(index, 'terminate', lines.length);
      const here = nodePlatform(entry, undefined, (i) => i === 0);
      const got = await runWorkers(features, lines, here, { ...opts('ndjson'), ...fault.options });
      expect(fault.faulted()).toBe(true);
      expect(got.output).toBe(want.output);
      await new Promise((r) => setTimeout(r, 250));
      expect(fault.events).toContain('recovered');
    },
    60_000,
  );
});

describe('user code on the main thread', () => {
  const defs = [compileDefinitionOrThrow(exampleSource('mid_price'))];
  beforeAll(() => defs.forEach((d) => registerDefinition(d)));
  afterAll(() => defs.forEach((d) => unregisterDefinition(d.name)));

  it('is refused: a pipeline with user definitions runs its partitions in worker threads', async () => {
    const user = prepareBatch(
      `feature_configs:
  - feature_definition: my.mid_price
    name: mid
    params: { data_source: [{ exchange: SIM, instrument_type: spot, symbol: BTC-USDT }] }
`,
      'yaml',
    ).features;
    const here = nodePlatform(entry, undefined, () => true);
    await expect(runWorkers(user, lines, here, opts('ndjson'))).rejects.toThrow(
      /user definitions runs its partitions in worker threads/,
    );
  }, 60_000);
});
