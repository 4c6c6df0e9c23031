import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import { listen, type PortLike, type RuntimePlatform, type WorkerHandle } from './ports.ts';
import type { Batch, TextBatch } from './protocol.ts';
import {
  type RemoteWorker,
  releaseWorker,
  transferPort,
  transferSealed,
  wrapWorker,
} from './rpc.ts';
import { BatchedPortReceiver } from './Transport.ts';
import type {
  SealedCheckpoint,
  WorkerCheckpoint,
  WorkerConfig,
  WorkerReport,
} from './workerTypes.ts';

/** A call to a worker that failed or was retired before answering. */
export class WorkerLost extends Error {}

/** One running worker of a subgraph, as the main thread keeps it. */
export interface WorkerSlot {
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
  /**
   * Rejects with {@link WorkerLost} once the worker fails or is retired: a call to a dead
   * worker never answers (comlink drops its pending calls on release), so race calls against it.
   */
  lost: Promise<never>;
  /** Rejects {@link lost}. */
  lose(reason: string): void;
  /** Stops listening on the worker's main port. */
  unlisten?: () => void;
}

/** What a new slot reports to, and what it takes over from the slot it replaces. */
export interface SlotHost {
  readonly platform: RuntimePlatform;
  /** Silence tolerated from a fresh worker (its predecessor's limit carries over). */
  readonly heartbeatMs: number;
  /** The slot now at `index` (read once the worker is connected: the one replaced, if any). */
  current(index: number): WorkerSlot | undefined;
  onResults(index: number, b: Batch): void;
  onTextResults(index: number, b: TextBatch): void;
  /**
   * A message on the worker's main port (a report: telemetry, checkpoint; or a results batch,
   * which the slot's receiver takes) from a worker not released; `lastSeen` is already set.
   */
  onReport(slot: WorkerSlot, m: WorkerReport | Batch): void;
  /** The worker at `index` failed (only while it is still the current one of its index). */
  onFailure(index: number, reason: string): void;
}

/**
 * Spawn the worker of `cfg`, initialise it (from checkpoint `ck`, with per-feature `carry`),
 * connect its main port and listen to it. Fails with the worker's reason when it dies starting.
 */
export async function spawnSlot(
  host: SlotHost,
  cfg: WorkerConfig,
  ck?: WorkerCheckpoint | SealedCheckpoint,
  carry?: Record<string, GraphSnapshot>,
): Promise<WorkerSlot> {
  const handle = host.platform.spawn(cfg.index);
  const api = wrapWorker(handle.endpoint);
  // A worker that dies while starting (e.g. its entry cannot load) never answers init: fail
  // with its reason instead of waiting forever.
  const died = new Promise<never>((_, reject) =>
    handle.onFailure((r) => reject(new Error(`worker ${cfg.index} failed to start: ${r}`))),
  );
  died.catch(() => undefined);
  await Promise.race([api.init(cfg, ck && 'port' in ck ? transferSealed(ck) : ck, carry), died]);
  const { port1, port2 } = host.platform.channel();
  // Restarts queue behind this one (WorkerPool): a worker dying here must not hang them all.
  await Promise.race([api.connectMain(transferPort(port1)), died]);
  const prev = host.current(cfg.index);
  const results =
    prev?.results ??
    new BatchedPortReceiver(
      port2,
      (b) => host.onResults(cfg.index, b),
      (b) => host.onTextResults(cfg.index, b),
    );
  if (prev) results.reconnect(port2);
  let lose: (reason: string) => void = () => {};
  const lost = new Promise<never>(
    (_, reject) => (lose = (r) => reject(new WorkerLost(`worker ${cfg.index} ${r}`))),
  );
  lost.catch(() => undefined);
  const slot: WorkerSlot = {
    lost,
    lose,
    handle,
    api,
    cfg,
    lastSeen: host.platform.now(),
    silenceMs: prev?.silenceMs ?? host.heartbeatMs,
    restoredCk: ck?.id ?? 0,
    recovering: false,
    restarts: prev?.restarts ?? 0,
    results,
  };
  listenMain(host, slot, port2);
  // Only the current worker's failure counts: the exit of one we replaced is expected.
  handle.onFailure((reason) => {
    slot.lose(reason);
    if (host.current(cfg.index)?.handle === handle) host.onFailure(cfg.index, reason);
  });
  return slot;
}

function listenMain(host: SlotHost, slot: WorkerSlot, port: PortLike): void {
  slot.unlisten = listen(port, (data) => {
    // A report can still be queued when its worker is replaced or stopped: drop it, since
    // calling a released proxy throws (and the checkpoint belongs to a dead worker anyway).
    if (slot.released) return;
    slot.lastSeen = host.platform.now();
    host.onReport(slot, data as WorkerReport | Batch);
  });
}

/** Stop listening to a worker, release its proxy and terminate it (idempotent). */
export function retireSlot(slot: WorkerSlot): void {
  if (slot.released) return;
  slot.released = true;
  slot.lose('was retired');
  slot.unlisten?.();
  releaseWorker(slot.api);
  slot.handle.terminate();
}
