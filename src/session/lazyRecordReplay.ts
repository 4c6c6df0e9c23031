import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { PipelineRunner, RunnerSink, RunOptions } from './PipelineRunner.ts';
import type { RecordReplay } from './withRecordReplay.ts';

/**
 * The studio's runners, loaded on demand (issue #14: a light page). The runners bring the
 * session, the worker runtime, the venue adapters and the replay engine (~170 kB); the first
 * screen renders without them. `load` is called once, at the first runner made; until it
 * resolves, each runner queues its calls and replays them in order, so the run controller never
 * sees the difference. The recording controls act only once loaded (no recording can be open
 * before). A failed load reports an error status to the runner's sink.
 */
export function lazyRecordReplay(load: () => Promise<RecordReplay>): RecordReplay {
  let loaded: RecordReplay | undefined;
  let loading: Promise<RecordReplay> | undefined;
  const get = (): Promise<RecordReplay> => (loading ??= load().then((r) => (loaded = r)));
  return {
    factory: (sink) => new LazyRunner(sink, get()),
    keepRecordingThroughReplay: () => loaded?.keepRecordingThroughReplay(),
    stopDetachedRecording: () => loaded?.stopDetachedRecording(),
    endRecording: () => loaded?.endRecording() ?? false,
  };
}

/** A runner that forwards to the real one once its module has loaded. */
class LazyRunner implements PipelineRunner {
  private runner: PipelineRunner | undefined;
  private readonly pending: ((r: PipelineRunner) => void)[] = [];

  constructor(sink: RunnerSink, real: Promise<RecordReplay>) {
    real.then(
      (rr) => {
        const r = rr.factory(sink);
        this.runner = r;
        for (const op of this.pending.splice(0)) op(r);
      },
      (e: unknown) =>
        sink.onStatus({
          state: 'error',
          message: `Could not load the runner: ${e instanceof Error ? e.message : String(e)}`,
          skipped: [],
        }),
    );
  }

  private call(op: (r: PipelineRunner) => void): void {
    if (this.runner) op(this.runner);
    else this.pending.push(op);
  }

  start(doc: PipelineDoc, options?: RunOptions): void {
    this.call((r) => r.start(doc, options));
  }
  update(doc: PipelineDoc): void {
    this.call((r) => r.update(doc));
  }
  stop(): void {
    this.call((r) => r.stop());
  }
  setSeriesNodes(nodeIds: readonly string[]): void {
    this.call((r) => r.setSeriesNodes(nodeIds));
  }
}
