import type { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import { fromDagSpec } from './fromDagSpec.ts';
import { InputMerger } from './InputMerger.ts';
import type { PortLike } from './ports.ts';
import { type Batch, END_SEQ } from './protocol.ts';
import { type ReplayCheckpoint, ReplayCheckpoints } from './ReplayCheckpoints.ts';
import { ReplayPorts } from './ReplayPorts.ts';
import { ReplayReader } from './ReplayReader.ts';
import type {
  ReplayCheckpointCopy,
  ReplayInputFactory,
  ReplayReport,
  ReplayWorkerApi,
  ReplayWorkerConfig,
} from './replayTypes.ts';

/** Longest stretch of work between two yields (control calls — pause, seek — get through). */
const SLICE_MS = 20;

/**
 * The worker side of a replay in workers: one subgraph, on the same data plane as live (input
 * lanes merged by sequence, batched MessagePort edges with credits), where the sequence of every
 * input is its **recording line**. A worker owning data sources reads the recording itself
 * ({@link ReplayReader}) as far as the main thread's `playTo` allows; the others only merge their
 * in-edges. Every worker checkpoints its graph (and decoder) when everything before line
 * `k × checkpointLines` is processed and nothing after: the same lines in every worker, so a seek
 * — or a restart after a crash — restores all of them at one line and replays forward: outputs
 * equal playing from the start, whatever the partitioning. Each checkpoint is also copied to the
 * main thread, which hands a restarted worker its predecessor's.
 */
export class ReplayStreamWorker implements ReplayWorkerApi {
  private cfg!: ReplayWorkerConfig;
  private nodes: Feature[] = [];
  private graph!: FeatureStreamGraph;
  private merger!: InputMerger;
  private reader: ReplayReader | undefined;
  private ports!: ReplayPorts;
  private checkpoints!: ReplayCheckpoints;
  private epoch = 0;
  /** Every input with seq (line) `<= done` is processed. */
  private done = -1;
  private curSeq = 0;
  private lastReported = -1;
  private lastTime: number | undefined;
  private timer: true | undefined;
  private error: string | undefined;
  /** User nodes that failed since the last report (a failure stays in the node's state). */
  private userFailures: UserFailure[] = [];
  private stopped = false;
  /** The last slice yielded with inputs left: credits wait until they are processed. */
  private behind = false;
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
    this.ports = new ReplayPorts(
      cfg.transport,
      (lane, b) => this.onBatch(lane, b),
      () => this.unblocked(),
    );
    this.build();
    const { checkpointLines, maxCheckpoints } = cfg.replay;
    this.checkpoints = new ReplayCheckpoints(checkpointLines, maxCheckpoints, {
      line: 0,
      graph: this.graph.snapshot(),
      decoder: undefined,
    });
    const sources = [...cfg.plan.sources];
    if (sources.length > 0) {
      const mine = new Set(sources);
      const elsewhere = this.nodes.filter((f, i) => f.definition.kind === 'source' && !mine.has(i));
      const input = this.inputFactory(
        sources.map((i) => this.nodes[i]!),
        cfg.replay.input,
        cfg.replay.validator === cfg.index,
        elsewhere,
      );
      input.onLoad = () => this.schedule();
      this.reader = new ReplayReader(input, sources, this.checkpoints);
    }
    this.merger = this.freshMerger(-1);
  }

  /** Take the checkpoints a crashed predecessor copied to the main thread (then `reset`). */
  adopt(cps: readonly ReplayCheckpoint[]): void {
    this.checkpoints.adopt(cps);
  }

  connectMain(port: PortLike): void {
    this.ports.connectMain(port);
    // Say where this epoch starts (the watermark), so a seek that lands on its checkpoint ends.
    this.schedule();
  }

  connectOutput(edgeId: number, port: PortLike): void {
    this.ports.connectOutput(edgeId, port);
  }

  connectInput(lane: number, port: PortLike): void {
    this.ports.connectInput(lane, port);
  }

  reset(epoch: number, line: number): void {
    const cp = this.checkpoints.at(line);
    if (!cp) throw new Error(`worker ${this.cfg.index} holds no checkpoint at line ${line}`);
    this.epoch = epoch;
    this.ports.close();
    this.checkpoints.clearPending();
    this.build();
    this.graph.restore(cp.graph);
    this.reader?.input.restore(cp.decoder);
    this.reader?.reset(line);
    // The time of line `line - 1` tells the main thread's clock where the playhead is: load it
    // (a report follows the load), or a paced clock could wait for a time never reported.
    if (line > 0) this.reader?.input.request(line);
    this.merger = this.freshMerger(line - 1);
    this.done = line - 1;
    this.lastReported = -1;
    this.error = undefined;
  }

  playTo(epoch: number, line: number, time: number): void {
    if (epoch !== this.epoch) return;
    this.reader?.playTo(line, time);
    this.schedule();
  }

  hold(): number {
    return this.reader?.hold() ?? 0;
  }

  checkpointLines(): number[] {
    return this.checkpoints.lines;
  }

  setThin(thin: boolean, series: readonly number[]): void {
    this.ports.setThin(thin, series);
  }

  grow(total: number, chunks: number): void {
    this.reader?.input.grow(total, chunks);
    this.schedule();
  }

  /** Crash this worker (tests of recovery): an uncaught error, as a bug would throw. */
  fault(_kind: 'throw' = 'throw'): void {
    setTimeout(() => {
      throw new Error(`injected fault in replay worker ${this.cfg.index}`);
    });
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
        for (const id of edges) this.ports.send(id, this.curSeq, x, e);
      });
    }
    for (const pos of cfg.plan.outputs) {
      this.graph.setCallback(nodes[cfg.dag.outputs[pos]!]!, (_f, e) =>
        this.ports.output(this.curSeq, pos, e),
      );
    }
  }

  /** Lane 0 is this worker's own reading (finished from the start when it owns no source). */
  private freshMerger(up: number): InputMerger {
    const m = new InputMerger(1 + this.cfg.inEdges.length);
    const lane0 = this.reader ? up : END_SEQ;
    m.add(0, { t: 'b', n0: 0, up: lane0, t0: 0, seq: [], feat: [], ev: [] });
    for (let l = 1; l <= this.cfg.inEdges.length; l++)
      m.add(l, { t: 'b', n0: 0, up, t0: 0, seq: [], feat: [], ev: [] });
    return m;
  }

  private onBatch(lane: number, b: Batch): void {
    this.merger.add(lane, b);
    this.schedule();
  }

  private unblocked(): void {
    this.ports.releaseCredits(this.behind);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = true;
    this.wakeup.port2.postMessage(0);
  }

  /** One slice: read what pacing allows, merge and process, flush, report; continue later. */
  private work(): void {
    if (!this.ports.connected) return;
    const start = performance.now();
    let more = false;
    try {
      if (this.reader && this.error === undefined) more = this.read(this.reader, start);
      more = this.process(start) || more;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
    this.flush();
    this.report();
    if (more) this.schedule();
  }

  private read(reader: ReplayReader, start: number): boolean {
    const more = reader.read(
      () => this.ports.blocked,
      (b) => this.merger.add(0, b),
      () => {
        this.process(start);
        this.flush();
        return performance.now() - start >= SLICE_MS;
      },
    );
    const failed = reader.input.error;
    if (!more && failed !== undefined && this.error === undefined)
      this.error = `reading the recording: ${String(failed)}`;
    return more;
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
        this.ports.pushLatest();
        this.checkpointAt(boundary);
        continue;
      }
      this.done = Math.max(this.done, Math.min(w, END_SEQ - 1));
      return false;
    }
  }

  private flush(): void {
    this.ports.flush(this.done);
    this.ports.releaseCredits(this.behind);
  }

  private checkpointAt(line: number): void {
    const cp = this.checkpoints.add(line, () => this.graph.snapshot(), this.reader !== undefined);
    if (!cp) return;
    // The main thread keeps a copy: a restarted worker starts from it (crash recovery).
    const copy: ReplayCheckpointCopy = {
      t: 'ck',
      worker: this.cfg.index,
      checkpoint: cp,
      held: this.checkpoints.lines,
    };
    this.ports.post(copy);
  }

  private report(): void {
    const r = this.reader;
    const line = r ? r.pos : this.done + 1;
    const failures = this.userFailures;
    const fed = r?.fed ?? [];
    const time = r && line > 0 && r.input.total > 0 ? r.timeOf(line - 1) : undefined;
    if (
      line === this.lastReported &&
      time === this.lastTime &&
      fed.length === 0 &&
      this.error === undefined &&
      failures.length === 0
    )
      return;
    this.lastReported = line;
    this.lastTime = time;
    const report: ReplayReport = {
      t: 'rp',
      worker: this.cfg.index,
      epoch: this.epoch,
      line,
      time,
      fed,
      ...(this.error !== undefined ? { error: this.error } : {}),
      ...(failures.length > 0 ? { userFailures: failures } : {}),
    };
    if (r) r.fed = [];
    this.userFailures = [];
    this.ports.post(report);
  }
}

function noInput(): never {
  throw new Error('this worker entry cannot read recordings');
}
