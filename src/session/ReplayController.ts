import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import { type ChunkStore, ChunkWindow } from '../recording/ChunkWindow.ts';
import { sameRanges, windowMemory } from '../recording/memoryRanges.ts';
import { OutputDigest } from './OutputDigest.ts';
import { ReplayEngine } from './ReplayEngine.ts';
import {
  openedReplay,
  type Playback,
  type ReplaySpeed,
  type ReplayState,
  type ReplayStatePort,
} from './replayState.ts';

/** Chunks kept decoded after the playhead passes them (`ChunkWindow.keep`). */
const KEEP_CHUNKS = 24;
/** Memory for more kept chunks (`ChunkWindow.kept.keepBytes`), as the replay workers keep. */
const KEEP_BYTES = 64 * 1024 * 1024;

/** Tick period; each tick spends at most {@link BUDGET_MS} replaying so the page stays fluid. */
const TICK_MS = 16;
const BUDGET_MS = 12;
const SLICE = 256;
const SEEK_SLICE = 2000;

export interface ReplayControllerOptions {
  readonly doc: PipelineDoc;
  readonly recordingId: string;
  readonly name: string;
  /** Where the recording's chunks are read from, a bounded window at a time. */
  readonly store: ChunkStore;
  /** From the metadata: lines in the recording and its time span (epoch seconds). */
  readonly total: number;
  readonly start: number;
  readonly end: number;
  /** Outputs to show (batched by the caller); a seek delivers each node's value as of its target. */
  readonly deliver: (nodeId: string, event: Event) => void;
  readonly recording?: boolean;
  /** Chunks read ahead of the playhead (default 8). */
  readonly readAhead?: number;
  /** Memory for chunks already read, in bytes (default 64 MiB; 0: only the last 24 chunks). */
  readonly keepBytes?: number;
  readonly now?: () => number;
  /** Where the controller publishes its state (the studio passes its `replayStore`). */
  readonly state: ReplayStatePort;
}

/**
 * Plays a recording like Foxglove's player: play/pause, speed (0.1× … 100×, or as fast as
 * possible), seek, loop a range, step one event, follow a recording that is still growing. Time
 * is the recording's receipt time; the engine processes every line whose time the playhead has
 * passed, in order. Lines stream from IndexedDB through a {@link ChunkWindow} (memory bounded by
 * the read-ahead, whatever the recording's length); the timeline's span and counts come from the
 * metadata. Seeks restore the engine's nearest checkpoint (graph and adapters) and play forward,
 * so a seek to t then play gives the same outputs as playing from the start through t. State
 * goes to the `state` port (the studio's `replayStore`).
 */
export class ReplayController implements Playback {
  private engine: ReplayEngine;
  readonly window: ChunkWindow;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private clock = 0;
  private last = 0;
  private lastT: number;
  private seek: { target: number; from: number; restored: boolean } | undefined;
  /** Outputs are computed but not shown (seeking, searching for the previous event). */
  private silent = false;
  private loopEnd: number | undefined;
  private timeLookup = 0;
  private disposed = false;
  private readonly outDigest = new OutputDigest();
  /** Digest of outputs delivered while playing (not seeking) from line {@link digestFrom}. */
  get digest(): number {
    return this.outDigest.value;
  }
  /** Assigning (any value) starts the digest afresh. */
  set digest(_v: number) {
    this.outDigest.reset();
  }
  /** Digest outputs of lines from here on (Infinity, the default: no digest is taken). */
  digestFrom = Infinity;
  private readonly now: () => number;

  constructor(private readonly o: ReplayControllerOptions) {
    this.now = o.now ?? (() => performance.now());
    this.window = new ChunkWindow(o.store, o.total, o.readAhead ?? 8, () => this.schedule());
    // As the replay workers do: a seek back to a place read lately reads nothing.
    this.window.kept.keep = KEEP_CHUNKS;
    this.window.kept.keepBytes = o.keepBytes ?? KEEP_BYTES;
    this.engine = this.makeEngine(o.doc);
    this.lastT = o.start;
    this.o.state.setState(openedReplay(this, o));
    this.window.request(0);
  }

  private get s(): ReplayState {
    return this.o.state.getState();
  }

