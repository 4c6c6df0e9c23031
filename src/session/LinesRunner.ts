import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import { memoryChunkStore } from '../recording/chunkStores.ts';
import { OutputBatcher } from './OutputBatcher.ts';
import type { PipelineRunner, RunnerSink } from './PipelineRunner.ts';
import { ReplayController } from './ReplayController.ts';
import type { ReplayStatePort } from './replayState.ts';
import { runnablePart } from './runnablePart.ts';
import { type ReplayWorkers, WorkerReplayController } from './WorkerReplayController.ts';
import { recoveryNote } from './WorkerReplayOptions.ts';

/** Lines per in-memory chunk: the controller's window pages through them as it does IndexedDB's. */
const CHUNK_LINES = 1000;

/**
 * Replays recording lines held in memory (a recording file, or normalized events written as
 * recording lines) through a {@link ReplayController}, exactly as ReplayRunner does a stored
 * recording: same decoder, same engine, same checkpoints. Loads paused at the start; playback is
 * driven through the controller published on `state`.
 */
export class LinesRunner implements PipelineRunner {
  private readonly batcher: OutputBatcher;
  private controller: ReplayController | WorkerReplayController | undefined;

  constructor(
    private readonly sink: RunnerSink,
    private readonly state: ReplayStatePort,
    private readonly lines: readonly string[],
    /** Replay in workers (the live partitioning; the lines are copied to the source workers). */
    private readonly workers?: ReplayWorkers,
  ) {
    this.batcher = new OutputBatcher((batch) => this.sink.onBatch(batch));
  }

  private series: readonly string[] = [];

  setSeriesNodes(nodeIds: readonly string[]): void {
    this.series = [...nodeIds];
    if (this.controller instanceof WorkerReplayController) this.controller.setSeries(nodeIds);
  }

  start(doc: PipelineDoc): void {
    this.dispose();
    const { doc: runnable, skipped } = runnablePart(doc, { inThread: !this.workers });
    const ts = receiptTimes(this.lines);
    const common = {
      doc: runnable,
      recordingId: '',
      name: 'lines',
      store: memoryChunkStore(this.lines, ts, CHUNK_LINES),
      total: this.lines.length,
      start: ts[0] ?? 0,
      end: ts[ts.length - 1] ?? 0,
      deliver: (nodeId: string, e: Event) => this.batcher.push(nodeId, e),
      state: this.state,
    };
    this.controller = this.workers
      ? new WorkerReplayController({
          ...common,
          ...this.workers,
          input: { kind: 'lines', lines: this.lines, ts, chunkLines: CHUNK_LINES },
          onStatus: (st) => {
            if ('error' in st) this.sink.onStatus({ state: 'error', message: st.error, skipped });
            else {
              const on = `on ${st.workers} worker${st.workers === 1 ? '' : 's'}${recoveryNote(st.recovered)}`;
              this.sink.onStatus({ state: 'running', message: `replay: lines ${on}`, skipped });
            }
          },
          onUserFailure: (f) => this.sink.onUserFailure?.(f),
        })
      : new ReplayController(common);
    if (this.controller instanceof WorkerReplayController) this.controller.setSeries(this.series);
    this.sink.onStatus({ state: 'running', message: 'replay: lines', skipped });
  }

  update(doc: PipelineDoc): void {
    const { doc: runnable, skipped } = runnablePart(doc, { inThread: !this.workers });
    this.controller?.rebuild(runnable);
    this.sink.onStatus({ state: 'running', message: 'replay: lines', skipped });
  }

  stop(): void {
    this.dispose();
    this.sink.onStatus({ state: 'stopped', skipped: [] });
  }

  private dispose(): void {
    this.batcher.flush();
    this.controller?.dispose();
    this.controller = undefined;
  }
}

/**
 * Each line's receipt time, never decreasing (the timeline's time → line map needs it sorted).
 * Names the line of a record without one, as the decoder would.
 */
function receiptTimes(lines: readonly string[]): number[] {
  const ts: number[] = [];
  let last = -Infinity;
  lines.forEach((text, i) => {
    let t: unknown;
    try {
      t = (JSON.parse(text) as { receipt_timestamp?: unknown }).receipt_timestamp;
    } catch {
      throw new Error(`line ${i + 1}: not a JSON object`);
    }
    if (typeof t !== 'number' || !Number.isFinite(t))
      throw new Error(`line ${i + 1}: "receipt_timestamp" must be a finite number`);
    last = Math.max(last, t);
    ts.push(last);
  });
  return ts;
}
