import type { Feature } from '../core/feature/Feature.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import { CopyBudget } from './CopyBudget.ts';
import { fromDagSpec } from './fromDagSpec.ts';
import type { PortLike } from './ports.ts';
import type { Batch } from './protocol.ts';
import { type ReplayCheckpoint, ReplayCheckpoints } from './ReplayCheckpoints.ts';
import { ReplayPorts } from './ReplayPorts.ts';
import { ReplayReader } from './ReplayReader.ts';
import { ReplaySubgraph } from './ReplaySubgraph.ts';
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
 * While work goes on, results, edges and reports leave at most this often. A message costs
 * ~0.3 ms in Chromium (and each batch an ack and a release back): sending every 512 lines was a
 * sixth of a source worker's time. Going idle (the pacing reached, a seek's target) sends at once.
 */
const SEND_MS = 12;
/** Inputs processed between two looks at the clock (performance.now is not free in a worker). */
const CLOCK_EVERY = 64;
/**
 * Every how many checkpoints one is copied to the main thread (for a crashed worker's
 * replacement). Cloning a checkpoint costs what making it does again (a tenth of a worker's time
 * on the two-book bench pipeline with its 60 s windows); a replacement replays at most this many
 * spacings more, or more where copies are costly ({@link CopyBudget}). Seeks use every
 * checkpoint: the reports say which lines are held.
 */
const COPY_EVERY = 2;

/**
 * The worker side of a replay in workers: one subgraph, on the same data plane as live (input
 * lanes merged by sequence, batched MessagePort edges with credits), where the sequence of every
 * input is its **recording line**. A worker owning data sources reads the recording itself
 * ({@link ReplayReader}) as far as the main thread's `playTo` allows; the others only merge their
 * in-edges. Every worker checkpoints its graph (and decoder) when everything before line
 * `k × checkpointLines` is processed and nothing after: the same lines in every worker, so a seek
 * — or a restart after a crash — restores all of them at one line and replays forward: outputs
 * equal playing from the start, whatever the partitioning. Every other checkpoint is also copied
 * to the main thread (fewer where copies are costly), which hands a restarted worker its
 * predecessor's.
 */
export class ReplayStreamWorker implements ReplayWorkerApi {
  private cfg!: ReplayWorkerConfig;
  private nodes: Feature[] = [];
  private sub!: ReplaySubgraph;
  private reader: ReplayReader | undefined;
  private ports!: ReplayPorts;
  private checkpoints!: ReplayCheckpoints;
  private epoch = 0;
  private lastReported = -1;
  private lastTime: number | undefined;
  private timer: true | undefined;
  private error: string | undefined;
  /** User nodes that failed since the last report (a failure stays in the node's state). */
  private userFailures: UserFailure[] = [];
  private stopped = false;
  /** When results, edges and the report last left. */
  private sentAt = -Infinity;
  /** The checkpoints' version the main thread last heard of. */
  private heldSent = -1;
  /** What the main thread last heard this worker holds in memory (time ranges). */
  private memorySent: readonly number[] = [];
  private readonly spent = { read: 0, process: 0, send: 0, waitLoad: 0, waitCredit: 0 };
  /** The reader is waiting (for a load or credits) since this time (see `spent`). */
  private waitingSince: number | undefined;
  /** Costly checkpoint copies are spaced out (see {@link CopyBudget}). */
  private readonly copies = new CopyBudget();
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
    const sources = [...cfg.plan.sources];
    this.sub = new ReplaySubgraph(cfg, this.nodes, this.ports, sources.length > 0);
    const { checkpointLines, maxCheckpoints } = cfg.replay;
    this.checkpoints = new ReplayCheckpoints(checkpointLines, maxCheckpoints, {
      line: 0,
      graph: this.sub.snapshot(),
      decoder: undefined,
    });
    if (sources.length > 0) {
      const mine = new Set(sources);
      const elsewhere = this.nodes.filter((f, i) => f.definition.kind === 'source' && !mine.has(i));
      const { readers } = cfg.replay;
      const input = this.inputFactory(
        sources.map((i) => this.nodes[i]!),
        cfg.replay.input,
        { rank: Math.max(0, readers.indexOf(cfg.index)), of: Math.max(1, readers.length) },
        elsewhere,
      );
      input.onLoad = () => this.schedule();
      this.reader = new ReplayReader(input, sources, this.checkpoints);
      // Open at the start, as the in-thread replay does: the playhead's chunks load before any
      // play (the timeline shows them held), and an IndexedDB input picks its store now, so a
      // recording without a decoded-events cache starts indexing once the opened replay idles.
      input.request(0);
    }
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

