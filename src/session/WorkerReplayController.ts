import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { ReplayManager } from '../runtime/ReplayManager.ts';
import type { ReplayWorkerTimes } from '../runtime/replayTypes.ts';
import { Conditions } from './Conditions.ts';
import { ReplayClock } from './ReplayClock.ts';
import { FedLines } from './FedLines.ts';
import { lineAfterTime } from './lineAfterTime.ts';
import { ReplayOutputs } from './ReplayOutputs.ts';
import { openedReplay, type Playback, type ReplaySpeed, type ReplayState } from './replayState.ts';
import type { WorkerPlan } from './workerPlan.ts';
import { launchReplayWorkers } from './launchReplayWorkers.ts';
import type { WorkerReplayOptions } from './WorkerReplayOptions.ts';
import { WorkerReplayPacer } from './WorkerReplayPacer.ts';
import { WorkerReplaySeeks } from './WorkerReplaySeeks.ts';
import { WorkerReplayStatus } from './WorkerReplayStatus.ts';

export type { ReplayWorkers, WorkerReplayOptions } from './WorkerReplayOptions.ts';

/**
 * Playback of a recording replayed **in workers**, with the live partitioning: this thread
 * paces and renders only. The workers owning sources stream the recording's lines from
 * IndexedDB (or memory) and decode them; every input carries its recording line as sequence, so
 * the cross-worker merge and the output order are deterministic (by line, output position,
 * emission) in every partitioning. The clock runs here: each tick tells the workers how far they
 * may read (a line and a receipt time). A seek restores every worker at one common checkpoint
 * line and replays forward silently (each node's value as of the target is shown at the end), so
 * seeking then playing gives exactly what playing from the start gives. Implements the same
 * {@link Playback} as the in-thread `ReplayController`, publishing to the same state port. Its
 * parts: {@link WorkerReplaySeeks} (seeks), {@link WorkerReplayPacer} (ticks, pacing, loop) and
 * {@link WorkerReplayStatus} (worker rows, status, errors, times).
 */
export class WorkerReplayController implements Playback {
  private readonly outputs: ReplayOutputs;
  /** Digest of outputs shown from line {@link digestFrom} on (per node, see OutputDigest). */
  get digest(): number {
    return this.outputs.digestValue;
  }
  /** Assigning (any value) starts the digest afresh. */
  set digest(_v: number) {
    this.outputs.resetDigest();
  }
  /** Digest outputs of lines from here on (Infinity, the default: no digest). */
  get digestFrom(): number {
    return this.outputs.digestFrom;
  }
  set digestFrom(line: number) {
    this.outputs.digestFrom = line;
    this.applyThin();
  }
  private series: readonly string[] = [];
  private manager: ReplayManager | undefined;
  private plan: WorkerPlan | undefined;
  private ready: Promise<void>;
  /** Seeks, steps and rebuilds run one at a time, in call order. */
  private chain: Promise<void> = Promise.resolve();
  private total: number;
  private readonly fed = new FedLines();
  private readonly clock: ReplayClock;
  private timeLookup = 0;
  private disposed = false;
  private readonly status: WorkerReplayStatus;
  private readonly conditions = new Conditions(
    () => this.disposed || this.status.failed !== undefined,
  );
  private readonly now: () => number;
  private readonly seeks: WorkerReplaySeeks;
  private readonly pacer: WorkerReplayPacer;

  constructor(private readonly o: WorkerReplayOptions) {
    this.now = o.now ?? (() => performance.now());
    this.outputs = new ReplayOutputs(o.deliver);
    this.clock = new ReplayClock(this.now);
    this.total = o.total;
    this.status = new WorkerReplayStatus(o, this.fed, () => this.conditions.wake());
    const host = {
      state: o.state,
      outputs: this.outputs,
      fed: this.fed,
      clock: this.clock,
      manager: () => this.manager,
      disposed: () => this.disposed,
      ended: () => this.disposed || !!this.status.failed,
      until: (cond: () => boolean) => this.until(cond),
      now: this.now,
      total: () => this.total,
      timeNow: () => this.timeNow(),
      publish: () => this.publish(),
      pause: () => this.pause(),
      seekTime: (t: number) => this.seekTime(t),
    };
    this.seeks = new WorkerReplaySeeks(host);
    this.pacer = new WorkerReplayPacer({ ...host, seeks: this.seeks });
    this.o.state.setState(openedReplay(this, o));
    this.ready = this.launch(o.doc);
  }

  private get s(): ReplayState {
    return this.o.state.getState();
  }

  /** Workers in use (0 until started or when nothing runs). */
  get workers(): number {
    return this.plan?.graph.subgraphs.length ?? 0;
  }

  play(): void {
    if (this.position >= this.total && !this.s.followLive) this.seekLine(0);
    this.clock.restart(this.timeNow());
    this.o.state.setState({ playing: true });
    this.pacer.schedule();
  }

  pause(): void {
    this.o.state.setState({ playing: false });
    this.clock.resend();
    // The source workers stop at one common line (each may have read ahead of the others).
    // A replay stopped meanwhile refuses the hold: nothing is left to stop.
    void this.ready.then(() => this.manager?.hold()).catch(() => undefined);
  }

