import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import { InputMerger } from './InputMerger.ts';
import { LiveInput } from './LiveInput.ts';
import type { PortLike } from './ports.ts';
import { type Batch, END_SEQ } from './protocol.ts';
import { CommitGate } from './CommitGate.ts';
import { isRawBatch, parseRawLines } from './parseRawLines.ts';
import { postSealed, unseal, WorkerCheckpoints } from './WorkerCheckpoints.ts';
import { WorkerMeter } from './WorkerMeter.ts';
import { WorkerPorts } from './WorkerPorts.ts';
import { WorkerSubgraph } from './WorkerSubgraph.ts';
import {
  type EmitterFactory,
  type LiveTapFactory,
  type SealedCheckpoint,
  SLOW_FAULT_ITEM_MS,
  SLOW_FAULT_MS,
  type StreamWorkerApi,
  type WorkerCheckpoint,
  type WorkerConfig,
} from './workerTypes.ts';

/**
 * Longest stretch of processing between two yields to the event loop. Short against the
 * heartbeat (1.5 s in the studio), long against a task switch (a setTimeout(0) costs ~4 ms in a
 * browser once nested, so at most a few percent).
 */
export const PROCESS_SLICE_MS = 50;

/**
 * The worker-side host of one subgraph. Inputs arrive on lanes (lane 0: the feeder or this
 * worker's emitters when it owns sources; then one lane per in-edge), are merged by sequence
 * ({@link InputMerger}), pushed through a FeatureStreamGraph whose boundary inputs are leaves,
 * and what downstream subgraphs (or the results collector) need leaves as one batch per stream
 * per processing tick. Platform-free: the entry file passes the emitter factory. This class
 * orchestrates (init, wiring, the sliced drain, stop, handover); its parts own the rest:
 * {@link WorkerSubgraph} (graph and output routing), {@link WorkerPorts} (edges, lanes, credits),
 * {@link LiveInput} (emitters, live sequence, tap), {@link WorkerCheckpoints}, {@link WorkerMeter}.
 */