  reset(epoch: number, line: number): boolean {
    const cp = this.checkpoints.at(line);
    if (!cp) {
      // The manager chose from a stale copy of the lines held: it asks again, on a new epoch.
      this.ports.close();
      this.reader?.hold();
      return false;
    }
    this.epoch = epoch;
    // The read first: the store reads while the checkpoint is restored here. The time of line
    // `line - 1` also tells the main thread's clock where the playhead is: load it (a report
    // follows the load), or a paced clock could wait for a time never reported.
    this.reader?.input.request(line);
    this.ports.close();
    this.checkpoints.clearPending();
    this.sub.restore(line, cp.graph);
    this.reader?.input.restore(cp.decoder);
    this.reader?.reset(line);
    this.lastReported = -1;
    this.error = undefined;
    return true;
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

  private onBatch(lane: number, b: Batch): void {
    this.sub.add(lane, b);
    this.schedule();
  }

  private unblocked(): void {
    this.ports.releaseCredits(this.sub.behind);
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
    const waited = this.reader?.waiting;
    if (waited !== undefined && this.waitingSince !== undefined) {
      if (waited === 'load') this.spent.waitLoad += start - this.waitingSince;
      else this.spent.waitCredit += start - this.waitingSince;
    }
    this.waitingSince = undefined;
    let more = false;
    try {
      if (this.reader && this.error === undefined) {
        // Reading's own time: what it took less the processing and sending done in between.
        const inside = this.spent.process + this.spent.send;
        more = this.read(this.reader, start);
        const took = performance.now() - start;
        this.spent.read += took - (this.spent.process + this.spent.send - inside);
      }
      more = this.process(start) || more;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
    if (!more || performance.now() - this.sentAt >= SEND_MS) this.send();
    if (more) this.schedule();
    else if (this.reader?.waiting !== undefined) this.waitingSince = performance.now();
  }

  private send(): void {
    const t0 = performance.now();
    this.flush();
    this.report();
    this.sentAt = performance.now();
    this.spent.send += this.sentAt - t0;
  }

  private read(reader: ReplayReader, start: number): boolean {
    const more = reader.read(
      () => this.ports.blocked,
      (b) => this.sub.add(0, b),
      () => {
        this.process(start);
        const now = performance.now();
        if (now - this.sentAt >= SEND_MS) this.send();
        return now - start >= SLICE_MS;
      },
    );
    const failed = reader.input.error;
    if (!more && failed !== undefined && this.error === undefined)
      this.error = `reading the recording: ${String(failed)}`;
    return more;
  }

  /** Process what the merge releases; true when it yielded for time with inputs left. */
  private process(start: number): boolean {
    let n = 0;
    const t0 = performance.now();
    const more = this.sub.process(
      () => ++n % CLOCK_EVERY === 0 && performance.now() - start >= SLICE_MS,
      (line) => this.checkpointAt(line),
    );
    this.spent.process += performance.now() - t0;
    return more;
  }

  private flush(): void {
    this.ports.flush(this.sub.done);
    this.ports.releaseCredits(this.sub.behind);
  }

  private checkpointAt(line: number): void {
    const cp = this.checkpoints.add(line, () => this.sub.snapshot(), this.reader !== undefined);
    if (!cp || line % (this.cfg.replay.checkpointLines * COPY_EVERY) !== 0) return;
    const start = performance.now();
    if (!this.copies.allows(start)) return;
    // The main thread keeps a copy: a restarted worker starts from it (crash recovery).
    const copy: ReplayCheckpointCopy = {
      t: 'ck',
      worker: this.cfg.index,
      checkpoint: cp,
      held: this.checkpoints.lines,
    };
    this.ports.post(copy);
    this.copies.spent(start, performance.now() - start);
  }

  private report(): void {
    const r = this.reader;
    const line = r ? r.pos : this.sub.done + 1;
    const failures = this.userFailures;
    const fed = r?.fed ?? [];
    const time = r && line > 0 && r.input.total > 0 ? r.timeOf(line - 1) : undefined;
    const heldChanged = this.checkpoints.version !== this.heldSent;
    const memory = r?.input.memory?.();
    const memoryChanged = memory !== undefined && !sameNumbers(memory, this.memorySent);
    if (
      line === this.lastReported &&
      time === this.lastTime &&
      fed.length === 0 &&
      this.error === undefined &&
      failures.length === 0 &&
      !heldChanged &&
      !memoryChanged
    )
      return;
    if (memoryChanged) this.memorySent = memory;
    this.heldSent = this.checkpoints.version;
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
      ...(heldChanged ? { held: this.checkpoints.lines } : {}),
      spentMs: { ...this.spent },
      ...(r?.input.cacheFallbacks ? { cacheFallbacks: r.input.cacheFallbacks } : {}),
      ...(memoryChanged ? { memory } : {}),
    };
    if (r) r.fed = [];
    this.userFailures = [];
    this.ports.post(report);
  }
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function noInput(): never {
  throw new Error('this worker entry cannot read recordings');
}
