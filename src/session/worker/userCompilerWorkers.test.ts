// Workers load the user-definition compiler only for a pipeline with user definitions
// (runtime/fromDagSpec.ts `loadUserCompiler`, awaited in the worker's init). A worker started
// anew after a crash must load it too: its restored features are user features.
import { faultMidRun } from '../../testing/runtime/faultMidRun.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareBatch } from '../../core/batch/runBatch.ts';
import { registerDefinition, unregisterDefinition } from '../../core/definitions/registry.ts';
import { compileDefinitionOrThrow } from '../../core/userdef/compileDefinition.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import { runWorkers } from '../../runtime/runWorkers.ts';
import { exampleSource } from '../../testing/core/userDefinitions.ts';
import { fixtureLines } from '../../testing/sources/testPipeline.ts';

const platform = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));
const defs = ['mid_price', 'volatility'].map((n) => compileDefinitionOrThrow(exampleSource(n)));

/** mid and 2 s volatility on each symbol: two independent sources, so two workers. */
function config(mid: string, vol: string): string {
  const rows = ['BTC-USDT', 'ETH-USDT'].map(
    (sym) => `
  - feature_definition: ${mid}
    name: mid_${sym}
    params: { data_source: [{ exchange: SIM, instrument_type: spot, symbol: ${sym} }] }
  - feature_definition: ${vol}
    name: vol_${sym}
    params:
      data_source: [{ exchange: SIM, instrument_type: spot, symbol: ${sym} }]
      feature: { 0: { window: 2s } }`,
  );
  return `feature_configs:${rows.join('')}\n`;
}

describe('user definitions on workers, compiler loaded on demand', () => {
  beforeAll(() => defs.forEach((d) => registerDefinition(d)));
  afterAll(() => defs.forEach((d) => unregisterDefinition(d.name)));

  it('a worker restarted from its checkpoint mid-run gives the built-ins’ bytes', async () => {
    const lines = fixtureLines();
    const opts = {
      format: 'ndjson' as const,
      strategy: { kind: 'per-source' as const },
      budget: { hardwareConcurrency: 2, maxWorkers: 2 },
      feedBatch: 16,
    };
    const builtins = prepareBatch(
      config('price.mid_price_fd', 'volatility.volatility_stddev_fd'),
      'yaml',
    ).features;
    const user = prepareBatch(config('my.mid_price', 'my.volatility'), 'yaml').features;
    const reference = await runWorkers(builtins, lines, platform, opts);
    expect(reference.workers).toBe(2);
    expect(reference.output.split('\n').length).toBeGreaterThan(300);

    const fault = faultMidRun(1, 'terminate', lines.length);
    const crashed = await runWorkers(user, lines, platform, { ...opts, ...fault.options });
    expect(fault.faulted()).toBe(true);
    expect(crashed.output).toBe(reference.output);
    await new Promise((r) => setTimeout(r, 250));
    expect(fault.events).toContain('failure');
    expect(fault.events).toContain('recovered');
  }, 60_000);
});
