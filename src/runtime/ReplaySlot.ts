import type { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import type { RuntimePlatform, WorkerHandle } from './ports.ts';
import type { ReplayWorkerApi, ReplayWorkerConfig } from './replayTypes.ts';
import { releaseApi, type RemoteApi, wrapApi } from './rpc.ts';
import type { BatchedPortReceiver, TransportOptions } from './Transport.ts';
import { workerConfig } from './workerConfigs.ts';

/** A call to a worker that died before answering. */
export class WorkerLost extends Error {}

/** One replay worker as the manager holds it. */
export interface ReplaySlot {
  readonly handle: WorkerHandle;
  readonly api: RemoteApi<ReplayWorkerApi>;
  /** Rejects with {@link WorkerLost} when the worker fails (race a call against it). */
  readonly lost: Promise<never>;
  /** Terminated on purpose: its exit is no crash. */
  retired: boolean;
  results?: BatchedPortReceiver;
  unlisten?: () => void;
}

export interface ReplaySlotOptions {
  readonly checkpointLines: number;
  readonly maxCheckpoints: number;
  readonly input: unknown;
  readonly transport?: TransportOptions;
  /** The source workers, in order: they share the lines no source takes (see LineShare). */
  readonly readers: readonly number[];
  /** The worker failed after it started (not retired). */
  readonly onCrash: (slot: ReplaySlot, reason: string) => void;
}

/** Spawn and `init` replay worker `index` of `graph`; fails if it dies while starting. */
export async function spawnReplaySlot(
  graph: FeatureStreamWorkerGraph,
  index: number,
  platform: RuntimePlatform,
  o: ReplaySlotOptions,
): Promise<ReplaySlot> {
  const cfg: ReplayWorkerConfig = {
    ...workerConfig(graph, index, {
      mode: 'recorded',
      ...(o.transport ? { transport: o.transport } : {}),
    }),
    replay: {
      checkpointLines: o.checkpointLines,
      maxCheckpoints: o.maxCheckpoints,
      input: o.input,
      readers: o.readers,
    },
  };
  const handle = platform.spawn(index);
  const api = wrapApi<ReplayWorkerApi>(handle.endpoint);
  let started = false;
  let fail: (e: Error) => void = () => {};
  const lost = new Promise<never>((_, reject) => (fail = reject));
  lost.catch(() => undefined);
  const slot: ReplaySlot = { handle, api, lost, retired: false };
  handle.onFailure((reason) => {
    fail(new WorkerLost(`worker ${index} ${started ? '' : 'failed to start: '}${reason}`));
    if (started && !slot.retired) o.onCrash(slot, reason);
  });
  try {
    await Promise.race([api.init(cfg), lost]);
  } catch (e) {
    retireSlot(slot);
    // Not a WorkerLost: a worker that cannot start is no crash to recover from.
    throw e instanceof WorkerLost ? new Error(e.message) : e;
  }
  started = true;
  return slot;
}

/** Release the slot's proxy and terminate its worker (idempotent; its exit is expected). */
export function retireSlot(slot: ReplaySlot): void {
  if (slot.retired) return;
  slot.retired = true;
  slot.unlisten?.();
  slot.results?.close();
  releaseApi(slot.api);
  slot.handle.terminate();
}
