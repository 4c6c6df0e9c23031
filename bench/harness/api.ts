// The harness page's API (`window.__harness`), typed once for the page (./main.ts), the benches
// (bench/storage.bench.ts) and the e2e fixture (e2e/fixtures.ts). Types only: importing this
// file loads nothing.
import type { ScalingStrategy } from '../../src/runtime/ScalingStrategy.ts';
import type { ReplayWorkersBenchResult } from './replayWorkersBench.ts';
import type { ReplayTraceInput, ReplayTraceResult } from './replayTraceBench.ts';
import type { SeekBenchInput, SeekBenchResult } from './seekBench.ts';
import type { StorageBenchResult } from './storageBench.ts';
import type { WorkerRecordBenchResult } from './workerRecordBench.ts';

/** One run of the multi-feature pipeline on Web Workers. */
export interface HarnessRun {
  output: string;
  workers: number;
  failures: number;
  recoveries: number;
  ms: number;
}

export interface HarnessOptions {
  lines?: number;
  maxWorkers?: number;
  /** Fail worker `worker` once `afterFraction` of the input has been fed. */
  fault?: { worker: number; kind: 'terminate' | 'throw' | 'hang'; afterFraction: number };
}

export interface HarnessApi {
  /** The multi-feature pipeline over simulated lines on Web Workers, partitioned by `strategy`. */
  run(strategy: ScalingStrategy, o?: HarnessOptions): Promise<HarnessRun>;
  /** The batch runner on strings, in the browser: for the Node/browser byte-equality e2e. */
  batch(configText: string, inputText: string, format: 'ndjson' | 'csv'): string;
  /** Every feature key of a config's trees (outputs and their sub-features), in a stable order. */
  keys(configText: string): string[];
  /** Recording and replay throughput against IndexedDB. */
  storageBench(n: number): Promise<StorageBenchResult>;
  /** Recording through the workers' path (feed → recorder worker). */
  workerRecordBench(n: number): Promise<WorkerRecordBenchResult>;
  /** Seek latency in a long venue recording. */
  seekBench(input: SeekBenchInput): Promise<SeekBenchResult>;
  /** Replay in Web Workers: throughput, 1 vs 2 workers, seek latency (bench/replayWorkers). */
  replayWorkersBench(n: number, venueText: string): Promise<ReplayWorkersBenchResult>;
  /** One worker replay played `plays` times, the last framed by marks (bench/traceReplay). */
  replayTraceBench(o: ReplayTraceInput): Promise<ReplayTraceResult>;
}

declare global {
  interface Window {
    __harness: HarnessApi;
  }
}
