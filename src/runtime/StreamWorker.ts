import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import { NdjsonLineWriter, TimesText } from '../core/batch/NdjsonLineWriter.ts';
import { fromDagSpec } from './fromDagSpec.ts';
import { InputMerger } from './InputMerger.ts';
import { LiveSequence } from './LiveSequence.ts';
import { listen, type PortLike } from './ports.ts';
import { type Batch, END_SEQ } from './protocol.ts';
import { CommitGate } from './CommitGate.ts';
import { isLineFailure, isRawBatch, parseRawLines } from './parseRawLines.ts';
import { BatchedPortReceiver, BatchedPortTransport } from './Transport.ts';
import {
  type EmitterFactory,
  type EmitterLike,
  type LiveTap,
  type LiveTapFactory,
  type SealedCheckpoint,
  SLOW_FAULT_ITEM_MS,
  SLOW_FAULT_MS,
  type StreamWorkerApi,
  type WorkerCheckpoint,
  type WorkerConfig,
  type WorkerReport,
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
 * per processing tick. Platform-free: the entry file passes the emitter factory.
 */
export class StreamWorker implements StreamWorkerApi {
  private cfg!: WorkerConfig;
  private graph!: FeatureStreamGraph;
  private nodes: Feature[] = [];
  private merger!: InputMerger;
  private restoreFrom: WorkerCheckpoint | undefined;
  private readonly receivers = new Map<number, BatchedPortReceiver>();
  private readonly senders = new Map<number, BatchedPortTransport>();
  private results: BatchedPortTransport | undefined;
  private main: PortLike | undefined;
  private readonly unacked = new Map<number, number>();
  private readonly ckptInN = new Map<number, number[]>();
  private readonly counts: Record<number, number> = {};
  private emitters: EmitterLike[] = [];
  private timers: ReturnType<typeof setInterval>[] = [];
  private curSeq = 0;
  /** Live sequence numbers: this worker's inputs and what its tap stamps. */
  private seqs = new LiveSequence();
  /** A microtask will close the open line (see {@link openLine}). */
  private lineClosing = false;
  private t0 = Infinity;
  private processed = 0;
  private lastCkptProcessed = -1;
  private busyMs = 0;
  private latSum = 0;
  private latN = 0;
  private ckptId = 0;
  private scheduled = false;
  /** Replaced by a worker with an edited config: ignore further input. */
  private frozen = false;
  private series = new Set<number>();
  /** Thinned outputs: latest (seq, event) per output position since the last flush. */
  private readonly latestOut = new Map<number, readonly [number, Event]>();
  private markers: object[] = [];
  /** Every user node failure of this worker (markers leave with telemetry; batch asks at the end). */
  private readonly failures: UserFailure[] = [];
  /** Sees outputs and processing watermarks while live (the entry's recorder). */
  private tap: LiveTap | undefined;
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
    this.seqs = new LiveSequence(cfg.index, cfg.workers ?? 1);
    this.series = new Set(cfg.series ?? []);
    // A failing user feature is reported with the telemetry, as a marker (issue #13).
    const { nodes } = fromDagSpec(cfg.dag, {
      onUserFailure: (f) => {
        this.failures.push(f);
        this.markers.push({ kind: 'userFailure', ...f });
      },
    });
    this.nodes = nodes;
    const owned = cfg.plan.nodes.map((i) => nodes[i]!);
    const inputs = cfg.plan.inputs.map((i) => nodes[i]!);
    this.graph = new FeatureStreamGraph(owned, false, undefined, { inputs });
    this.merger = new InputMerger(1 + cfg.inEdges.length);
    // Lane 0 carries source input; without sources it is finished from the start.
    if (cfg.plan.sources.length === 0) {
      this.merger.add(0, { t: 'b', n0: 0, up: END_SEQ, t0: 0, seq: [], feat: [], ev: [] });
    }
    for (const i of cfg.plan.nodes) {
      this.counts[i] = 0;
      this.graph.setCallback(nodes[i]!, () => this.counts[i]!++);
    }
    for (const x of cfg.plan.exports) {
      const edges = cfg.outEdges.filter((e) => e.features.includes(x)).map((e) => e.id);
      this.graph.setCallback(nodes[x]!, (_f, e) => {
        for (const id of edges) {
          if (this.gate) this.gate.push(id, this.curSeq, x, e);
          else this.senders.get(id)!.push(this.curSeq, x, e);
        }
      });
    }
    const times = new TimesText();
    for (const pos of cfg.plan.outputs) {
      const ndjson = cfg.ndjson && new NdjsonLineWriter(cfg.ndjson[pos]!, times);
      this.graph.setCallback(nodes[cfg.dag.outputs[pos]!]!, (_f, e) => {
        this.tap?.output?.(pos, this.curSeq, e);
        if (cfg.thin && !this.series.has(pos)) this.latestOut.set(pos, [this.curSeq, e]);
        else if (ndjson) {
          // Written as UTF-8 into the results' buffer: no string per line (see TextBatch).
          ndjson.lineTo(e, this.results!.text!);
          this.results!.pushText(this.curSeq, pos);
        } else this.results!.push(this.curSeq, pos, e);
      });
    }
    if (carry) this.graph.restoreFeatures(carry);
    if (checkpoint) {
      if (checkpoint.features) this.graph.restoreFeatures(checkpoint.features);
      else this.graph.restore(checkpoint.graph);
      this.merger.setState(checkpoint.lanes);
      this.seqs.last = checkpoint.lastSeq;
      this.ckptId = checkpoint.id;
    }
    this.restoreFrom = checkpoint;
    if (cfg.mode === 'live') this.makeTap();
    // Exactly-once downstream of live sources while a tap commits (records): see CommitGate.
    const commits = this.tap?.stored !== undefined && cfg.plan.sources.length > 0;
    if (checkpoint?.gate || (commits && cfg.outEdges.length > 0)) {
      this.gate = new CommitGate(checkpoint?.gate);
    }
  }

  connectMain(port: PortLike): void {
    this.main = port;
    this.results = new BatchedPortTransport(port, {
      ...this.cfg.transport,
      policy: 'lossless',
      // Batch NDJSON: the results travel as the output lines' bytes.
      ...(this.cfg.ndjson ? { codec: 'text' as const } : {}),
    });
    this.results.onDrain = () => this.releaseCredits();
    if (this.restoreFrom) {
      this.results.setState(this.restoreFrom.results);
      // The manager handed its only copy (the sealed port) to this worker: give it one back, so
      // a second failure before the next periodic checkpoint still restores from here.
      this.postCheckpoint(this.restoreFrom);
    }
  }

  connectOutput(edgeId: number, port: PortLike): void {
    const existing = this.senders.get(edgeId);
    if (existing) return existing.reconnect(port);
    const s = new BatchedPortTransport(port, this.cfg.transport);
    s.onDrain = () => this.releaseCredits();
    this.senders.set(edgeId, s);
    const st = this.restoreFrom?.out[edgeId];
    if (st) s.setState(st);
  }

  connectInput(lane: number, port: PortLike): void {
    const existing = this.receivers.get(lane);
    if (existing) return existing.reconnect(port);
    const r = new BatchedPortReceiver(port, (b) => this.onBatch(lane, b));
    r.nextN = this.restoreFrom?.inN[lane] ?? 0;
    this.receivers.set(lane, r);
  }

  start(): void {
    const sources = this.cfg.plan.sources.map((i) => this.nodes[i]!);
    if (this.cfg.mode === 'live' && sources.length > 0) {
      this.emitters = this.emitterFactory(
        sources,
        this.cfg.emitterOptions,
        (m) => this.markers.push(m),
        this.tap,
      );
      const index = new Map(this.cfg.plan.sources.map((i) => [this.nodes[i]!.key, i]));
      for (const em of this.emitters) {
        for (const f of sources)
          em.registerCallback(f, (src, ev) => this.onLive(index.get(src.key)!, ev));
      }
      this.emitters.forEach((e) => e.start());
    }
    const tel = this.cfg.telemetryMs ?? 100;
    this.timers.push(setInterval(() => this.report(), tel));
    const ck = this.cfg.checkpointMs ?? 250;
    if (ck > 0) this.timers.push(setInterval(() => this.checkpoint(), ck));
    if (this.cfg.mode === 'live') this.timers.push(setInterval(() => this.liveTick(), tel));
    this.report();
  }

  /**
   * The live tap, made before any input can arrive: a restored worker processes what its
   * upstreams replay as soon as its ports are wired, before `start`, and a recorder must see
   * those outputs too.
   */
  private makeTap(): void {
    // A handover (edit) carries per-feature state; a recovery restores the whole graph.
    const from = this.restoreFrom;
    const recovered = from !== undefined && from.features === undefined;
    this.tap = this.tapFactory?.(this.cfg.emitterOptions, {
      worker: this.cfg.index,
      nextSeq: () => this.seqs.next(),
      openLine: () => this.openLine(),
      lastSeq: () => this.seqs.last,
      recovered,
      ...(recovered && from.tap !== undefined
        ? { restored: { id: from.id, state: from.tap } }
        : {}),
    });
  }

  userFailures(): UserFailure[] {
    return this.failures;
  }

  stop(): void {
    this.emitters.forEach((e) => e.stop());
    // A clean stop undoes nothing: what the gate held may go downstream now.
    if (this.gate) {
      this.gate.open();
      this.gate.release(this.senders, Date.now());
    }
    this.tap?.stop();
    this.tap = undefined;
    this.timers.forEach(clearInterval);
    this.timers = [];
    this.report();
  }

  checkpointStored(id: number): void {
    this.tap?.stored?.(id);
    if (this.gate) {
      this.gate.stored(id);
      this.gate.release(this.senders, Date.now());
    }
    const inN = this.ckptInN.get(id);
    if (!inN) return;
    for (const [k] of this.ckptInN) if (k <= id) this.ckptInN.delete(k);
    this.receivers.forEach((r, lane) => r.release(inN[lane] ?? 0));
  }

  handover(): WorkerCheckpoint {
    this.stop();
    clearTimeout(this.resume);
    this.resume = undefined;
    this.process(Infinity);
    this.frozen = true;
    const ck = this.checkpointNow();
    return { ...ck, features: this.graph.snapshotFeatures() };
  }

  setSeries(positions: readonly number[]): void {
    this.series = new Set(positions);
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
    this.unacked.set(lane, (this.unacked.get(lane) ?? 0) + 1);
    this.process();
  }

  /**
   * Live inputs: sequence = wall-clock µs, never decreasing within this worker; the events of one
   * recorded line share its stamp (LiveSequence).
   */
  private onLive(feat: number, ev: Event): void {
    if (this.frozen) return;
    const now = Date.now();
    const seq = this.seqs.eventSeq();
    this.merger.add(0, {
      t: 'b',
      n0: 0,
      up: seq,
      t0: now,
      seq: [seq],
      feat: [feat],
      ev: [ev],
    });
    this.t0 = Math.min(this.t0, now);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.process();
      });
    }
  }

  /**
   * The tap stamps a line that causes events (a frame, a SIM event, a disconnect): the events
   * this worker's sources emit until the current task ends are that line's (see LiveSequence).
   */
  private openLine(): number {
    const seq = this.seqs.openLine();
    if (!this.lineClosing) {
      this.lineClosing = true;
      queueMicrotask(() => {
        this.lineClosing = false;
        this.seqs.closeLine();
      });
    }
    return seq;
  }

  /** Advance the live watermark when sources are quiet, so merges downstream keep moving. */
  private liveTick(): void {
    if (this.cfg.plan.sources.length === 0) return;
    const up = this.seqs.tick();
    this.merger.add(0, { t: 'b', n0: 0, up, t0: 0, seq: [], feat: [], ev: [] });
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
    this.seqs.closeLine();
    const start = performance.now();
    const n = this.merger.drain(
      (it) => {
        if (this.slowUntil !== 0) this.slowDown();
        this.curSeq = it.seq;
        if (isLineFailure(it.feat)) this.results!.push(it.seq, it.feat, it.ev);
        else this.graph.emitNamedDataEvent([this.nodes[it.feat]!, it.ev]);
      },
      sliceMs === Infinity ? undefined : () => performance.now() - start >= sliceMs,
    );
    this.processed += n;
    const more = this.merger.yielded;
    const up = more ? this.merger.drainedUpTo : this.merger.watermark;
    this.tap?.processed(up);
    const t0 = this.t0 === Infinity ? Date.now() : this.t0;
    if (n > 0) {
      this.latSum += Date.now() - t0;
      this.latN++;
    }
    if (this.gate) {
      this.gate.processed(up);
      this.gate.release(this.senders, t0);
    } else for (const s of this.senders.values()) s.flush(up, t0);
    for (const [pos, [seq, e]] of this.latestOut) this.results?.push(seq, pos, e);
    this.latestOut.clear();
    this.results?.flush(up, t0);
    this.t0 = Infinity;
    this.busyMs += performance.now() - start;
    // A recording burst: checkpoint now, so the recorder gets it without waiting a period.
    if (this.tap?.due?.()) this.checkpoint();
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

  /** Return input credits only while no output waits for credits (lossless backpressure). */
  private releaseCredits(): void {
    if (this.resume !== undefined) return;
    for (const s of this.senders.values()) if (s.blocked) return;
    if (this.results?.blocked) return;
    for (const [lane, k] of this.unacked) {
      const r = this.receivers.get(lane);
      for (let i = 0; i < k; i++) r?.ack();
    }
    this.unacked.clear();
  }

  private checkpoint(): void {
    if (this.processed === this.lastCkptProcessed || !this.main || this.frozen) return;
    this.lastCkptProcessed = this.processed;
    this.postCheckpoint(this.checkpointNow());
  }

  /** Post `ck` sealed: queued on a fresh channel whose unread end goes to the manager. */
  private postCheckpoint(ck: WorkerCheckpoint): void {
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(ck);
    port1.close();
    this.main?.postMessage({ t: 'ck', ck: { id: ck.id, port: port2 } } satisfies WorkerReport, [
      port2,
    ]);
  }

  private checkpointNow(): WorkerCheckpoint {
    const id = ++this.ckptId;
    const inN = [0, ...this.cfg.inEdges.map((_, i) => i + 1)].map(
      (l) => this.receivers.get(l)?.nextN ?? 0,
    );
    this.ckptInN.set(id, inN);
    const out: WorkerCheckpoint['out'] = {};
    for (const [idx, s] of this.senders) (out as Record<number, unknown>)[idx] = s.state();
    const ck: WorkerCheckpoint = {
      id,
      graph: this.graph.snapshot(),
      inN,
      lanes: this.merger.state(),
      out,
      results: this.results!.state(),
      lastSeq: this.seqs.last,
      ...(this.tap?.checkpoint ? { tap: this.tap.checkpoint(id) } : {}),
      ...(this.gate ? { gate: this.gate.checkpoint(id) } : {}),
    };
    return ck;
  }

  private report(): void {
    const edges: Record<number, BatchedPortTransport['stats']> = {};
    for (const [id, s] of this.senders) edges[id] = { ...s.stats };
    if (this.results) edges[-1] = { ...this.results.stats };
    this.post({
      t: 'tel',
      tel: {
        worker: this.cfg.index,
        nodes: { ...this.counts },
        edges,
        queueDepth: this.merger.depth,
        processed: this.processed,
        busyMs: this.busyMs,
        latencyMs: this.latN > 0 ? this.latSum / this.latN : 0,
        feeds: this.emitters.flatMap((e) => e.statuses?.() ?? []),
        markers: this.markers,
      },
    });
    this.markers = [];
    this.latSum = 0;
    this.latN = 0;
  }

  private post(m: WorkerReport): void {
    this.main?.postMessage(m);
  }
}

/** The checkpoint queued on a sealed port (see {@link SealedCheckpoint}); closes the port. */
function unseal(port: PortLike): Promise<WorkerCheckpoint> {
  return new Promise((resolve) => {
    const off = listen(port, (data) => {
      off();
      port.close?.();
      resolve(data as WorkerCheckpoint);
    });
  });
}