export class StreamWorker implements StreamWorkerApi {
  private cfg!: WorkerConfig;
  private sub!: WorkerSubgraph;
  private merger!: InputMerger;
  private restoreFrom: WorkerCheckpoint | undefined;
  private readonly ports = new WorkerPorts(() => this.releaseCredits());
  private readonly ckpts = new WorkerCheckpoints();
  private readonly meter = new WorkerMeter();
  /** Emitters, live sequence and tap (made in {@link init}). */
  private live!: LiveInput;
  private timers: ReturnType<typeof setInterval>[] = [];
  private t0 = Infinity;
  /** Replaced by a worker with an edited config: ignore further input. */
  private frozen = false;
  /** Holds out-edge items until a stored checkpoint covers them (a recording source worker). */
  private gate: CommitGate | undefined;
  /** Until when a `slow` fault lasts (epoch ms; 0: not slowed). */
  private slowUntil = 0;
  /** The next slice of a drain that yielded (see {@link PROCESS_SLICE_MS}). */
  private resume: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emitterFactory: EmitterFactory = () => [],
    private readonly tapFactory?: LiveTapFactory,
  ) {}

  async init(
    cfg: WorkerConfig,
    from?: WorkerCheckpoint | SealedCheckpoint,
    carry?: Readonly<Record<string, GraphSnapshot>>,
  ): Promise<void> {
    const checkpoint = from && 'port' in from ? await unseal(from.port) : from;
    this.cfg = cfg;
    this.live = new LiveInput(cfg, {
      frozen: () => this.frozen,
      add: (b, arrivedMs) => {
        this.merger.add(0, b);
        if (arrivedMs !== undefined) this.t0 = Math.min(this.t0, arrivedMs);
      },
      process: () => this.process(),
    });
    this.sub = new WorkerSubgraph(cfg, {
      ports: this.ports,
      meter: this.meter,
      gate: () => this.gate,
      tap: () => this.live.tap,
    });
    this.merger = new InputMerger(1 + cfg.inEdges.length);
    // Lane 0 carries source input; without sources it is finished from the start.
    if (cfg.plan.sources.length === 0) {
      this.merger.add(0, { t: 'b', n0: 0, up: END_SEQ, t0: 0, seq: [], feat: [], ev: [] });
    }
    const graph = this.sub.graph;
    if (carry) graph.restoreFeatures(carry);
    if (checkpoint) {
      if (checkpoint.features) graph.restoreFeatures(checkpoint.features);
      else graph.restore(checkpoint.graph);
      this.merger.setState(checkpoint.lanes);
      this.live.seqs.last = checkpoint.lastSeq;
      this.ckpts.id = checkpoint.id;
    }
    this.restoreFrom = checkpoint;
    if (cfg.mode === 'live') this.live.makeTap(checkpoint, this.tapFactory);
    // Exactly-once downstream of live sources while a tap commits (records): see CommitGate.
    const commits = this.live.tap?.stored !== undefined && cfg.plan.sources.length > 0;
    if (checkpoint?.gate || (commits && cfg.outEdges.length > 0)) {
      this.gate = new CommitGate(checkpoint?.gate);
    }
  }

  connectMain(port: PortLike): void {
    this.ports.connectMain(port, this.cfg, this.restoreFrom);
    if (this.restoreFrom) {
      // The manager handed its only copy (the sealed port) to this worker: give it one back, so
      // a second failure before the next periodic checkpoint still restores from here.
      postSealed(this.ports.main, this.restoreFrom);
    }
  }

  connectOutput(edgeId: number, port: PortLike): void {
    this.ports.connectOutput(edgeId, port, this.cfg, this.restoreFrom);
  }

  connectInput(lane: number, port: PortLike): void {
    this.ports.connectInput(lane, port, this.restoreFrom, (l, b) => this.onBatch(l, b));
  }

  start(): void {
    const sources = this.cfg.plan.sources.map((i) => this.sub.nodes[i]!);
    if (this.cfg.mode === 'live' && sources.length > 0) {
      this.live.startEmitters(sources, this.cfg.plan.sources, this.emitterFactory, (m) =>
        this.meter.mark(m),
      );
    }
    const tel = this.cfg.telemetryMs ?? 100;
    this.timers.push(setInterval(() => this.report(), tel));
    const ck = this.cfg.checkpointMs ?? 250;
    if (ck > 0) this.timers.push(setInterval(() => this.checkpoint(), ck));
    if (this.cfg.mode === 'live') this.timers.push(setInterval(() => this.live.tick(), tel));
    this.report();
  }

  userFailures(): UserFailure[] {
    return this.sub.failures;
  }

  stop(): void {
    this.live.stopEmitters();
    // A clean stop undoes nothing: what the gate held may go downstream now.
    if (this.gate) {
      this.gate.open();
      this.gate.release(this.ports.senders, Date.now());
    }
    this.live.stopTap();
    this.timers.forEach(clearInterval);
    this.timers = [];
    this.report();
  }

  checkpointStored(id: number): void {
    this.live.tap?.stored?.(id);
    if (this.gate) {
      this.gate.stored(id);
      this.gate.release(this.ports.senders, Date.now());
    }
    const inN = this.ckpts.stored(id);
    if (inN) this.ports.release(inN);
  }

  handover(): WorkerCheckpoint {
    this.stop();
    clearTimeout(this.resume);
    this.resume = undefined;
    this.process(Infinity);
    this.frozen = true;
    const ck = this.checkpointNow();
    return { ...ck, features: this.sub.graph.snapshotFeatures() };
  }

  setSeries(positions: readonly number[]): void {
    this.sub.setSeries(positions);
  }

  fault(kind: 'throw' | 'hang' | 'slow'): void {
    if (kind === 'hang') for (;;);
    if (kind === 'slow') {
      this.slowUntil = Date.now() + SLOW_FAULT_MS;
      return;
    }
    setTimeout(() => {
      throw new Error(`injected fault in worker ${this.cfg.index}`);
    });
  }

  private onBatch(lane: number, raw: Batch): void {
    if (this.frozen) return;
    // A batch run fed as text: this worker parses its own lines (the main thread only routed them).
    const b = lane === 0 && isRawBatch(raw) ? parseRawLines(raw) : raw;
    this.merger.add(lane, b);
    if (b.ev.length > 0) this.t0 = Math.min(this.t0, b.t0);
    this.ports.received(lane);
    this.process();
  }

  /**
   * Process what the merger releases, for at most `sliceMs`: then flush what is done, and continue
   * in a later task, so timers (telemetry, which is the heartbeat; checkpoints) and control calls
   * run in between. A busy worker keeps answering; only a single input that never ends (a real
   * hang) silences it. Input credits go back only once the queue is drained (backpressure).
   */
  private process(sliceMs = PROCESS_SLICE_MS): void {
    // What is processed now is passed by the watermark: no later event may take the line's seq.
    this.live.seqs.closeLine();
    const start = performance.now();
    const n = this.merger.drain(
      (it) => {
        if (this.slowUntil !== 0) this.slowDown();
        this.sub.emit(it.seq, it.feat, it.ev, this.ports.results);
      },
      sliceMs === Infinity ? undefined : () => performance.now() - start >= sliceMs,
    );
    // Ordered mode gathers each seq's items: the last one gathered runs now, in this slice.
    this.sub.endInput(this.ports.results);
    this.meter.processed += n;
    const more = this.merger.yielded;
    const up = more ? this.merger.drainedUpTo : this.merger.watermark;
    this.live.tap?.processed(up);
    const t0 = this.t0 === Infinity ? Date.now() : this.t0;
    if (n > 0) this.meter.latency(Date.now() - t0);
    if (this.gate) {
      this.gate.processed(up);
      this.gate.release(this.ports.senders, t0);
    } else for (const s of this.ports.senders.values()) s.flush(up, t0);
    this.sub.flushThinned(this.ports.results);
    this.ports.results?.flush(up, t0);
    this.t0 = Infinity;
    this.meter.busyMs += performance.now() - start;
    // A recording burst: checkpoint now, so the recorder gets it without waiting a period.
    if (this.live.tap?.due?.()) this.checkpoint();
    if (!more) this.releaseCredits();
    else if (this.resume === undefined) {
      this.resume = setTimeout(() => {
        this.resume = undefined;
        this.process();
      }, 0);
    }
  }

  /** A `slow` fault: burn {@link SLOW_FAULT_ITEM_MS} per item until it has lasted its time. */
  private slowDown(): void {
    const now = Date.now();
    if (now >= this.slowUntil) this.slowUntil = 0;
    else while (Date.now() - now < SLOW_FAULT_ITEM_MS);
  }

  /** Input credits wait while a drain is unfinished; then the ports' rule applies. */
  private releaseCredits(): void {
    if (this.resume !== undefined) return;
    this.ports.releaseCredits();
  }

  private checkpoint(): void {
    if (!this.ports.main || this.frozen || !this.ckpts.due(this.meter.processed)) return;
    postSealed(this.ports.main, this.checkpointNow());
  }

  private checkpointNow(): WorkerCheckpoint {
    return this.ckpts.capture({
      graph: this.sub.graph,
      merger: this.merger,
      ports: this.ports,
      lanes: 1 + this.cfg.inEdges.length,
      lastSeq: this.live.seqs.last,
      tap: this.live.tap,
      gate: this.gate,
    });
  }

  private report(): void {
    const edges = this.ports.stats();
    const feeds = this.live.feeds();
    this.ports.post(this.meter.report(this.cfg.index, this.merger.depth, edges, feeds));
  }
}
