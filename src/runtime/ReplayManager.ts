import type { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import { OutputCollector } from './OutputCollector.ts';
import { listen, type RuntimePlatform } from './ports.ts';
import { commonLine, ReplayBackups } from './ReplayBackups.ts';
import { ReplayProgress } from './ReplayProgress.ts';
import type {
  ReplayCheckpointCopy,
  ReplayManagerOptions,
  ReplayRecovery,
  ReplayReport,
} from './replayTypes.ts';
import { transferPort } from './rpc.ts';
import { BatchedPortReceiver } from './Transport.ts';
import { laneOf } from './workerConfigs.ts';
import { type ReplaySlot, retireSlot, spawnReplaySlot, WorkerLost } from './ReplaySlot.ts';

// The manager's contracts live beside the worker's (replayTypes.ts); importers find them here.
export type { ReplayManagerOptions, ReplayRecovery };

/** A worker crashing this often without the replay getting further is given up on. */
const MAX_CRASHES_IN_PLACE = 3;
/**
 * A worker crashing this often in one replay, wherever, is given up on too: one that crashes a
 * little further each time (a bug hit every few thousand lines) would otherwise be restarted
 * forever.
 */
export const MAX_CRASHES_PER_WORKER = 5;

/**
 * The main-thread side of a replay in workers: spawns one worker per subgraph (the live
 * partitioning), wires them worker → worker with MessageChannels, paces the workers that read
 * the recording ({@link playTo}: lines and receipt time they may read up to), and merges the
 * workers' results into the canonical order (OutputCollector). It never reads or decodes a
 * line. {@link seek} restores every worker at one common checkpoint line, on fresh ports (an
 * `epoch`), so nothing in flight from before the seek can arrive after it. A crashed worker is
 * replaced, given its predecessor's checkpoints (copied here as they are made), and every worker
 * restored at their last common checkpoint line at or below what was delivered; outputs already
 * delivered are dropped as the workers replay them, so the outputs equal an uninterrupted replay.
 */
export class ReplayManager {
  private slots: ReplaySlot[] = [];
  private epoch = 0;
  private collector!: OutputCollector;
  private readonly progress: ReplayProgress;
  readonly sourceWorkers: readonly number[];
  private stopped = false;
  /** An epoch's ports are being connected: pacing waits (see {@link playTo}). */
  private wiring = false;
  private readonly backups = new ReplayBackups();
  /** Seeks, holds and recoveries rewire the workers: one at a time. */
  private exclusive: Promise<unknown> = Promise.resolve();
  /** Outputs of lines below this were delivered before a crash (replayed, not passed on). */
  private dropBelow = 0;
  private pace = { line: 0, time: -Infinity };
  private thin: readonly [boolean, readonly number[]] | undefined;
  private grown: readonly [number, number] | undefined;
  private readonly crashes = new Map<number, { at: number; count: number; total: number }>();

  constructor(
    readonly graph: FeatureStreamWorkerGraph,
    private readonly platform: RuntimePlatform,
    private readonly o: ReplayManagerOptions,
  ) {
    this.sourceWorkers = graph.subgraphs.filter((s) => s.sources.length > 0).map((s) => s.index);
    this.progress = new ReplayProgress(this.sourceWorkers);
  }

  /** Spawn, configure and wire every worker; they read nothing until {@link playTo}. */
  async start(): Promise<void> {
    const spawned = await Promise.allSettled(
      this.graph.subgraphs.map((plan) => this.spawn(plan.index)),
    );
    const ok = spawned.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = spawned.find((r) => r.status === 'rejected');
    if (failed) {
      ok.forEach(retireSlot);
      throw failed.reason;
    }
    this.slots = ok;
    await this.wire();
  }

  /** What each source worker last said it holds in memory (time ranges), since it started. */
  readonly memory = new Map<number, readonly number[]>();

  /** Lines every source worker has read (the playhead); outputs may still be on their way. */
  get position(): number {
    return this.progress.position;
  }

  /** Receipt time of line `position - 1`, as reported (undefined before any line). */
  get time(): number | undefined {
    return this.progress.time;
  }

  /** Lines whose outputs have all been delivered. */
  get complete(): number {
    const w = this.collector.watermark;
    return w === Infinity ? this.position : w + 1;
  }

  /** Let the source workers read lines below `line` received at or before `time`. */
  playTo(line: number, time: number): void {
    this.pace = { line, time };
    // Not while an epoch is wired: a worker reading before its out-edges are connected would
    // lose what it sends. The pacing is sent once the ports are up.
    if (this.wiring) return;
    const epoch = this.epoch;
    for (const w of this.sourceWorkers) this.tell(w, (a) => a.playTo(epoch, line, time));
  }

  /** Stop reading; every source worker is brought to the same line, returned. */
  hold(): Promise<number> {
    return this.retrying(async () => {
      const epoch = this.epoch;
      const at = await Promise.all(this.sourceWorkers.map((w) => this.ask(w, (a) => a.hold())));
      const line = Math.max(0, ...at);
      // A seek in between started a new epoch: its own pacing applies, not this.
      if (epoch === this.epoch) this.playTo(line, Infinity);
      return line;
    });
  }

  /**
   * Restore every worker at the last checkpoint line at or before `target` that all of them
   * hold (and `usable` accepts), on fresh ports, and let them read up to `target` at once;
   * returns that line. `restoring(line)` is told the line before any output of the new epoch
   * can arrive (the caller rewinds what it shows there).
   */
  seek(
    target: number,
    usable?: (line: number) => boolean,
    restoring?: (line: number) => void,
  ): Promise<number> {
    return this.retrying(async () => {
      // A new line of outputs starts at the restored line: the caller shows or skips them
      // itself. Set before the new epoch's ports exist, so it covers all of its outputs.
      this.dropBelow = 0;
      this.progress.forgetFed();
      this.pace = { line: target, time: Infinity };
      return this.restoreAll((lists) => {
        const at = commonLine(lists, target, usable);
        restoring?.(at);
        return at;
      });
    });
  }

  /** Thin the results (see `ReplayWorkerApi.setThin`); `series` are output positions. */
  setThin(thin: boolean, series: readonly number[]): void {
    this.thin = [thin, series];
    for (const i of this.slots.keys()) this.tell(i, (a) => a.setThin(thin, series));
  }

  /** Checkpoint lines every worker holds (benches, tests). */
  checkpointLines(): Promise<number[]> {
    return this.retrying(async () => {
      const lists = await Promise.all(
        this.slots.map((_, i) => this.ask(i, (a) => a.checkpointLines())),
      );
      return (lists[0] ?? []).filter((l) => lists.every((x) => x.includes(l)));
    });
  }

  /** The recording grew (follow-live). */
  grow(total: number, chunks: number): void {
    this.grown = [total, chunks];
    for (const w of this.sourceWorkers) this.tell(w, (a) => a.grow(total, chunks));
  }

  /** Crash worker `index` (tests of recovery). */
  fault(index: number): void {
    this.tell(index, (a) => a.fault('throw'));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unwire();
    const bounded = (p: Promise<void>): Promise<unknown> =>
      Promise.race([p, new Promise((r) => setTimeout(r, 300))]);
    await Promise.allSettled(
      this.slots.map((s) => (s.retired ? Promise.resolve() : bounded(s.api.stop()))),
    );
    this.slots.forEach(retireSlot);
  }

  private spawn(index: number): Promise<ReplaySlot> {
    return spawnReplaySlot(this.graph, index, this.platform, {
      ...this.o,
      readers: this.sourceWorkers,
      onCrash: (slot, reason) => {
        if (this.slots[index] === slot && !this.stopped) this.crashed(index, reason);
      },
    });
  }

  /** Run `step` alone; a worker lost meanwhile: after its recovery, run it again. */
  private async retrying<T>(step: () => Promise<T>): Promise<T> {
    for (;;) {
      const run = this.exclusive.then(step);
      this.exclusive = run.catch(() => undefined);
      try {
        return await run;
      } catch (e) {
        if (!(e instanceof WorkerLost) || this.stopped) throw e;
      }
    }
  }

  /** Call worker `i`, or fail with {@link WorkerLost} if it dies first. */
  private ask<T>(i: number, call: (api: ReplaySlot['api']) => Promise<T>): Promise<T> {
    const s = this.slots[i]!;
    // A retired worker's proxy throws when called: it is being replaced.
    if (s.retired) return Promise.reject(new WorkerLost(`worker ${i} is being replaced`));
    return Promise.race([call(s.api), s.lost]);
  }

  /** Tell worker `i` something, whatever becomes of it (a recovery re-tells what matters). */
  private tell(i: number, call: (api: ReplaySlot['api']) => Promise<void>): void {
    this.ask(i, call).catch(() => undefined);
  }

  /**
   * A new epoch: every worker reset at the line `choose` picks from the lines they all hold, on
   * fresh ports, then paced as last asked — in one round trip: the lines are those the workers'
   * checkpoint copies name, and each worker handles its calls in the order they are posted —
   * reset, its ports, the pacing — so none reads before its own ports are up, and what it sends
   * another worker waits in the channel until that worker takes the port. A worker that no
   * longer holds the line (a copy was stale) refuses the reset: then the lists are asked for,
   * on a new epoch (whatever the first one sent is dropped with it).
   */
  private async restoreAll(choose: (lists: number[][]) => number): Promise<number> {
    const known = this.slots.map((_, i) => this.backups.lines(i));
    const at = await this.resetAll(choose(known));
    if (at !== undefined) return at;
    const lists = await Promise.all(
      this.slots.map((_, i) => this.ask(i, (a) => a.checkpointLines())),
    );
    const again = await this.resetAll(choose(lists));
    if (again === undefined) throw new Error('a replay worker refused the checkpoint it listed');
    return again;
  }

  /** Reset every worker at `at` on a new epoch; undefined if one of them refused. */
  private async resetAll(at: number): Promise<number | undefined> {
    const epoch = ++this.epoch;
    this.wiring = true;
    this.unwire();
    try {
      const resets = this.slots.map((_, i) => this.ask(i, (a) => a.reset(epoch, at)));
      this.progress.restart(at);
      const wired = this.wire();
      this.wiring = false;
      this.playTo(this.pace.line, this.pace.time);
      const [ok] = await Promise.all([Promise.all(resets), wired]);
      return ok.every((x) => x) ? at : undefined;
    } finally {
      this.wiring = false;
    }
  }

  private crashed(i: number, reason: string): void {
    // Outputs of lines below this were delivered: the replacement replays them silently.
    const delivered = Math.max(this.dropBelow, this.complete);
    const seen = this.crashes.get(i);
    const count = seen && delivered <= seen.at ? seen.count + 1 : 1;
    const total = (seen?.total ?? 0) + 1;
    this.crashes.set(i, { at: delivered, count, total });
    const recovery = this.exclusive.then(async () => {
      if (this.stopped) return;
      if (count >= MAX_CRASHES_IN_PLACE)
        throw new Error(`worker ${i} ${reason}, ${count} times at line ${delivered}`);
      if (total >= MAX_CRASHES_PER_WORKER)
        throw new Error(
          `worker ${i} ${reason}, ${total} times in this replay (the last at line ${delivered})`,
        );
      await this.recover(i, reason, delivered);
    });
    this.exclusive = recovery.catch((e: unknown) => {
      // Lost again meanwhile: that crash's own recovery follows.
      if (e instanceof WorkerLost || this.stopped) return;
      this.o.onFatal?.(`replay worker ${i} could not be recovered: ${String(e)}`, i);
    });
  }

  private async recover(i: number, reason: string, delivered: number): Promise<void> {
    retireSlot(this.slots[i]!);
    const slot = await this.spawn(i);
    if (this.stopped) return retireSlot(slot);
    this.slots[i] = slot;
    await this.ask(i, (a) => a.adopt(this.backups.of(i)));
    this.backups.adopted(i);
    if (this.thin) await this.ask(i, (a) => a.setThin(...this.thin!));
    if (this.grown) await this.ask(i, (a) => a.grow(...this.grown!));
    // What was delivered up to now, the old epoch ending here (in the same turn): workers that
    // outlived the crash may have delivered more since it. The new epoch's outputs below it are
    // dropped, and so are its fed reports of lines already reported.
    const upTo = Math.max(this.dropBelow, this.complete, delivered);
    this.dropBelow = upTo;
    this.progress.keepFed();
    const at = await this.restoreAll((lists) => commonLine(lists, upTo));
    this.o.onRecovery?.({ worker: i, reason, line: at });
  }

  /** Fresh channels for every edge and result stream (an epoch's data plane). */
  private async wire(): Promise<void> {
    const g = this.graph;
    const epoch = this.epoch;
    const withOutputs = g.subgraphs.filter((s) => s.outputs.length > 0).map((s) => s.index);
    this.collector = new OutputCollector(
      withOutputs,
      (outs) => {
        if (epoch !== this.epoch) return;
        const fresh = this.dropBelow > 0 ? outs.filter((x) => x.seq >= this.dropBelow) : outs;
        if (fresh.length > 0) this.o.onOutputs(fresh);
      },
      (line) => epoch === this.epoch && this.o.onComplete?.(line),
    );
    const collector = this.collector;
    // In parallel: a seek waits for these round trips, one per worker and edge end.
    const calls: Promise<void>[] = [];
    for (const [i, slot] of this.slots.entries()) {
      const { port1, port2 } = this.platform.channel();
      const results = new BatchedPortReceiver(port2, (b) => {
        if (epoch !== this.epoch) return;
        collector.add(i, b);
        results.ack();
        results.release(results.nextN);
      });
      slot.results = results;
      slot.unlisten = listen(port2, (data) => this.onMessage(epoch, data));
      calls.push(this.ask(i, (a) => a.connectMain(transferPort(port1))));
    }
    for (const e of g.edges) {
      const { port1, port2 } = this.platform.channel();
      calls.push(this.ask(e.from, (a) => a.connectOutput(e.id, transferPort(port1))));
      const lane = laneOf(g, e.to, e.id);
      calls.push(this.ask(e.to, (a) => a.connectInput(lane, transferPort(port2))));
    }
    await Promise.all(calls);
  }

  private unwire(): void {
    for (const s of this.slots) {
      s.unlisten?.();
      s.results?.close();
      s.unlisten = undefined;
      s.results = undefined;
    }
  }

  private onMessage(epoch: number, data: unknown): void {
    const m = data as ReplayReport | ReplayCheckpointCopy;
    // A checkpoint is the same in every epoch (the same lines processed): keep it regardless.
    if (m.t === 'ck') return this.backups.add(m);
    // The lines a worker holds are the same in every epoch too.
    if (m.t === 'rp' && m.held !== undefined) this.backups.setHeld(m.worker, m.held);
    // So is what it holds in memory (sent once per change, whatever the epoch).
    if (m.t === 'rp' && m.memory !== undefined) {
      this.memory.set(m.worker, m.memory);
      this.o.onMemory?.(this.memory);
    }
    if (m.t !== 'rp' || epoch !== this.epoch || m.epoch !== epoch) return;
    const r = this.progress.report(m);
    this.o.onReport?.(r);
  }
}
