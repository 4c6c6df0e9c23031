import { nodePlatform } from '../src/runtime/node/workerThreads.ts';
import { runWorkers } from '../src/runtime/runWorkers.ts';
import { multiFeatures, simulatedLines } from '../src/testing/sources/multiPipeline.ts';
import { expect, test } from './fixtures.ts';

test.describe('pipeline on Web Workers', () => {
  test.setTimeout(120_000);

  test('byte-identical outputs across partitionings, equal to Node worker_threads', async ({
    harness,
  }) => {
    await harness.open();
    const single = await harness.run({ kind: 'single' });
    const perSource = await harness.run({ kind: 'per-source' });
    const perNode = await harness.run({ kind: 'per-node' });
    expect(perNode.workers).toBeGreaterThanOrEqual(3);
    expect(perSource.workers).toBeGreaterThanOrEqual(3);
    expect(single.output.split('\n').length).toBeGreaterThan(1000);
    expect(perSource.output).toBe(single.output);
    expect(perNode.output).toBe(single.output);
    const platform = nodePlatform(
      new URL('../src/session/worker/nodeStreamWorker.ts', import.meta.url),
    );
    const node = await runWorkers(multiFeatures(), simulatedLines(2000), platform, {
      format: 'ndjson',
      strategy: { kind: 'per-source' },
      budget: { hardwareConcurrency: 2, maxWorkers: 4 },
    });
    expect(node.output).toBe(single.output);
  });

  for (const kind of ['terminate', 'throw'] as const) {
    test(`a worker killed mid-stream (${kind}) is restored and outputs stay identical`, async ({
      harness,
    }) => {
      await harness.open();
      const clean = await harness.run({ kind: 'per-node' }, { maxWorkers: 4 });
      const faulted = await harness.run(
        { kind: 'per-node' },
        { maxWorkers: 4, fault: { worker: 2, kind, afterFraction: 0.3 } },
      );
      expect(faulted.workers).toBe(4);
      expect(faulted.failures).toBeGreaterThanOrEqual(1);
      expect(faulted.recoveries).toBeGreaterThanOrEqual(1);
      expect(faulted.output).toBe(clean.output);
    });
  }
});
