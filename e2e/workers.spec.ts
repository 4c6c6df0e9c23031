import { expect, type Page, test } from '@playwright/test';
import { nodePlatform } from '../src/runtime/node/workerThreads.ts';
import { runWorkers } from '../src/runtime/runWorkers.ts';
import { multiFeatures, simulatedLines } from '../src/sources/worker/multiPipeline.ts';

// The harness page's API (src/ui/harness/main.ts; e2e may not import src/ui).
interface HarnessRun {
  output: string;
  workers: number;
  failures: number;
  recoveries: number;
}
interface HarnessOptions {
  maxWorkers?: number;
  fault?: { worker: number; kind: 'terminate' | 'throw' | 'hang'; afterFraction: number };
}
type HarnessWindow = { __harness: { run(s: Strategy, o: HarnessOptions): Promise<HarnessRun> } };
type Strategy = { kind: 'single' } | { kind: 'per-source' } | { kind: 'per-node' };

async function harness(
  page: Page,
): Promise<(s: Strategy, o?: HarnessOptions) => Promise<HarnessRun>> {
  await page.goto('/harness.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  return (s, o) =>
    page.evaluate(([s2, o2]) => (window as unknown as HarnessWindow).__harness.run(s2, o2), [
      s,
      o ?? {},
    ] as const);
}

test.describe('pipeline on Web Workers', () => {
  test.setTimeout(120_000);

  test('byte-identical outputs across partitionings, equal to Node worker_threads', async ({
    page,
  }) => {
    const run = await harness(page);
    const single = await run({ kind: 'single' });
    const perSource = await run({ kind: 'per-source' });
    const perNode = await run({ kind: 'per-node' });
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
      page,
    }) => {
      const run = await harness(page);
      const clean = await run({ kind: 'per-node' }, { maxWorkers: 4 });
      const faulted = await run(
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
