import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import type { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import type { RuntimePlatform } from './ports.ts';
import type { Batch, TextBatch } from './protocol.ts';
import { type RemoteWorker, transferPort } from './rpc.ts';
import type { TelemetryHub } from './TelemetryHub.ts';
import { laneOf } from './workerConfigs.ts';
import { retireSlot, type SlotHost, spawnSlot, WorkerLost, type WorkerSlot } from './WorkerSlot.ts';
import type {
  SealedCheckpoint,
  WorkerCheckpoint,
  WorkerConfig,
  WorkerReport,
} from './workerTypes.ts';

/** Cap of a worker's silence limit after repeated silent restarts. */
const MAX_SILENCE_MS = 120_000;

/** What the pool needs from its manager: the partition, results, and the replay feed's ports. */
export interface WorkerPoolHost {
  readonly platform: RuntimePlatform;
  readonly hub: TelemetryHub;
  /** See `StreamManagerOptions.heartbeatMs`. */
  readonly heartbeatMs: number;
  /** The current partition (an edit replaces it). */
  graph(): FeatureStreamWorkerGraph;
  onResults(index: number, b: Batch): void;
  onTextResults(index: number, b: TextBatch): void;
  /**
   * Give the restarted worker `index` a fresh lane-0 port from its replay feeder; undefined
   * (nothing to wait for) when it has none.
   */
  reconnectFeeder(index: number, api: RemoteWorker): Promise<void> | undefined;
}

/**
 * The running workers, one slot per subgraph: stores their checkpoints (sealed), watches their
 * heartbeats, and restarts a failed worker from its last checkpoint with every port rewired.
 */
export class WorkerPool {
  readonly slots: WorkerSlot[] = [];
  private stopped = false;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private fatal: Error | undefined;
  private readonly fatalWaiters = new Set<(e: Error) => void>();
  private readonly slotHost: SlotHost;
  /** The restart under way (and those queued behind it); never rejects. */
  private exclusive: Promise<void> = Promise.resolve();

  constructor(private readonly host: WorkerPoolHost) {
    this.slotHost = {
      platform: host.platform,
      heartbeatMs: host.heartbeatMs,
      current: (i) => this.slots[i],
      onResults: (i, b) => host.onResults(i, b),
      onTextResults: (i, b) => host.onTextResults(i, b),
      onReport: (slot, m) => this.onReport(slot, m),
      onFailure: (i, reason) => void this.recover(i, reason),
    };
  }

  spawn(
    cfg: WorkerConfig,
    ck?: WorkerCheckpoint | SealedCheckpoint,
    carry?: Record<string, GraphSnapshot>,
  ): Promise<WorkerSlot> {
    return spawnSlot(this.slotHost, cfg, ck, carry);
  }

  /** Start watching heartbeats (once every worker runs). */
  watch(): void {
    const hb = this.host.heartbeatMs;
    this.heartbeat = setInterval(() => this.checkHeartbeats(), Math.max(50, hb / 4));
  }

  /** No more restarts: a stopping run retires its workers instead. */
  halt(): void {
    this.stopped = true;
    clearInterval(this.heartbeat);
  }

  /**
   * Replace worker `i` by a fresh one of `cfg` from `ck`, rewire every port it had, start it.
   * Restarts run one at a time: a restart retires the old proxy at once but installs the
   * replacement only once it has started, so a second restart wiring to that slot meanwhile
   * would call a released proxy ("Proxy has been released and is not useable").
   */
  restart(i: number, cfg: WorkerConfig, ck?: WorkerCheckpoint | SealedCheckpoint): Promise<void> {
    return this.alone(() => this.restartNow(i, cfg, ck));
  }

  /** Resolves once no restart is under way or waiting (slots all hold live proxies again). */
  async settled(): Promise<void> {
    for (let p = this.exclusive; ; p = this.exclusive) {
      await p;
      if (p === this.exclusive) return;
    }
  }

  private alone(step: () => Promise<void>): Promise<void> {
    const run = this.exclusive.then(step);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  private async restartNow(
    i: number,
    cfg: WorkerConfig,
    ck?: WorkerCheckpoint | SealedCheckpoint,
  ): Promise<void> {
    const old = this.slots[i]!;
    retireSlot(old);
    const slot = await this.spawn(cfg, ck);
    if (this.stopped) {
      // Stopped while the replacement started: it must not outlive the run.
      retireSlot(slot);
      return;
    }
    slot.recovering = true;
    this.slots[i] = slot;
    const g = this.host.graph();
    for (const e of g.outEdges(i)) {
      const { port1, port2 } = this.host.platform.channel();
      await own(slot, slot.api.connectOutput(e.id, transferPort(port1)));
      await this.neighbour(e.to, (api) =>
        api.connectInput(laneOf(g, e.to, e.id), transferPort(port2)),
      );
    }
    for (const e of g.inEdges(i)) {
      const { port1, port2 } = this.host.platform.channel();
      await this.neighbour(e.from, (api) => api.connectOutput(e.id, transferPort(port1)));
      await own(slot, slot.api.connectInput(laneOf(g, i, e.id), transferPort(port2)));
    }
    const feeder = this.host.reconnectFeeder(i, slot.api);
    if (feeder) await own(slot, feeder);
    await own(slot, slot.api.start());
    slot.recovering = false;
    slot.lastSeen = this.host.platform.now();
  }

  /**
   * Call neighbour `j` while wiring: if it dies first, go on without it (its own restart, queued
   * behind this one, rewires every edge it has, to this replacement too).
   */
  private async neighbour(j: number, call: (api: RemoteWorker) => Promise<void>): Promise<void> {
    const s = this.slots[j]!;
    if (s.released) return;
    try {
      await Promise.race([call(s.api), s.lost]);
    } catch (e) {
      if (!(e instanceof WorkerLost)) throw e;
    }
  }

  /** Restart worker `i` from its last checkpoint and rewire every port it had. */
  async recover(i: number, reason: string): Promise<void> {
    const old = this.slots[i]!;
    if (old.recovering || this.stopped) return;
    old.recovering = true;
    const hub = this.host.hub;
    hub.event({ kind: 'failure', worker: i, reason, at: this.host.platform.now() });
    // Its checkpoint is read when its turn comes: a worker that is only slow may still store one.
    let from: SealedCheckpoint | undefined;
    try {
      await this.alone(() => {
        from = old.checkpoint;
        // Stopped, or replaced meanwhile (a live edit): nothing left to restart.
        if (this.stopped || this.slots[i] !== old) return Promise.resolve();
        return this.restartNow(i, old.cfg, from);
      });
    } catch (e) {
      if (this.stopped) return;
      // The replacement itself failed: nothing will deliver the rest, so whoever waits must know.
      this.fatal = new Error(`worker ${i} ${reason} and could not be restarted: ${String(e)}`);
      for (const w of this.fatalWaiters) w(this.fatal);
      return;
    }
    if (this.stopped || this.slots[i] === old) return;
    this.slots[i]!.restarts++;
    hub.event({
      kind: 'recovered',
      worker: i,
      checkpoint: from?.id ?? 0,
      at: this.host.platform.now(),
    });
  }

  /** `p`, or the reason the run cannot go on (a worker that cannot be restarted). */
  orFatal<T>(p: Promise<T>): Promise<T> {
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise<T>((resolve, reject) => {
      this.fatalWaiters.add(reject);
      p.then(resolve, reject).finally(() => this.fatalWaiters.delete(reject));
    });
  }

  private onReport(slot: WorkerSlot, m: WorkerReport | Batch): void {
    if (m.t === 'tel') this.host.hub.worker(m.tel);
    else if (m.t === 'ck') {
      // The previous checkpoint is superseded: closing its port frees the message it holds.
      slot.checkpoint?.port.close?.();
      slot.checkpoint = m.ck;
      if (m.ck.id > slot.restoredCk) slot.silenceMs = this.host.heartbeatMs;
      slot.api.checkpointStored(m.ck.id).catch(() => undefined);
    }
  }

  private checkHeartbeats(): void {
    const now = this.host.platform.now();
    this.slots.forEach((s, i) => {
      if (s.recovering || this.stopped || now - s.lastSeen <= s.silenceMs) return;
      const limit = s.silenceMs;
      // If it was only slow (one input longer than the limit), its replacement gets longer.
      s.silenceMs = Math.min(limit * 2, MAX_SILENCE_MS);
      void this.recover(i, `no heartbeat for ${limit} ms`);
    });
  }
}

/** A call on a replacement being wired: fails, rather than hangs, if it dies meanwhile. */
function own<T>(slot: WorkerSlot, call: Promise<T>): Promise<T> {
  return Promise.race([call, slot.lost]);
}