  play(): void {
    if (this.engine.position >= this.window.total && !this.s.followLive) this.seekLine(0);
    this.clock = this.timeAt(this.engine.position);
    this.last = this.now();
    this.o.state.setState({ playing: true });
    this.schedule();
  }

  pause(): void {
    this.o.state.setState({ playing: false });
  }

  toggle(): void {
    if (this.s.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: ReplaySpeed): void {
    this.clock = this.timeAt(this.engine.position);
    this.o.state.setState({ speed });
  }

  /** Seek so that every line received at or before `t` has been processed (found by index). */
  seekTime(t: number): void {
    const ask = ++this.timeLookup;
    void this.window.lineAfterTime(t).then((line) => {
      if (ask === this.timeLookup && !this.disposed) this.seekLine(line);
    });
  }

  /** Seek so that lines `[0, line)` have been processed (through checkpoints; see engine). */
  seekLine(line: number): void {
    const target = Math.max(0, Math.min(line, this.window.total));
    this.seek = { target, from: this.engine.position, restored: false };
    this.silent = true;
    this.o.state.setState({ busy: { label: 'Seeking', fraction: 0 } });
    this.schedule();
  }

  /** Run any pending seek to its end, as fast as the chunks load (tests, stepping). */
  async finishSeek(): Promise<void> {
    while (this.seek && !this.runSeek(Infinity)) await this.window.load(this.engine.position);
  }

  /** One event forward (to the next line that feeds the graph) or back. */
  async step(dir: 1 | -1): Promise<void> {
    this.pause();
    await this.finishSeek();
    if (dir < 0) return this.stepBack();
    const ev = this.engine.eventLines;
    const last = ev[ev.length - 1] ?? -1;
    while (this.engine.position < this.window.total && (ev[ev.length - 1] ?? -1) <= last) {
      await this.window.load(this.engine.position);
      this.engine.runTo(this.engine.position + 1);
    }
    this.publish();
  }

  /**
   * Set the loop range (what loops) and, if given, whether it loops. One model: selecting a
   * range (Shift-drag) keeps looping as it was; only ⟲ Loop, passing `looping`, turns it on or
   * off. No range means no loop.
   */
  setLoop(
    loop: { from: number; to: number } | undefined,
    looping = loop !== undefined && this.s.looping,
  ): void {
    this.o.state.setState({ loop, looping });
    this.loopEnd = undefined;
    if (loop) void this.window.lineAfterTime(loop.to).then((n) => (this.loopEnd = n));
  }

  setFollowLive(followLive: boolean): void {
    this.o.state.setState({ followLive });
    if (followLive) this.play();
  }

  /** The recording grew to `total` lines ending at `end`; `recording` false once it closed. */
  appended(total: number, end: number, recording: boolean): void {
    this.window.grow(total);
    this.o.state.setState({ total, end, recording });
    if (this.s.playing) this.schedule();
  }

  /** The pipeline changed: rebuild the engine and bring it back to where the playhead was. */
  rebuild(doc: PipelineDoc): void {
    const at = this.engine.position;
    this.engine = this.makeEngine(doc);
    this.seekLine(at);
  }

  /** Play from the current position to the end as fast as possible (tests). */
  async playToEnd(): Promise<void> {
    await this.finishSeek();
    while (this.engine.position < this.window.total) {
      await this.window.load(this.engine.position);
      this.engine.runTo(this.window.end);
    }
    this.publish();
  }

  /** Checkpoint lines the engine holds (tests, benches). */
  get checkpointLines(): number[] {
    return this.engine.checkpointLines;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.seek = undefined;
    if (this.o.state.getState().controller === this)
      this.o.state.setState({ controller: undefined });
  }

  private makeEngine(doc: PipelineDoc): ReplayEngine {
    return new ReplayEngine(doc, this.window, (nodeId, e, line) => {
      // While seeking, only each node's value as of the target is shown (at the end).
      if (this.silent) return;
      if (line >= this.digestFrom) this.outDigest.add(nodeId, e);
      this.o.deliver(nodeId, e);
    });
  }

  /** Step back: to just after the event before the one the playhead shows. */
  private async stepBack(): Promise<void> {
    const cur = await this.eventBefore(this.engine.position);
    const prev = cur === undefined ? undefined : await this.eventBefore(cur);
    this.seekLine(prev === undefined ? 0 : prev + 1);
    await this.finishSeek();
  }

  /**
   * The last line before `line` that fed the graph: replayed (silently) from the checkpoint
   * before it, then from earlier checkpoints while none is found. Costs about one checkpoint
   * spacing, wherever `line` is, and needs no history of the whole replay.
   */
  private async eventBefore(line: number): Promise<number | undefined> {
    this.silent = true;
    try {
      for (let upTo = line; upTo > 0;) {
        const from = this.engine.restoreFor(upTo - 1, true);
        while (this.engine.position < upTo) {
          await this.window.load(this.engine.position);
          this.engine.runTo(Math.min(upTo, this.window.end));
        }
        const ev = this.engine.eventLines;
        for (let k = ev.length - 1; k >= 0 && ev[k]! >= from; k--) if (ev[k]! < upTo) return ev[k];
        upTo = from;
      }
      return undefined;
    } finally {
      this.silent = false;
    }
  }

  private schedule(): void {
    if (this.disposed) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, TICK_MS);
  }

