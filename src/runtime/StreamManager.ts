import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import type { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import { type CollectedOutput, OutputCollector } from './OutputCollector.ts';
import { listen, type PortLike, type RuntimePlatform, type WorkerHandle } from './ports.ts';
import { type Batch, CHECK_ONLY, END_SEQ, type LineBytes, type TextBatch } from './protocol.ts';
import {
  type RemoteWorker,
  releaseWorker,
  transferPort,
  transferSealed,
  wrapWorker,
} from './rpc.ts';
import { type RuntimeTelemetry, TelemetryHub } from './TelemetryHub.ts';
import { BatchedPortReceiver, BatchedPortTransport } from './Transport.ts';
import { carryFor, laneOf, type SharedWorkerOptions, workerConfig } from './workerConfigs.ts';
import type {
  SealedCheckpoint,
  WorkerCheckpoint,
  WorkerConfig,
  WorkerReport,
} from './workerTypes.ts';

export interface StreamManagerOptions extends SharedWorkerOptions {
  /**
   * A worker silent this long is presumed hung, terminated and restarted (default 3000 ms).
   * Workers process in slices and keep reporting while busy, so only a single input that runs
   * this long looks hung; each restart for silence doubles the worker's limit until it shows
   * progress again (a new checkpoint), so a slow input is not killed forever. A worker that dies
   * (error, exit, our own terminate) is restarted at once, without waiting for this.
   */
  readonly heartbeatMs?: number;
  /**
   * Outputs in batches (never per event): in canonical order in replay; in live mode as each
   * worker's results arrive (no cross-worker ordering wait: the studio wants them now).
   */
  readonly onOutputs?: (outs: CollectedOutput[]) => void;
  /** Replay: every output of inputs up to `seq` has been passed to `onOutputs`. */
  readonly onProgress?: (seq: number) => void;
  /**
   * A batch run with `worker.ndjson`: each worker's results as NDJSON bytes, in that worker's
   * order (the caller merges them: see `TextMerger`). Called before the `onProgress` that
   * covers them; `onOutputs` then only gets the other workers' results (none).
   */
  readonly onTextResults?: (worker: number, b: TextBatch) => void;
  /** Coalesced telemetry, at most once per `telemetryMs` (default 100 ms). */
  readonly onTelemetry?: (t: RuntimeTelemetry) => void;
}

/** Cap of a worker's silence limit after repeated silent restarts. */
const MAX_SILENCE_MS = 120_000;

interface Slot {
  handle: WorkerHandle;
  api: RemoteWorker;
  cfg: WorkerConfig;
  /** The latest checkpoint, kept sealed: the manager never reads it (see SealedCheckpoint). */
  checkpoint?: SealedCheckpoint;
  lastSeen: number;
  /** Silence tolerated before this worker is presumed hung (doubles per silent restart). */
  silenceMs: number;
  /** Checkpoint id it was restored from; a later one is progress (resets `silenceMs`). */
  restoredCk: number;
  recovering: boolean;
  restarts: number;
  results: BatchedPortReceiver;
  /** Set when the worker's proxy is released: late messages from its ports must not call it. */
  released?: boolean;
  /** Stops listening on the worker's main port. */
  unlisten?: () => void;
}

/**
 * The main-thread side of the runtime: spawns one worker per subgraph, wires them worker → worker
 * with dedicated MessageChannels (data never crosses the main thread, except the feeder's input in
 * replay and the final results), starts/stops them, stores their checkpoints, watches heartbeats
 * and restarts a failed worker from its last checkpoint (see `src/runtime/CONTEXT.md`).
 */
export class StreamManager {
  private readonly slots: Slot[] = [];
  private readonly feeders = new Map<number, BatchedPortTransport>();
  private feederList: BatchedPortTransport[] = [];
  private readonly route = new Map<number, number>();
  private readonly collector: OutputCollector;
  private readonly hub: TelemetryHub;
  private seq = 0;
  private stopped = false;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private finished: (() => void) | undefined;
  private fatal: Error | undefined;
  private readonly fatalWaiters = new Set<(e: Error) => void>();

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
    for (const s of graph.subgraphs) for (const src of s.sources) this.route.set(src, s.index);
  }

  /**
   * Spawn, wire and start every worker. `carry`: per-feature state by key (from
   * {@link handoverAll} of the previous run of an edited pipeline) restored where keys match.
   */
  async start(carry?: Readonly<Record<string, GraphSnapshot>>): Promise<void> {
    const g = this.graph;
    const cfgs = g.subgraphs.map((plan) => workerConfig(g, plan.index, this.o));
    // Workers boot in parallel: module loading dominates start-up.
    const spawned = await Promise.allSettled(
      cfgs.map((c) => this.spawn(c, undefined, carryFor(g, c.index, carry))),
    );
    const failed = spawned.find((r) => r.status === 'rejected');
    if (failed) {
      // The workers that did start must not outlive the failed start (they keep a process alive).
      for (const r of spawned) if (r.status === 'fulfilled') this.retire(r.value);
      throw failed.reason;
    }
    this.slots.push(...spawned.map((r) => (r as PromiseFulfilledResult<Slot>).value));
    for (const e of g.edges) {
      const { port1, port2 } = this.platform.channel();
      await this.slots[e.from]!.api.connectOutput(e.id, transferPort(port1));
      await this.slots[e.to]!.api.connectInput(laneOf(g, e.to, e.id), transferPort(port2));
    }
    if ((this.o.mode ?? 'replay') === 'replay') {
      for (const plan of g.subgraphs.filter((s) => s.sources.length > 0)) {
        const { port1, port2 } = this.platform.channel();
        const f = new BatchedPortTransport(port1, {
          ...this.o.transport,
          policy: 'lossless',
          codec: 'lines',
        });
        this.feeders.set(plan.index, f);
        this.feederList.push(f);
        await this.slots[plan.index]!.api.connectInput(0, transferPort(port2));
      }
    }
    await Promise.all(this.slots.map((s) => s.api.start()));
    const hb = this.o.heartbeatMs ?? 3000;
    this.heartbeat = setInterval(() => this.checkHeartbeats(), Math.max(50, hb / 4));
  }

  /**
   * Replay input, one line at a time (nothing is sent until {@link flushFeed}): numbered in call
   * order and routed to the worker owning `source` (a node index of `graph.dag`, see
   * `sourceIndex`). `text` is the raw normalized line (or its bytes), which that worker parses (and refuses,
   * naming `line`, in its results: see `parseRawLines`), or an event already parsed. `source`
   * {@link CHECK_ONLY}: a line no source takes, sent to a source worker only to be checked; it
   * gets no number of its own (it rides on the input before it), so input numbers stay those of
   * the routed events.
   */
  feedLine(source: number, line: number, text: string | LineBytes | Event): void {
    const ev = text as Event;
    if (source === CHECK_ONLY) {
      // Spread by line number (deterministic): a file whose unused lines are many (trades of
      // a books-only pipeline) must not load one worker with all of them.
      const all = this.feederList;
      all[line % all.length]?.push(this.seq, CHECK_ONLY, ev, line);
      return;
    }
    const w = this.route.get(source);
    if (w === undefined) throw new Error(`node ${source} is not a data source of this graph`);
    this.feeders.get(w)!.push(++this.seq, source, ev, line);
  }

  /**
   * Send what {@link feedLine} queued. Resolves when the feeders have credit again — lossless
   * backpressure (a window of batches in flight): await it before feeding more.
   */
  async flushFeed(): Promise<void> {
    const t0 = this.platform.now();
    for (const f of this.feeders.values()) f.flush(this.seq, t0);
    await this.drained();
  }

  /** The user feature failures of every worker, in worker order (a batch run's warnings). */
  async userFailures(): Promise<UserFailure[]> {
    const each = await Promise.all(this.slots.map((s) => s.api.userFailures()));
    return each.flat();
  }

  /** End of replay input: resolves once every output has been delivered. */
  async finish(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finished = resolve));
    for (const f of this.feeders.values()) f.flush(END_SEQ, this.platform.now());
    if (this.collector.watermark >= END_SEQ) return;
    await this.orFatal(done);
  }

  /** Node index of a source feature, for {@link feed}. */
  sourceIndex(f: Feature): number {
    const i = this.graph.keys.indexOf(f.key);
    if (i < 0 || !this.route.has(i))
      throw new Error(`${f.toString()} is not a source of this pipeline`);
    return i;
  }

  /** Test and chaos hook: make worker `i` fail the way a real one can. */
  async injectFault(i: number, kind: 'terminate' | 'throw' | 'hang' | 'slow'): Promise<void> {
    const s = this.slots[i]!;
    // Terminating is ours: recover now (a terminated Web Worker fires no event to wait for).
    if (kind === 'terminate') void this.recover(i, 'terminated');
    else void s.api.fault(kind);
  }

  /**
   * Live edit without a full restart: `next` has the same shape as the current graph (see
   * `changedSubgraphs`); the workers of `changed` hand over (checkpoint of this instant with
   * per-feature state) and are replaced by workers of the new config, which keep the port
   * numbering and restore every feature whose key is unchanged. Other workers keep running.
   */
  async replace(next: FeatureStreamWorkerGraph, changed: readonly number[]): Promise<void> {
    this.graph = next;
    for (const s of this.slots) s.cfg = workerConfig(next, s.cfg.index, this.o);
    for (const i of changed) {
      const old = this.slots[i]!;
      old.recovering = true;
      const ck = await old.api.handover();
      await this.restart(i, old.cfg, ck);
    }
  }

  /** Per-feature state of every worker, by key; the workers stop taking input (before stop). */
  async handoverAll(): Promise<Record<string, GraphSnapshot>> {
    const bounded = <T>(p: Promise<T>): Promise<T | undefined> =>
      Promise.race([p, new Promise<undefined>((r) => setTimeout(r, 500))]);
    const cks = await Promise.all(this.slots.map((s) => bounded(s.api.handover())));
    return Object.assign({}, ...cks.map((c) => c?.features ?? {})) as Record<string, GraphSnapshot>;
  }

  /** Output positions that ship every event (live thinning); the rest ship latest-only. */
  setSeries(positions: readonly number[]): void {
    this.o = { ...this.o, worker: { ...this.o.worker, series: positions } };
    for (const s of this.slots) {
      s.cfg = { ...s.cfg, series: positions };
      void s.api.setSeries(positions);
    }
  }

  /** Each worker: whether it runs (not being restarted) and how often it was restarted. */
  workerStates(): { index: number; alive: boolean; restarts: number }[] {
    return this.slots.map((s, index) => ({ index, alive: !s.recovering, restarts: s.restarts }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
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
      this.retire(s);
      s.checkpoint?.port.close?.();
    }
  }

  private async spawn(
    cfg: WorkerConfig,
    ck?: WorkerCheckpoint | SealedCheckpoint,
    carry?: Record<string, GraphSnapshot>,
  ): Promise<Slot> {
    const handle = this.platform.spawn(cfg.index);
    const api = wrapWorker(handle.endpoint);
    // A worker that dies while starting (e.g. its entry cannot load) never answers init: fail
    // with its reason instead of waiting forever.
    const died = new Promise<never>((_, reject) =>
      handle.onFailure((r) => reject(new Error(`worker ${cfg.index} failed to start: ${r}`))),
    );
    died.catch(() => undefined);
    await Promise.race([api.init(cfg, ck && 'port' in ck ? transferSealed(ck) : ck, carry), died]);
    const { port1, port2 } = this.platform.channel();
    await api.connectMain(transferPort(port1));
    const prev = this.slots[cfg.index];
    const results =
      prev?.results ??
      new BatchedPortReceiver(
        port2,
        (b) => this.onResults(cfg.index, b),
        (b) => this.onTextResults(cfg.index, b),
      );
    if (prev) results.reconnect(port2);
    const slot: Slot = {
      handle,
      api,
      cfg,
      lastSeen: this.platform.now(),
      silenceMs: prev?.silenceMs ?? this.o.heartbeatMs ?? 3000,
      restoredCk: ck?.id ?? 0,
      recovering: false,
      restarts: prev?.restarts ?? 0,
      results,
    };
    this.listenMain(slot, port2);
    // Only the current worker's failure counts: the exit of one we replaced is expected.
    handle.onFailure((reason) => {
      if (this.slots[cfg.index]?.handle === handle) void this.recover(cfg.index, reason);
    });
    return slot;
  }

  private listenMain(slot: Slot, port: PortLike): void {
    slot.unlisten = listen(port, (data) => {
      // A report can still be queued when its worker is replaced or stopped: drop it, since
      // calling a released proxy throws (and the checkpoint belongs to a dead worker anyway).
      if (slot.released) return;
      slot.lastSeen = this.platform.now();
      const m = data as WorkerReport | Batch;
      if (m.t === 'tel') this.hub.worker(m.tel);
      else if (m.t === 'ck') {
        // The previous checkpoint is superseded: closing its port frees the message it holds.
        slot.checkpoint?.port.close?.();
        slot.checkpoint = m.ck;
        if (m.ck.id > slot.restoredCk) slot.silenceMs = this.o.heartbeatMs ?? 3000;
        slot.api.checkpointStored(m.ck.id).catch(() => undefined);
      }
    });
  }

  /** Stop listening to a worker, release its proxy and terminate it (idempotent). */
  private retire(slot: Slot): void {
    if (slot.released) return;
    slot.released = true;
    slot.unlisten?.();
    releaseWorker(slot.api);
    slot.handle.terminate();
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
    r.ack();
    r.release(r.nextN);
    if (this.collector.watermark >= END_SEQ) this.finished?.();
  }

  /** NDJSON results of worker `i`: to the caller; the collector only sees the watermark. */
  private onTextResults(i: number, b: TextBatch): void {
    this.o.onTextResults?.(i, b);
    this.onResults(i, { t: 'b', n0: b.n0, up: b.up, t0: b.t0, seq: [], feat: [], ev: [] });
  }

  private checkHeartbeats(): void {
    const now = this.platform.now();
    this.slots.forEach((s, i) => {
      if (s.recovering || this.stopped || now - s.lastSeen <= s.silenceMs) return;
      const limit = s.silenceMs;
      // If it was only slow (one input longer than the limit), its replacement gets longer.
      s.silenceMs = Math.min(limit * 2, MAX_SILENCE_MS);
      void this.recover(i, `no heartbeat for ${limit} ms`);
    });
  }

  /** Restart worker `i` from its last checkpoint and rewire every port it had. */
  private async recover(i: number, reason: string): Promise<void> {
    const old = this.slots[i]!;
    if (old.recovering || this.stopped) return;
    old.recovering = true;
    this.hub.event({ kind: 'failure', worker: i, reason, at: this.platform.now() });
    try {
      await this.restart(i, old.cfg, old.checkpoint);
    } catch (e) {
      // The replacement itself failed: nothing will deliver the rest, so whoever waits must know.
      this.fatal = new Error(`worker ${i} ${reason} and could not be restarted: ${String(e)}`);
      for (const w of this.fatalWaiters) w(this.fatal);
      return;
    }
    this.slots[i]!.restarts++;
    this.hub.event({
      kind: 'recovered',
      worker: i,
      checkpoint: old.checkpoint?.id ?? 0,
      at: this.platform.now(),
    });
  }

  /** Replace worker `i` by a fresh one of `cfg` from `ck`, rewire every port it had, start it. */
  private async restart(
    i: number,
    cfg: WorkerConfig,
    ck?: WorkerCheckpoint | SealedCheckpoint,
  ): Promise<void> {
    const old = this.slots[i]!;
    this.retire(old);
    const slot = await this.spawn(cfg, ck);
    if (this.stopped) {
      // Stopped while the replacement started: it must not outlive the run.
      this.retire(slot);
      return;
    }
    slot.recovering = true;
    this.slots[i] = slot;
    const g = this.graph;
    for (const e of g.outEdges(i)) {
      const { port1, port2 } = this.platform.channel();
      await slot.api.connectOutput(e.id, transferPort(port1));
      await this.slots[e.to]!.api.connectInput(laneOf(g, e.to, e.id), transferPort(port2));
    }
    for (const e of g.inEdges(i)) {
      const { port1, port2 } = this.platform.channel();
      await this.slots[e.from]!.api.connectOutput(e.id, transferPort(port1));
      await slot.api.connectInput(laneOf(g, i, e.id), transferPort(port2));
    }
    const feeder = this.feeders.get(i);
    if (feeder) {
      const { port1, port2 } = this.platform.channel();
      feeder.reconnect(port1);
      await slot.api.connectInput(0, transferPort(port2));
    }
    await slot.api.start();
    slot.recovering = false;
    slot.lastSeen = this.platform.now();
  }

  private drained(): Promise<void> {
    const blocked = [...this.feeders.values()].filter((f) => f.blocked);
    if (blocked.length === 0) return Promise.resolve();
    return this.orFatal(
      new Promise((resolve) => {
        const check = (): void => {
          if ([...this.feeders.values()].every((f) => !f.blocked)) resolve();
        };
        for (const f of blocked) f.onDrain = check;
      }),
    );
  }

  /** `p`, or the reason the run cannot go on (a worker that cannot be restarted). */
  private orFatal<T>(p: Promise<T>): Promise<T> {
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise<T>((resolve, reject) => {
      this.fatalWaiters.add(reject);
      p.then(resolve, reject).finally(() => this.fatalWaiters.delete(reject));
    });
  }
}
