import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { openStudioDb, type StudioDatabase } from '../../storage/db.ts';
import { getRecording, readAllLines, readChunks } from '../../storage/recordingLibrary.ts';
import { OutputBatcher } from '../run/OutputBatcher.ts';
import type { PipelineRunner, RunnerSink, RunOptions } from '../run/PipelineRunner.ts';
import { runnablePart } from '../run/runnablePart.ts';
import { ReplayController } from './ReplayController.ts';
import { replayStore } from './replayStore.ts';

/** How often a replay of a recording still being written looks for new chunks. */
const FOLLOW_MS = 1000;

/**
 * The runner for `source: {kind: 'replay', recordingId}`: loads the recording from IndexedDB and
 * runs the document over it in this thread through the same adapters and features as live
 * (ReplayEngine). Playback is driven by the {@link ReplayController} it publishes in
 * `replayStore` (the timeline binds to it); the runner only delivers outputs and status.
 */
export class ReplayRunner implements PipelineRunner {
  private readonly batcher: OutputBatcher;
  private controller: ReplayController | undefined;
  private generation = 0;
  private follow: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly sink: RunnerSink,
    private readonly db: () => Promise<StudioDatabase> = openStudioDb,
  ) {
    this.batcher = new OutputBatcher((batch) => this.sink.onBatch(batch));
  }

  setSeriesNodes(_nodeIds: readonly string[]): void {}

  start(doc: PipelineDoc, options?: RunOptions): void {
    this.stopQuietly();
    const source = options?.source;
    if (source?.kind !== 'replay') {
      this.sink.onStatus({ state: 'error', message: 'no recording to replay', skipped: [] });
      return;
    }
    void this.load(doc, source.recordingId, ++this.generation);
  }

  update(doc: PipelineDoc): void {
    const { doc: runnable, skipped } = runnablePart(doc);
    this.controller?.rebuild(runnable);
    this.sink.onStatus({ state: 'running', message: this.message(), skipped });
  }

  stop(): void {
    this.stopQuietly();
    this.sink.onStatus({ state: 'stopped', skipped: [] });
  }

  private async load(doc: PipelineDoc, id: string, gen: number): Promise<void> {
    const { doc: runnable, skipped } = runnablePart(doc);
    try {
      const db = await this.db();
      const meta = await getRecording(db, id);
      if (!meta) throw new Error(`recording "${id}" not found`);
      this.sink.onStatus({ state: 'running', message: 'loading recording…', skipped });
      replayStore.setState({ busy: { label: 'Loading', fraction: 0 }, name: meta.name });
      const { lines, ts } = await readAllLines(db, id, (n) =>
        replayStore.setState({ busy: { label: 'Loading', fraction: n / (meta.chunks || 1) } }),
      );
      if (gen !== this.generation) return;
      const c = new ReplayController({
        doc: runnable,
        recordingId: id,
        name: meta.name,
        lines,
        ts,
        deliver: (nodeId, e) => this.batcher.push(nodeId, e),
        statelessDecoder: meta.venues.every((v) => v === 'SIM'),
        recording: meta.status === 'recording',
      });
      this.controller = c;
      if (meta.status === 'recording') this.followChunks(db, id, meta.chunks, lines, ts, gen);
      this.sink.onStatus({ state: 'running', message: this.message(), skipped });
    } catch (e) {
      replayStore.setState({ busy: undefined });
      this.sink.onStatus({ state: 'error', message: (e as Error).message, skipped });
    }
  }

  /** Append chunks as a recording in progress writes them (follow-live). */
  private followChunks(
    db: StudioDatabase,
    id: string,
    from: number,
    lines: string[],
    ts: number[],
    gen: number,
  ): void {
    let next = from;
    let busy = false;
    this.follow = setInterval(() => {
      if (busy) return;
      busy = true;
      void (async () => {
        for await (const c of readChunks(db, id, next)) {
          if (gen !== this.generation) return;
          lines.push(...c.lines);
          ts.push(...c.ts);
          next = c.seq + 1;
        }
        const meta = await getRecording(db, id);
        const still = meta?.status === 'recording';
        this.controller?.appended(still);
        if (!still) clearInterval(this.follow);
      })().finally(() => (busy = false));
    }, FOLLOW_MS);
  }

  private message(): string {
    return `replay: ${replayStore.getState().name}`;
  }

  private stopQuietly(): void {
    this.generation++;
    clearInterval(this.follow);
    this.controller?.dispose();
    this.controller = undefined;
    this.batcher.clear();
    replayStore.setState({ busy: undefined });
  }
}
