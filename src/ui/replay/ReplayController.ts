import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event } from '../../core/events.ts';
import { ReplayEngine } from './ReplayEngine.ts';
import { type ReplaySpeed, type ReplayState, replayStore } from './replayStore.ts';

/** Tick period; each tick spends at most {@link BUDGET_MS} replaying so the page stays fluid. */
const TICK_MS = 16;
const BUDGET_MS = 12;
const SLICE = 256;

export interface ReplayControllerOptions {
  readonly doc: PipelineDoc;
  readonly recordingId: string;
  readonly name: string;
  /** Line texts and receipt times; shared, appended to while following a live recording. */
  readonly lines: string[];
  readonly ts: number[];
  /** Outputs to show (batched by the caller); a seek delivers each node's value as of its target. */
  readonly deliver: (nodeId: string, event: Event) => void;
  /** SIM-only recordings: no adapter state, seeks skip re-decoding. */
  readonly statelessDecoder?: boolean;
  readonly recording?: boolean;
  readonly now?: () => number;
}

/**
 * Plays a recording like Foxglove's player: play/pause, speed (0.1× … 100×, or as fast as
 * possible), seek, loop a range, step one event, follow a recording that is still growing. Time
 * is the recording's receipt time; the engine processes every line whose time the playhead has
 * passed, in order. Seeks go through the engine's checkpoints, so a seek to t then play gives
 * the same outputs as playing from the start through t. State goes to `replayStore`.
 */
export class ReplayController {
  private engine: ReplayEngine;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private clock = 0;
  private last = 0;
  private seekJob: Generator<number, void> | undefined;
  private seeking = false;
  /** FNV-1a of outputs delivered while playing (not seeking) from line {@link digestFrom}. */
  digest = 0x811c9dc5;
  digestFrom = 0;
  private readonly now: () => number;

  constructor(private readonly o: ReplayControllerOptions) {
    this.now = o.now ?? (() => performance.now());
    this.engine = this.makeEngine(o.doc);
    replayStore.setState({
      controller: this,
      recordingId: o.recordingId,
      name: o.name,
      start: o.ts[0] ?? 0,
      end: o.ts[o.ts.length - 1] ?? 0,
      t: o.ts[0] ?? 0,
      position: 0,
      total: o.lines.length,
      playing: false,
      loop: undefined,
      looping: false,
      recording: o.recording ?? false,
      followLive: false,
      busy: undefined,
    });
  }

  private get s(): ReplayState {
    return replayStore.getState();
  }

  play(): void {
    if (this.engine.position >= this.o.lines.length && !this.s.followLive) this.seekLine(0);
    this.clock = this.timeAt(this.engine.position);
    this.last = this.now();
    replayStore.setState({ playing: true });
    this.schedule();
  }

  pause(): void {
    replayStore.setState({ playing: false });
  }

