import { MessageChannel } from 'node:worker_threads';
import type { PortLike, RuntimePlatform, WorkerHandle } from '../../runtime/ports.ts';
import { exposeWorker } from '../../runtime/rpc.ts';
import type { StreamWorkerApi, WorkerCheckpoint } from '../../runtime/workerTypes.ts';

/** One fake stream worker: the calls it took, and its `init` held until released. */
export interface FakeWorker {
  readonly index: number;
  /** Method names called, in order. */
  readonly calls: string[];
  /** Let a held `init` answer. */
  release(): void;
  /** Fail as a crashed worker does (its handle's failure listeners hear `reason`). */
  crash(reason: string): void;
  terminated: boolean;
}

/**
 * A {@link RuntimePlatform} of in-process fake stream workers over real MessageChannels and the
 * real comlink proxies (`rpc.ts`), so a test decides exactly when each worker answers `init`:
 * the moment a recovery is half done is reached on purpose, not by the scheduler's luck. The
 * fakes take every control call and do nothing with the ports (no data flows).
 */
export function fakeWorkerPlatform(): RuntimePlatform & {
  readonly workers: FakeWorker[];
  /** Whether a worker spawned from now on for `index` holds `init` until its `release()`. */
  holdInit: (index: number) => boolean;
  close(): void;
} {
  const workers: FakeWorker[] = [];
  const ports: PortLike[] = [];
  const channel = (): { port1: PortLike; port2: PortLike } => {
    const c = new MessageChannel();
    const pair = { port1: c.port1 as unknown as PortLike, port2: c.port2 as unknown as PortLike };
    ports.push(pair.port1, pair.port2);
    return pair;
  };
  const platform = {
    workers,
    holdInit: (_index: number): boolean => false,
    now: () => performance.now(),
    channel,
    close: () => ports.forEach((p) => p.close?.()),
    spawn(index: number): WorkerHandle {
      const { port1, port2 } = channel();
      const listeners: ((reason: string) => void)[] = [];
      let release = (): void => {};
      const held = platform.holdInit(index)
        ? new Promise<void>((r) => (release = r))
        : Promise.resolve();
      const calls: string[] = [];
      const w: FakeWorker = {
        index,
        calls,
        release: () => release(),
        crash: (reason) => listeners.forEach((l) => l(reason)),
        terminated: false,
      };
      workers.push(w);
      const note =
        (name: string) =>
        (...args: unknown[]): void => {
          calls.push(name);
          for (const a of args) (a as PortLike | undefined)?.close?.();
        };
      const api: StreamWorkerApi = {
        init: async () => {
          calls.push('init');
          await held;
        },
        connectMain: note('connectMain'),
        connectOutput: note('connectOutput'),
        connectInput: note('connectInput'),
        start: note('start'),
        stop: note('stop'),
        checkpointStored: note('checkpointStored'),
        fault: note('fault'),
        setSeries: () => void calls.push('setSeries'),
        userFailures: () => {
          calls.push('userFailures');
          return [];
        },
        handover: (): WorkerCheckpoint => {
          calls.push('handover');
          return { id: 0 } as unknown as WorkerCheckpoint;
        },
      } as unknown as StreamWorkerApi;
      exposeWorker(api, port1);
      return {
        endpoint: port2,
        terminate: () => {
          w.terminated = true;
          port1.close?.();
        },
        onFailure: (l) => void listeners.push(l),
      };
    },
  };
  return platform;
}