  toggle(): void {
    if (this.s.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: ReplaySpeed): void {
    this.clock.set(this.timeNow());
    this.o.state.setState({ speed });
  }

  seekTime(t: number): void {
    const ask = ++this.timeLookup;
    void this.lineAfterTime(t).then((line) => {
      if (ask === this.timeLookup && !this.disposed) this.seekLine(line);
    });
  }

  seekLine(line: number): void {
    const target = Math.max(0, Math.min(line, this.total));
    const seek = this.seeks.asked(target);
    this.o.state.setState({ busy: { label: 'Seeking', fraction: 0 } });
    this.enqueue(seek);
    this.pacer.schedule();
  }

  async finishSeek(): Promise<void> {
    for (let c = this.chain; ; c = this.chain) {
      await c;
      if (c === this.chain) return;
    }
  }

  async step(dir: 1 | -1): Promise<void> {
    this.pause();
    await this.finishSeek();
    this.enqueue(() => (dir < 0 ? this.seeks.stepBack(this.position) : this.seeks.stepForward()));
    return this.finishSeek();
  }

  setLoop(
    loop: { from: number; to: number } | undefined,
    looping = loop !== undefined && this.s.looping,
  ): void {
    this.o.state.setState({ loop, looping });
    this.pacer.loopEnd = undefined;
    this.clock.resend();
    if (loop) void this.lineAfterTime(loop.to).then((n) => (this.pacer.loopEnd = n));
  }

  setFollowLive(followLive: boolean): void {
    this.o.state.setState({ followLive });
    if (followLive) this.play();
  }

  /** The recording grew to `total` lines (`chunks` chunks) ending at `end`. */
  appended(total: number, end: number, recording: boolean, chunks?: number): void {
    this.total = total;
    this.manager?.grow(total, chunks ?? Number.MAX_SAFE_INTEGER);
    this.o.state.setState({ total, end, recording });
    this.clock.resend();
    if (this.s.playing) this.pacer.schedule();
  }

  /** The pipeline changed: new workers, brought back to where the playhead was. */
  rebuild(doc: PipelineDoc): void {
    const at = this.position;
    this.enqueue(async () => {
      await this.manager?.stop();
      this.manager = undefined;
      this.outputs.clear();
      this.fed.clear();
      this.status.clearTimes();
      this.ready = this.launch(doc);
      await this.ready;
    });
    this.seekLine(at);
  }

  async playToEnd(): Promise<void> {
    await this.finishSeek();
    await this.ready;
    const m = this.manager;
    if (m) {
      m.playTo(this.total, Infinity);
      await this.until(() => m.position >= this.total && m.complete >= this.total);
    }
    this.publish();
  }

  /** Nodes whose every event the page needs (charted); with `thin`, the rest ship latest-only. */
  setSeries(nodeIds: readonly string[]): void {
    this.series = [...nodeIds];
    this.applyThin();
  }

  private applyThin(): void {
    const m = this.manager;
    const plan = this.plan;
    if (!m || !plan || !this.o.thin) return;
    const want = new Set(this.series);
    const positions = plan.idsAtOutput.flatMap((ids, pos) =>
      ids.some((id) => want.has(id)) ? [pos] : [],
    );
    m.setThin(this.outputs.digestFrom === Infinity, positions);
  }

  fault(index: number): void {
    void this.ready.then(() => this.manager?.fault(index));
  }

  /** Checkpoint lines every worker holds (tests, benches). */
  async checkpointLines(): Promise<number[]> {
    await this.ready;
    return this.manager ? this.manager.checkpointLines() : [0];
  }

  dispose(): void {
    this.disposed = true;
    this.pacer.cancel();
    this.conditions.wake();
    void this.ready.then(() => this.manager?.stop());
    if (this.o.state.getState().controller === this)
      this.o.state.setState({
        controller: undefined,
        workers: undefined,
        moved: undefined,
        merged: undefined,
      });
  }

  private get position(): number {
    return this.manager?.position ?? 0;
  }

  private timeNow(): number {
    return this.position === 0 ? this.o.start : (this.manager?.time ?? this.o.start);
  }

  private async launch(doc: PipelineDoc): Promise<void> {
    try {
      const started = await launchReplayWorkers(this.o, doc, {
        outputs: this.outputs,
        status: this.status,
        current: (m) => this.manager === m,
        wake: () => this.conditions.wake(),
        planned: (plan) => (this.plan = plan),
      });
      if (!started) return;
      const { manager, plan } = started;
      // Only now: pacing must not reach workers whose ports are still being wired.
      this.manager = manager;
      this.applyThin();
      this.status.started(plan);
      // What the workers said they hold while they started (not yet current: not heard then).
      this.status.showMemory(manager.memory);
      if (this.disposed) await manager.stop();
      else this.o.onStatus?.({ workers: plan.graph.subgraphs.length });
    } catch (e) {
      this.status.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain
      .then(() => this.ready)
      .then(step)
      .catch((e: unknown) => this.status.fail(e instanceof Error ? e.message : String(e)));
  }

  /** Each worker's busy time so far, as last reported (benches). */
  workerTimes(): ReadonlyMap<number, ReplayWorkerTimes> {
    return this.status.workerTimes();
  }

  private until(cond: () => boolean): Promise<void> {
    return this.conditions.until(cond);
  }

  private publish(): void {
    if (this.disposed) return;
    const p = this.position;
    this.o.state.setState({ position: p, t: this.timeNow(), total: this.total });
  }

  private lineAfterTime(t: number): Promise<number> {
    return lineAfterTime(this.o.store, t);
  }
}
