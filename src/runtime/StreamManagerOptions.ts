import type { CollectedOutput } from './OutputCollector.ts';
import type { TextBatch } from './protocol.ts';
import type { RuntimeTelemetry } from './TelemetryHub.ts';
import type { SharedWorkerOptions } from './workerConfigs.ts';

/** What a `StreamManager` is told: the workers' shared options and where results go. */
export interface StreamManagerOptions extends SharedWorkerOptions {
  /**
   * A worker silent this long is presumed hung, terminated and restarted (default 3000 ms).
   * Workers process in slices and keep reporting while busy, so only a single input that runs
   * this long looks hung; each restart for silence doubles the worker's limit until it shows
   * progress again (a new checkpoint), so a slow input is not killed forever. A worker that dies
   * (error, exit, our own terminate) is restarted at once, without waiting for this.
   */
  readonly heartbeatMs?: number;
  /**
   * Outputs in batches (never per event): in canonical order in replay; in live mode as each
   * worker's results arrive (no cross-worker ordering wait: the studio wants them now).
   */
  readonly onOutputs?: (outs: CollectedOutput[]) => void;
  /** Replay: every output of inputs up to `seq` has been passed to `onOutputs`. */
  readonly onProgress?: (seq: number) => void;
  /**
   * A batch run with `worker.ndjson`: each worker's results as NDJSON bytes, in that worker's
   * order (the caller merges them: see `TextMerger`). Called before the `onProgress` that
   * covers them; `onOutputs` then only gets the other workers' results (none).
   */
  readonly onTextResults?: (worker: number, b: TextBatch) => void;
  /** Coalesced telemetry, at most once per `telemetryMs` (default 100 ms). */
  readonly onTelemetry?: (t: RuntimeTelemetry) => void;
}
