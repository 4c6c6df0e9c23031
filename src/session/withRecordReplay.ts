import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { PipelineRunner, RunnerFactory, RunnerSink, RunOptions } from './PipelineRunner.ts';
import type { ReplayStatePort } from './replayState.ts';
import { ReplayRunner } from './ReplayRunner.ts';
import type { ReplayWorkers } from './WorkerReplayController.ts';

export interface RecordReplayFactories {
  /** The studio's normal live runner (workers or in-thread); both honour `RunOptions.record`. */
  readonly live: RunnerFactory;
  /**
   * The runner for runs with `RunOptions.record` (default: another `live` runner — the workers
   * record in the studio). A separate instance, so a recording can go on, muted, under a replay.
   */
  readonly recorder?: RunnerFactory;
  /** Where replays publish their state (the studio's `replayStore`). */
  readonly replayState: ReplayStatePort;
  /**
   * Replay in workers with these (read at each replay's start, so a getter may follow a
   * setting); without, replays run in this thread.
   */
  readonly replayWorkers?: ReplayWorkers;
}

/**
 * What {@link withRecordReplay} gives its owner: the runner factory, and the recording controls
 * that act on the runner it made last. One per studio (no module state: two studios, or two
 * tests, never share a recording).
 */
export interface RecordReplay {
  /** Hand this to the run controller. */
  readonly factory: RunnerFactory;
  /**
   * Replay the recording being written without ending it (follow-live in the same tab): the next
   * stop leaves the recording runner going, muted, until {@link stopDetachedRecording}.
   */
  keepRecordingThroughReplay(): void;
  /** End a recording left running under a replay. */
  stopDetachedRecording(): void;
  /**
   * End the recording and nothing else (■ Stop recording): a recording left under a replay stops,
   * the replay goes on; a recording run hands over to a live run of the same document, through
   * the same sink, so values and charts keep flowing. Returns false when no recording was open.
   */
  endRecording(): boolean;
}

/**
 * Wrap the studio's runner factory so `RunOptions` pick the runner: `source: replay` → the
 * ReplayRunner, `record` → a recording runner of its own, anything else → the live runner. The
 * run controller stays unaware of the difference.
 */
export function withRecordReplay(f: RecordReplayFactories): RecordReplay {
  let current: SwitchRunner | undefined;
  return {
    factory: (sink) => (current = new SwitchRunner(sink, f)),
    keepRecordingThroughReplay: () => {
      if (current) current.keep = true;
    },
    stopDetachedRecording: () => current?.stopDetached(),
    endRecording: () => current?.endRecording() ?? false,
  };
}

class SwitchRunner implements PipelineRunner {
  private readonly runners = new Map<string, PipelineRunner>();
  private current: PipelineRunner | undefined;
  private series: readonly string[] = [];
  /** A recording runner left running (muted) while its recording is replayed. */
  private detached: PipelineRunner | undefined;
  /** The document last started or updated: a live run takes over from the recording with it. */
  private doc: PipelineDoc | undefined;
  keep = false;

  constructor(
    private readonly sink: RunnerSink,
    private readonly f: RecordReplayFactories,
  ) {}

  start(doc: PipelineDoc, options?: RunOptions): void {
    if (options?.source?.kind === 'external') {
      // Made afresh each time: it belongs to one connection, not to this studio.
      this.runners.get('external')?.stop();
      const ext = options.source.runner(this.sink);
      ext.setSeriesNodes(this.series);
      this.runners.set('external', ext);
      const previous = this.current;
      this.current = ext;
      this.doc = doc;
      if (previous && previous !== ext) previous.stop();
      ext.start(doc, options);
      return;
    }
    const kind =
      options?.source?.kind === 'replay' ? 'replay' : options?.record ? 'record' : 'live';
    let next = this.runners.get(kind);
    if (!next) {
      next =
        kind === 'replay'
          ? new ReplayRunner(this.sink, this.f.replayState, undefined, this.f.replayWorkers)
          : kind === 'record'
            ? (this.f.recorder ?? this.f.live)(this.mutedUnlessCurrent())
            : this.f.live(this.sink);
      next.setSeriesNodes(this.series);
      this.runners.set(kind, next);
    }
    const previous = this.current;
    this.current = next;
    this.doc = doc;
    // After `current` moved: a recorder stopping here is muted and cannot report `stopped`.
    if (previous && previous !== next) previous.stop();
    next.start(doc, options);
  }

  update(doc: PipelineDoc): void {
    this.doc = doc;
    this.current?.update(doc);
  }

  endRecording(): boolean {
    if (this.detached) {
      this.stopDetached();
      return true;
    }
    const recorder = this.runners.get('record');
    if (!recorder || this.current !== recorder || !this.doc) return false;
    this.start(this.doc);
    return true;
  }

  stop(): void {
    if (this.keep && this.current === this.runners.get('record')) {
      this.keep = false;
      this.detached = this.current;
      this.current = undefined;
      this.sink.onStatus({ state: 'stopped', skipped: [] });
      return;
    }
    this.current?.stop();
  }

  stopDetached(): void {
    const d = this.detached;
    this.detached = undefined;
    d?.stop();
  }

  /**
   * The recorder's sink: silent unless the recorder is the current runner — detached under a
   * replay (the replay alone drives the canvas) or stopping after a live run took over.
   */
  private mutedUnlessCurrent(): RunnerSink {
    const live = () => this.current !== undefined && this.current === this.runners.get('record');
    const s = this.sink;
    return {
      onBatch: (b) => live() && s.onBatch(b),
      onStatus: (st) => live() && s.onStatus(st),
      onTelemetry: (t) => live() && s.onTelemetry?.(t),
      onMarker: (m) => live() && s.onMarker?.(m),
    };
  }

  setSeriesNodes(nodeIds: readonly string[]): void {
    this.series = nodeIds;
    for (const r of this.runners.values()) r.setSeriesNodes(nodeIds);
  }
}
