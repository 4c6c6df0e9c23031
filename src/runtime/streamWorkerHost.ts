import type { GraphSnapshot } from '../core/graph/snapshot.ts';
import { loadUserCompiler } from './fromDagSpec.ts';
import type { PortLike } from './ports.ts';
import type { ReplayWorkerApi, ReplayWorkerConfig } from './replayTypes.ts';
import type { ReplayStreamWorker } from './ReplayStreamWorker.ts';
import type { StreamWorker } from './StreamWorker.ts';
import type {
  SealedCheckpoint,
  StreamWorkerApi,
  WorkerCheckpoint,
  WorkerConfig,
} from './workerTypes.ts';

/**
 * One worker entry serves both kinds of run: `init` with a `recorded` config makes it a
 * {@link ReplayStreamWorker} (a replay reading its recording), any other a {@link StreamWorker}
 * (live, or fed by the manager). The shared calls go to whichever `init` chose.
 */
export function streamWorkerHost(
  live: StreamWorker,
  replay: ReplayStreamWorker,
): StreamWorkerApi & ReplayWorkerApi {
  let recorded = false;
  return {
    init(
      cfg: WorkerConfig | ReplayWorkerConfig,
      ck?: WorkerCheckpoint | SealedCheckpoint,
      carry?: Readonly<Record<string, GraphSnapshot>>,
    ) {
      recorded = cfg.mode === 'recorded';
      const go = (): void | Promise<void> =>
        recorded ? replay.init(cfg as ReplayWorkerConfig) : live.init(cfg, ck, carry);
      // The user-definition compiler is loaded only by a worker that needs it (fromDagSpec.ts);
      // callers await init, so the calls after it wait for the load.
      return (cfg.dag.userDefinitions ?? []).length > 0 ? loadUserCompiler(cfg.dag).then(go) : go();
    },
    connectMain: (p: PortLike) => (recorded ? replay : live).connectMain(p),
    connectOutput: (id: number, p: PortLike) => (recorded ? replay : live).connectOutput(id, p),
    connectInput: (lane: number, p: PortLike) => (recorded ? replay : live).connectInput(lane, p),
    stop: () => (recorded ? replay : live).stop(),
    start: () => live.start(),
    checkpointStored: (id) => live.checkpointStored(id),
    fault: (kind: 'throw' | 'hang' | 'slow') =>
      recorded ? replay.fault('throw') : live.fault(kind),
    handover: () => live.handover(),
    setSeries: (positions) => live.setSeries(positions),
    userFailures: () => live.userFailures(),
    adopt: (cps) => replay.adopt(cps),
    reset: (epoch, line) => replay.reset(epoch, line),
    playTo: (epoch, line, time) => replay.playTo(epoch, line, time),
    hold: () => replay.hold(),
    checkpointLines: () => replay.checkpointLines(),
    grow: (total, chunks) => replay.grow(total, chunks),
    setThin: (thin, series) => replay.setThin(thin, series),
  };
}
