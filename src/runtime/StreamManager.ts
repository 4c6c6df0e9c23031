import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import type { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import { splitRoute } from './colocateSources.ts';
import { type CollectedOutput, OutputCollector } from './OutputCollector.ts';
import type { RuntimePlatform } from './ports.ts';
import { type Batch, END_SEQ, type LineBytes, type TextBatch } from './protocol.ts';
import { ReplayFeeders } from './ReplayFeeders.ts';
import { transferPort } from './rpc.ts';
import type { StreamManagerOptions } from './StreamManagerOptions.ts';
import { TelemetryHub } from './TelemetryHub.ts';
import { carryFor, laneOf, workerConfig } from './workerConfigs.ts';
import { WorkerPool } from './WorkerPool.ts';
import { retireSlot, WorkerLost, type WorkerSlot } from './WorkerSlot.ts';

export type { StreamManagerOptions } from './StreamManagerOptions.ts';

/**
 * The main-thread side of the runtime: spawns one worker per subgraph, wires them worker → worker
 * with dedicated MessageChannels (data never crosses the main thread, except the feeder's input in
 * replay and the final results), starts/stops them, stores their checkpoints, watches heartbeats
 * and restarts a failed worker from its last checkpoint (see `src/runtime/CONTEXT.md`). The
 * workers' lifecycle is the {@link WorkerPool}'s, the replay input the {@link ReplayFeeders}'.
 */
export class StreamManager {
  private readonly pool: WorkerPool;
  private readonly feeders: ReplayFeeders;
  private readonly collector: OutputCollector;
  private readonly hub: TelemetryHub;
  private finished: (() => void) | undefined;

  constructor(
    /** The current partition (replaced in place by {@link replace} after an edit). */
    public graph: FeatureStreamWorkerGraph,
    private readonly platform: RuntimePlatform,
    private o: StreamManagerOptions = {},
  ) {
    // Source workers too: in replay their results carry the input lines they refuse.
    const withOutputs = graph.subgraphs
      .filter((s) => s.outputs.length > 0 || s.sources.length > 0)
      .map((s) => s.index);
    this.collector = new OutputCollector(
      withOutputs,
      (outs) => this.o.onOutputs?.(outs),
      (seq) => this.o.onProgress?.(seq),
    );
    this.hub = new TelemetryHub(graph, platform.now, o.telemetryMs ?? 100, o.onTelemetry);
    this.feeders = new ReplayFeeders(graph);
    this.pool = new WorkerPool({
      platform,
      hub: this.hub,
      heartbeatMs: o.heartbeatMs ?? 3000,
      graph: () => this.graph,
      onResults: (i, b) => this.onResults(i, b),
      onTextResults: (i, b) => this.onTextResults(i, b),
      reconnectFeeder: (i, api) => this.feeders.reconnect(i, platform, api),
    });
  }

  private get slots(): WorkerSlot[] {
    return this.pool.slots;
  }

  /**
   * Spawn, wire and start every worker. `carry`: per-feature state by key (from
   * {@link handoverAll} of the previous run of an edited pipeline) restored where keys match.
   */
  async start(carry?: Readonly<Record<string, GraphSnapshot>>): Promise<void> {
    const g = this.graph;
    this.refuseSplitRoute(g);
    const cfgs = g.subgraphs.map((plan) => workerConfig(g, plan.index, this.o));
    // Workers boot in parallel: module loading dominates start-up.
    const spawned = await Promise.allSettled(
      cfgs.map((c) => this.pool.spawn(c, undefined, carryFor(g, c.index, carry))),
    );
    const failed = spawned.find((r) => r.status === 'rejected');
    if (failed) {
      // The workers that did start must not outlive the failed start (they keep a process alive).
      for (const r of spawned) if (r.status === 'fulfilled') retireSlot(r.value);
      throw failed.reason;
    }
    this.slots.push(...spawned.map((r) => (r as PromiseFulfilledResult<WorkerSlot>).value));
    for (const e of g.edges) {
      const { port1, port2 } = this.platform.channel();
      await this.slots[e.from]!.api.connectOutput(e.id, transferPort(port1));
      await this.slots[e.to]!.api.connectInput(laneOf(g, e.to, e.id), transferPort(port2));
    }
    if ((this.o.mode ?? 'replay') === 'replay') {
      await this.feeders.connect(g, this.platform, this.o.transport, (i) => this.slots[i]!.api);
    }
    await Promise.all(this.slots.map((s) => s.api.start()));
    this.pool.watch();
  }

  /**
   * Replay input, one line at a time (nothing is sent until {@link flushFeed}): numbered in call
   * order and routed to the worker owning `source` (a node index of `graph.dag`, see
   * `sourceIndex`). `text` is the raw normalized line (or its bytes), which that worker parses (and refuses,
   * naming `line`, in its results: see `parseRawLines`), or an event already parsed. `source`
   * `CHECK_ONLY`: a line no source takes, sent to a source worker only to be checked; it
   * gets no number of its own (it rides on the input before it), so input numbers stay those of
   * the routed events.
   */
  feedLine(source: number, line: number, text: string | LineBytes | Event): void {
    this.feeders.feedLine(source, line, text);
  }

  /**
   * {@link feedLine} of the line whose UTF-8 bytes are `bytes[start..end)` (no line break): no
   * object per line, and lines of one `bytes` fed between two {@link flushFeed}s travel as that
   * buffer whole (shared, so nothing is copied) with their ranges.
   */
  feedBytes(source: number, line: number, bytes: Uint8Array, start: number, end: number): void {
    this.feeders.feedBytes(source, line, bytes, start, end);
  }

  /**
   * Send what {@link feedLine} queued. Resolves when the feeders have credit again — lossless
   * backpressure (a window of batches in flight): await it before feeding more.
   */
  async flushFeed(): Promise<void> {
    this.feeders.flush(this.platform.now());
    const blocked = this.feeders.drained();
    await (blocked ? this.pool.orFatal(blocked) : Promise.resolve());
  }

  /** The user feature failures of every worker, in worker order (a batch run's warnings). */
  async userFailures(): Promise<UserFailure[]> {
    const each = await Promise.all(this.slots.map((_, i) => this.askFailures(i)));
    return each.flat();
  }

  /**
   * Worker `i`'s user failures. A worker being restarted has a released proxy (calling it
   * throws) and a worker dying while asked never answers: ask its replacement once it runs.
   */
  private async askFailures(i: number): Promise<UserFailure[]> {
    for (;;) {
      await this.pool.settled();
      const s = this.slots[i]!;
      // Retired with no replacement coming: the run is stopping.
      if (s.released) return [];
      try {
        return await Promise.race([s.api.userFailures(), s.lost]);
      } catch (e) {
        // Lost while asked: its recovery is queued by now (the failure is heard first).
        if (!(e instanceof WorkerLost) || !s.recovering) throw e;
      }
    }
  }

  /** End of replay input: resolves once every output has been delivered. */
  async finish(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finished = resolve));
    this.feeders.end(this.platform.now());
    if (this.collector.watermark >= END_SEQ) return;
    await this.pool.orFatal(done);
  }

  /** Node index of a source feature, for {@link feedLine}. */
  sourceIndex(f: Feature): number {
    const i = this.graph.keys.indexOf(f.key);
    if (i < 0 || !this.feeders.isSource(i))
      throw new Error(`${f.toString()} is not a source of this pipeline`);
    return i;
  }

  /** Test and chaos hook: make worker `i` fail the way a real one can. */
  async injectFault(i: number, kind: 'terminate' | 'throw' | 'hang' | 'slow'): Promise<void> {
    const s = this.slots[i]!;
    // Terminating is ours: recover now (a terminated Web Worker fires no event to wait for).
    if (kind === 'terminate') void this.pool.recover(i, 'terminated');
    else if (!s.released) void s.api.fault(kind);
  }

  /**
   * Live edit without a full restart: `next` has the same shape as the current graph (see
   * `changedSubgraphs`); the workers of `changed` hand over (checkpoint of this instant with
   * per-feature state) and are replaced by workers of the new config, which keep the port
   * numbering and restore every feature whose key is unchanged. Other workers keep running.
   */
  async replace(next: FeatureStreamWorkerGraph, changed: readonly number[]): Promise<void> {
    this.refuseSplitRoute(next);
    this.graph = next;
    for (const s of this.slots) s.cfg = workerConfig(next, s.cfg.index, this.o);
    for (const i of changed) {
      // A worker being restarted (released proxy) is edited once its replacement runs.
      await this.pool.settled();
      const old = this.slots[i]!;
      old.recovering = true;
      const ck = await old.api.handover();
      await this.pool.restart(i, old.cfg, ck);
    }
  }

  /** Per-feature state of every worker, by key; the workers stop taking input (before stop). */
  async handoverAll(): Promise<Record<string, GraphSnapshot>> {
    const bounded = <T>(p: Promise<T>): Promise<T | undefined> =>
      Promise.race([p, new Promise<undefined>((r) => setTimeout(r, 500))]);
    await bounded(this.pool.settled());
    const cks = await Promise.all(
      this.slots.map((s) => (s.released ? undefined : bounded(s.api.handover()))),
    );
    return Object.assign({}, ...cks.map((c) => c?.features ?? {})) as Record<string, GraphSnapshot>;
  }

  /** Output positions that ship every event (live thinning); the rest ship latest-only. */
  setSeries(positions: readonly number[]): void {
    this.o = { ...this.o, worker: { ...this.o.worker, series: positions } };
    this.slots.forEach((s, i) => {
      s.cfg = { ...s.cfg, series: positions };
      if (!s.released) return void s.api.setSeries(positions).catch(() => undefined);
      // Being restarted (its proxy released, its replacement started from the old config):
      // tell the replacement once it runs, unless a later call already did.
      void this.pool.settled().then(() => {
        const cur = this.slots[i]!;
        if (cur.released || this.o.worker?.series !== positions) return;
        cur.cfg = { ...cur.cfg, series: positions };
        void cur.api.setSeries(positions).catch(() => undefined);
      });
    });
  }

  /** Each worker: whether it runs (not being restarted) and how often it was restarted. */
  workerStates(): { index: number; alive: boolean; restarts: number }[] {
    return this.slots.map((s, index) => ({ index, alive: !s.recovering, restarts: s.restarts }));
  }

  async stop(): Promise<void> {
    this.pool.halt();
    // A hung worker never answers: give each stop a bound, then terminate regardless. The bound
    // is cleared once every stop answered: a pending timer kept the CLI alive 0.5 s after a run.
    let bound: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise((r) => (bound = setTimeout(r, 500)));
    // A worker being restarted has a released proxy (calling it throws): it is terminated anyway.
    await Promise.race([
      Promise.allSettled(this.slots.map((s) => (s.released ? undefined : s.api.stop()))),
      timeout,
    ]);
    clearTimeout(bound);
    this.hub.flush();
    this.hub.close();
    for (const s of this.slots) {
      retireSlot(s);
      s.checkpoint?.port.close?.();
    }
  }

  /** Live: each route's feed opens in one worker (`session/liveFeeds.ts`); refuse a graph that splits one. */
  private refuseSplitRoute(g: FeatureStreamWorkerGraph): void {
    const split = this.o.mode === 'live' ? splitRoute(g) : undefined;
    if (split)
      throw new Error(
        `live run: route ${split}, which would open its feed twice (the studio plans each feed on one worker: session/liveFeeds.ts)`,
      );
  }

  /** Results of worker `i` (deduplicated by the receiver): collect, return the credit, release. */
  private onResults(i: number, b: Batch): void {
    if (this.o.mode === 'live') {
      const outs: CollectedOutput[] = b.ev.map((ev, k) => ({
        seq: b.seq[k]!,
        pos: b.feat[k]!,
        ev,
      }));
      if (outs.length > 0) this.o.onOutputs?.(outs);
    } else this.collector.add(i, b);
    const r = this.slots[i]!.results;
    r.ackRelease(r.nextN);
    if (this.collector.watermark >= END_SEQ) this.finished?.();
  }

  /** NDJSON results of worker `i`: to the caller; the collector only sees the watermark. */
  private onTextResults(i: number, b: TextBatch): void {
    this.o.onTextResults?.(i, b);
    this.onResults(i, { t: 'b', n0: b.n0, up: b.up, t0: b.t0, seq: [], feat: [], ev: [] });
  }
}
