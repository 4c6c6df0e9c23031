// The worker-runtime harness page (bench/harness/index.html): no UI, just `window.__harness`
// (typed in ./api.ts) for the benches (bench/storage.bench.ts) and the runtime e2e
// (e2e/workers.spec.ts, e2e/determinism.spec.ts through e2e/fixtures.ts). A separate page, so the
// studio bundle never includes it.
import { prepareBatch, runBatch } from '../../src/core/batch/runBatch.ts';
import { featureKeys } from '../../src/testing/core/featureKeys.ts';
import { browserPlatform } from '../../src/runtime/browser.ts';
import { runWorkers } from '../../src/runtime/runWorkers.ts';
import type { ScalingStrategy } from '../../src/runtime/ScalingStrategy.ts';
import { multiFeatures, simulatedLines } from '../../src/testing/sources/multiPipeline.ts';
import type { HarnessApi, HarnessOptions, HarnessRun } from './api.ts';
import type { SeekBenchInput } from './seekBench.ts';
import type { ReplayTraceInput } from './replayTraceBench.ts';

const platform = browserPlatform(
  () =>
    new Worker(new URL('../../src/session/worker/browserStreamWorker.ts', import.meta.url), {
      type: 'module',
    }),
);

async function run(strategy: ScalingStrategy, o: HarnessOptions = {}): Promise<HarnessRun> {
  const lines = simulatedLines(o.lines ?? 2000);
  const t = performance.now();
  let workers = 0;
  let failures = 0;
  let recoveries = 0;
  const res = await runWorkers(multiFeatures(), lines, platform, {
    format: 'ndjson',
    strategy,
    budget: { hardwareConcurrency: navigator.hardwareConcurrency, maxWorkers: o.maxWorkers ?? 16 },
    feedBatch: 32,
    manager: {
      checkpointMs: 25,
      heartbeatMs: 600,
      telemetryMs: 100,
      onTelemetry: (tel) => {
        failures = tel.failures;
        recoveries = tel.recoveries;
      },
    },
    onStarted: (m, fed) => {
      workers = m.graph.subgraphs.length;
      const f = o.fault;
      if (!f) return;
      const timer = setInterval(() => {
        if (fed() < lines.length * f.afterFraction) return;
        clearInterval(timer);
        void m.injectFault(f.worker, f.kind);
      }, 1);
    },
  });
  return { output: res.output, workers, failures, recoveries, ms: performance.now() - t };
}

/** The batch runner on strings, in the browser: for the Node/browser byte-equality e2e. */
function batch(configText: string, inputText: string, format: 'ndjson' | 'csv'): string {
  return runBatch(configText, inputText, { format });
}

/** Every feature key of a config's trees (outputs and their sub-features), in a stable order. */
function keys(configText: string): string[] {
  return featureKeys(prepareBatch(configText).features);
}

/** bench/storage.bench.ts: recording and replay throughput against IndexedDB (lazy chunk). */
const storageBench = async (n: number) => (await import('./storageBench.ts')).storageBench(n);
/** bench/storage.bench.ts: recording through the workers' path (feed → recorder worker). */
const workerRecordBench = async (n: number) =>
  (await import('./workerRecordBench.ts')).workerRecordBench(n);
/** bench/storage.bench.ts: seek latency in a long venue recording (lazy chunk). */
const seekBench = async (input: SeekBenchInput) =>
  (await import('./seekBench.ts')).seekBench(input);

/** bench/replayWorkers.bench.ts: replay in Web Workers (lazy chunk). */
const replayWorkersBench = async (n: number, venueText: string) =>
  (await import('./replayWorkersBench.ts')).replayWorkersBench(n, venueText);

/** bench/traceReplay.ts: one traced worker replay (lazy chunk). */
const replayTraceBench = async (o: ReplayTraceInput) =>
  (await import('./replayTraceBench.ts')).replayTraceBench(o);

const api: HarnessApi = {
  run,
  batch,
  keys,
  storageBench,
  workerRecordBench,
  seekBench,
  replayWorkersBench,
  replayTraceBench,
};
window.__harness = api;
document.body.dataset.ready = 'true';
