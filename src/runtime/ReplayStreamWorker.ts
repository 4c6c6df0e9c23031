import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import { fromDagSpec } from './fromDagSpec.ts';
import { InputMerger } from './InputMerger.ts';
import type { PortLike } from './ports.ts';
import { type Batch, END_SEQ } from './protocol.ts';
import type {
  ReplayInput,
  ReplayInputFactory,
  ReplayReport,
  ReplayWorkerApi,
  ReplayWorkerConfig,
} from './replayTypes.ts';
import { BatchedPortReceiver, BatchedPortTransport } from './Transport.ts';

/** Longest stretch of work between two yields (control calls — pause, seek — get through). */
const SLICE_MS = 20;
/** Lines read between two merges into the graph (and one results batch at most). */
const READ_BATCH = 512;

interface Checkpoint {
  readonly line: number;
  readonly graph: GraphSnapshot;
  readonly decoder: unknown;
}

/**
 * The worker side of a replay in workers: one subgraph, on the same data plane as live (input
 * lanes merged by sequence, batched MessagePort edges with credits), where the sequence of every
 * input is its **recording line**. A worker owning data sources reads the recording itself
 * (its {@link ReplayInput}: lines by global index, decoded by the venue adapters) as far as the
 * main thread's `playTo` allows; the others only merge their in-edges. Every worker checkpoints
 * its graph (and decoder) when everything before line `k × checkpointLines` is processed and
 * nothing after: the same lines in every worker, so a seek restores all of them at one line and
 * replays forward — outputs equal playing from the start, whatever the partitioning.
 */
export class ReplayStreamWorker implements ReplayWorkerApi {
  private cfg!: ReplayWorkerConfig;
  private nodes: Feature[] = [];
  private graph!: FeatureStreamGraph;
  private merger!: InputMerger;
  private input: ReplayInput | undefined;
  private sourceIdx: number[] = [];
  private readonly receivers = new Map<number, BatchedPortReceiver>();
  private readonly senders = new Map<number, BatchedPortTransport>();
  private results: BatchedPortTransport | undefined;
  private main: PortLike | undefined;
  private readonly unacked = new Map<number, number>();
  private epoch = 0;
  /** Next line to read (source workers). */
  private pos = 0;
  private limitLine = 0;
  private limitTime = -Infinity;
  /** Every input with seq (line) `<= done` is processed. */
  private done = -1;
  private checkpoints: Checkpoint[] = [];
  /** Decoder state at a checkpoint line, waiting for the graph to get there. */
  private readonly pendingDecoder = new Map<number, unknown>();
  private curSeq = 0;
  private fed: number[] = [];
  private lastReported = -1;
  private timer: true | undefined;
  private error: string | undefined;
  /** User nodes that failed since the last report (a failure stays in the node's state). */
  private userFailures: UserFailure[] = [];
  private stopped = false;
  /** The last slice yielded with inputs left: credits wait until they are processed. */
  private behind = false;
  private thin = false;
  private series = new Set<number>();
  /** Thinned outputs: the latest (seq, event) per output position since the last batch. */
  private readonly latestOut = new Map<number, readonly [number, Event]>();
  /** Zero-delay continuation (a nested setTimeout(0) is clamped to 4 ms in browsers). */
  private readonly wakeup = new MessageChannel();

  constructor(private readonly inputFactory: ReplayInputFactory = noInput) {
    this.wakeup.port1.onmessage = () => {
      this.timer = undefined;
      this.work();
    };
    // Node: an open port keeps the thread alive; the worker ends by terminate() anyway.
    (this.wakeup.port1 as { unref?: () => void }).unref?.();
  }

  init(cfg: ReplayWorkerConfig): void {
    this.cfg = cfg;
    // A failing user node is reported to the main thread, which shows it on the node as live
    // does; the node's own state keeps the failure (it survives checkpoints and seeks).
    this.nodes = fromDagSpec(cfg.dag, {
      onUserFailure: (f) => this.userFailures.push(f),
    }).nodes;
    this.sourceIdx = [...cfg.plan.sources];
    if (this.sourceIdx.length > 0) {
      this.input = this.inputFactory(
        this.sourceIdx.map((i) => this.nodes[i]!),
        cfg.replay.input,
        cfg.replay.validator === cfg.index,
      );
      this.input.onLoad = () => this.schedule();
    }
    this.build();
    this.merger = this.freshMerger(-1);
    this.checkpoints = [{ line: 0, graph: this.graph.snapshot(), decoder: undefined }];
  }

  connectMain(port: PortLike): void {
    this.results?.close();
    this.main = port;
    this.results = new BatchedPortTransport(port, { ...this.cfg.transport, policy: 'lossless' });
    this.results.onDrain = () => this.unblocked();
    // Say where this epoch starts (the watermark), so a seek that lands on its checkpoint ends.
    this.schedule();
  }

  connectOutput(edgeId: number, port: PortLike): void {
    this.senders.get(edgeId)?.close();
    const s = new BatchedPortTransport(port, { ...this.cfg.transport, policy: 'lossless' });
    s.onDrain = () => this.unblocked();
    this.senders.set(edgeId, s);
  }

