import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import { openStudioDb, type StudioDatabase } from '../storage/db.ts';
import { getRecording } from '../recording/recordingLibrary.ts';
import { recordingChunkStore } from '../recording/chunkStores.ts';
import { OutputBatcher } from './OutputBatcher.ts';
import type { PipelineRunner, RunnerSink, RunOptions } from './PipelineRunner.ts';
import { runnablePart } from './runnablePart.ts';
import { ReplayController } from './ReplayController.ts';
import type { ReplayStatePort } from './replayState.ts';
import { type ReplayWorkers, WorkerReplayController } from './WorkerReplayController.ts';
import { recoveryNote } from './WorkerReplayOptions.ts';

/** How often a replay of a recording still being written looks for new chunks. */
const FOLLOW_MS = 1000;

/**
 * The runner for `source: {kind: 'replay', recordingId}`: runs the document over a recording
 * through the same adapters and features as live, streaming its chunks from IndexedDB rather
 * than loading it whole. With `workers` it replays in workers with the live partitioning (a
 * {@link WorkerReplayController}: the workers read and decode the chunks, this thread paces);
 * without, in this thread (a {@link ReplayController} over a ReplayEngine). Playback is driven
 * by the controller it publishes in its `state` port (the studio's `replayStore`, which the
 * timeline binds to); the runner only delivers outputs and status.
 */
export class ReplayRunner implements PipelineRunner {
  private readonly batcher: OutputBatcher;
  private controller: ReplayController | WorkerReplayController | undefined;
  private generation = 0;
  private follow: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly sink: RunnerSink,
    /** Where the controller publishes its state (the studio's `replayStore`). */
    private readonly state: ReplayStatePort,
    private readonly db: () => Promise<StudioDatabase> = openStudioDb,
    /** Replay in workers (the live partitioning); without, in this thread. */
    private readonly workers?: ReplayWorkers,
    /** The database name the workers open (default: the studio's). */
    private readonly dbName?: string,
  ) {
    this.batcher = new OutputBatcher((batch) => this.sink.onBatch(batch));
  }

  private series: readonly string[] = [];

  setSeriesNodes(nodeIds: readonly string[]): void {
    this.series = [...nodeIds];
    if (this.controller instanceof WorkerReplayController) this.controller.setSeries(nodeIds);
  }

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
    const { doc: runnable, skipped } = runnablePart(doc, { inThread: !this.workers });
    this.controller?.rebuild(runnable);
    this.sink.onStatus({ state: 'running', message: this.message(), skipped });
  }

  stop(): void {
    this.stopQuietly();
    this.sink.onStatus({ state: 'stopped', skipped: [] });
  }

  private async load(doc: PipelineDoc, id: string, gen: number): Promise<void> {
    const { doc: runnable, skipped } = runnablePart(doc, { inThread: !this.workers });
    try {
      const db = await this.db();
      const meta = await getRecording(db, id);
      if (!meta) throw new Error(`recording "${id}" not found`);
      if (gen !== this.generation) return;
      const store = recordingChunkStore(db, id, meta.chunks);
      const common = {
        doc: runnable,
        recordingId: id,
        name: meta.name,
        store,
        total: meta.lines,
        start: meta.startTs ?? 0,
        end: meta.endTs ?? 0,
        deliver: (nodeId: string, e: Event) => this.batcher.push(nodeId, e),
        recording: meta.status === 'recording',
        state: this.state,
      };
      this.controller = this.workers
        ? new WorkerReplayController({
            ...common,
            ...this.workers,
            input: {
              kind: 'idb',
              recordingId: id,
              total: meta.lines,
              chunks: meta.chunks,
              ...(this.dbName !== undefined ? { dbName: this.dbName } : {}),
            },
            onStatus: (st) => {
              if (gen !== this.generation) return;
              if ('error' in st) this.sink.onStatus({ state: 'error', message: st.error, skipped });
              else {
                const message = this.message() + recoveryNote(st.recovered);
                this.sink.onStatus({ state: 'running', message, skipped });
              }
            },
            onUserFailure: (f) => {
              if (gen === this.generation) this.sink.onUserFailure?.(f);
            },
          })
        : new ReplayController(common);
      if (this.controller instanceof WorkerReplayController) this.controller.setSeries(this.series);
      if (meta.status === 'recording') this.followChunks(db, id, store, gen);
      this.sink.onStatus({ state: 'running', message: this.message(), skipped });
    } catch (e) {
      this.state.setState({ busy: undefined });
      this.sink.onStatus({ state: 'error', message: (e as Error).message, skipped });
    }
  }

  /** Follow a recording in progress: its metadata says how far the chunks go (follow-live). */
  private followChunks(
    db: StudioDatabase,
    id: string,
    store: { endSeq: number },
    gen: number,
  ): void {
    let busy = false;
    this.follow = setInterval(() => {
      if (busy) return;
      busy = true;
      void getRecording(db, id)
        .then((meta) => {
          if (gen !== this.generation || !meta) return;
          const still = meta.status === 'recording';
          store.endSeq = meta.chunks;
          this.controller?.appended(meta.lines, meta.endTs ?? 0, still, meta.chunks);
          if (!still) clearInterval(this.follow);
        })
        .finally(() => (busy = false));
    }, FOLLOW_MS);
  }

  private message(): string {
    const c = this.controller;
    const n = c instanceof WorkerReplayController ? c.workers : 0;
    const on = n > 0 ? ` on ${n} worker${n === 1 ? '' : 's'}` : '';
    return `replay: ${this.state.getState().name}${on}`;
  }

  private stopQuietly(): void {
    this.generation++;
    clearInterval(this.follow);
    this.controller?.dispose();
    this.controller = undefined;
    this.batcher.clear();
    this.state.setState({ busy: undefined });
  }
}