  /** Advance the pending seek within `budgetMs`; true when it is done. */
  private runSeek(budgetMs: number): boolean {
    const seek = this.seek!;
    const t0 = this.now();
    if (!seek.restored) {
      seek.from = this.engine.restoreFor(seek.target);
      seek.restored = true;
    }
    const e = this.engine;
    while (e.position < seek.target && this.now() - t0 < budgetMs) {
      if (!this.window.request(e.position)) break;
      e.runTo(Math.min(seek.target, e.position + SEEK_SLICE));
    }
    if (e.position < seek.target && e.position < this.window.total) {
      const fraction = (e.position - seek.from) / Math.max(1, seek.target - seek.from);
      this.o.state.setState({ busy: { label: 'Seeking', fraction } });
      return false;
    }
    this.endSeek();
    return true;
  }

  private tick(): void {
    const t0 = this.now();
    if (this.seek) {
      if (!this.runSeek(BUDGET_MS)) return this.schedule();
      this.clock = this.timeAt(this.engine.position);
      this.last = t0;
    }
    if (this.s.playing) this.advance(t0);
    this.publish();
    if (this.s.playing) this.schedule();
  }

  private advance(t0: number): void {
    const { speed, loop, looping, followLive, recording } = this.s;
    const total = this.window.total;
    const e = this.engine;
    const dt = (t0 - this.last) / 1000;
    this.last = t0;
    this.clock += speed === 'max' ? Infinity : dt * speed;
    let target = speed === 'max' ? total : this.window.linesUpTo(this.clock);
    const loopEnd = looping && loop ? this.loopEnd : undefined;
    if (loopEnd !== undefined) target = Math.min(target, loopEnd);
    if (followLive) target = total;
    while (e.position < target && this.now() - t0 < BUDGET_MS) {
      if (!this.window.request(e.position)) break;
      e.runTo(Math.min(target, e.position + SLICE));
    }
    // Behind (the page could not keep up, or chunks are loading): slow down rather than skip.
    if (e.position < target) this.clock = this.timeAt(e.position);
    if (e.position < (loopEnd ?? total)) return;
    if (loopEnd !== undefined && loop) this.seekTime(loop.from);
    else if (!(followLive && recording)) this.pause();
  }

  private endSeek(): void {
    this.seek = undefined;
    this.silent = false;
    for (const [nodeId, e] of this.engine.latest) this.o.deliver(nodeId, e);
    this.o.state.setState({ busy: undefined });
    this.publish();
  }

  private publish(): void {
    const p = this.engine.position;
    this.o.state.setState({ position: p, t: this.timeAt(p), total: this.window.total });
    const memory = windowMemory(this.window);
    if (!sameRanges(this.s.memory, memory)) this.o.state.setState({ memory });
  }

  /** Receipt time of the last processed line when `p` lines are done (the window keeps it). */
  private timeAt(p: number): number {
    if (p === 0) return this.o.start;
    if (this.window.has(p - 1)) this.lastT = this.window.time(p - 1);
    return this.lastT;
  }
}
