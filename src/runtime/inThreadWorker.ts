import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import type { PortLike, RuntimePlatform, WorkerHandle } from './ports.ts';
import { exposeWorker } from './rpc.ts';
import { StreamWorker } from './StreamWorker.ts';
import type {
  SealedCheckpoint,
  StreamWorkerApi,
  WorkerCheckpoint,
  WorkerConfig,
} from './workerTypes.ts';

/**
 * A stream worker served on the calling thread, behind a channel: the manager drives it with the
 * same calls, ports and batches as a worker thread (so output, checkpoints and recovery are the
 * same code), without a second isolate. `featurizer run --workers N` runs one partition this way
 * on its main thread, which otherwise mostly waits: a worker isolate's start-up, JIT warm-up and
 * GC cost ~150–200 ms of CPU at 140k lines, more than the main thread's idle time is worth
 * leaving idle on 2 cores (README #14 target 3).
 *
 * Built-in features only: user code runs in worker threads, where a hang is seen by the
 * heartbeat and a crash ends only its worker; here either would take the main thread with it.
 * Refuses a config with user definitions, and never reports a failure of its own (an uncaught
 * error here is the process's).
 */
export function inThreadWorker(channel: RuntimePlatform['channel']): WorkerHandle {
  const { port1, port2 } = channel();
  const worker = new StreamWorker();
  // Every port handed to it, to close at terminate: open ports would keep the process alive.
  const ports: PortLike[] = [port1, port2];
  const kept = (p: PortLike): PortLike => (ports.push(p), p);
  const api: StreamWorkerApi = {
    init: (
      cfg: WorkerConfig,
      ck?: WorkerCheckpoint | SealedCheckpoint,
      carry?: Readonly<Record<string, GraphSnapshot>>,
    ) => {
      if ((cfg.dag.userDefinitions ?? []).length > 0)
        throw new Error('a pipeline with user definitions runs its partitions in worker threads');
      return worker.init(cfg, ck, carry);
    },
    connectMain: (p) => worker.connectMain(kept(p)),
    connectOutput: (id, p) => worker.connectOutput(id, kept(p)),
    connectInput: (lane, p) => worker.connectInput(lane, kept(p)),
    start: () => worker.start(),
    stop: () => worker.stop(),
    checkpointStored: (id) => worker.checkpointStored(id),
    fault: (kind) => worker.fault(kind),
    handover: () => worker.handover(),
    setSeries: (positions) => worker.setSeries(positions),
    userFailures: () => worker.userFailures(),
  };
  exposeWorker(api, port2);
  let ended = false;
  return {
    endpoint: port1,
    terminate: () => {
      if (ended) return;
      ended = true;
      // Its timers (telemetry, checkpoints) stop with it; a worker never started has none.
      try {
        worker.stop();
      } catch {
        // Not initialised: nothing runs.
      }
      for (const p of ports) p.close?.();
    },
    onFailure: () => {},
  };
}
