import type { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import { type CollectedOutput, OutputCollector } from './OutputCollector.ts';
import { listen, type RuntimePlatform, type WorkerHandle } from './ports.ts';
import type { ReplayReport, ReplayWorkerApi, ReplayWorkerConfig } from './replayTypes.ts';
import { releaseApi, type RemoteApi, transferPort, wrapApi } from './rpc.ts';
import { BatchedPortReceiver, type TransportOptions } from './Transport.ts';
import { laneOf, workerConfig } from './workerConfigs.ts';

export interface ReplayManagerOptions {
  /** A checkpoint every this many recording lines, in every worker. */
  readonly checkpointLines: number;
  readonly maxCheckpoints: number;
  /** Which recording, opaque here: the entry's `ReplayInputFactory` reads it. */
  readonly input: unknown;
  readonly transport?: TransportOptions;
  /** Outputs in canonical order — by recording line, output position, emission — in batches. */
  readonly onOutputs: (outs: CollectedOutput[]) => void;
  /** Every output of lines `<= line` has been passed to {@link onOutputs}. */
  readonly onComplete?: (line: number) => void;
  /** Each source worker's progress (lines read, their time, lines that fed it), current epoch. */
  readonly onReport?: (r: ReplayReport) => void;
}

interface Slot {
  readonly handle: WorkerHandle;
  readonly api: RemoteApi<ReplayWorkerApi>;
  results?: BatchedPortReceiver;
  unlisten?: () => void;
}

/**
 * The main-thread side of a replay in workers: spawns one worker per subgraph (the live
 * partitioning), wires them worker → worker with MessageChannels, paces the workers that read
 * the recording ({@link playTo}: lines and receipt time they may read up to), and merges the
 * workers' results into the canonical order (OutputCollector). It never reads or decodes a
 * line. {@link seek} restores every worker at one common checkpoint line, on fresh ports (an
 * `epoch`), so nothing in flight from before the seek can arrive after it.
 */
export class ReplayManager {
  private slots: Slot[] = [];
  private epoch = 0;
  private collector!: OutputCollector;
  /** Source workers → the next line each will read (this epoch). */
  private readonly lines = new Map<number, number>();
  private readonly times = new Map<number, number | undefined>();
  readonly sourceWorkers: readonly number[];
  private stopped = false;

  constructor(
    readonly graph: FeatureStreamWorkerGraph,
    private readonly platform: RuntimePlatform,
    private readonly o: ReplayManagerOptions,
  ) {
    this.sourceWorkers = graph.subgraphs.filter((s) => s.sources.length > 0).map((s) => s.index);
  }

  /** Spawn, configure and wire every worker; they read nothing until {@link playTo}. */
  async start(): Promise<void> {
    const g = this.graph;
    const spawned = await Promise.allSettled(
      g.subgraphs.map(async (plan): Promise<Slot> => {
        const cfg: ReplayWorkerConfig = {
          ...workerConfig(g, plan.index, {
            mode: 'recorded',
            ...(this.o.transport ? { transport: this.o.transport } : {}),
          }),
          replay: {
            checkpointLines: this.o.checkpointLines,
            maxCheckpoints: this.o.maxCheckpoints,
            input: this.o.input,
            validator: this.sourceWorkers[0] ?? 0,
          },
        };
        const handle = this.platform.spawn(plan.index);
        const api = wrapApi<ReplayWorkerApi>(handle.endpoint);
        const died = new Promise<never>((_, reject) =>
          handle.onFailure((r) => reject(new Error(`worker ${plan.index} failed to start: ${r}`))),
        );
        died.catch(() => undefined);
        const slot = { handle, api };
        try {
          await Promise.race([api.init(cfg), died]);
        } catch (e) {
          this.retire(slot);
          throw e;
        }
        return slot;
      }),
    );
    const ok = spawned.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = spawned.find((r) => r.status === 'rejected');
    if (failed) {
      ok.forEach((s) => this.retire(s));
      throw failed.reason;
    }
    this.slots = ok;
    for (const w of this.sourceWorkers) this.lines.set(w, 0);
    await this.wire();
  }

  /** Lines every source worker has read (the playhead); outputs may still be on their way. */
  get position(): number {
    let p = Infinity;
    for (const l of this.lines.values()) p = Math.min(p, l);
    return p === Infinity ? 0 : p;
  }

  /** Receipt time of line `position - 1`, as reported (undefined before any line). */
  get time(): number | undefined {
    const p = this.position;
    for (const [w, l] of this.lines) if (l === p) return this.times.get(w);
    return undefined;
  }

  /** Lines whose outputs have all been delivered. */
  get complete(): number {
    const w = this.collector.watermark;
    return w === Infinity ? this.position : w + 1;
  }

  /** Let the source workers read lines below `line` received at or before `time`. */
  playTo(line: number, time: number): void {
    for (const w of this.sourceWorkers)
      void this.slots[w]!.api.playTo(this.epoch, line, time).catch(() => undefined);
  }

  /** Stop reading; every source worker is brought to the same line, returned. */
  async hold(): Promise<number> {
    const epoch = this.epoch;
    const at = await Promise.all(this.sourceWorkers.map((w) => this.slots[w]!.api.hold()));
    const line = Math.max(0, ...at);
    // A seek in between started a new epoch: its own pacing applies, not this.
    if (epoch === this.epoch) this.playTo(line, Infinity);
    return line;
  }

  /**
   * Restore every worker at the last checkpoint line at or before `target` that all of them
   * hold (and `usable` accepts), on fresh ports; returns that line. The caller then plays
   * forward to `target` ({@link playTo}).
   */
  async seek(target: number, usable: (line: number) => boolean = () => true): Promise<number> {
    const epoch = ++this.epoch;
    this.unwire();
    const lists = await Promise.all(this.slots.map((s) => s.api.checkpointLines()));
    let at = 0;
    for (const line of lists[0] ?? [0]) {
      if (line > target || !usable(line)) continue;
      if (lists.every((l) => l.includes(line))) at = Math.max(at, line);
    }
    await Promise.all(this.slots.map((s) => s.api.reset(epoch, at)));
    for (const w of this.sourceWorkers) {
      this.lines.set(w, at);
      this.times.delete(w);
    }
    await this.wire();
    return at;
  }

  /** Thin the results (see `ReplayWorkerApi.setThin`); `series` are output positions. */
  setThin(thin: boolean, series: readonly number[]): void {
    for (const s of this.slots) void s.api.setThin(thin, series).catch(() => undefined);
  }

  /** Checkpoint lines every worker holds (benches, tests). */
  async checkpointLines(): Promise<number[]> {
    const lists = await Promise.all(this.slots.map((s) => s.api.checkpointLines()));
    return (lists[0] ?? []).filter((l) => lists.every((x) => x.includes(l)));
  }

  /** The recording grew (follow-live). */
  grow(total: number, chunks: number): void {
    for (const w of this.sourceWorkers)
      void this.slots[w]!.api.grow(total, chunks).catch(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unwire();
    const bounded = (p: Promise<void>): Promise<unknown> =>
      Promise.race([p, new Promise((r) => setTimeout(r, 300))]);
    await Promise.allSettled(this.slots.map((s) => bounded(s.api.stop())));
    this.slots.forEach((s) => this.retire(s));
  }

  /** Fresh channels for every edge and result stream (an epoch's data plane). */
  private async wire(): Promise<void> {
    const g = this.graph;
    const epoch = this.epoch;
    const withOutputs = g.subgraphs.filter((s) => s.outputs.length > 0).map((s) => s.index);
    this.collector = new OutputCollector(
      withOutputs,
      (outs) => epoch === this.epoch && this.o.onOutputs(outs),
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
      slot.unlisten = listen(port2, (data) => this.onReport(epoch, data));
      calls.push(slot.api.connectMain(transferPort(port1)));
    }
    for (const e of g.edges) {
      const { port1, port2 } = this.platform.channel();
      calls.push(this.slots[e.from]!.api.connectOutput(e.id, transferPort(port1)));
      calls.push(this.slots[e.to]!.api.connectInput(laneOf(g, e.to, e.id), transferPort(port2)));
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

  private onReport(epoch: number, data: unknown): void {
    const r = data as ReplayReport;
    if (r.t !== 'rp' || epoch !== this.epoch || r.epoch !== epoch) return;
    if (this.lines.has(r.worker)) {
      this.lines.set(r.worker, r.line);
      this.times.set(r.worker, r.time);
    }
    this.o.onReport?.(r);
  }

  private retire(s: Slot): void {
    releaseApi(s.api);
    s.handle.terminate();
  }
}
