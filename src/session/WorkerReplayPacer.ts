import type { ReplayManager } from '../runtime/ReplayManager.ts';
import type { ReplayClock } from './ReplayClock.ts';
import type { ReplayStatePort } from './replayState.ts';
import type { WorkerReplaySeeks } from './WorkerReplaySeeks.ts';

const TICK_MS = 16;

/** What a worker replay's pacing needs of its controller. */
export interface PacerHost {
  readonly state: ReplayStatePort;
  readonly clock: ReplayClock;
  readonly seeks: WorkerReplaySeeks;
  manager(): ReplayManager | undefined;
  disposed(): boolean;
  /** Wall time (ms). */
  now(): number;
  /** Lines in the recording. */
  total(): number;
  /** Recording time at the playhead. */
  timeNow(): number;
  /** Publish the playhead. */
  publish(): void;
  pause(): void;
  seekTime(t: number): void;
}

/**
 * A worker replay's ticks on this thread: while playing, each tells the workers how far they may
 * read (the {@link ReplayClock}'s pacing), publishes the playhead, and at the end (or the loop's
 * end) pauses or loops; while seeking, it shows the seek's progress instead.
 */
export class WorkerReplayPacer {
  /** The loop's end line once looked up (undefined: not yet, or no loop). */
  loopEnd: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly h: PacerHost) {}

  schedule(): void {
    if (this.h.disposed()) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, TICK_MS);
  }

  /** No more ticks (disposed). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const { h } = this;
    const t0 = h.now();
    const m = h.manager();
    if (h.seeks.seeking > 0) {
      if (m) {
        const fraction = h.seeks.fraction(m.position);
        h.state.setState({ busy: { label: 'Seeking', fraction } });
      }
      h.clock.idle(t0);
      return this.schedule();
    }
    if (h.state.getState().playing && m) this.advance(m, t0);
    h.publish();
    if (h.state.getState().playing) this.schedule();
  }

  private advance(m: ReplayManager, t0: number): void {
    const { h } = this;
    const { speed, loop, looping, followLive, recording } = h.state.getState();
    const loopEnd = looping && loop ? this.loopEnd : undefined;
    const limit = loopEnd ?? h.total();
    const pace = h.clock.advance(t0, h.timeNow(), speed, followLive, limit);
    if (pace) m.playTo(pace.line, pace.time);
    if (m.position < limit || m.complete < limit) return;
    if (loopEnd !== undefined && loop) h.seekTime(loop.from);
    else if (!(followLive && recording)) h.pause();
  }
}
