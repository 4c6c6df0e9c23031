import { faultMidRun } from '../../testing/runtime/faultMidRun.ts';
import { describe, expect, it } from 'vitest';
import { runLines } from '../../core/batch/runLines.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import { partition } from '../../runtime/ScalingStrategy.ts';
import { runWorkers } from '../../runtime/runWorkers.ts';
import { fixtureLines, multiFeatures } from '../../testing/sources/testPipeline.ts';

const platform = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));
const budget = { hardwareConcurrency: 8, maxWorkers: 16 };
const sorted = (text: string): string[] => text.split('\n').sort();

describe('runtime on worker_threads', () => {
  const features = multiFeatures();
  const lines = fixtureLines();

  it('gives byte-identical output for single, per-source and one-node-per-worker', async () => {
    const nodes = partition(features, { kind: 'per-node' }, budget);
    expect(nodes.subgraphs.length).toBeGreaterThanOrEqual(8);
    const run = (strategy: Parameters<typeof partition>[1]) =>
      runWorkers(features, lines, platform, { format: 'ndjson', strategy, budget, feedBatch: 64 });
    const single = await run({ kind: 'single' });
    const perSource = await run({ kind: 'per-source' });
    const perNode = await run({ kind: 'per-node' });
    expect(single.output.length).toBeGreaterThan(1000);
    expect(perSource.output).toBe(single.output);
    expect(perNode.output).toBe(single.output);
    // Same lines as the in-thread batch runner (which orders them depth-first within an input).
    const inThread = runLines(features, lines.join('\n'), { format: 'ndjson' }).output;
    expect(sorted(single.output)).toEqual(sorted(inThread));
  }, 60_000);

  it('CSV output is identical across partitionings too', async () => {
    const run = (strategy: Parameters<typeof partition>[1]) =>
      runWorkers(features, lines, platform, { format: 'csv', strategy, budget, feedBatch: 64 });
    const a = await run({ kind: 'single' });
    const b = await run({ kind: 'per-source' });
    expect(b.output).toBe(a.output);
  }, 60_000);

  for (const kind of ['terminate', 'throw', 'hang'] as const) {
    it(`recovers from a worker that fails (${kind}) mid-stream with no gap and no duplicate`, async () => {
      // Four workers in a chain-folded per-node partition: worker 2 has both up- and downstreams.
      const small = { hardwareConcurrency: 2, maxWorkers: 4 };
      const opts = {
        format: 'ndjson' as const,
        strategy: { kind: 'per-node' as const },
        budget: small,
        feedBatch: 16,
      };
      const clean = await runWorkers(features, lines, platform, opts);
      // Fail a mid-chain worker once a third of the input has gone in.
      const fault = faultMidRun(2, kind, lines.length);
      const faultedRun = await runWorkers(features, lines, platform, { ...opts, ...fault.options });
      expect(fault.faulted()).toBe(true);
      expect(faultedRun.output).toBe(clean.output);
      await new Promise((r) => setTimeout(r, 250));
      expect(fault.events).toContain('failure');
      expect(fault.events).toContain('recovered');
    }, 60_000);
  }
});