  toggle(): void {
    if (this.s.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: ReplaySpeed): void {
    this.clock = this.timeAt(this.engine.position);
    replayStore.setState({ speed });
  }

  /** Seek so that every line received at or before `t` has been processed. */
  seekTime(t: number): void {
    this.seekLine(upperBound(this.o.ts, t));
  }

  /** Seek so that lines `[0, line)` have been processed (through checkpoints; see engine). */
  seekLine(line: number): void {
    this.seekJob = this.engine.seek(line, 2000);
    this.seeking = true;
    replayStore.setState({ busy: { label: 'Seeking', fraction: 0 } });
    this.schedule();
  }

  /** One event forward (the next line that feeds the graph) or back. */
  step(dir: 1 | -1): void {
    this.pause();
    this.finishSeek();
    if (dir > 0) {
      const n = this.engine.eventLines.length;
      while (this.engine.position < this.o.lines.length && this.engine.eventLines.length === n)
        this.engine.runTo(this.engine.position + 1);
      this.publish();
      return;
    }
    const ev = this.engine.eventLines;
    const prev = ev[ev.length - 2];
    this.seekLine(prev === undefined ? 0 : prev + 1);
    this.finishSeek();
  }

  setLoop(loop: { from: number; to: number } | undefined, looping = loop !== undefined): void {
    replayStore.setState({ loop, looping });
  }

  setFollowLive(followLive: boolean): void {
    replayStore.setState({ followLive });
    if (followLive) this.play();
  }

  /** More lines arrived (a recording being written); `recording` false once it has closed. */
  appended(recording: boolean): void {
    const { ts } = this.o;
    replayStore.setState({ total: this.o.lines.length, end: ts[ts.length - 1] ?? 0, recording });
    if (this.s.playing) this.schedule();
  }

  /** The pipeline changed: rebuild the engine and bring it back to where the playhead was. */
  rebuild(doc: PipelineDoc): void {
    const at = this.engine.position;
    this.engine = this.makeEngine(doc);
    this.seekLine(at);
  }

  /** Run any pending seek to its end now (tests, stepping). */
  finishSeek(): void {
    while (this.seekJob && !this.seekJob.next().done);
    if (this.seekJob) this.endSeek();
  }

  /** Play from the current position to the end as fast as possible, synchronously (tests). */
  playToEnd(): void {
    this.finishSeek();
    this.engine.runTo(this.o.lines.length);
    this.publish();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.seekJob = undefined;
    if (replayStore.getState().controller === this) replayStore.setState({ controller: undefined });
  }

  private makeEngine(doc: PipelineDoc): ReplayEngine {
    return new ReplayEngine(
      doc,
      this.o.lines,
      (nodeId, e, line) => {
        // While seeking, only each node's value as of the target is shown (at the end).
        if (this.seeking) return;
        if (line >= this.digestFrom)
          this.digest = fnv(this.digest, `${nodeId}|${JSON.stringify(e)}`);
        this.o.deliver(nodeId, e);
      },
      this.o.statelessDecoder ?? false,
    );
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, TICK_MS);
  }

  private tick(): void {
    const t0 = this.now();
    if (this.seekJob) {
      let r = this.seekJob.next();
      while (!r.done && this.now() - t0 < BUDGET_MS) r = this.seekJob.next();
      if (!r.done) {
        replayStore.setState({ busy: { label: 'Seeking', fraction: r.value } });
        return this.schedule();
      }
      this.endSeek();
      this.clock = this.timeAt(this.engine.position);
      this.last = t0;
    }
    if (this.s.playing) this.advance(t0);
    this.publish();
    if (this.s.playing) this.schedule();
  }

  private advance(t0: number): void {
    const { speed, loop, looping, followLive, recording } = this.s;
    const total = this.o.lines.length;
    const dt = (t0 - this.last) / 1000;
    this.last = t0;
    this.clock += speed === 'max' ? Infinity : dt * speed;
    let target = speed === 'max' ? total : upperBound(this.o.ts, this.clock);
    const loopEnd = looping && loop ? upperBound(this.o.ts, loop.to) : undefined;
    if (loopEnd !== undefined) target = Math.min(target, loopEnd);
    if (followLive) target = total;
    while (this.engine.position < target && this.now() - t0 < BUDGET_MS)
      this.engine.runTo(Math.min(target, this.engine.position + SLICE));
    // Behind (the page could not keep up): slow down rather than skip.
    if (this.engine.position < target) this.clock = this.timeAt(this.engine.position);
    const atEnd = this.engine.position >= (loopEnd ?? total);
    if (!atEnd) return;
    if (loopEnd !== undefined && loop) this.seekTime(loop.from);
    else if (!(followLive && recording)) this.pause();
  }

  private endSeek(): void {
    this.seekJob = undefined;
    this.seeking = false;
    for (const [nodeId, e] of this.engine.latest) this.o.deliver(nodeId, e);
    replayStore.setState({ busy: undefined });
    this.publish();
  }

  private publish(): void {
    const p = this.engine.position;
    replayStore.setState({ position: p, t: this.timeAt(p), total: this.o.lines.length });
  }

  /** Receipt time of the last processed line when `p` lines are done. */
  private timeAt(p: number): number {
    return p > 0 ? this.o.ts[p - 1]! : (this.o.ts[0] ?? 0);
  }
}

/** First index whose time is after `t` (= number of lines at or before `t`). */
export function upperBound(ts: readonly number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
