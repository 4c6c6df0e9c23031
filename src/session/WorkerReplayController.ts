import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { ReplayManager } from '../runtime/ReplayManager.ts';
import type { ReplayReport, ReplayWorkerTimes } from '../runtime/replayTypes.ts';
import { Conditions } from './Conditions.ts';
import { ReplayClock } from './ReplayClock.ts';
import { FedLines } from './FedLines.ts';
import { lineAfterTime } from './lineAfterTime.ts';
import { CHECKPOINT_LINES, MAX_CHECKPOINTS } from './ReplayEngine.ts';
import { ReplayOutputs } from './ReplayOutputs.ts';
import { openedReplay, type Playback, type ReplaySpeed, type ReplayState } from './replayState.ts';
import { planWorkers, type WorkerPlan } from './workerPlan.ts';
import type { WorkerReplayOptions } from './WorkerReplayOptions.ts';

export type { ReplayWorkers, WorkerReplayOptions } from './WorkerReplayOptions.ts';

const TICK_MS = 16;

/**
 * Playback of a recording replayed **in workers**, with the live partitioning: this thread
 * paces and renders only. The workers owning sources stream the recording's lines from
 * IndexedDB (or memory) and decode them; every input carries its recording line as sequence, so
 * the cross-worker merge and the output order are deterministic (by line, output position,
 * emission) in every partitioning. The clock runs here: each tick tells the workers how far they
 * may read (a line and a receipt time). A seek restores every worker at one common checkpoint
 * line and replays forward silently (each node's value as of the target is shown at the end), so
 * seeking then playing gives exactly what playing from the start gives. Implements the same
 * {@link Playback} as the in-thread `ReplayController`, publishing to the same state port.
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
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly clock: ReplayClock;
  private seeking = 0;
  private seekTicket = 0;
  private seekFrom = 0;
  private seekTarget = 0;
  private loopEnd: number | undefined;
  private timeLookup = 0;
  private disposed = false;
  private failed: string | undefined;
  private readonly conditions = new Conditions(() => this.disposed || this.failed !== undefined);
  private readonly now: () => number;
  private readonly times = new Map<number, ReplayWorkerTimes>();

  constructor(private readonly o: WorkerReplayOptions) {
    this.now = o.now ?? (() => performance.now());
    this.outputs = new ReplayOutputs(o.deliver);
    this.clock = new ReplayClock(this.now);
    this.total = o.total;
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
    this.schedule();
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
    this.seeking++;
    const ticket = ++this.seekTicket;
    this.o.state.setState({ busy: { label: 'Seeking', fraction: 0 } });
    this.enqueue(async () => {
      // A later seek supersedes this one (a drag on the timeline asks for many): only it runs.
      if (ticket !== this.seekTicket) {
        this.seeking--;
        return;
      }
      await this.runSeek(target);
    });
    this.schedule();
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
    if (dir < 0) {
      // To just after the event before the one the playhead shows.
      this.enqueue(async () => {
        const cur = await this.eventBefore(this.position);
        const prev = cur === undefined ? undefined : await this.eventBefore(cur);
        this.seeking++;
        await this.runSeek(prev === undefined ? 0 : prev + 1);
      });
      return this.finishSeek();
    }
    this.enqueue(async () => {
      const m = this.manager;
      if (!m) return;
      let p = await m.hold();
      await this.until(() => m.complete >= p);
      while (p < this.total && !this.disposed && !this.failed) {
        const line = p;
        m.playTo(line + 1, Infinity);
        await this.until(() => m.position > line && m.complete > line);
        p = line + 1;
        if (this.fed.has(line)) break;
      }
      this.publish();
    });
    return this.finishSeek();
  }

  setLoop(
    loop: { from: number; to: number } | undefined,
    looping = loop !== undefined && this.s.looping,
  ): void {
    this.o.state.setState({ loop, looping });
    this.loopEnd = undefined;
    this.clock.resend();
    if (loop) void this.lineAfterTime(loop.to).then((n) => (this.loopEnd = n));
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
    if (this.s.playing) this.schedule();
  }

  /** The pipeline changed: new workers, brought back to where the playhead was. */
  rebuild(doc: PipelineDoc): void {
    const at = this.position;
    this.enqueue(async () => {
      await this.manager?.stop();
      this.manager = undefined;
      this.outputs.clear();
      this.fed.clear();
      this.times.clear();
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
    clearTimeout(this.timer);
    this.timer = undefined;
    this.conditions.wake();
    void this.ready.then(() => this.manager?.stop());
    if (this.o.state.getState().controller === this)
      this.o.state.setState({ controller: undefined, workers: undefined });
  }

  private get position(): number {
    return this.manager?.position ?? 0;
  }

  private timeNow(): number {
    return this.position === 0 ? this.o.start : (this.manager?.time ?? this.o.start);
  }

  private async launch(doc: PipelineDoc): Promise<void> {
    const o = this.o;
    try {
      const plan = planWorkers(doc, o.hardwareConcurrency ?? 2, o.strategy);
      if (!plan.graph) return;
      this.plan = plan;
      const manager: ReplayManager = new ReplayManager(plan.graph, o.platform, {
        checkpointLines: CHECKPOINT_LINES,
        maxCheckpoints: MAX_CHECKPOINTS,
        input: o.input,
        onOutputs: (outs) => {
          if (this.manager !== manager) return;
          this.outputs.add(outs, plan.idsAtOutput);
          this.conditions.wake();
        },
        onComplete: (line) => {
          if (this.manager !== manager) return;
          this.outputs.passed(line);
          this.conditions.wake();
        },
        onReport: (r) => this.manager === manager && this.onReport(r),
        onRecovery: (recovered) => {
          if (this.manager !== manager) return;
          const list = this.s.workers ?? [];
          this.o.state.setState({
            workers: list.map((w) =>
              w.index === recovered.worker ? { ...w, restarts: w.restarts + 1 } : w,
            ),
          });
          o.onStatus?.({ workers: plan.graph!.subgraphs.length, recovered });
        },
        onFatal: (message, worker) =>
          this.manager === manager && this.workerFailed(worker, message),
      });
      await manager.start();
      // Only now: pacing must not reach workers whose ports are still being wired.
      this.manager = manager;
      this.applyThin();
      const workers = plan.graph.subgraphs.map((g) => ({
        index: g.index,
        nodeIds: g.nodes.flatMap((i) => plan.idsAtNode[i] ?? []),
        restarts: 0,
      }));
      this.o.state.setState({ workers });
      if (this.disposed) await manager.stop();
      else o.onStatus?.({ workers: plan.graph.subgraphs.length });
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain
      .then(() => this.ready)
      .then(step)
      .catch((e: unknown) => this.fail(e instanceof Error ? e.message : String(e)));
  }

  /**
   * Seek to `target` (the caller counted it in `seeking`), restoring a checkpoint below `below`;
   * returns the line restored: the fed lines from there to `target` are known afterwards.
   */
  private async runSeek(target: number, below = Infinity): Promise<number> {
    const m = this.manager;
    let from = 0;
    try {
      if (!m || this.disposed) return 0;
      this.clock.resend();
      this.outputs.silentBelow = target;
      this.seekTarget = target;
      from = await m.seek(
        target,
        (line) => line === 0 || (line < below && this.outputs.knowsValuesAt(line)),
        (at) => {
          this.seekFrom = at;
          this.outputs.restoreAt(at);
          // The fed lines cover [at, …) again as the workers replay.
          this.fed.rewind(at);
        },
      );
      await this.until(() => m.position >= target && m.complete >= target);
      this.clock.restart(this.timeNow());
    } finally {
      this.seeking--;
      if (this.seeking === 0) {
        this.outputs.showLatest();
        this.o.state.setState({ busy: undefined });
      }
      this.publish();
    }
    return from;
  }

  /** Each worker's busy time so far, as last reported (benches). */
  workerTimes(): ReadonlyMap<number, ReplayWorkerTimes> {
    return this.times;
  }

  private onReport(r: ReplayReport): void {
    if (r.spentMs) this.times.set(r.worker, r.spentMs);
    if (r.error !== undefined) this.fail(r.error);
    for (const f of r.userFailures ?? []) this.o.onUserFailure?.(f);
    this.fed.add(r.fed);
    this.conditions.wake();
  }

  /** Worker `index` is given up on: its row says so, and the error names its nodes. */
  private workerFailed(index: number, message: string): void {
    const list = this.s.workers ?? [];
    const nodes = list.find((w) => w.index === index)?.nodeIds ?? [];
    this.o.state.setState({
      workers: list.map((w) => (w.index === index ? { ...w, failed: message } : w)),
    });
    this.fail(nodes.length > 0 ? `${message} (its nodes: ${nodes.join(', ')})` : message);
  }

  private fail(message: string): void {
    if (this.failed !== undefined) return;
    this.failed = message;
    this.o.state.setState({ playing: false, busy: undefined });
    this.o.onStatus?.({ error: message });
    this.conditions.wake();
  }

  /**
   * The last line before `line` that fed the graph: from the remembered fed lines, else found
   * by replaying (silently) from the checkpoint before it, then earlier ones while none is found
   * — about one checkpoint spacing, wherever `line` is.
   */
  private async eventBefore(line: number): Promise<number | undefined> {
    const hit = this.fed.before(line);
    if (hit !== undefined && hit >= this.fed.from) return hit;
    for (let upTo = line; upTo > 0 && !this.disposed && !this.failed;) {
      this.seeking++;
      const from = await this.runSeek(upTo, upTo);
      const found = this.fed.before(upTo);
      if (found !== undefined && found >= from) return found;
      upTo = from;
    }
    return undefined;
  }

  private until(cond: () => boolean): Promise<void> {
    return this.conditions.until(cond);
  }

  private schedule(): void {
    if (this.disposed) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, TICK_MS);
  }

  private tick(): void {
    const t0 = this.now();
    const m = this.manager;
    if (this.seeking > 0) {
      if (m) {
        const span = Math.max(1, this.seekTarget - this.seekFrom);
        const fraction = Math.max(0, Math.min(1, (m.position - this.seekFrom) / span));
        this.o.state.setState({ busy: { label: 'Seeking', fraction } });
      }
      this.clock.idle(t0);
      return this.schedule();
    }
    if (this.s.playing && m) this.advance(m, t0);
    this.publish();
    if (this.s.playing) this.schedule();
  }

  private advance(m: ReplayManager, t0: number): void {
    const { speed, loop, looping, followLive, recording } = this.s;
    const loopEnd = looping && loop ? this.loopEnd : undefined;
    const limit = loopEnd ?? this.total;
    const pace = this.clock.advance(t0, this.timeNow(), speed, followLive, limit);
    if (pace) m.playTo(pace.line, pace.time);
    if (m.position < limit || m.complete < limit) return;
    if (loopEnd !== undefined && loop) this.seekTime(loop.from);
    else if (!(followLive && recording)) this.pause();
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