  connectInput(lane: number, port: PortLike): void {
    this.receivers.get(lane)?.close();
    this.receivers.set(lane, new BatchedPortReceiver(port, (b) => this.onBatch(lane, b)));
  }

  reset(epoch: number, line: number): void {
    const cp = this.checkpoints.find((c) => c.line === line);
    if (!cp) throw new Error(`worker ${this.cfg.index} holds no checkpoint at line ${line}`);
    this.epoch = epoch;
    this.latestOut.clear();
    for (const r of this.receivers.values()) r.close();
    for (const s of this.senders.values()) s.close();
    this.results?.close();
    this.receivers.clear();
    this.senders.clear();
    this.results = undefined;
    this.unacked.clear();
    this.pendingDecoder.clear();
    this.build();
    this.graph.restore(cp.graph);
    this.input?.restore(cp.decoder);
    this.merger = this.freshMerger(line - 1);
    this.pos = line;
    this.limitLine = line;
    this.limitTime = -Infinity;
    this.done = line - 1;
    this.fed = [];
    this.lastReported = -1;
    this.error = undefined;
  }

  playTo(epoch: number, line: number, time: number): void {
    if (epoch !== this.epoch) return;
    this.limitLine = line;
    this.limitTime = time;
    this.schedule();
  }

  hold(): number {
    this.limitLine = this.pos;
    return this.pos;
  }

  checkpointLines(): number[] {
    return this.checkpoints.map((c) => c.line);
  }

  setThin(thin: boolean, series: readonly number[]): void {
    this.pushLatest();
    this.thin = thin;
    this.series = new Set(series);
  }

  grow(total: number, chunks: number): void {
    this.input?.grow(total, chunks);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.wakeup.port1.close();
  }

  /** A fresh graph of this worker's nodes, wired to its out-edges and results. */
  private build(): void {
    const cfg = this.cfg;
    const nodes = this.nodes;
    const owned = cfg.plan.nodes.map((i) => nodes[i]!);
    const inputs = cfg.plan.inputs.map((i) => nodes[i]!);
    this.graph = new FeatureStreamGraph(owned, false, undefined, { inputs });
    for (const x of cfg.plan.exports) {
      const edges = cfg.outEdges.filter((e) => e.features.includes(x)).map((e) => e.id);
      this.graph.setCallback(nodes[x]!, (_f, e) => {
        for (const id of edges) this.senders.get(id)?.push(this.curSeq, x, e);
      });
    }
    for (const pos of cfg.plan.outputs) {
      this.graph.setCallback(nodes[cfg.dag.outputs[pos]!]!, (_f, e) => {
        if (this.thin && !this.series.has(pos)) this.latestOut.set(pos, [this.curSeq, e]);
        else this.results?.push(this.curSeq, pos, e);
      });
    }
  }

  /** Lane 0 is this worker's own reading (finished from the start when it owns no source). */
  private freshMerger(up: number): InputMerger {
    const m = new InputMerger(1 + this.cfg.inEdges.length);
    const lane0 = this.input ? up : END_SEQ;
    m.add(0, { t: 'b', n0: 0, up: lane0, t0: 0, seq: [], feat: [], ev: [] });
    for (let l = 1; l <= this.cfg.inEdges.length; l++)
      m.add(l, { t: 'b', n0: 0, up, t0: 0, seq: [], feat: [], ev: [] });
    return m;
  }

  private onBatch(lane: number, b: Batch): void {
    this.merger.add(lane, b);
    this.unacked.set(lane, (this.unacked.get(lane) ?? 0) + 1);
    this.schedule();
  }

  private unblocked(): void {
    this.releaseCredits();
    this.schedule();
  }

  private get blocked(): boolean {
    if (this.results?.blocked) return true;
    for (const s of this.senders.values()) if (s.blocked) return true;
    return false;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = true;
    this.wakeup.port2.postMessage(0);
  }

  /** One slice: read what pacing allows, merge and process, flush, report; continue later. */
  private work(): void {
    if (!this.results) return;
    const start = performance.now();
    let more = false;
    try {
      if (this.input && this.error === undefined) more = this.read(start);
      more = this.process(start) || more;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
    this.flush();
    this.report();
    if (more) this.schedule();
  }

  /** Read and decode lines into lane 0; true when it stopped for time with more allowed. */
  private read(start: number): boolean {
    const input = this.input!;
    const every = this.cfg.replay.checkpointLines;
    let seq: number[] = [];
    let feat: number[] = [];
    let ev: Event[] = [];
    const emit = (source: number, e: Event): void => {
      seq.push(this.pos);
      feat.push(this.sourceIdx[source]!);
      ev.push(e);
    };
    const hand = (): void => {
      this.merger.add(0, { t: 'b', n0: 0, up: this.pos - 1, t0: 0, seq, feat, ev });
      seq = [];
      feat = [];
      ev = [];
    };
    let n = 0;
    const timed = this.limitTime !== Infinity;
    let loaded = 0;
    while (this.pos < this.limitLine && this.pos < input.total && !this.blocked) {
      // Ask the window now and then (it drops what is behind and reads ahead), not per line.
      if (this.pos >= loaded) {
        if (!input.request(this.pos)) break;
        loaded = Math.min(input.end, this.pos + READ_BATCH);
      }
      if (timed && input.time(this.pos) > this.limitTime) break;
      const p = this.pos;
      const before = ev.length;
      input.push(p, emit);
      if (ev.length > before) this.fed.push(p);
      this.pos = p + 1;
      // The decoder's state before line `pos`, for the graph's checkpoint there.
      if (this.pos % every === 0 && !this.hasCheckpoint(this.pos))
        this.pendingDecoder.set(this.pos, input.snapshot());
      if (++n % READ_BATCH === 0) {
        hand();
        this.process(start);
        this.flush();
        if (performance.now() - start >= SLICE_MS) return true;
      }
    }
    if (input.error !== undefined && this.error === undefined)
      this.error = `reading the recording: ${String(input.error)}`;
    hand();
    return false;
  }

  /**
   * Merge and process every releasable input, stopping at each checkpoint line to checkpoint;
   * true when it yielded for time with inputs left.
   */
  private process(start: number): boolean {
    const every = this.cfg.replay.checkpointLines;
    for (;;) {
      const boundary = (Math.floor((this.done + 1) / every) + 1) * every;
      this.merger.drain(
        (it) => {
          this.curSeq = it.seq;
          this.graph.emitNamedDataEvent([this.nodes[it.feat]!, it.ev]);
        },
        () => performance.now() - start >= SLICE_MS,
        boundary - 1,
      );
      if (this.merger.yielded) {
        this.done = Math.max(this.done, this.merger.drainedUpTo);
        this.behind = true;
        return true;
      }
      this.behind = false;
      const w = this.merger.watermark;
      if (w >= boundary - 1) {
        this.done = boundary - 1;
        // Thinned outputs before the line leave before any after it: values there stay exact.
        this.pushLatest();
        this.checkpointAt(boundary);
        continue;
      }
      this.done = Math.max(this.done, Math.min(w, END_SEQ - 1));
      return false;
    }
  }

  /** Hand the thinned outputs' latest events to the results stream. */
  private pushLatest(): void {
    for (const [pos, [seq, e]] of this.latestOut) this.results?.push(seq, pos, e);
    this.latestOut.clear();
  }

  private flush(): void {
    this.pushLatest();
    const up = this.done;
    for (const s of this.senders.values()) s.flush(up, 0);
    this.results?.flush(up, 0);
    this.releaseCredits();
  }

  /** Return input credits only while no output waits for credits (lossless backpressure). */
  private releaseCredits(): void {
    if (this.blocked || this.behind) return;
    for (const [lane, k] of this.unacked) {
      const r = this.receivers.get(lane);
      for (let i = 0; i < k; i++) r?.ack();
    }
    this.unacked.clear();
  }

  private hasCheckpoint(line: number): boolean {
    return this.checkpoints.some((c) => c.line === line);
  }

  private checkpointAt(line: number): void {
    if (this.hasCheckpoint(line)) return;
    let decoder: unknown;
    if (this.input) {
      decoder = this.pendingDecoder.get(line);
      this.pendingDecoder.delete(line);
      if (decoder === undefined) return;
    }
    const cps = this.checkpoints;
    let k = cps.length;
    while (k > 0 && cps[k - 1]!.line > line) k--;
    cps.splice(k, 0, { line, graph: this.graph.snapshot(), decoder });
    const { checkpointLines: every, maxCheckpoints: max } = this.cfg.replay;
    // Thin by line number, the same in every worker: keep multiples of a doubling spacing.
    for (let spacing = every * 2; this.checkpoints.length > max; spacing *= 2)
      this.checkpoints = this.checkpoints.filter((c) => c.line % spacing === 0);
  }

  private report(): void {
    const line = this.input ? this.pos : this.done + 1;
    const failures = this.userFailures;
    if (
      line === this.lastReported &&
      this.fed.length === 0 &&
      this.error === undefined &&
      failures.length === 0
    )
      return;
    this.lastReported = line;
    const time = this.input && line > 0 && this.input.total > 0 ? this.timeOf(line - 1) : undefined;
    const r: ReplayReport = {
      t: 'rp',
      worker: this.cfg.index,
      epoch: this.epoch,
      line,
      time,
      fed: this.fed,
      ...(this.error !== undefined ? { error: this.error } : {}),
      ...(failures.length > 0 ? { userFailures: failures } : {}),
    };
    this.fed = [];
    this.userFailures = [];
    this.main?.postMessage(r);
  }

  private timeOf(i: number): number | undefined {
    try {
      return this.input!.time(i);
    } catch {
      return undefined;
    }
  }
}

function noInput(): ReplayInput {
  throw new Error('this worker entry cannot read recordings');
}
